import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { credentialFiles } from '../agent/credentialFiles';
import { type CertAndKey, issueCert } from '../pki/certificates';
import type { NodeHandle } from './providers/nodeProvider';

// What each node's agent gets under /kubedesk/credentials: the API server URL as nodes reach it, the
// cluster CA, a client certificate `system:node:<name>` in `system:nodes` (the identity a kubelet
// has in Kubernetes), and the kubelet API's serving certificate. Issued afresh at every start, so
// a changed API port or a renewed CA reaches the nodes; the CA stays, so old ones keep working.

const validityDays = 365;

/** The cluster CA the control plane created under `<dataDir>/pki` (ensurePki's file names). */
export async function readClusterCa(dataDir: string): Promise<CertAndKey> {
  const pki = join(dataDir, 'pki');
  try {
    return {
      cert: await readFile(join(pki, 'ca.crt'), 'utf8'),
      key: await readFile(join(pki, 'ca.key'), 'utf8'),
    };
  } catch (err) {
    throw new Error(`the cluster CA in ${pki} is not readable: start the cluster first`, { cause: err });
  }
}

/** The URL node agents use: `host.docker.internal` resolves to the host inside every node. */
export const nodeServerUrl = (apiPort: number) => `https://host.docker.internal:${apiPort}`;

export const nodeUser = (nodeName: string) => `system:node:${nodeName}`;
export const nodeGroup = 'system:nodes';

export async function nodeCredentialFiles(options: {
  node: Pick<NodeHandle, 'name' | 'ip'>;
  serverUrl: string;
  ca: CertAndKey;
  now?: Date;
}): Promise<Record<string, string>> {
  const { node, ca } = options;
  const now = options.now ?? new Date();
  const [client, serving] = await Promise.all([
    issueCert({ ca, cn: nodeUser(node.name), orgs: [nodeGroup], usage: 'client', now, validityDays }),
    // The API server reaches the kubelet API through the port published on the host's loopback.
    issueCert({
      ca,
      cn: node.name,
      usage: 'server',
      sans: { dns: [node.name, 'localhost'], ips: ['127.0.0.1', node.ip] },
      now,
      validityDays,
    }),
  ]);
  const file = (name: string) => `credentials/${name}`;
  return {
    [file(credentialFiles.server)]: options.serverUrl,
    [file(credentialFiles.ca)]: ca.cert,
    [file(credentialFiles.clientCert)]: client.cert,
    [file(credentialFiles.clientKey)]: client.key,
    [file(credentialFiles.kubeletCert)]: serving.cert,
    [file(credentialFiles.kubeletKey)]: serving.key,
  };
}
