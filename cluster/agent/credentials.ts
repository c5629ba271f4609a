import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

import { credentialFiles, credentialsDir } from './credentialFiles';

// How the agent turns the credentials the provisioner wrote (see credentialFiles.ts) into a
// client-node KubeConfig.

export { credentialFiles, credentialsDir };

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
