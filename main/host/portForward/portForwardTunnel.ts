import { once } from 'node:events';
import { IncomingMessage } from 'node:http';
import { type RequestOptions, request } from 'node:https';
import type { Socket } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { portForwardStreamProtocol } from '../../../cluster/api/streaming/portForwardProxy';
import { SpdySession } from '../../../cluster/api/streaming/spdySession';

// The client end of pods/portforward: one SPDY/3.1 session per pod; each local connection is an
// error stream plus a data stream sharing a requestID (client-go tools/portforward). The session
// rides on the connection itself after `Upgrade: SPDY/3.1`, kubectl's fallback, which every API
// server accepts: kubectl's preferred WebSocket subprotocol `SPDY/3.1+portforward.k8s.io` is not
// an RFC 6455 token, and the ws client refuses to send it. Sessions are dropped when they close.

export class PortForwardTunnel {
  private readonly sessions = new Map<string, Promise<SpdySession>>();
  private nextRequestId = 0;
  private closed = false;

  constructor(private readonly kubeConfig: KubeConfig) {}

  /** Relays `socket` to `port` of the pod until either side closes. */
  async connect(namespace: string, pod: string, port: number, socket: Socket): Promise<void> {
    const session = await this.session(namespace, pod);
    const requestid = String(this.nextRequestId++);
    const headers = { port: String(port), requestid };
    const errorStream = await session.openStream({ ...headers, streamtype: 'error' });
    const dataStream = await session.openStream({ ...headers, streamtype: 'data' });
    // kubectl closes its side of the error stream at once; the server writes a failure on it.
    errorStream.end();
    let failure = '';
    errorStream.on('data', (chunk: Buffer) => {
      failure += chunk.toString();
    });
    errorStream.on('end', () => {
      if (failure) socket.destroy(new Error(failure));
    });
    errorStream.on('error', () => undefined);
    dataStream.on('error', () => socket.destroy());
    socket.on('error', () => dataStream.destroy());
    socket.on('close', () => {
      dataStream.destroy();
      errorStream.destroy();
    });
    dataStream.on('close', () => socket.destroy());
    socket.pipe(dataStream);
    dataStream.pipe(socket);
    socket.resume();
  }

  close(): void {
    this.closed = true;
    for (const session of this.sessions.values())
      session.then(
        (s) => s.close(),
        () => undefined,
      );
    this.sessions.clear();
  }

  private session(namespace: string, pod: string): Promise<SpdySession> {
    if (this.closed) return Promise.reject(new Error('port-forward stopped'));
    const key = `${namespace}/${pod}`;
    let session = this.sessions.get(key);
    if (!session) {
      session = this.open(namespace, pod);
      this.sessions.set(key, session);
      const forget = () => {
        if (this.sessions.get(key) === session) this.sessions.delete(key);
      };
      session.then((s) => s.once('close', forget), forget);
    }
    return session;
  }

  private async open(namespace: string, pod: string): Promise<SpdySession> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/portforward`;
    const options: RequestOptions = { method: 'POST' };
    await this.kubeConfig.applyToHTTPSOptions(options);
    options.headers = {
      ...options.headers,
      Connection: 'Upgrade',
      Upgrade: 'SPDY/3.1',
      'X-Stream-Protocol-Version': portForwardStreamProtocol,
    };
    const req = request(new URL(path, cluster.server), options);
    req.end();
    const upgraded = once(req, 'upgrade') as Promise<[IncomingMessage, Socket, Buffer]>;
    const refused = once(req, 'response').then(async ([res]) => {
      if (!(res instanceof IncomingMessage)) throw new Error('no response');
      let body = '';
      for await (const chunk of res) body += String(chunk);
      let message = body;
      try {
        message = (JSON.parse(body) as { message?: string }).message ?? body;
      } catch {
        // Not a Status: the body as it came.
      }
      throw new Error(`port-forward to pod ${namespace}/${pod} refused (${res.statusCode}): ${message}`);
    });
    const [, socket, head] = await Promise.race([upgraded, refused]);
    if (head.length > 0) socket.unshift(head);
    return new SpdySession(socket, { role: 'client' });
  }
}
