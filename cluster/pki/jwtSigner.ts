// Signs and verifies JWTs with the service account key through `jose`. Knows nothing of Kubernetes
// claims: it only checks the signature and the time claims (exp, nbf) a token carries.
import { createHash, createPublicKey } from 'node:crypto';
import { type CryptoKey, importPKCS8, importSPKI, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { type ServiceAccountKey, serviceAccountKeyAlgorithm } from './serviceAccountKey';

export interface JwtSigner {
  /** Key id in each token's header: base64url SHA-256 of the DER public key, as kube-apiserver derives it. */
  keyId: string;
  sign(claims: JWTPayload): Promise<string>;
  /** The claims of a token signed by this key and valid at `now`; undefined for any other token. */
  verify(token: string, now: Date): Promise<JWTPayload | undefined>;
}

/** Clock skew tolerated on exp and nbf, go-jose's default leeway used by kube-apiserver. */
const leewaySeconds = 60;

export function keyIdOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}

export function createJwtSigner(key: ServiceAccountKey): JwtSigner {
  const keyId = keyIdOf(key.publicKey);
  let keys: Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }> | undefined;
  const loadKeys = () => {
    keys ??= Promise.all([
      importPKCS8(key.privateKey, serviceAccountKeyAlgorithm),
      importSPKI(key.publicKey, serviceAccountKeyAlgorithm),
    ]).then(([privateKey, publicKey]) => ({ privateKey, publicKey }));
    return keys;
  };
  return {
    keyId,
    async sign(claims) {
      const { privateKey } = await loadKeys();
      return new SignJWT(claims)
        .setProtectedHeader({ alg: serviceAccountKeyAlgorithm, kid: keyId })
        .sign(privateKey);
    },
    async verify(token, now) {
      const { publicKey } = await loadKeys();
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          algorithms: [serviceAccountKeyAlgorithm],
          currentDate: now,
          clockTolerance: leewaySeconds,
        });
        return payload;
      } catch {
        // Malformed, foreign, tampered or expired: not a token of ours, whichever it is.
        return undefined;
      }
    },
  };
}
