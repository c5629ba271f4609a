import type { WebSocket } from 'ws';
import type { Logger } from '../../../cluster/log';
import { type Dispatcher, toWireError } from '../dispatcher';
import { clientMessageSchema, type HostMessage } from './wireMessages';

// Serves one WebSocket connection: every message is validated; a bad one gets an error reply and
// never closes the connection or reaches a handler. Streams end when the socket closes.

export function serveWebSocket(socket: WebSocket, dispatcher: Dispatcher, log: Logger): void {
  const subscriptions = new Map<number, () => void>();
  let nextSubscription = 1;

  const send = (message: HostMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  socket.on('message', (raw, isBinary) => {
    let json: unknown;
    try {
      if (isBinary) throw new Error('binary frames are not part of the contract');
      json = JSON.parse(raw.toString());
    } catch (err) {
      send({
        type: 'error',
        id: null,
        error: {
          name: 'ContractError',
          code: 'BadRequest',
          message: `unreadable message: ${(err as Error).message}`,
        },
      });
      return;
    }
    const parsed = clientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const id = typeof (json as { id?: unknown })?.id === 'number' ? (json as { id: number }).id : null;
      const message = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
      send({
        type: 'error',
        id,
        error: { name: 'ContractError', code: 'BadRequest', message: `malformed message: ${message}` },
      });
      return;
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'call':
        dispatcher.call(msg.method, msg.input).then(
          (output) => send({ type: 'result', id: msg.id, output }),
          (err) => {
            const error = toWireError(err);
            if (error.code === 'Internal')
              log.error('call failed', { method: msg.method, error: error.message });
            send({ type: 'error', id: msg.id, error });
          },
        );
        return;
      case 'subscribe': {
        const subscription = nextSubscription++;
        try {
          const start = dispatcher.subscribe(msg.topic, msg.args);
          send({ type: 'result', id: msg.id, output: subscription });
          subscriptions.set(
            subscription,
            start((data) => send({ type: 'event', subscription, data })),
          );
        } catch (err) {
          send({ type: 'error', id: msg.id, error: toWireError(err) });
        }
        return;
      }
      case 'unsubscribe':
        subscriptions.get(msg.subscription)?.();
        subscriptions.delete(msg.subscription);
        send({ type: 'result', id: msg.id, output: null });
        return;
    }
  });

  socket.on('close', () => {
    for (const stop of subscriptions.values()) stop();
    subscriptions.clear();
  });
}
