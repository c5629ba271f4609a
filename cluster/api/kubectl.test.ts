// The real kubectl 1.35 against our control plane on a random port, once per store backend
// (memory, SQLite, etcd): discovery, apply (client- and server-side), get in every output format,
// edits, create subcommands (protobuf bodies), watches, waits, restart, deletion and invalid input.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from '../controlPlane';
import { openStore, type StoreLocation } from '../store/openStore';
import { type EtcdServer, startEtcdServer } from '../store/startEtcdServer';
import type { Store } from '../store/store';
import { type Kubectl, kubectlOk, kubectlRunner } from './testing/kubectlRunner';
import { kubectlPath } from './testing/kubeTools';

const fixtures = join(import.meta.dirname, 'testing', 'fixtures');
const backends = ['memory', 'sqlite', ...(existsSync('/usr/bin/etcd') ? ['etcd'] : [])] as const;

describe.each(backends)('kubectl against the %s store', (backend) => {
  let dir: string;
  let etcd: EtcdServer | undefined;
  let location: StoreLocation;
  let store: Store;
  let plane: ControlPlane;
  let kubectl: Kubectl;

  const ok = (...args: string[]) => kubectlOk(kubectl, args);

  function file(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  async function start(): Promise<void> {
    plane = await startControlPlane({ dataDir: join(dir, 'data'), store, port: 0 });
    kubectl = kubectlRunner(plane.kubeconfigPath, dir);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubedesk-kubectl-'));
    if (backend === 'etcd') {
      etcd = await startEtcdServer();
      location = { kind: 'etcd', endpoints: [etcd.endpoint] };
    } else {
      location = backend === 'sqlite' ? { kind: 'sqlite', path: join(dir, 'state.db') } : { kind: 'memory' };
    }
    store = await openStore(location);
    await start();
  }, 120_000);

  afterAll(async () => {
    await plane?.stop();
    await store?.close();
    await etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('discovery and cluster info', () => {
    it('reports versions, the control plane address and the served resources', async () => {
      expect(await ok('version')).toMatch(/Server Version: v1\.35\.0/);
      expect(await ok('cluster-info')).toContain(`Kubernetes control plane is running at ${plane.url}`);
      const resources = await ok('api-resources');
      expect(resources).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND/);
      expect(resources).toMatch(/deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
      expect(resources).toMatch(/namespaces\s+ns\s+v1\s+false\s+Namespace/);
      const versions = (await ok('api-versions')).split('\n');
      expect(versions).toEqual(expect.arrayContaining(['v1', 'apps/v1', 'batch/v1', 'autoscaling/v2']));
      const explain = await ok('explain', 'deployment.spec.strategy');
      expect(explain).toContain('FIELD: strategy <DeploymentStrategy>');
      expect(explain).toContain('rollingUpdate\t<RollingUpdateDeployment>');
    });

    it('starts with the system namespaces, the kubernetes Service and default ServiceAccounts', async () => {
      const namespaces = await ok('get', 'ns', '-o', 'name');
      for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
        expect(namespaces).toContain(`namespace/${ns}`);
      }
      expect(await ok('get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}')).toBe('10.96.0.1');
      expect(await ok('get', 'endpoints', 'kubernetes', '-o', 'jsonpath={.subsets[0].ports[0].port}')).toBe(
        String(plane.port),
      );
      await expect
        .poll(async () => (await kubectl(['get', 'sa', 'default', '-n', 'kube-system'])).code)
        .toBe(0);
    });
  });

  describe('apply', () => {
    it('creates a multi-document file, then configures changed and removed fields', async () => {
      const created = await ok('apply', '-f', join(fixtures, 'app.yaml'));
      expect(created).toContain('namespace/demo created');
      expect(created).toContain('deployment.apps/web created');
      expect(created).toContain('service/web created');
      const edited = await ok('apply', '-f', join(fixtures, 'app-edited.yaml'));
      expect(edited).toContain('configmap/cfg configured');
      expect(edited).toContain('deployment.apps/web configured');
      expect(edited).toContain('namespace/demo unchanged');
      expect(await ok('get', 'cm', 'cfg', '-n', 'demo', '-o', 'jsonpath={.data}')).toBe('{"a":"1","c":"3"}');
      const deployment = JSON.parse(await ok('get', 'deploy', 'web', '-n', 'demo', '-o', 'json'));
      expect(deployment.spec.replicas).toBe(3);
      expect(deployment.spec.template.spec.containers[0].env).toBeUndefined();
      expect(deployment.metadata.generation).toBe(2);
      expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: '25%' });
      expect(await ok('get', 'svc', 'web', '-n', 'demo', '-o', 'jsonpath={.spec.ports[0].targetPort}')).toBe(
        '8080',
      );
      const secret = await ok('get', 'secret', 'sec', '-n', 'demo', '-o', 'jsonpath={.data.password}');
      expect(Buffer.from(secret, 'base64').toString()).toBe('hunter3');
    });

    it('applies server-side and shows a pending change with diff', async () => {
      const applied = await ok('apply', '--server-side', '-f', join(fixtures, 'app-edited.yaml'));
      expect(applied).toContain('deployment.apps/web serverside-applied');
      const managers = await ok(
        'get',
        'deploy',
        'web',
        '-n',
        'demo',
        '-o',
        'jsonpath={.metadata.managedFields[*].manager}',
      );
      expect(managers).toContain('kubectl');
      const diff = await kubectl(['diff', '-f', join(fixtures, 'app.yaml')]);
      expect(diff.code).toBe(1);
      expect(diff.stdout).toContain('-  replicas: 3');
      expect(diff.stdout).toContain('+  replicas: 2');
    });
  });

  describe('get', () => {
    it('prints the column sets and output formats of a real cluster', async () => {
      expect(await ok('get', 'deploy', '-n', 'demo')).toMatch(
        /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/3/,
      );
      expect(await ok('get', 'deploy', '-n', 'demo', '-o', 'wide')).toMatch(
        /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\nweb\s.*nginx:1\.27\s+app=web/,
      );
      expect(await ok('get', 'svc', '-n', 'demo')).toMatch(
        /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE/,
      );
      expect(await ok('get', 'deploy', 'web', '-n', 'demo', '-o', 'yaml')).toContain('kind: Deployment');
      expect(await ok('get', 'deploy', '-n', 'demo', '-o', 'name')).toBe('deployment.apps/web\n');
      expect(
        await ok(
          'get',
          'deploy',
          '-n',
          'demo',
          '-o',
          'custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas',
        ),
      ).toMatch(/^NAME\s+REPLICAS\nweb\s+3\n$/);
      expect(await ok('get', 'cm', '-A', '-l', 'app=none')).toBe('');
      expect(await ok('get', 'deploy', '-A', '-l', 'app=web')).toMatch(/^NAMESPACE\s+NAME\s+READY/);
      expect(await ok('get', 'cm', '-A', '--field-selector', 'metadata.name=cfg', '-o', 'name')).toBe(
        'configmap/cfg\n',
      );
      const sorted = await ok(
        'get',
        'ns',
        '--sort-by=.metadata.name',
        '-o',
        'jsonpath={.items[*].metadata.name}',
      );
      expect(sorted.split(' ')).toEqual([...sorted.split(' ')].sort());
      expect(await ok('get', 'all', '-n', 'demo')).toContain('deployment.apps/web');
    });

    it('rejects an unsupported field selector', async () => {
      const result = await kubectl(['get', 'cm', '--field-selector', 'spec.nothing=x']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('field label not supported: spec.nothing');
    });
  });

  describe('editing', () => {
    it('describes, labels, annotates, patches and scales a deployment', async () => {
      const described = await ok('describe', 'deployment', 'web', '-n', 'demo');
      expect(described).toMatch(/Name:\s+web/);
      expect(described).toMatch(/RollingUpdateStrategy:\s+25% max unavailable, 25% max surge/);
      expect(await ok('label', 'deploy', 'web', '-n', 'demo', 'tier=frontend')).toContain('labeled');
      expect(await ok('annotate', 'deploy', 'web', '-n', 'demo', 'note=hello')).toContain('annotated');
      await ok(
        'patch',
        'deploy',
        'web',
        '-n',
        'demo',
        '--type=json',
        '-p',
        '[{"op":"replace","path":"/spec/replicas","value":4}]',
      );
      await ok(
        'patch',
        'deploy',
        'web',
        '-n',
        'demo',
        '--type=merge',
        '-p',
        '{"spec":{"minReadySeconds":5}}',
      );
      await ok(
        'patch',
        'deploy',
        'web',
        '-n',
        'demo',
        '-p',
        '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}',
      );
      expect(await ok('scale', 'deployment', 'web', '-n', 'demo', '--replicas=5')).toContain(
        'deployment.apps/web scaled',
      );
      const fields = await ok(
        'get',
        'deploy',
        'web',
        '-n',
        'demo',
        '-o',
        'jsonpath={.spec.replicas},{.metadata.labels.tier},{.metadata.annotations.note},{.spec.minReadySeconds},{.spec.template.spec.containers[0].image},{.spec.template.spec.containers[0].ports[0].containerPort}',
      );
      expect(fields).toBe('5,frontend,hello,5,nginx:1.28,80');
    });

    it('creates objects with the protobuf-speaking create subcommands', async () => {
      expect(await ok('create', 'namespace', 'other')).toContain('namespace/other created');
      await ok('create', 'configmap', 'c1', '-n', 'other', '--from-literal=k=v');
      await ok('create', 'secret', 'generic', 's1', '-n', 'other', '--from-literal=p=q');
      await ok('create', 'deployment', 'd1', '-n', 'other', '--image=nginx');
      expect(await ok('get', 'cm', 'c1', '-n', 'other', '-o', 'jsonpath={.data.k}')).toBe('v');
      expect(await ok('get', 'secret', 's1', '-n', 'other', '-o', 'jsonpath={.data.p}')).toBe(
        Buffer.from('q').toString('base64'),
      );
      expect(
        await ok(
          'get',
          'deploy',
          'd1',
          '-n',
          'other',
          '-o',
          'jsonpath={.spec.template.spec.containers[0].imagePullPolicy}',
        ),
      ).toBe('Always');
      expect(await ok('auth', 'can-i', 'create', 'pods')).toBe('yes\n');
      expect(await ok('auth', 'whoami')).toMatch(/Username\s+kubedesk-admin/);
    });
  });

  describe('watch and wait', () => {
    it('prints an object created by another client while watching', async () => {
      const watcher = spawn(
        kubectlPath(),
        ['--kubeconfig', plane.kubeconfigPath, 'get', 'cm', '-n', 'other', '-w'],
        {
          env: { PATH: process.env.PATH ?? '', HOME: dir },
        },
      );
      let output = '';
      watcher.stdout.on('data', (chunk) => {
        output += String(chunk);
      });
      try {
        await expect.poll(() => output, { timeout: 10_000 }).toMatch(/^NAME\s+DATA\s+AGE/);
        await ok('create', 'configmap', 'watched', '-n', 'other', '--from-literal=x=y');
        await expect.poll(() => output, { timeout: 10_000 }).toMatch(/\nwatched\s+1\s/);
        expect(output.match(/NAME\s+DATA/g)).toHaveLength(1);
      } finally {
        watcher.kill();
      }
    });

    it('waits for an object held by a finalizer to be deleted', async () => {
      const manifest = file(
        'held.yaml',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  namespace: other\n  finalizers: [example.com/hold]\n',
      );
      await ok('apply', '-f', manifest);
      await ok('delete', 'cm', 'held', '-n', 'other', '--wait=false');
      expect(
        await ok('get', 'cm', 'held', '-n', 'other', '-o', 'jsonpath={.metadata.deletionTimestamp}'),
      ).not.toBe('');
      const waiting = kubectl(['wait', '--for=delete', 'cm/held', '-n', 'other', '--timeout=30s']);
      await ok(
        'patch',
        'cm',
        'held',
        '-n',
        'other',
        '--type=merge',
        '-p',
        '{"metadata":{"finalizers":null}}',
      );
      const result = await waiting;
      expect(result.code, result.stderr).toBe(0);
      expect((await kubectl(['get', 'cm', 'held', '-n', 'other'])).stderr).toContain(
        'configmaps "held" not found',
      );
    });
  });

  describe('invalid input leaves stored data unchanged', () => {
    // kubectl validates kinds missing from /openapi/v3 against /openapi/v2 in protobuf, which we do not
    // serve yet, so the unknown kind is applied with --validate=false to reach the mapping error.
    const invalidCases: [string, string, RegExp][] = [
      [
        'bad YAML',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: demo\ndata: [unclosed\n',
        /error converting YAML to JSON/,
      ],
      [
        'unknown kind',
        'apiVersion: v1\nkind: Frobnicator\nmetadata:\n  name: x\n',
        /no matches for kind "Frobnicator" in version "v1"/,
      ],
      [
        'missing required field',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: demo\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n',
        /The Deployment "web" is invalid: spec\.template\.spec\.containers\[0\]\.image: Required value/,
      ],
      [
        'uppercase name',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Cfg\n  namespace: demo\n',
        /The ConfigMap "Cfg" is invalid: metadata\.name: Invalid value: "Cfg": a lowercase RFC 1123 subdomain/,
      ],
      [
        'wrong type',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: demo\nspec:\n  replicas: "three"\n',
        /cannot unmarshal string into Go struct field DeploymentSpec\.spec\.replicas of type int32/,
      ],
    ];

    it.each(invalidCases)('%s', async (_name, manifest, message) => {
      const before = await ok('get', 'deploy,cm', '-n', 'demo', '-o', 'json');
      const result = await kubectl(['apply', '-f', file('invalid.yaml', manifest)]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(message);
      expect(await ok('get', 'deploy,cm', '-n', 'demo', '-o', 'json')).toBe(before);
    });
  });

  describe('restart', () => {
    it('keeps every object and the certificate authority across a restart', async () => {
      const before = await ok('get', 'deploy,cm,secret,svc', '-A', '-o', 'name');
      const caCert = plane.caCert;
      await plane.stop();
      if (backend !== 'memory') {
        await store.close();
        store = await openStore(location);
      }
      await start();
      expect(plane.caCert).toBe(caCert);
      expect(await ok('get', 'deploy,cm,secret,svc', '-A', '-o', 'name')).toBe(before);
      expect(await ok('get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}')).toBe('10.96.0.1');
    }, 60_000);
  });

  describe('delete', () => {
    it('deletes the objects of a file and a namespace with its content', async () => {
      const deleted = await ok('delete', '-f', join(fixtures, 'app.yaml'));
      expect(deleted).toContain('deployment.apps "web" deleted');
      expect(await ok('delete', 'ns', 'other')).toContain('namespace "other" deleted');
      const wait = await kubectl(['wait', '--for=delete', 'ns/other', 'ns/demo', '--timeout=30s']);
      expect(wait.code, wait.stderr).toBe(0);
      const left = await ok('get', 'cm,deploy,secret', '-A', '-o', 'jsonpath={.items[*].metadata.namespace}');
      expect(left.split(' ')).not.toContain('demo');
      expect(left.split(' ')).not.toContain('other');
    }, 60_000);
  });
});
