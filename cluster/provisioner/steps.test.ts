import { describe, expect, it } from 'vitest';
import { engineError } from './providers/engineErrors';
import { type Progress, runSteps, StepError } from './steps';

describe('runSteps', () => {
  it('emits running then exactly one done per step, with a total and groups run together', async () => {
    const events: Progress[] = [];
    const order: string[] = [];
    await runSteps(
      [
        { title: 'a', run: async () => void order.push('a') },
        [
          { title: 'b1', run: async (ctx) => ctx.report({ bytes: 10 }) },
          { title: 'b2', run: async () => void order.push('b2') },
        ],
      ],
      { title: 'op', opId: 'op-1', onProgress: (p) => events.push(p) },
    );
    expect(
      events.filter((e) => e.state !== 'running').map((e) => [e.step, e.index, e.total, e.state]),
    ).toEqual([
      ['a', 0, 3, 'done'],
      ['b1', 1, 3, 'done'],
      ['b2', 2, 3, 'done'],
    ]);
    expect(events.find((e) => e.bytes === 10)).toMatchObject({ step: 'b1', state: 'running', opId: 'op-1' });
    expect(order).toEqual(['a', 'b2']);
  });

  it('names the operation, the step and the engine error, and undoes what ran, in reverse', async () => {
    const undone: string[] = [];
    const events: Progress[] = [];
    const failure = runSteps(
      [
        {
          title: 'create network',
          run: async (ctx) => ctx.onCleanup(async () => void undone.push('network')),
        },
        [
          {
            title: 'start node k-node-1',
            run: async (ctx) => ctx.onCleanup(async () => void undone.push('node-1')),
          },
          {
            title: 'start node k-node-2',
            run: async () => {
              throw engineError(409, 'Conflict. The container name is already in use');
            },
          },
        ],
        { title: 'never', run: async () => void undone.push('ran too far') },
      ],
      { title: 'create cluster k', onProgress: (p) => events.push(p) },
    );
    const err = await failure.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepError);
    expect((err as StepError).message).toBe(
      'create cluster k: start node k-node-2: (HTTP code 409) Conflict. The container name is already in use',
    );
    expect(err).toMatchObject({ step: 'start node k-node-2', code: 'Conflict' });
    expect(undone).toEqual(['node-1', 'network']);
    expect(events.find((e) => e.state === 'failed')).toMatchObject({ step: 'start node k-node-2' });
  });

  it('keeps what was created when asked to', async () => {
    const undone: string[] = [];
    await expect(
      runSteps(
        [
          { title: 'make', run: async (ctx) => ctx.onCleanup(async () => void undone.push('made')) },
          { title: 'fail', run: async () => Promise.reject(new Error('boom')) },
        ],
        { title: 'op', keepOnFailure: true },
      ),
    ).rejects.toThrow('op: fail: boom');
    expect(undone).toEqual([]);
  });
});
