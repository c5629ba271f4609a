import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

// What the provisioner writes into each node under /kubedesk/credentials/ (mode 0600), and how the
// agent turns it into a client-node KubeConfig. File names, relative to the credentials folder:
//
//   server          the API server URL as nodes reach it, e.g. https://host.docker.internal:6443
//   ca.crt          the cluster CA (PEM); verifies the API server and kubelet API client certificates
//   token           bearer token identifying this node to the API server (system:node:<name>)
//   client.crt/.key optional client certificate instead of the token (CN system:node:<name>)
//   kubelet.crt/.key the kubelet API's serving certificate, signed by the cluster CA (usage server,
//                    SANs: node name, node IP, 127.0.0.1); without it the kubelet API is not started
//   kubelet-token   optional bearer token the API server may present to the kubelet API instead of
//                    its client certificate (CN kubedesk-apiserver; see kubeletApi/kubeletAuth.ts)

export const credentialsDir = '/kubedesk/credentials';

export const credentialFiles = {
  server: 'server',
  ca: 'ca.crt',
  token: 'token',
  clientCert: 'client.crt',
  clientKey: 'client.key',
  kubeletCert: 'kubelet.crt',
  kubeletKey: 'kubelet.key',
  kubeletToken: 'kubelet-token',
} as const;

export interface AgentCredentials {
  server: string;
  ca: string;
  token?: string;
  clientCert?: string;
  clientKey?: string;
  kubeletCert?: string;
  kubeletKey?: string;
  kubeletToken?: string;
}

export function readCredentials(dir = credentialsDir): AgentCredentials {
  const read = (name: string) => {
    const path = join(dir, name);
    return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
  };
  const server = read(credentialFiles.server);
  const ca = read(credentialFiles.ca);
  if (!server || !ca) {
    throw new Error(
      `${dir} must hold ${credentialFiles.server} and ${credentialFiles.ca} written by the provisioner`,
    );
  }
  const optional = {
    token: read(credentialFiles.token),
    clientCert: read(credentialFiles.clientCert),
    clientKey: read(credentialFiles.clientKey),
    kubeletCert: read(credentialFiles.kubeletCert),
    kubeletKey: read(credentialFiles.kubeletKey),
    kubeletToken: read(credentialFiles.kubeletToken),
  };
  const credentials: AgentCredentials = { server, ca };
  for (const [key, value] of Object.entries(optional)) {
    if (value) credentials[key as keyof typeof optional] = value;
  }
  if (!credentials.token && !(credentials.clientCert && credentials.clientKey)) {
    throw new Error(
      `${dir} must hold ${credentialFiles.token} or ${credentialFiles.clientCert} and ${credentialFiles.clientKey}`,
    );
  }
  return credentials;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

export function kubeConfigFor(credentials: AgentCredentials, nodeName: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: 'kubedesk', server: credentials.server, caData: b64(credentials.ca), skipTLSVerify: false },
    ],
    users: [
      {
        name: nodeName,
        ...(credentials.token ? { token: credentials.token } : {}),
        ...(credentials.clientCert && credentials.clientKey
          ? { certData: b64(credentials.clientCert), keyData: b64(credentials.clientKey) }
          : {}),
      },
    ],
    contexts: [{ name: 'kubedesk', cluster: 'kubedesk', user: nodeName }],
    currentContext: 'kubedesk',
  });
  return kc;
}
