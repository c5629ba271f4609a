import { WebSocket } from 'ws';
import { parsePort } from '../../agent/kubeletApi/portForwardProtocol';
import { readRefusal } from './kubeletResponses';
import type { SpdySession, SpdyStream } from './spdySession';

// kubectl's port-forward protocol (portforward.k8s.io, client-go tools/portforward): for every
// local connection the client opens an error stream, then a data stream, both with headers
// `streamType`, `port` and `requestID`. Each pair becomes one kubelet connection (see
// agent/kubeletApi/portForwardProtocol.ts): data flows both ways, the client's FIN on the data
// stream is passed on as a half-close (an empty message), and a failure is written on the error
// stream the way the kubelet words it, which kubectl prints.

export type KubeletPortDialer = (port: number) => WebSocket;

interface StreamPair {
  error?: SpdyStream;
  data?: SpdyStream;
}

export function bridgePortForward(session: SpdySession, dial: KubeletPortDialer, podLabel: string): void {
  const pairs = new Map<string, StreamPair>();
  session.on('stream', (stream) => {
    const type = stream.header('streamtype');
    const port = parsePort(stream.header('port') ?? null);
    const requestId = stream.header('requestid') ?? '';
    if (!port || (type !== 'error' && type !== 'data')) {
      stream.destroy();
      return;
    }
    const pair = pairs.get(requestId) ?? {};
    pair[type] = stream;
    pairs.set(requestId, pair);
    if (pair.error && pair.data) {
      pairs.delete(requestId);
      forward(pair.error, pair.data, dial(port), `error forwarding port ${port} to pod ${podLabel}`);
    }
  });
  session.on('close', () => {
    for (const pair of pairs.values()) {
      pair.error?.destroy();
      pair.data?.destroy();
    }
    pairs.clear();
  });
}

function forward(
  errorStream: SpdyStream,
  dataStream: SpdyStream,
  backend: WebSocket,
  errorPrefix: string,
): void {
  // kubectl never writes on the error stream; reading lets its FIN complete the stream.
  errorStream.resume();
  const pending: Buffer[] = [];
  let settled = false;
  const settle = (failure?: string) => {
    if (settled) return;
    settled = true;
    if (failure) errorStream.end(`${errorPrefix}: ${failure}`);
    else errorStream.end();
    if (!dataStream.destroyed) dataStream.end();
    if (backend.readyState === WebSocket.OPEN) backend.close(1000);
    else if (backend.readyState === WebSocket.CONNECTING) backend.terminate();
  };
  const toBackend = (chunk: Buffer) => {
    if (backend.readyState === WebSocket.OPEN) backend.send(chunk);
    else pending.push(chunk);
  };
  dataStream.on('data', toBackend);
  dataStream.on('end', () => {
    toBackend(Buffer.alloc(0));
  });
  // Closed after both FINs, or reset, or the session went away: either way this pair is done.
  dataStream.on('close', () => settle());
  dataStream.on('error', () => settle());
  backend.on('open', () => {
    for (const chunk of pending.splice(0)) backend.send(chunk);
  });
  backend.on('message', (data: Buffer) => {
    if (!dataStream.destroyed && !dataStream.writableEnded) dataStream.write(data);
  });
  backend.on('unexpected-response', (req, res) => {
    req.destroy();
    readRefusal(res).then(
      (refusal) => settle(refusal.message),
      (err: Error) => settle(err.message),
    );
  });
  backend.on('error', (err) => settle(err.message));
  backend.on('close', (code: number, reason: Buffer) =>
    settle(code === 1000 || code === 1005 ? undefined : reason.toString() || `connection closed (${code})`),
  );
}
