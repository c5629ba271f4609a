import { type ClientTransport, RemoteError, SubscriptionRouter } from '../../main/host/appApi';
import { type ClientMessage, hostMessageSchema } from '../../main/host/transport/wireMessages';

// AppApi over the headless host's WebSocket. The token cookie set on page load authenticates it.

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };

export function createWsTransport(url: string): ClientTransport {
  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener(
      'error',
      () => reject(new Error(`cannot connect to the Kubedesk host at ${url}`)),
      {
        once: true,
      },
    );
  });
  const pending = new Map<number, Pending>();
  const router = new SubscriptionRouter();
  let nextId = 1;

  socket.addEventListener('message', (event) => {
    const parsed = hostMessageSchema.safeParse(JSON.parse(String(event.data)));
    if (!parsed.success) return;
    const msg = parsed.data;
    if (msg.type === 'event') {
      router.deliver(msg.subscription, msg.data);
      return;
    }
    if (msg.id === null) return;
    const waiter = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.type === 'result') waiter?.resolve(msg.output);
    else waiter?.reject(new RemoteError(msg.error));
  });
  socket.addEventListener('close', () => {
    for (const waiter of pending.values())
      waiter.reject(new Error('the connection to the Kubedesk host closed'));
    pending.clear();
  });

  const request = async (message: DistributiveOmit<ClientMessage, 'id'>): Promise<unknown> => {
    await opened;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ ...message, id }));
    });
  };

  return {
    call: (method, input) => request({ type: 'call', method, input }),
    async subscribe(topic, args, listener) {
      const subscription = (await request({ type: 'subscribe', topic, args })) as number;
      router.register(subscription, listener);
      return subscription;
    },
    async unsubscribe(subscription) {
      router.remove(subscription);
      await request({ type: 'unsubscribe', subscription });
    },
  };
}
