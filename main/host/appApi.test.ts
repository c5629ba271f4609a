import { describe, expect, it } from 'vitest';
import { type ClientTransport, createAppApi, methodNames, RemoteError, SubscriptionRouter } from './appApi';

describe('createAppApi', () => {
  it('builds one function per contract method, called by its key path', async () => {
    const calls: [string, unknown][] = [];
    const transport: ClientTransport = {
      call: async (method, input) => {
        calls.push([method, input]);
        return 'ok';
      },
      subscribe: async () => 7,
      unsubscribe: async () => {},
    };
    const api = createAppApi(transport);
    await api.settings.update({ nodeCount: 2 });
    await api.app.info({});
    expect(calls).toEqual([
      ['settings.update', { nodeCount: 2 }],
      ['app.info', {}],
    ]);
    expect(methodNames).toContain('cluster.status');
  });

  it('rebuilds wire errors as Errors with code and step', () => {
    const err = new RemoteError({
      name: 'StepError',
      code: 'Conflict',
      message: 'create node: 409',
      step: 'create node',
    });
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      name: 'StepError',
      code: 'Conflict',
      step: 'create node',
      message: 'create node: 409',
    });
  });
});

describe('SubscriptionRouter', () => {
  it('holds items that arrive before their subscription is registered', () => {
    const router = new SubscriptionRouter();
    const seen: unknown[] = [];
    router.deliver(1, 'early');
    router.register(1, (data) => seen.push(data));
    router.deliver(1, 'late');
    router.remove(1);
    router.deliver(1, 'after removal');
    expect(seen).toEqual(['early', 'late']);
  });
});
