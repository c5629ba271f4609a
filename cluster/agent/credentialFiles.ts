// What the provisioner writes into each node under /kubedesk/credentials/ (mode 0600); the agent
// reads it back (credentials.ts). File names, relative to the credentials folder:
//
//   server          the API server URL as nodes reach it, e.g. https://host.docker.internal:6443
//   ca.crt          the cluster CA (PEM); verifies the API server and kubelet API client certificates
//   token           bearer token identifying this node to the API server (system:node:<name>)
//   client.crt/.key optional client certificate instead of the token (CN system:node:<name>)
//   kubelet.crt/.key the kubelet API's serving certificate, signed by the cluster CA (usage server,
//                    SANs: node name, node IP, 127.0.0.1); without it the kubelet API is not started
//   kubelet-token   optional bearer token the API server may present to the kubelet API instead of
//                    its client certificate (CN kubedesk-apiserver; see kubeletApi/kubeletAuth.ts)

// Kept apart from credentials.ts, which needs the Kubernetes client, so that the host's provisioner
// can name these files without loading it.

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
