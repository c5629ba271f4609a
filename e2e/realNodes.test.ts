import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlOk, kubectlRunner } from '../cluster/api/testing/kubectlRunner';
import { clusterNameFor } from '../cluster/provisioner/clusterName';
import { createDockerProvider } from '../cluster/provisioner/providers/dockerProvider';
import { importBusyboxImage, importNodeHttpImage } from '../cluster/provisioner/testImages';
import { kubectlApply, kubectlInPty, kubectlJson, startKubectl, until } from './support/kubectlSessions';
import { deleteInstallation, kubedeskCli } from './support/kubedeskCli';

// Issue #5's acceptance on one cluster of three real nodes, with the real kubectl: a Deployment of
// a locally built HTTP image that nodes receive by automatic sideload (no `image load`, no
// registry), streaming (logs, logs -f, exec in a terminal, port-forward, cp), pod-to-pod across
// nodes, restarts and probes, config and storage volumes. Independent checks run concurrently.

const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-real-'));
const home = mkdtempSync(join(tmpdir(), 'kubedesk-home-'));
const kubeconfig = join(dataDir, 'kubeconfig');
const cli = kubedeskCli(dataDir);
const cluster = clusterNameFor(dataDir);
const httpImage = `kubedesk-test-http:${cluster}`;
const busybox = `kubedesk-test-busybox:${cluster}`;
const provider = createDockerProvider();
const kubectl: Kubectl = kubectlRunner(kubeconfig, home);
const ok = (args: string[], options?: { timeoutMs?: number }) => kubectlOk(kubectl, args, options);
const apply = (manifest: string) => kubectlApply(kubectl, manifest);
const getPod = (name: string) => kubectlJson<V1Pod>(kubectl, ['get', 'pod', name]);
const ready = (pod: V1Pod) =>
  pod.status?.phase === 'Running' &&
  pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
const runningPod = (name: string) =>
  until(async () => {
    const pod = await getPod(name);
    return ready(pod) ? pod : undefined;
  }, `pod ${name} to be Running and Ready`);

/** A pod of one busybox container running `script`, with a short grace period. */
const busyboxPod = (name: string, script: string, extra = '') => `
apiVersion: v1
kind: Pod
metadata: { name: ${name} }
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: main
      image: ${busybox}
      command: [sh, -c, ${JSON.stringify(script)}]
${extra}`;

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 6
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: http
          image: ${httpImage}
          ports: [{ containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /ready, port: 8080 }, periodSeconds: 1 }
`;

let webPods: Promise<V1Pod[]> | undefined;
/** The Deployment's six pods once all are Running and Ready (applied by whichever test asks first). */
const web = () => {
  webPods ??= (async () => {
    await apply(deployment);
    return until(
      async () => {
        const { items } = await kubectlJson<{ items: V1Pod[] }>(kubectl, ['get', 'pods', '-l', 'app=web']);
        return items.length === 6 && items.every(ready) ? items : undefined;
      },
      'six web pods Running and Ready',
      180_000,
    );
  })();
  return webPods;
};

beforeAll(async () => {
  const [start] = await Promise.all([
    cli(['start', '--nodes', '3', '--api-port', '0'], 600_000),
    importNodeHttpImage(provider, httpImage),
    importBusyboxImage(provider, busybox),
  ]);
  if (start.code !== 0) throw new Error(`kubedesk start failed: ${start.stdout}\n${start.stderr}`);
});

afterAll(async () => {
  await deleteInstallation(dataDir, [httpImage, busybox]);
  rmSync(home, { recursive: true, force: true });
});

describe.concurrent('a three-node cluster runs workloads as Kubernetes does', () => {
  it('spreads a six-replica Deployment of a host-built image over all three nodes', async () => {
    const pods = await web();
    const nodes = new Set(pods.map((p) => p.spec?.nodeName));
    expect([...nodes].sort()).toEqual([1, 2, 3].map((i) => `${cluster}-node-${i}`));
    for (const pod of pods) expect(pod.status?.podIP).toMatch(/^10\.244\.[123]\.\d+$/);
    // The nodes got the image from the host, and `kubectl describe` tells so.
    const events = await ok(['get', 'events', '--field-selector', 'reason=Sideloaded', '-o', 'name']);
    expect(events.trim().split('\n').length).toBeGreaterThanOrEqual(3);
  });

  it('shows logs, follows them, and runs exec in a terminal', async () => {
    const [pod] = await web();
    const name = pod?.metadata?.name ?? '';
    expect(await ok(['logs', name])).toContain('listening on 8080');
    const follow = startKubectl(kubeconfig, home, ['logs', '-f', name]);
    try {
      await follow.waitFor(/listening on 8080/);
      await ok(['exec', name, '--', 'wget', '-qO-', 'http://127.0.0.1:8080/after-follow']);
      await follow.waitFor(/GET \/after-follow/);
    } finally {
      await follow.stop();
    }
    const term = await kubectlInPty(kubeconfig, home, ['exec', '-it', name, '--', 'sh', '-c', 'echo hi']);
    expect(term.exitCode).toBe(0);
    expect(term.output).toMatch(/^hi\r?\n/m);
  });

  it('forwards a local port to a pod', async () => {
    const [, pod] = await web();
    const name = pod?.metadata?.name ?? '';
    const forward = startKubectl(kubeconfig, home, ['port-forward', `pod/${name}`, '18080:8080']);
    try {
      await forward.waitFor(/Forwarding from 127\.0\.0\.1:18080/);
      const response = await fetch('http://127.0.0.1:18080/through-forward');
      expect(await response.text()).toBe(`hello from ${name}\n`);
      expect(await ok(['logs', name])).toContain('GET /through-forward');
    } finally {
      await forward.stop();
    }
  });

  it('copies files into a pod and out of it', async () => {
    const [, , pod] = await web();
    const name = pod?.metadata?.name ?? '';
    const local = mkdtempSync(join(tmpdir(), 'kubedesk-cp-'));
    writeFileSync(join(local, 'in.txt'), 'from the host\n');
    await ok(['cp', join(local, 'in.txt'), `default/${name}:/tmp/in.txt`]);
    expect(await ok(['exec', name, '--', 'cat', '/tmp/in.txt'])).toBe('from the host\n');
    await ok(['exec', name, '--', 'sh', '-c', 'echo from the pod > /tmp/out.txt']);
    await ok(['cp', `default/${name}:/tmp/out.txt`, join(local, 'out.txt')]);
    expect(readFileSync(join(local, 'out.txt'), 'utf8')).toBe('from the pod\n');
    rmSync(local, { recursive: true, force: true });
  });

  it('reaches a pod on another node by its pod IP', async () => {
    const pods = await web();
    const from = pods[0];
    const to = pods.find((p) => p.spec?.nodeName !== from?.spec?.nodeName);
    const url = `http://${to?.status?.podIP}:8080/across-nodes`;
    const body = await ok(['exec', from?.metadata?.name ?? '', '--', 'wget', '-qO-', url]);
    expect(body).toBe(`hello from ${to?.metadata?.name}\n`);
  });

  it('backs off restarting a container that exits 1, longer each time', async () => {
    await apply(busyboxPod('crasher', 'echo crashing; exit 1'));
    const seen = new Set<string>();
    const pod = await until(
      async () => {
        const current = await getPod('crasher');
        const status = current.status?.containerStatuses?.[0];
        const message = status?.state?.waiting?.message;
        if (status?.state?.waiting?.reason === 'CrashLoopBackOff' && message) {
          seen.add(/back-off (\d+s)/.exec(message)?.[1] ?? message);
        }
        return seen.has('20s') ? current : undefined;
      },
      'crasher to back off for 20 s',
      120_000,
    );
    expect([...seen]).toEqual(['10s', '20s']);
    const status = pod.status?.containerStatuses?.[0];
    expect(status?.restartCount).toBeGreaterThanOrEqual(2);
    expect(status?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(await ok(['get', 'pod', 'crasher'])).toMatch(/crasher\s+0\/1\s+CrashLoopBackOff/);
    expect(await ok(['logs', 'crasher', '--previous'])).toBe('crashing\n');
  });

  it('restarts a container whose liveness probe fails', async () => {
    const probe = `
      livenessProbe:
        exec: { command: [cat, /tmp/healthy] }
        initialDelaySeconds: 1
        periodSeconds: 1
        failureThreshold: 2
`;
    await apply(
      busyboxPod('unhealthy', 'touch /tmp/healthy; sleep 2; rm /tmp/healthy; exec sleep 1000', probe),
    );
    const pod = await until(
      async () => {
        const current = await getPod('unhealthy');
        return (current.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? current : undefined;
      },
      'the liveness probe to restart unhealthy',
      60_000,
    );
    expect(pod.status?.containerStatuses?.[0]?.lastState?.terminated).toBeDefined();
  });

  it('keeps a pod whose readiness probe fails Running but not Ready', async () => {
    const probe = `
      readinessProbe:
        exec: { command: ['false'] }
        periodSeconds: 1
`;
    await apply(busyboxPod('unready', 'exec sleep 1000', probe));
    const pod = await until(
      async () => {
        const current = await getPod('unready');
        // Running, and the probe has had several periods to flip it.
        const startedAt = current.status?.containerStatuses?.[0]?.state?.running?.startedAt;
        const runningFor = startedAt ? Date.now() - Date.parse(String(startedAt)) : 0;
        return runningFor > 4000 ? current : undefined;
      },
      'unready to run for a few probe periods',
      60_000,
    );
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.containerStatuses?.[0]?.ready).toBe(false);
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(await ok(['get', 'pod', 'unready'])).toMatch(/unready\s+0\/1\s+Running/);
  });

  it('gives containers ConfigMaps and Secrets as env and files, and a shared emptyDir', async () => {
    await apply(`
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { greeting: hello, mode: fast }
---
apiVersion: v1
kind: Secret
metadata: { name: credentials }
stringData: { password: s3cret }
`);
    await apply(
      busyboxPod(
        'configured',
        'echo "$GREETING $PASSWORD $(cat /config/mode) $(cat /secret/password)"; echo shared > /scratch/note; exec sleep 1000',
        `      env:
        - name: GREETING
          valueFrom: { configMapKeyRef: { name: settings, key: greeting } }
        - name: PASSWORD
          valueFrom: { secretKeyRef: { name: credentials, key: password } }
      volumeMounts:
        - { name: config, mountPath: /config }
        - { name: secret, mountPath: /secret }
        - { name: scratch, mountPath: /scratch }
    - name: reader
      image: ${busybox}
      command: [sh, -c, 'until [ -f /shared/note ]; do sleep 0.2; done; cat /shared/note; exec sleep 1000']
      volumeMounts:
        - { name: scratch, mountPath: /shared }
  volumes:
    - { name: config, configMap: { name: settings } }
    - { name: secret, secret: { secretName: credentials } }
    - { name: scratch, emptyDir: {} }
`,
      ),
    );
    await runningPod('configured');
    expect(await ok(['logs', 'configured', '-c', 'main'])).toBe('hello s3cret fast s3cret\n');
    await until(
      async () => ((await ok(['logs', 'configured', '-c', 'reader'])) === 'shared\n' ? true : undefined),
      'the reader to see the note through the emptyDir',
    );
  });

  it('keeps the data of a PersistentVolumeClaim when its pod is deleted and created again', async () => {
    await apply(`
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 10Mi } }
`);
    const claimPod = (script: string) =>
      busyboxPod(
        'keeper',
        script,
        `      volumeMounts: [{ name: data, mountPath: /data }]
  volumes:
    - { name: data, persistentVolumeClaim: { claimName: data } }
`,
      );
    await apply(claimPod('echo kept > /data/file; exec sleep 1000'));
    const first = await runningPod('keeper');
    await ok(['delete', 'pod', 'keeper', '--wait=true'], { timeoutMs: 60_000 });
    await apply(claimPod('cat /data/file; exec sleep 1000'));
    const second = await runningPod('keeper');
    expect(second.spec?.nodeName).toBe(first.spec?.nodeName);
    expect(await ok(['logs', 'keeper'])).toBe('kept\n');
    const claim = await kubectlJson<{ spec: { storageClassName: string } }>(kubectl, ['get', 'pvc', 'data']);
    expect(claim.spec.storageClassName).toBe('standard');
  });
});
