import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { SideloadNotice } from '../../../cluster/provisioner/podImageSideloader';
import { createOperations } from './operationsRegistry';
import { sideloadOperations } from './sideloadOperations';

const pod: V1Pod = { metadata: { name: 'web', namespace: 'default' } };
const notice = (n: Omit<SideloadNotice, 'pod'>): SideloadNotice => ({ pod, ...n });

describe('image sideloads as operations', () => {
  it('shows each copy as one operation with its bytes, ended by loaded or failed', () => {
    let now = 0;
    const operations = createOperations({ now: () => now });
    const report = sideloadOperations(operations);
    report(notice({ node: 'kubedesk-node-1', image: 'web:dev', state: 'loading' }));
    report(notice({ node: 'kubedesk-node-2', image: 'web:dev', state: 'loading' }));
    report(notice({ node: 'kubedesk-node-1', image: 'web:dev', state: 'loading', bytes: 8_388_608 }));
    now = 1_200;
    report(
      notice({
        node: 'kubedesk-node-1',
        image: 'web:dev',
        state: 'loaded',
        bytes: 9_000_000,
        elapsedMs: 1_200,
      }),
    );
    report(notice({ node: 'kubedesk-node-2', image: 'web:dev', state: 'failed', error: 'no space left' }));

    const [second, first] = operations.list().operations;
    expect(first).toMatchObject({ title: 'Load image web:dev into kubedesk-node-1', state: 'done' });
    expect(first?.steps).toEqual([
      {
        title: "copy web:dev from the host's Docker engine",
        state: 'done',
        bytes: 9_000_000,
        elapsedMs: 1_200,
      },
    ]);
    expect(second).toMatchObject({
      title: 'Load image web:dev into kubedesk-node-2',
      state: 'failed',
      error: 'no space left',
      retryable: false,
    });
    expect(second?.steps[0]).toMatchObject({ state: 'failed', error: 'no space left' });
  });

  it('starts a new operation when the same image is copied into the same node again', () => {
    const operations = createOperations();
    const report = sideloadOperations(operations);
    report(notice({ node: 'kubedesk-node-1', image: 'web:dev', state: 'failed', error: 'node stopped' }));
    report(notice({ node: 'kubedesk-node-1', image: 'web:dev', state: 'loading' }));
    expect(operations.list().operations.map((o) => o.state)).toEqual(['running', 'failed']);
  });
});
