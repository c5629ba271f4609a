import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocket } from 'ws';
import { portForwardProtocol as kubeletPortForwardProtocol } from '../../agent/kubeletApi/portForwardProtocol';
import type { ApiRequest } from '../handlers/apiRequest';
import { badRequest } from '../status';
import { kubeletUrl } from './kubeletAccess';
import { resolvePodTarget } from './podStreamTarget';
import { bridgePortForward } from './portForwardBridge';
import { SpdySession } from './spdySession';
import { acceptSpdy, acceptWebSocket, offeredProtocols, upgradeKind } from './upgradeRequest';

// pods/portforward: a SPDY/3.1 session with kubectl, either tunnelled in a WebSocket (subprotocol
// `SPDY/3.1+portforward.k8s.io`, kubectl ≥ 1.31, client-go tools/portforward/tunneling_dialer.go)
// or over the connection itself after `Upgrade: SPDY/3.1` (the fallback).

export const portForwardStreamProtocol = 'portforward.k8s.io';
export const tunneledPortForwardProtocol = `SPDY/3.1+${portForwardStreamProtocol}`;

export async function proxyPortForward(api: ApiRequest): Promise<void> {
  const target = await resolvePodTarget(api, { container: false, allowUnscheduled: false });
  const { kubelet } = target;
  const kind = upgradeKind(api.req);
  if (!api.upgrade || !kubelet || !kind) throw badRequest('Upgrade request required');
  let transport: Duplex;
  if (kind === 'websocket') {
    if (!offeredProtocols(api.req).includes(tunneledPortForwardProtocol)) {
      throw badRequest(`port-forward over WebSocket needs the subprotocol ${tunneledPortForwardProtocol}`);
    }
    transport = createWebSocketStream(
      await acceptWebSocket(api.req, api.upgrade, tunneledPortForwardProtocol),
    );
  } else {
    const versions = String(api.req.headers['x-stream-protocol-version'] ?? '').split(/,\s*/);
    if (!versions.includes(portForwardStreamProtocol)) {
      throw badRequest(`port-forward needs X-Stream-Protocol-Version ${portForwardStreamProtocol}`);
    }
    transport = acceptSpdy(api.upgrade, portForwardStreamProtocol);
  }
  const path = `/${['portForward', target.namespace, target.name].map(encodeURIComponent).join('/')}`;
  const dial = (port: number) =>
    new WebSocket(
      kubeletUrl(kubelet.address, 'wss', path, new URLSearchParams({ port: String(port) })),
      [kubeletPortForwardProtocol],
      { ...kubelet.access.tls },
    );
  bridgePortForward(
    new SpdySession(transport),
    dial,
    `${target.name}, uid ${target.pod.metadata?.uid ?? ''}`,
  );
}
