import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoreV1Event, V1Node, V1Pod, V1Service } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlOk, kubectlRunner } from '../cluster/api/testing/kubectlRunner';
import { clusterNameFor } from '../cluster/provisioner/clusterName';
import { forwarderRole } from '../cluster/provisioner/exposure/forwarderContainer';
import { labelKeys } from '../cluster/provisioner/labels';
import { createDockerProvider } from '../cluster/provisioner/providers/dockerProvider';
import { httpTestPort, importNodeHttpImage } from '../cluster/provisioner/testImages';
import { isReadyPod, type KubectlSession, kubectlApply, kubectlJson, until } from './support/kubectlSessions';
import { deleteInstallation, kubedeskCli, startKubedesk } from './support/kubedeskCli';

// Services reachable from the host, on real nodes with the real kubectl: a NodePort and a
// LoadBalancer Service of the Node.js HTTP test image answer at localhost, deleting the Service
// frees its port, a host port in use becomes a Warning event on the Service, NodePorts keep
// working across stop/start (fixed node addresses), and `kubedesk port-forward svc/…` keeps
// answering after its pod is replaced.

const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-expose-'));
const cli = kubedeskCli(dataDir);
const cluster = clusterNameFor(dataDir);
const image = `kubedesk-test-http:${cluster}`;
const provider = createDockerProvider();
let kubectl: Kubectl;
let lbPort = 0;
let busyPort = 0;
let blocker: Server | undefined;
let portForward: KubectlSession | undefined;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** True when nothing listens on the port of the host's loopback any more. */
async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  try {
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    server.close();
  }
}

async function get(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.text();
}

const answers = (url: string, what: string) => until(() => get(url), what, 60_000);

const manifests = () => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 1
      automountServiceAccountToken: false
      containers:
        - name: web
          image: ${image}
          imagePullPolicy: Never
          ports: [{ name: http, containerPort: ${httpTestPort} }]
          readinessProbe: { tcpSocket: { port: ${httpTestPort} }, periodSeconds: 1 }
---
apiVersion: v1
kind: Service
metadata: { name: web-np, namespace: default }
spec:
  type: NodePort
  selector: { app: web }
  ports: [{ port: 80, targetPort: http }]
---
apiVersion: v1
kind: Service
metadata: { name: web-lb, namespace: default }
spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ port: ${lbPort}, targetPort: ${httpTestPort} }]
`;

const busyService = () => `
apiVersion: v1
kind: Service
metadata: { name: web-busy, namespace: default }
spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ port: ${busyPort}, targetPort: ${httpTestPort} }]
`;

const nodePortOf = async () =>
  (await kubectlJson<V1Service>(kubectl, ['get', 'service', 'web-np'])).spec?.ports?.[0]?.nodePort;

const nodeAddresses = async () =>
  (await kubectlJson<{ items: V1Node[] }>(kubectl, ['get', 'nodes'])).items
    .map((n) => `${n.metadata?.name}=${n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address}`)
    .sort();

const readyWebPod = () =>
  until(async () => {
    const pods = await kubectlJson<{ items: V1Pod[] }>(kubectl, ['get', 'pods', '-l', 'app=web']);
    return pods.items.find(isReadyPod);
  }, 'a Ready web pod');

const forwarderContainers = async () =>
  provider.docker.listContainers({
    all: true,
    filters: { label: [`${labelKeys.cluster}=${cluster}`, `${labelKeys.role}=${forwarderRole}`] },
  });

beforeAll(async () => {
  [lbPort, busyPort] = [await freePort(), await freePort()];
  await importNodeHttpImage(provider, image);
  kubectl = kubectlRunner(join(dataDir, 'kubeconfig'), mkdtempSync(join(tmpdir(), 'kubedesk-home-')));
  const start = await cli(['start', '--nodes', '2', '--api-port', '0'], 600_000);
  if (start.code !== 0) throw new Error(`kubedesk start failed:\n${start.stdout}\n${start.stderr}`);
  const load = await cli(['image', 'load', image]);
  if (load.code !== 0) throw new Error(`kubedesk image load failed: ${load.stderr}`);
  await kubectlApply(kubectl, manifests());
});

afterAll(async () => {
  await portForward?.stop();
  blocker?.close();
  await deleteInstallation(dataDir, [image]);
});

describe('services reachable from the host', () => {
  it('answers a NodePort Service at localhost:<nodePort>', async () => {
    await readyWebPod();
    const nodePort = await until(nodePortOf, 'a nodePort');
    expect(await answers(`http://localhost:${nodePort}/`, `localhost:${nodePort}`)).toMatch(
      /^hello from web-/,
    );
  });

  it('answers a LoadBalancer Service at localhost:<port> and reports localhost as its ingress', async () => {
    expect(await answers(`http://localhost:${lbPort}/`, `localhost:${lbPort}`)).toMatch(/^hello from web-/);
    const svc = await until(async () => {
      const current = await kubectlJson<V1Service>(kubectl, ['get', 'service', 'web-lb']);
      return current.status?.loadBalancer?.ingress ? current : undefined;
    }, 'web-lb ingress');
    expect(svc.status?.loadBalancer?.ingress).toEqual([{ hostname: 'localhost' }]);
    const row = await kubectlOk(kubectl, ['get', 'service', 'web-lb', '--no-headers']);
    expect(row).toContain('localhost');
  });

  it('reports a host port already in use as a Warning event on the Service, and leaves it pending', async () => {
    blocker = createServer().listen(busyPort, '127.0.0.1');
    await once(blocker, 'listening');
    await kubectlApply(kubectl, busyService());
    const warning = await until(async () => {
      const events = await kubectlJson<{ items: CoreV1Event[] }>(kubectl, [
        'get',
        'events',
        '--field-selector',
        'involvedObject.name=web-busy',
      ]);
      return events.items.find((e) => e.type === 'Warning');
    }, 'a Warning event on web-busy');
    expect(warning.reason).toBe('HostPortInUse');
    expect(warning.message).toContain(`localhost:${busyPort}`);
    expect(warning.source?.component).toBe('kubedesk-service-exposure');
    const svc = await kubectlJson<V1Service>(kubectl, ['get', 'service', 'web-busy']);
    expect(svc.status?.loadBalancer?.ingress).toBeUndefined();
    const described = await kubectlOk(kubectl, ['describe', 'service', 'web-busy']);
    expect(described).toContain('HostPortInUse');
  });

  it('frees the host port when the Service is deleted', async () => {
    await kubectlOk(kubectl, ['delete', 'service', 'web-lb']);
    // The engine frees the port when it stops the container, just before removing it.
    const gone = async () => {
      const names = (await forwarderContainers()).flatMap((c) => c.Names);
      return names.includes(`/${cluster}-port-${lbPort}-tcp`) ? undefined : true;
    };
    await until(gone, `the forwarder of port ${lbPort} to be removed`, 30_000);
    expect(await portIsFree(lbPort)).toBe(true);
  });

  it('keeps node addresses and NodePorts across stop and start', async () => {
    const before = await nodeAddresses();
    expect((await cli(['stop'])).code).toBe(0);
    const start = await cli(['start', '--nodes', '2'], 600_000);
    expect(start.code).toBe(0);
    expect(await nodeAddresses()).toEqual(before);
    await readyWebPod();
    const nodePort = await nodePortOf();
    expect(await answers(`http://localhost:${nodePort}/`, `localhost:${nodePort} after restart`)).toMatch(
      /^hello from web-/,
    );
  });

  it('port-forwards svc/web-np through the API server, and keeps answering after its pod is replaced', async () => {
    portForward = startKubedesk(dataDir, ['port-forward', 'svc/web-np', ':80']);
    const [, localPort] = await portForward.waitFor(/Forwarding from 127\.0\.0\.1:(\d+) -> 80/);
    const url = `http://127.0.0.1:${localPort}/`;
    const first = await readyWebPod();
    const firstAnswer = await until(() => get(url), 'an answer through kubedesk port-forward', 30_000).catch(
      (err: Error) => {
        throw new Error(`${err.message}\nkubedesk port-forward printed:\n${portForward?.output()}`);
      },
    );
    expect(firstAnswer).toBe(`hello from ${first.metadata?.name}\n`);
    await kubectlOk(kubectl, ['delete', 'pod', first.metadata?.name ?? '', '--wait=false']);
    const answer = await until(async () => {
      const text = await get(url);
      return text.includes(first.metadata?.name ?? '') ? undefined : text;
    }, 'an answer from the replacement pod');
    const second = await readyWebPod();
    expect(answer).toBe(`hello from ${second.metadata?.name}\n`);
    expect(await get(url)).toBe(answer);
  });
});
