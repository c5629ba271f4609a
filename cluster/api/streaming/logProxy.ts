import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import type { ApiRequest } from '../handlers/apiRequest';
import { badRequest } from '../status';
import { containerLogProblem } from './containerLogStatus';
import { kubeletUrl } from './kubeletAccess';
import { kubeletUnreachable, readRefusal } from './kubeletResponses';
import { resolvePodTarget } from './podStreamTarget';

// GET pods/<name>/log: the kubelet's /containerLogs stream, passed through as it arrives (so
// `kubectl logs -f` follows), and ended when either side goes away.

const passedOptions = [
  'follow',
  'previous',
  'timestamps',
  'tailLines',
  'sinceSeconds',
  'sinceTime',
  'limitBytes',
];

const isTrue = (value: string | null) => value === 'true' || value === '1';

export async function proxyLogs(api: ApiRequest): Promise<void> {
  const target = await resolvePodTarget(api, { container: true, allowUnscheduled: true });
  if (!target.kubelet) {
    // A pod no node has taken has no logs yet; the apiserver answers with an empty stream.
    api.res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    api.res.end();
    return;
  }
  const problem = containerLogProblem(target.pod, target.container, isTrue(api.query.get('previous')));
  if (problem) throw badRequest(problem);
  const query = new URLSearchParams();
  for (const option of passedOptions) {
    const value = api.query.get(option);
    if (value !== null) query.set(option, value);
  }
  const path = ['containerLogs', target.namespace, target.name, target.container].map(encodeURIComponent);
  const url = kubeletUrl(target.kubelet.address, 'https', `/${path.join('/')}`, query);
  const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(url, { ...target.kubelet?.access.tls }, resolve);
    req.on('error', (err) => reject(kubeletUnreachable(err)));
    api.res.on('close', () => req.destroy());
    req.end();
  });
  if (upstream.statusCode !== 200) throw await readRefusal(upstream);
  api.res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  upstream.pipe(api.res);
  upstream.on('error', () => api.res.destroy());
  api.res.on('close', () => upstream.destroy());
}
