import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Logger } from '../cluster/log';
import { ContractError, type Dispatcher, toWireError } from './host/dispatcher';
import { type IpcReply, ipcChannels } from './host/transport/ipcChannels';

// Carries AppApi over Electron IPC. Streams belong to the WebContents that opened them and end
// when it reloads or closes, so a renderer reload never leaks watches.

export function serveIpc(ipcMain: IpcMain, dispatcher: Dispatcher, log: Logger): void {
  const streams = new Map<number, Map<number, () => void>>();
  let nextSubscription = 1;

  const streamsOf = (contents: WebContents) => {
    let owned = streams.get(contents.id);
    if (!owned) {
      const created = new Map<number, () => void>();
      owned = created;
      streams.set(contents.id, created);
      const release = () => {
        for (const stop of created.values()) stop();
        created.clear();
      };
      contents.once('destroyed', () => {
        release();
        streams.delete(contents.id);
      });
      contents.on('did-start-navigation', (details) => {
        if (details.isMainFrame && !details.isSameDocument) release();
      });
    }
    return owned;
  };

  const reply = async (run: () => unknown, context: string): Promise<IpcReply> => {
    try {
      return { ok: true, value: await run() };
    } catch (err) {
      const error = toWireError(err);
      if (error.code === 'Internal') log.error('ipc request failed', { context, error: error.message });
      return { ok: false, error };
    }
  };

  ipcMain.handle(ipcChannels.call, (_event: IpcMainInvokeEvent, method: unknown, input: unknown) =>
    reply(() => {
      if (typeof method !== 'string') throw new ContractError('method name must be a string');
      return dispatcher.call(method, input);
    }, String(method)),
  );

  ipcMain.handle(ipcChannels.subscribe, (event: IpcMainInvokeEvent, topic: unknown, args: unknown) =>
    reply(() => {
      if (typeof topic !== 'string') throw new ContractError('topic name must be a string');
      const start = dispatcher.subscribe(topic, args);
      const subscription = nextSubscription++;
      const contents = event.sender;
      streamsOf(contents).set(
        subscription,
        start((data) => {
          if (!contents.isDestroyed()) contents.send(ipcChannels.event, { subscription, data });
        }),
      );
      return subscription;
    }, String(topic)),
  );

  ipcMain.handle(ipcChannels.unsubscribe, (event: IpcMainInvokeEvent, subscription: unknown) =>
    reply(() => {
      const owned = streamsOf(event.sender);
      if (typeof subscription === 'number') {
        owned.get(subscription)?.();
        owned.delete(subscription);
      }
      return null;
    }, 'unsubscribe'),
  );
}
