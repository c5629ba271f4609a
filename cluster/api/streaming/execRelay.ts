import { WebSocket } from 'ws';
import { streamProtocols } from '../../agent/kubeletApi/streamProtocol';
import type { ApiRequest } from '../handlers/apiRequest';
import { badRequest } from '../status';
import { kubeletUrl } from './kubeletAccess';
import { kubeletUnreachable, readRefusal } from './kubeletResponses';
import { resolvePodTarget } from './podStreamTarget';
import { acceptWebSocket, offeredProtocols, relayWebSockets, upgradeKind } from './upgradeRequest';

// pods/exec and pods/attach: kubectl's remotecommand WebSocket (v5.channel.k8s.io, or v4 from
// other clients) relayed message for message to the kubelet's exec/attach endpoint. The kubelet is
// dialled first, so its refusals (container not running, …) reach the client as a Status before
// any upgrade.

const passedOptions = ['stdin', 'stdout', 'stderr', 'tty'];
const isTrue = (value: string | null) => value === 'true' || value === '1';

export async function relayExec(api: ApiRequest, kind: 'exec' | 'attach'): Promise<void> {
  const target = await resolvePodTarget(api, { container: true, allowUnscheduled: false });
  const { kubelet } = target;
  if (!api.upgrade || !kubelet || upgradeKind(api.req) === undefined)
    throw badRequest('Upgrade request required');
  if (upgradeKind(api.req) !== 'websocket') {
    throw badRequest(`${kind} is served over WebSocket (${streamProtocols.join(', ')}), not SPDY`);
  }
  if (!['stdin', 'stdout', 'stderr'].some((o) => isTrue(api.query.get(o)))) {
    throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  }
  const protocols = offeredProtocols(api.req).filter((p) =>
    (streamProtocols as readonly string[]).includes(p),
  );
  if (protocols.length === 0) {
    throw badRequest(
      `none of the offered subprotocols is supported; use one of: ${streamProtocols.join(', ')}`,
    );
  }
  const query = new URLSearchParams();
  if (kind === 'exec') {
    const command = api.query.getAll('command');
    if (command.length === 0) throw badRequest('you must specify at least one command for the container');
    for (const word of command) query.append('command', word);
  }
  for (const option of passedOptions) query.set(option, String(isTrue(api.query.get(option))));
  const path = [kind, target.namespace, target.name, target.container].map(encodeURIComponent).join('/');
  const backend = new WebSocket(kubeletUrl(kubelet.address, 'wss', `/${path}`, query), protocols, {
    ...kubelet.access.tls,
  });
  await new Promise<void>((resolve, reject) => {
    backend.once('open', resolve);
    backend.once('unexpected-response', (req, res) => {
      readRefusal(res).then(reject, reject);
      req.destroy();
    });
    backend.once('error', (err) => reject(kubeletUnreachable(err)));
  });
  const client = await acceptWebSocket(api.req, api.upgrade, backend.protocol);
  relayWebSockets(client, backend);
}
