import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from '../../controlPlane';
import { createMemoryStore } from '../../store/memoryStore';
import { convertCompose } from '../convert/convertCompose';
import { loadComposeProject } from '../loadComposeProject';
import { composeDown } from './composeDown';
import type { ComposeProgress } from './composeEvents';
import { composeFieldManager, composeProjectLabel, composeServiceLabel } from './composeLabels';
import { composePs } from './composePs';
import { composeUp } from './composeUp';
import { openKubeClient } from './kubeClient';
import { listProjectObjects } from './projectObjects';

// Against the real control plane (API server over a memory store). No nodes run pods yet, so
// rollout is not awaited except to see it time out.

const composeYaml = `
name: shop
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    environment:
      REDIS_HOST: cache
    volumes:
      - data:/usr/share/nginx/html
  cache:
    image: redis:7
    ports: ["6379"]
volumes:
  data: {}
`;

describe('compose up, ps and down against the real control plane', () => {
  let controlPlane: ControlPlane;
  let objects: KubernetesObject[];
  const dir = mkdtempSync(join(tmpdir(), 'kubedesk-compose-deploy-'));

  beforeAll(async () => {
    controlPlane = await startControlPlane({
      dataDir: join(dir, 'data'),
      store: createMemoryStore(),
      port: 0,
    });
    writeFileSync(join(dir, 'compose.yaml'), composeYaml);
    const project = loadComposeProject({
      files: ['compose.yaml'],
      interpolate: true,
      profiles: [],
      env: {},
      cwd: dir,
    });
    objects = convertCompose(project, { namespace: 'shop' }).objects;
  });
  afterAll(async () => {
    await controlPlane?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const up = (events: ComposeProgress[] = []) =>
    composeUp({
      kubeconfigPath: controlPlane.kubeconfigPath,
      objects,
      project: 'shop',
      namespace: 'shop',
      wait: false,
      onProgress: (e) => events.push(e),
    });

  it('applies every object with the project label and its field manager, creating the namespace', async () => {
    const events: ComposeProgress[] = [];
    const result = await up(events);
    expect(result.services.map((s) => [s.service, s.state])).toEqual([
      ['cache', 'applied'],
      ['web', 'applied'],
    ]);
    const web = result.services.find((s) => s.service === 'web');
    expect(web?.objects.map((o) => o.kind).sort()).toEqual([
      'Deployment',
      'PersistentVolumeClaim',
      'Service',
    ]);
    expect(web?.addresses.some((a) => /^\d+\.\d+\.\d+\.\d+:8080$/.test(a))).toBe(true);
    // Each service's apply step runs, then ends exactly once.
    for (const service of ['web', 'cache']) {
      expect(events.filter((e) => e.service === service).map((e) => e.state)).toEqual(['running', 'done']);
    }

    const client = openKubeClient(controlPlane.kubeconfigPath);
    const namespace = await client.read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    expect(namespace.metadata?.labels?.[composeProjectLabel]).toBe('shop');
    const live = await listProjectObjects(client, 'shop', 'shop');
    expect(live.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual([
      'Deployment/cache',
      'Deployment/web',
      'PersistentVolumeClaim/data',
      'Service/cache',
      'Service/web',
    ]);
    for (const object of live) {
      expect(object.metadata?.labels?.[composeProjectLabel]).toBe('shop');
      expect(object.metadata?.managedFields?.map((f) => [f.manager, f.operation])).toContainEqual([
        composeFieldManager,
        'Apply',
      ]);
    }
    expect(
      live.find((o) => o.kind === 'PersistentVolumeClaim')?.metadata?.labels?.[composeServiceLabel],
    ).toBe('web');
  });

  it('is idempotent: applying again changes nothing and duplicates nothing', async () => {
    const client = openKubeClient(controlPlane.kubeconfigPath);
    const before = await listProjectObjects(client, 'shop', 'shop');
    const result = await up();
    expect(result.services.every((s) => s.state === 'applied')).toBe(true);
    const after = await listProjectObjects(client, 'shop', 'shop');
    expect(after.map((o) => o.metadata?.uid).sort()).toEqual(before.map((o) => o.metadata?.uid).sort());
    const generations = (list: KubernetesObject[]) =>
      list.map((o) => `${o.kind}/${o.metadata?.name}@${o.metadata?.generation ?? 0}`).sort();
    expect(generations(after)).toEqual(generations(before));
  });

  it('lists the project with compose ps', async () => {
    const rows = await composePs({ kubeconfigPath: controlPlane.kubeconfigPath, project: 'shop' });
    expect(rows.map((r) => `${r.service} ${r.kind}/${r.name}`)).toEqual([
      'cache Deployment/cache',
      'cache Service/cache',
      'web Deployment/web',
      'web PersistentVolumeClaim/data',
      'web Service/web',
    ]);
    // No node runs pods, so nothing is available.
    expect(rows.find((r) => r.kind === 'Deployment')?.state).toBe('progressing');
  });

  it('reports a rollout that does not finish in time as failed, per service', async () => {
    const events: ComposeProgress[] = [];
    const result = await composeUp({
      kubeconfigPath: controlPlane.kubeconfigPath,
      objects,
      project: 'shop',
      namespace: 'shop',
      timeoutMs: 200,
      pollIntervalMs: 50,
      onProgress: (e) => events.push(e),
    });
    expect(result.services.map((s) => s.state)).toEqual(['failed', 'failed']);
    expect(result.services[0]?.message).toMatch(/^timed out waiting: Deployment cache:/);
    const rollout = events.filter((e) => e.service === 'web' && e.phase === 'rollout');
    expect(rollout.at(-1)?.state).toBe('failed');
    expect(rollout.filter((e) => e.state !== 'running')).toHaveLength(1);
  });

  it('reports a service whose image build failed, without applying it, and applies the others', async () => {
    const events: ComposeProgress[] = [];
    const result = await composeUp({
      kubeconfigPath: controlPlane.kubeconfigPath,
      objects,
      project: 'shop',
      namespace: 'builds',
      wait: false,
      builds: [
        { service: 'web', image: 'nginx:1.27', tag: 'nginx:1.27', context: dir, dockerfile: 'Dockerfile' },
      ],
      buildImage: async (_build, onOutput) => {
        onOutput('Step 1/1 : FROM nothing');
        throw new Error('no such image: nothing');
      },
      onProgress: (e) => events.push(e),
    });
    expect(result.services.map((s) => [s.service, s.state, s.message])).toEqual([
      ['cache', 'applied', 'not waiting for rollout'],
      ['web', 'failed', 'image build failed: no such image: nothing'],
    ]);
    expect(events.filter((e) => e.phase === 'build').map((e) => [e.state, e.message ?? e.error])).toEqual([
      ['running', 'building nginx:1.27'],
      ['running', 'Step 1/1 : FROM nothing'],
      ['failed', 'no such image: nothing'],
    ]);
    const client = openKubeClient(controlPlane.kubeconfigPath);
    expect(
      (await listProjectObjects(client, 'shop', 'builds')).map((o) => `${o.kind}/${o.metadata?.name}`).sort(),
    ).toEqual(['Deployment/cache', 'Service/cache']);
    await composeDown({
      kubeconfigPath: controlPlane.kubeconfigPath,
      project: 'shop',
      namespace: 'builds',
      volumes: true,
    });
  });

  it('compose down keeps claims and their namespace unless asked, then leaves nothing behind', async () => {
    const client = openKubeClient(controlPlane.kubeconfigPath);
    const first = await composeDown({ kubeconfigPath: controlPlane.kubeconfigPath, project: 'shop' });
    expect(first.kept.map((k) => `${k.kind}/${k.name}`)).toEqual(['PersistentVolumeClaim/data']);
    expect((await listProjectObjects(client, 'shop')).map((o) => o.kind)).toEqual(['PersistentVolumeClaim']);

    const second = await composeDown({
      kubeconfigPath: controlPlane.kubeconfigPath,
      project: 'shop',
      volumes: true,
    });
    expect(second.removed.map((r) => `${r.kind}/${r.name}`)).toEqual([
      'PersistentVolumeClaim/data',
      'Namespace/shop',
    ]);
    expect(await listProjectObjects(client, 'shop')).toEqual([]);
    await expect
      .poll(async () =>
        client.read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }).then(
          () => 'present',
          (err: { code?: number }) => (err.code === 404 ? 'gone' : 'error'),
        ),
      )
      .toBe('gone');
  });

  it('never removes a namespace it did not create', async () => {
    const client = openKubeClient(controlPlane.kubeconfigPath);
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'mine' } });
    await composeUp({
      kubeconfigPath: controlPlane.kubeconfigPath,
      objects,
      project: 'shop',
      namespace: 'mine',
      wait: false,
    });
    const down = await composeDown({
      kubeconfigPath: controlPlane.kubeconfigPath,
      project: 'shop',
      volumes: true,
    });
    expect(down.removed.some((r) => r.kind === 'Namespace')).toBe(false);
    const mine = await client.read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'mine' } });
    expect(mine.metadata?.labels?.[composeProjectLabel]).toBeUndefined();
    expect(await listProjectObjects(client, 'shop')).toEqual([]);
  });
});
