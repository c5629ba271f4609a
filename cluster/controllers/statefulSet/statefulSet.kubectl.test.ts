// Acceptance with the real kubectl 1.35 against a control plane with three simulated nodes: a
// StatefulSet of 3 starts web-0, web-1, web-2 strictly in order (sampled on every watch event),
// each with its claim; `rollout status`, `history` and `undo` work; scaling to 0 deletes in
// reverse and keeps the claims.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlOk, kubectlRunner } from '../../api/testing/kubectlRunner';
import { type ControlPlane, startControlPlane } from '../../controlPlane';
import { createMemoryStore } from '../../store/memoryStore';
import type { Store } from '../../store/store';
import { startTestBinder, type TestBinder } from '../daemonSet/testing/testBinder';
import { isPodReady } from '../replicaSet/podState';
import { resources } from '../runtime/resources';
import { eventually } from '../testing/controllerHarness';

const manifest = `
apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector:
    app: nginx
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
          name: web
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 1Gi
`;

describe('StatefulSets with kubectl', () => {
  let dir: string;
  let store: Store;
  let plane: ControlPlane;
  let binder: TestBinder;
  let kubectl: Kubectl;

  const ok = (...args: string[]) => kubectlOk(kubectl, args, { timeoutMs: 90_000 });

  const pods = () => plane.controllerContext.client.resource(resources.pods);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubedesk-sts-'));
    store = createMemoryStore();
    plane = await startControlPlane({ dataDir: join(dir, 'data'), store, port: 0, simulatedNodes: 3 });
    // The scheduler keeps pods with unbound claims pending until a volume controller binds them;
    // until one runs in the control plane, this binder places the pods.
    binder = await startTestBinder(plane.controllerContext);
    kubectl = kubectlRunner(plane.kubeconfigPath, dir);
  }, 60_000);

  afterAll(async () => {
    binder?.stop();
    await plane?.stop();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates pods in order with their claims, rolls out, rolls back and scales down in reverse', async () => {
    const violations: string[] = [];
    const ready = new Set<string>();
    const present = new Set<string>();
    const created: string[] = [];
    const removed: string[] = [];
    const gone = new Set<string>();
    // Rolling updates replace pods from the top down too, but only scale-down must wait for the higher one to go.
    let scalingDown = false;
    const ordinal = (name: string) => Number(name.split('-').pop());
    const watch = pods().watch(
      'default',
      (await pods().list('default')).revision,
      (event) => {
        const name = event.object.metadata?.name ?? '';
        const n = ordinal(name);
        if (event.type === 'ADDED') {
          created.push(name);
          if (n > 0 && !ready.has(`web-${n - 1}`))
            violations.push(`${name} created before web-${n - 1} was Ready`);
          present.add(name);
        }
        const leaving = event.type === 'DELETED' || Boolean(event.object.metadata?.deletionTimestamp);
        const uid = event.object.metadata?.uid ?? '';
        if (leaving && present.has(name) && !gone.has(uid)) {
          gone.add(uid);
          removed.push(name);
          if (scalingDown && present.has(`web-${n + 1}`))
            violations.push(`${name} deleted before web-${n + 1} was gone`);
        }
        if (event.type === 'DELETED') present.delete(name);
        if (event.type !== 'DELETED' && isPodReady(event.object) && !event.object.metadata?.deletionTimestamp)
          ready.add(name);
        else ready.delete(name);
      },
      () => {},
    );

    const file = join(dir, 'web.yaml');
    writeFileSync(file, manifest);
    await ok('apply', '-f', file);
    expect(await ok('rollout', 'status', 'statefulset/web', '--timeout=60s')).toContain(
      'partitioned roll out complete: 3 new pods have been updated...',
    );
    expect(created).toEqual(['web-0', 'web-1', 'web-2']);
    expect(await ok('get', 'pvc', '-o', 'jsonpath={.items[*].metadata.name}')).toBe(
      'www-web-0 www-web-1 www-web-2',
    );
    expect(
      await ok(
        'get',
        'pod',
        'web-1',
        '-o',
        'jsonpath={.spec.hostname}.{.spec.subdomain} {.spec.volumes[0].persistentVolumeClaim.claimName}',
      ),
    ).toBe('web-1.nginx www-web-1');
    expect(await ok('get', 'statefulset', 'web')).toMatch(/web\s+3\/3/);
    expect(await ok('describe', 'statefulset', 'web')).toContain(
      'create Pod web-0 in StatefulSet web successful',
    );

    await ok('set', 'image', 'statefulset/web', 'nginx=nginx:1.28');
    await ok('rollout', 'status', 'statefulset/web', '--timeout=60s');
    const images = () =>
      ok('get', 'pods', '-l', 'app=nginx', '-o', 'jsonpath={.items[*].spec.containers[0].image}');
    await eventually(
      async () => (await images()) === 'nginx:1.28 nginx:1.28 nginx:1.28',
      30_000,
      'updated pods',
    );
    const history = await ok('rollout', 'history', 'statefulset/web');
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    expect(await ok('rollout', 'history', 'statefulset/web', '--revision=1')).toContain('Image:\tnginx:1.27');

    expect(await ok('rollout', 'undo', 'statefulset/web')).toContain('statefulset.apps/web rolled back');
    await ok('rollout', 'status', 'statefulset/web', '--timeout=60s');
    await eventually(
      async () => (await images()) === 'nginx:1.27 nginx:1.27 nginx:1.27',
      30_000,
      'rolled back pods',
    );
    expect(await ok('rollout', 'history', 'statefulset/web')).toMatch(
      /REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/,
    );
    // kubectl compares the revision's bytes with the live template: they must match exactly.
    expect(await ok('rollout', 'undo', 'statefulset/web', '--to-revision=3')).toContain(
      'skipped rollback (current template already matches revision 3)',
    );

    const scaleFrom = removed.length;
    scalingDown = true;
    await ok('scale', 'statefulset/web', '--replicas=0');
    await eventually(async () => (await pods().list('default')).items.length === 0, 30_000, 'pods gone');
    watch.close();
    expect(removed.slice(scaleFrom)).toEqual(['web-2', 'web-1', 'web-0']);
    expect(violations).toEqual([]);
    expect(await ok('get', 'pvc', '-o', 'jsonpath={.items[*].metadata.name}')).toBe(
      'www-web-0 www-web-1 www-web-2',
    );
  }, 180_000);
});
