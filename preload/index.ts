import { contextBridge, ipcRenderer } from 'electron';
import { type ClientTransport, createAppApi, RemoteError, SubscriptionRouter } from '../main/host/appApi';
import { type IpcReply, ipcChannels } from '../main/host/transport/ipcChannels';

// Exposes exactly `window.kubedesk: AppApi`, generated from the contract; nothing else.

const router = new SubscriptionRouter();
ipcRenderer.on(ipcChannels.event, (_event, message: { subscription: number; data: unknown }) => {
  router.deliver(message.subscription, message.data);
});

async function invoke(channel: string, ...args: unknown[]): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(channel, ...args)) as IpcReply;
  if (!reply.ok) throw new RemoteError(reply.error);
  return reply.value;
}

const transport: ClientTransport = {
  call: (method, input) => invoke(ipcChannels.call, method, input),
  async subscribe(topic, args, listener) {
    const subscription = (await invoke(ipcChannels.subscribe, topic, args)) as number;
    router.register(subscription, listener);
    return subscription;
  },
  async unsubscribe(subscription) {
    router.remove(subscription);
    await invoke(ipcChannels.unsubscribe, subscription);
  },
};

contextBridge.exposeInMainWorld('kubedesk', createAppApi(transport));
