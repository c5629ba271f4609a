import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';

// Taking over a connection that asked to switch protocols: as a WebSocket with a chosen
// subprotocol, or as a raw stream after a bare `101 Switching Protocols` (SPDY/3.1).

export interface UpgradeRequest {
  socket: Duplex;
  head: Buffer;
}

const chosenProtocol = new WeakMap<IncomingMessage, string>();

const webSockets = new WebSocketServer({
  noServer: true,
  clientTracking: false,
  handleProtocols: (_offered, req) => chosenProtocol.get(req) ?? false,
});

export function upgradeKind(req: IncomingMessage): 'websocket' | 'spdy' | undefined {
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (upgrade === 'websocket') return 'websocket';
  if (upgrade.startsWith('spdy/3.1')) return 'spdy';
  return undefined;
}

/** The subprotocols the client offered, in its order of preference. */
export function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

export function acceptWebSocket(
  req: IncomingMessage,
  upgrade: UpgradeRequest,
  protocol: string,
): Promise<WebSocket> {
  chosenProtocol.set(req, protocol);
  return new Promise((resolve) => webSockets.handleUpgrade(req, upgrade.socket, upgrade.head, resolve));
}

/** Answers `Upgrade: SPDY/3.1` with 101 and hands back the raw connection. */
export function acceptSpdy(upgrade: UpgradeRequest, streamProtocol: string): Duplex {
  upgrade.socket.write(
    'HTTP/1.1 101 Switching Protocols\r\n' +
      'Connection: Upgrade\r\n' +
      'Upgrade: SPDY/3.1\r\n' +
      `X-Stream-Protocol-Version: ${streamProtocol}\r\n\r\n`,
  );
  if (upgrade.head.length > 0) upgrade.socket.unshift(upgrade.head);
  return upgrade.socket;
}

/** Relays every message and the closing handshake between two WebSockets. */
export function relayWebSockets(a: WebSocket, b: WebSocket): void {
  const forward = (from: WebSocket, to: WebSocket) => {
    from.on('message', (data: Buffer, isBinary: boolean) => {
      if (to.readyState === WebSocket.OPEN) to.send(data, { binary: isBinary });
    });
    from.on('close', (code: number, reason: Buffer) => {
      // 1005/1006 say no code was received; they may not be sent on.
      if (to.readyState === WebSocket.OPEN) to.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    });
    from.on('error', () => to.terminate());
  };
  forward(a, b);
  forward(b, a);
}
