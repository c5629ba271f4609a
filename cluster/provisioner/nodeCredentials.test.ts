import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCa, readCert } from '../pki/certificates';
import { nodeCredentialFiles, nodeServerUrl } from './nodeCredentials';

describe('node credentials', () => {
  it('give the agent its server, the CA, a system:nodes client certificate and a kubelet serving certificate', async () => {
    const now = new Date();
    const ca = await createCa({ cn: 'kubedesk-ca', now, validityDays: 1 });
    const files = await nodeCredentialFiles({
      node: { name: 'kubedesk-node-2', ip: '172.30.0.12' },
      serverUrl: nodeServerUrl(6443),
      ca,
      now,
    });
    expect(files['credentials/server']).toBe('https://host.docker.internal:6443');
    expect(files['credentials/ca.crt']).toBe(ca.cert);
    const clientPem = files['credentials/client.crt'] ?? '';
    expect(new X509Certificate(clientPem).subject.split('\n').sort()).toEqual([
      'CN=system:node:kubedesk-node-2',
      'O=system:nodes',
    ]);
    expect(await readCert(clientPem).signedBy(ca.cert)).toBe(true);
    const serving = readCert(files['credentials/kubelet.crt'] ?? '');
    expect(serving.sans).toEqual({
      dns: ['kubedesk-node-2', 'localhost'],
      ips: ['127.0.0.1', '172.30.0.12'],
    });
    expect(files['credentials/client.key']).toContain('PRIVATE KEY');
    expect(files['credentials/kubelet.key']).toContain('PRIVATE KEY');
  });
});
