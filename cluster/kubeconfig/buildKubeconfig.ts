// A kubeconfig for the cluster: one cluster, one user (client certificate) and one context, with
// the certificates embedded as base64 `*-data` fields (client-go `tools/clientcmd/api/v1/types.go`).
import { stringify } from 'yaml';
import { writeFileAtomic } from '../pki/atomicWrite';

export interface KubeconfigCluster {
  server: string;
  'certificate-authority-data': string;
  'tls-server-name'?: string;
}

export interface KubeconfigUser {
  'client-certificate-data': string;
  'client-key-data': string;
}

export interface KubeconfigContext {
  cluster: string;
  user: string;
  namespace?: string;
}

/** The three named stanzas one cluster contributes to a kubeconfig, all under the same name. */
export interface KubeconfigEntry {
  name: string;
  cluster: KubeconfigCluster;
  user: KubeconfigUser;
  context: KubeconfigContext;
}

export interface Kubeconfig {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: { name: string; cluster: KubeconfigCluster }[];
  users: { name: string; user: KubeconfigUser }[];
  contexts: { name: string; context: KubeconfigContext }[];
  'current-context': string;
  preferences: Record<string, never>;
}

export interface BuildKubeconfigOptions {
  name: string;
  /** e.g. `https://127.0.0.1:6443` */
  server: string;
  /** PEM strings. */
  caCert: string;
  clientCert: string;
  clientKey: string;
}

const base64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

export function buildKubeconfigEntry(opts: BuildKubeconfigOptions): KubeconfigEntry {
  return {
    name: opts.name,
    cluster: { server: opts.server, 'certificate-authority-data': base64(opts.caCert) },
    user: { 'client-certificate-data': base64(opts.clientCert), 'client-key-data': base64(opts.clientKey) },
    context: { cluster: opts.name, user: opts.name },
  };
}

export function buildKubeconfig(opts: BuildKubeconfigOptions): Kubeconfig {
  const entry = buildKubeconfigEntry(opts);
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: entry.name, cluster: entry.cluster }],
    users: [{ name: entry.name, user: entry.user }],
    contexts: [{ name: entry.name, context: entry.context }],
    'current-context': entry.name,
    preferences: {},
  };
}

/** Writes a kubeconfig as YAML, readable only by its owner (it holds a private key). */
export async function writeKubeconfig(path: string, config: object): Promise<void> {
  await writeFileAtomic(path, stringify(config), 0o600);
}
