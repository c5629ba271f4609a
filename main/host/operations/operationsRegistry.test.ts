import { describe, expect, it } from 'vitest';
import { createOperations } from './operationsRegistry';

describe('the operations registry', () => {
  it('turns phases and provisioner steps into one list of steps with elapsed time', () => {
    let now = 1_000;
    const operations = createOperations({ now: () => now });
    const op = operations.begin('Start Kubernetes');
    op.phase('start the control plane');
    now += 500;
    op.progress({ step: 'build node image', state: 'running' });
    op.progress({ step: 'build node image', state: 'running', bytes: 2048, detail: 'debootstrap' });
    now += 1_500;
    op.progress({ step: 'build node image', state: 'done', elapsedMs: 1_500 });
    op.succeed();
    const [view] = operations.list().operations;
    expect(view?.state).toBe('done');
    expect(view?.elapsedMs).toBe(2_000);
    expect(view?.steps).toEqual([
      { title: 'start the control plane', state: 'done', elapsedMs: 500 },
      { title: 'build node image', state: 'done', elapsedMs: 1_500, bytes: 2048, detail: 'debootstrap' },
    ]);
  });

  it('keeps the error of a failed operation and runs it again on retry', async () => {
    const operations = createOperations();
    let runs = 0;
    const retry = async () => {
      runs += 1;
      operations.begin('Deploy compose project shop').succeed();
    };
    const op = operations.begin('Deploy compose project shop', { retry });
    op.phase('web: apply');
    op.fail(new Error('web: ImagePullBackOff'));
    const failed = operations.list().operations[0];
    expect(failed).toMatchObject({ state: 'failed', error: 'web: ImagePullBackOff', retryable: true });
    expect(failed?.steps[0]?.state).toBe('failed');
    await operations.retry(failed?.id ?? '');
    expect(runs).toBe(1);
    expect(operations.list().operations.map((o) => o.state)).toEqual(['done']);
  });

  it('keeps only a bounded number of ended operations', () => {
    const operations = createOperations({ keepEnded: 2 });
    for (let i = 0; i < 5; i++) operations.begin(`op ${i}`).succeed();
    expect(operations.list().operations.map((o) => o.title)).toEqual(['op 4', 'op 3']);
  });
});
