// Acceptance with the real kubectl 1.35 against a control plane with three simulated nodes: a
// StatefulSet of 3 starts web-0, web-1, web-2 strictly in order (sampled on every watch event),
// each with its claim; `rollout status`, `history` and `undo` work; scaling to 0 deletes in
// reverse and keeps the claims.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubectlCluster, startKubectlCluster } from '../../api/testing/kubectlCluster';
import { startTestBinder, type TestBinder } from '../daemonSet/testing/testBinder';
import { resources } from '../runtime/resources';
import { eventually } from '../testing/controllerHarness';
import { recordPodTimeline } from './testing/podTimeline';

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
  let cluster: KubectlCluster;
  let binder: TestBinder;

  const ok = (...args: string[]) => cluster.ok(...args);

  const pods = () => cluster.plane.controllerContext.client.resource(resources.pods);

  beforeAll(async () => {
    cluster = await startKubectlCluster({ name: 'sts', simulatedNodes: 3, kubectlTimeoutMs: 90_000 });
    // The scheduler keeps pods with unbound claims pending until a volume controller binds them;
    // until one runs in the control plane, this binder places the pods.
    binder = await startTestBinder(cluster.plane.controllerContext);
  }, 60_000);

  afterAll(async () => {
    binder?.stop();
    await cluster?.stop();
  });

  it('creates pods in order with their claims, rolls out, rolls back and scales down in reverse', async () => {
    const timeline = recordPodTimeline(pods(), (await pods().list('default')).revision);
    // Rolling updates replace pods from the top down too; only scale-down must wait for the higher one to go.
    timeline.checkRemovalOrder = false;

    await cluster.apply('web', manifest);
    expect(await ok('rollout', 'status', 'statefulset/web', '--timeout=60s')).toContain(
      'partitioned roll out complete: 3 new pods have been updated...',
    );
    expect(timeline.created).toEqual(['web-0', 'web-1', 'web-2']);
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

    const scaleFrom = timeline.removed.length;
    timeline.checkRemovalOrder = true;
    await ok('scale', 'statefulset/web', '--replicas=0');
    await eventually(async () => (await pods().list('default')).items.length === 0, 30_000, 'pods gone');
    timeline.close();
    expect(timeline.removed.slice(scaleFrom)).toEqual(['web-2', 'web-1', 'web-0']);
    expect(timeline.violations).toEqual([]);
    expect(await ok('get', 'pvc', '-o', 'jsonpath={.items[*].metadata.name}')).toBe(
      'www-web-0 www-web-1 www-web-2',
    );
  }, 180_000);
});
