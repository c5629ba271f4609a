import { connect } from 'node:net';
import type { WebSocket } from 'ws';
import { closeCodes } from './portForwardProtocol';

// One forwarded TCP connection per WebSocket (see portForwardProtocol.ts).
export function forwardPort(ws: WebSocket, host: string, port: number): void {
  const socket = connect({ host, port });
  const pending: Buffer[] = [];
  let connected = false;
  // An empty message is the client's half-close: no more bytes towards the pod.
  const deliver = (data: Buffer) => (data.length === 0 ? socket.end() : socket.write(data));
  ws.on('message', (data: Buffer) => {
    if (connected) deliver(data);
    else pending.push(data);
  });
  socket.on('connect', () => {
    connected = true;
    for (const chunk of pending.splice(0)) deliver(chunk);
  });
  socket.on('data', (chunk) => ws.readyState === ws.OPEN && ws.send(chunk));
  socket.on('end', () => ws.close(closeCodes.normal));
  socket.on('error', (err) => {
    if (ws.readyState === ws.OPEN) ws.close(closeCodes.failed, err.message.slice(0, 120));
  });
  ws.on('close', () => socket.destroy());
}
