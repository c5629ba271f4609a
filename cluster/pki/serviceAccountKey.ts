// The key pair that signs service account tokens: created on first start next to the CA (`sa.key`,
// `sa.pub`, the names kubeadm uses) and reused after, so tokens survive restarts. ES256, which
// kube-apiserver accepts for --service-account-signing-key-file.
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportPKCS8, generateKeyPair } from 'jose';
import { writeFileAtomic } from './atomicWrite';

export interface ServiceAccountKey {
  /** PKCS#8 PEM. */
  privateKey: string;
  /** SPKI PEM. */
  publicKey: string;
}

export const serviceAccountKeyAlgorithm = 'ES256';

const privateFile = 'sa.key';
const publicFile = 'sa.pub';

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Loads the signing key from `dir`, creating it when absent. The public key is derived from the private one. */
export async function ensureServiceAccountKey(dir: string): Promise<ServiceAccountKey> {
  let privateKey = await readIfPresent(join(dir, privateFile));
  if (!privateKey) {
    const pair = await generateKeyPair(serviceAccountKeyAlgorithm, { extractable: true });
    privateKey = await exportPKCS8(pair.privateKey);
    await writeFileAtomic(join(dir, privateFile), privateKey, 0o600);
  }
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  if ((await readIfPresent(join(dir, publicFile))) !== publicKey) {
    await writeFileAtomic(join(dir, publicFile), publicKey, 0o644);
  }
  return { privateKey, publicKey };
}
