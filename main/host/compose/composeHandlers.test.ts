import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from '../../../cluster/controlPlane';
import { nullLogger } from '../../../cluster/log';
import { createMemoryStore } from '../../../cluster/store/memoryStore';
import type { ClusterStatus } from '../contract';
import { createDispatcher, toWireError } from '../dispatcher';
import { type ClusterStatusSource, createHostHandlers } from '../host';
import { openConfSettings } from '../settingsStore';
import type { ComposeProgressView } from './composeContract';
import { createComposeHandlers } from './composeHandlers';

const compose =
  'services:\n  cache:\n    image: redis:7\n  worker:\n    image: busybox:1.36\n    command: ["sleep", "3600"]\n';
const source = { kind: 'upload' as const, files: [{ name: 'jobs.compose.yaml', content: compose }] };

function clusterSource(status: ClusterStatus): ClusterStatusSource {
  return { current: () => status, onChange: () => () => {} };
}

describe('compose handlers', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-compose-handlers-'));
  let controlPlane: ControlPlane;

  beforeAll(async () => {
    controlPlane = await startControlPlane({ dataDir, store: createMemoryStore(), port: 0 });
  });
  afterAll(async () => {
    await controlPlane?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to deploy, remove or list while the cluster is not running, saying so', async () => {
    const handlers = createComposeHandlers({
      dataDir,
      log: nullLogger,
      cluster: clusterSource({ state: 'stopped', message: 'Kubernetes is not running', nodes: 0 }),
    });
    const up = handlers.methods.up({
      source,
      options: { volumes: 'pvc', servicesWithoutPorts: false, profiles: [] },
      wait: false,
      timeoutSeconds: 10,
    });
    const wire = toWireError(await up.catch((err: unknown) => err));
    expect(wire.code).toBe('ClusterNotRunning');
    expect(wire.message).toContain('start it first');
    await expect(handlers.methods.status({ project: 'jobs' })).rejects.toMatchObject({
      code: 'ClusterNotRunning',
    });
    await expect(handlers.methods.down({ project: 'jobs', volumes: false })).rejects.toMatchObject({
      code: 'ClusterNotRunning',
    });
  });

  it('converts, deploys with progress per service, lists and removes a project through the contract', async () => {
    // The host's own handler table through the dispatcher, so the contract's schemas check what
    // goes in and out.
    const dispatcher = createDispatcher(
      createHostHandlers(
        { dataDir, mode: 'headless', version: '0', settings: openConfSettings(dataDir), log: nullLogger },
        clusterSource({ state: 'running', message: 'running', nodes: 0 }),
      ),
    );
    const progress: ComposeProgressView[] = [];
    const stop = dispatcher.subscribe(
      'compose.progress',
      {},
    )((item) => progress.push(item as ComposeProgressView));

    const conversion = (await dispatcher.call('compose.convert', {
      source,
      options: { namespace: 'jobs' },
    })) as {
      project: string;
      services: { service: string }[];
    };
    expect(conversion.project).toBe('jobs');
    expect(conversion.services.map((s) => s.service)).toEqual(['shared', 'cache', 'worker']);

    const result = (await dispatcher.call('compose.up', {
      source,
      options: { namespace: 'jobs' },
      opId: 'op-1',
      wait: false,
    })) as { services: { service: string; state: string }[] };
    expect(result.services.map((s) => [s.service, s.state])).toEqual([
      ['cache', 'applied'],
      ['worker', 'applied'],
    ]);
    expect(
      progress.filter((p) => p.opId === 'op-1').map((p) => `${p.service} ${p.phase} ${p.state}`),
    ).toEqual(['cache apply running', 'cache apply done', 'worker apply running', 'worker apply done']);

    const status = (await dispatcher.call('compose.status', { project: 'jobs' })) as {
      rows: { service: string; kind: string }[];
    };
    expect(status.rows.map((r) => `${r.service} ${r.kind}`)).toEqual([
      'cache Deployment',
      'worker Deployment',
    ]);

    const down = (await dispatcher.call('compose.down', { project: 'jobs' })) as {
      removed: { kind: string; name: string }[];
    };
    expect(down.removed.map((r) => `${r.kind}/${r.name}`)).toEqual([
      'Deployment/cache',
      'Deployment/worker',
      'Namespace/jobs',
    ]);
    expect(
      ((await dispatcher.call('compose.status', { project: 'jobs' })) as { rows: unknown[] }).rows,
    ).toEqual([]);
    stop();
  });
});
