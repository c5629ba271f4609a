import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { nullLogger } from '../../../cluster/log';
import type { AppApiHandlers } from '../appApi';
import { contract } from '../contract';
import { createDispatcher } from '../dispatcher';
import { defaultSettings } from '../settings';
import type { HostMessage } from './wireMessages';
import { serveWebSocket } from './wsSession';

function handlers(): AppApiHandlers {
  let settings = { ...defaultSettings };
  const noTerminals = async () => {
    throw new Error('no terminals in this test');
  };
  // Groups this test never calls still need handlers: the dispatcher refuses an incomplete set.
  const unused = <G extends object>(group: G) =>
    Object.fromEntries(Object.keys(group).map((name) => [name, noTerminals])) as {
      [K in keyof G]: typeof noTerminals;
    };
  return {
    methods: {
      app: {
        info: async () => ({
          name: 'Kubedesk',
          version: '0',
          platform: 'linux',
          mode: 'headless',
          dataDir: '/d',
        }),
      },
      settings: {
        get: async () => settings,
        update: async (patch) => {
          settings = { ...settings, ...patch };
          return settings;
        },
      },
      cluster: {
        status: async () => ({ state: 'stopped', message: 'not running', nodes: 0 }),
        object: noTerminals,
        related: noTerminals,
        apply: noTerminals,
      },
      docker: {
        status: async () => {
          throw new Error('engine exploded');
        },
      },
      terminal: {
        open: noTerminals,
        write: noTerminals,
        resize: noTerminals,
        ack: noTerminals,
        close: noTerminals,
        targets: noTerminals,
      },
      actions: unused(contract.methods.actions),
      clusterControl: unused(contract.methods.clusterControl),
      operations: unused(contract.methods.operations),
      compose: {
        convert: noTerminals,
        up: noTerminals,
        down: noTerminals,
        status: noTerminals,
      },
    },
    topics: {
      'settings.changed': () => () => {},
      'cluster.status': (_args, emit) => {
        emit({ state: 'stopped', message: 'not running', nodes: 0 });
        return () => {};
      },
      'docker.status': () => () => {},
      'cluster.table': () => () => {},
      'cluster.podLogs': () => () => {},
      'terminal.output': () => () => {},
      'compose.progress': () => () => {},
      operations: () => () => {},
      'usage.nodes': () => () => {},
      'usage.pod': () => () => {},
    },
  };
}

describe('the WebSocket transport', () => {
  let wss: WebSocketServer;
  let client: WebSocket;
  const received: HostMessage[] = [];

  beforeEach(async () => {
    received.length = 0;
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    const dispatcher = createDispatcher(handlers());
    wss.on('connection', (socket) => serveWebSocket(socket, dispatcher, nullLogger));
    await new Promise((resolve) => wss.once('listening', resolve));
    client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    client.on('message', (data) => received.push(JSON.parse(data.toString())));
    await new Promise((resolve) => client.once('open', resolve));
  });
  afterEach(async () => {
    client.close();
    await new Promise((resolve) => wss.close(resolve));
  });

  const next = async (count: number) => {
    await expect.poll(() => received.length).toBeGreaterThanOrEqual(count);
    return received.slice(0, count);
  };

  it('answers a call that matches the contract', async () => {
    client.send(JSON.stringify({ type: 'call', id: 1, method: 'settings.update', input: { nodeCount: 4 } }));
    const [reply] = await next(1);
    expect(reply).toMatchObject({
      type: 'result',
      id: 1,
      output: { nodeCount: 4, exposeLoadBalancers: true },
    });
  });

  it('replies with a clear error to messages that break the contract, and keeps serving', async () => {
    client.send('this is not json');
    client.send(JSON.stringify({ type: 'launch-missiles', id: 2 }));
    client.send(
      JSON.stringify({ type: 'call', id: 3, method: 'settings.update', input: { nodeCount: 'three' } }),
    );
    client.send(JSON.stringify({ type: 'call', id: 4, method: 'settings.update', input: { colour: 'red' } }));
    client.send(JSON.stringify({ type: 'call', id: 5, method: 'nope.nothing', input: {} }));
    client.send(JSON.stringify({ type: 'subscribe', id: 6, topic: 'no.such.topic', args: {} }));
    client.send(JSON.stringify({ type: 'call', id: 7, method: 'app.info', input: {} }));
    await next(7);
    const byId = (id: number | null) => received.find((message) => 'id' in message && message.id === id);
    const messageOf = (id: number | null) => {
      const reply = byId(id);
      return reply?.type === 'error' ? reply.error.message : '';
    };
    expect(byId(null)).toMatchObject({ type: 'error', error: { code: 'BadRequest' } });
    expect(messageOf(null)).toContain('unreadable message');
    expect(byId(2)).toMatchObject({ type: 'error', error: { code: 'BadRequest' } });
    expect(byId(3)).toMatchObject({ type: 'error', error: { code: 'BadRequest' } });
    expect(messageOf(3)).toContain('nodeCount');
    expect(messageOf(4)).toContain('colour');
    expect(byId(5)).toMatchObject({ type: 'error', error: { code: 'NotFound' } });
    expect(byId(6)).toMatchObject({ type: 'error', error: { code: 'NotFound' } });
    expect(byId(7)).toMatchObject({ type: 'result', output: { name: 'Kubedesk' } });
  });

  it('turns a failing handler into an error reply', async () => {
    client.send(JSON.stringify({ type: 'call', id: 1, method: 'docker.status', input: {} }));
    const [reply] = await next(1);
    expect(reply).toMatchObject({
      type: 'error',
      id: 1,
      error: { message: 'engine exploded', code: 'Internal' },
    });
  });

  it('sends the subscription id before the first item of a stream', async () => {
    client.send(JSON.stringify({ type: 'subscribe', id: 1, topic: 'cluster.status', args: {} }));
    const [reply, event] = await next(2);
    expect(reply).toEqual({ type: 'result', id: 1, output: 1 });
    expect(event).toMatchObject({ type: 'event', subscription: 1, data: { state: 'stopped' } });
  });
});
