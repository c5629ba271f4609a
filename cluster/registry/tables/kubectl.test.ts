// Our Tables rendered by the real kubectl 1.35, served from a minimal discovery + list endpoint.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackKubeTools } from '../../api/testing/kubeTools';
import { toTable } from './index';

const run = promisify(execFile);
// The server prints with this fixed clock, so ages do not depend on how long the test takes.
const now = new Date();
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();

const pods = [
  {
    metadata: {
      name: 'web-1',
      namespace: 'default',
      creationTimestamp: minutesAgo(10),
      labels: { app: 'web' },
    },
    spec: { nodeName: 'kubedesk-worker', containers: [{ name: 'app', image: 'nginx' }] },
    status: {
      phase: 'Running',
      podIPs: [{ ip: '10.244.1.5' }],
      containerStatuses: [
        {
          name: 'app',
          image: 'nginx',
          imageID: '',
          ready: true,
          restartCount: 0,
          state: { running: { startedAt: minutesAgo(9) } },
        },
      ],
    },
  },
  {
    metadata: { name: 'db-0', namespace: 'data', creationTimestamp: minutesAgo(30) },
    spec: { containers: [{ name: 'db', image: 'postgres' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'db',
          image: 'postgres',
          imageID: '',
          ready: false,
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, finishedAt: minutesAgo(2) } },
        },
      ],
    },
  },
];

const deployments = [
  {
    metadata: { name: 'web', namespace: 'default', creationTimestamp: minutesAgo(10) },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { spec: { containers: [{ name: 'app', image: 'nginx' }] } },
    },
    status: { readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 },
  },
];

const resource = (name: string, kind: string, namespaced = true) => ({
  name,
  singularName: kind.toLowerCase(),
  namespaced,
  kind,
  verbs: ['get', 'list', 'watch'],
});

function discovery(path: string): object | undefined {
  switch (path) {
    case '/api':
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
    case '/apis':
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [
          {
            name: 'apps',
            versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
            preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
          },
        ],
      };
    case '/api/v1':
      return { kind: 'APIResourceList', groupVersion: 'v1', resources: [resource('pods', 'Pod')] };
    case '/apis/apps/v1':
      return {
        kind: 'APIResourceList',
        groupVersion: 'apps/v1',
        resources: [resource('deployments', 'Deployment')],
      };
    default:
      return undefined;
  }
}

let dir: string;
let kubectl: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-tables-'));
  kubectl = (await unpackKubeTools()).kubectl;
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const wantsTable = (req.headers.accept ?? '').includes('as=Table');
    let body = discovery(url.pathname);
    const listed: [string, string, object[]] | undefined =
      url.pathname === '/api/v1/pods'
        ? ['', 'Pod', pods]
        : url.pathname === '/api/v1/namespaces/default/pods'
          ? ['', 'Pod', pods.filter((p) => p.metadata.namespace === 'default')]
          : url.pathname === '/apis/apps/v1/namespaces/default/deployments'
            ? ['apps', 'Deployment', deployments]
            : undefined;
    if (listed && wantsTable) {
      const [group, kind, objects] = listed;
      body = toTable(group, kind, objects, { now, includeObject: 'Metadata', resourceVersion: '9' });
    }
    res.statusCode = body ? 200 : 404;
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify(
        body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound' },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function get(...args: string[]): Promise<string[]> {
  const { stdout } = await run(
    kubectl,
    ['--server', base, '--cache-dir', join(dir, 'cache'), 'get', ...args],
    {
      env: { ...process.env, HOME: dir, KUBECONFIG: join(dir, 'none') },
    },
  );
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) =>
      line
        .trimEnd()
        .split(/\s{2,}/)
        .join(' | '),
    );
}

describe('kubectl get with our Tables', () => {
  it('prints pods', async () => {
    expect(await get('pods', '-n', 'default')).toEqual([
      'NAME | READY | STATUS | RESTARTS | AGE',
      'web-1 | 1/1 | Running | 0 | 10m',
    ]);
  });

  it('prints wide columns, the NAMESPACE column for -A and labels from the row objects', async () => {
    expect(await get('pods', '-A', '-o', 'wide', '--show-labels')).toEqual([
      'NAMESPACE | NAME | READY | STATUS | RESTARTS | AGE | IP | NODE | NOMINATED NODE | READINESS GATES | LABELS',
      'default | web-1 | 1/1 | Running | 0 | 10m | 10.244.1.5 | kubedesk-worker | <none> | <none> | app=web',
      'data | db-0 | 0/1 | CrashLoopBackOff | 4 (2m ago) | 30m | <none> | <none> | <none> | <none> | <none>',
    ]);
  });

  it('prints deployments, wide', async () => {
    expect(await get('deployments', '-n', 'default', '-o', 'wide')).toEqual([
      'NAME | READY | UP-TO-DATE | AVAILABLE | AGE | CONTAINERS | IMAGES | SELECTOR',
      'web | 1/2 | 2 | 1 | 10m | app | nginx | app=web',
    ]);
  });
});
