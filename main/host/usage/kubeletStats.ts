import { request } from 'node:https';
import { apiServerCommonName } from '../../../cluster/agent/kubeletApi/kubeletAuth';
import type { StatsSummary } from '../../../cluster/agent/kubeletApi/statsSummary';
import { issueCert } from '../../../cluster/pki/certificates';
import type { KubeletLocator } from '../../../cluster/provisioner/kubeletLocator';
import { readClusterCa } from '../../../cluster/provisioner/nodeCredentials';

// Pod usage from each node's kubelet (`GET /stats/summary`), reached the way the API server reaches
// it: the kubelet port Docker publishes on 127.0.0.1 (the kubelet locator), with a client
// certificate the cluster CA signs for CN kubedesk-apiserver. Going direct rather than through an
// API server node proxy adds no API surface and no extra hop; the host already holds the CA.

export type KubeletStatsReader = (nodeName: string) => Promise<StatsSummary | undefined>;

export function kubeletStats(options: { dataDir: string; locate: KubeletLocator }): KubeletStatsReader {
  let tls: Promise<{ ca: string; cert: string; key: string }> | undefined;
  const credentials = () => {
    tls ??= readClusterCa(options.dataDir).then(async (ca) => {
      const client = await issueCert({
        ca,
        cn: apiServerCommonName,
        usage: 'client',
        now: new Date(),
        validityDays: 1,
      });
      return { ca: ca.cert, cert: client.cert, key: client.key };
    });
    // A failure (no CA yet) is tried again on the next read.
    tls.catch(() => {
      tls = undefined;
    });
    return tls;
  };
  return async (nodeName) => {
    const address = await options.locate(nodeName);
    if (!address) return undefined;
    const access = await credentials();
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: address.host,
          port: address.port,
          path: '/stats/summary',
          method: 'GET',
          ...access,
          timeout: 5_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200)
              reject(new Error(`kubelet of ${nodeName}: ${res.statusCode} ${text.trim()}`));
            else resolve(JSON.parse(text) as StatsSummary);
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`kubelet of ${nodeName} did not answer in 5 s`)));
      req.on('error', reject);
      req.end();
    });
  };
}
