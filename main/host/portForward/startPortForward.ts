import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { AppsV1Api, CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { labelSelectorFromObject } from '../../../cluster/registry/selectors/labelSelector';
import {
  chooseReadyPod,
  type PortForwardTarget,
  parseTarget,
  servicePortToPodPort,
} from './portForwardTarget';
import { PortForwardTunnel } from './portForwardTunnel';

// `kubedesk port-forward` and the UI's port-forward action: listens on a local port and sends each
// connection through the API server's pods/portforward to a Ready pod of the target, chosen anew
// per connection, so forwarding keeps working while pods are replaced.

export interface PortForwardOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  /** `svc/<name>`, `pod/<name>` (or a bare pod name), `deploy/<name>`. */
  target: string;
  /** 0 picks a free port. */
  localPort: number;
  /** The Service port for svc/…, else the pod's port. */
  remotePort: number;
  /** Default 127.0.0.1. */
  address?: string;
  /** A connection that could not be forwarded (no Ready pod, the pod refused); kubectl prints these. */
  onConnectionError?: (err: Error) => void;
}

export interface PortForward {
  address: string;
  localPort: number;
  stop(): Promise<void>;
}

/** A Status message from the API server (client-node's ApiException carries the body), else the error's own. */
function apiErrorMessage(err: unknown): Error {
  const body = (err as { body?: unknown }).body;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  }
  const message = (parsed as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? new Error(message, { cause: err }) : (err as Error);
}

interface Backend {
  pod: string;
  port: number;
}

function backendResolver(
  kubeConfig: KubeConfig,
  namespace: string,
  target: PortForwardTarget,
  remotePort: number,
) {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const podsMatching = async (selector: string) =>
    (await core.listNamespacedPod({ namespace, labelSelector: selector })).items;
  const named = (pod: V1Pod) => pod.metadata?.name ?? '';

  const resolve = async (): Promise<Backend> => {
    switch (target.kind) {
      case 'pod': {
        const pod = await core.readNamespacedPod({ namespace, name: target.name });
        if (pod.status?.phase !== 'Running') {
          throw new Error(
            `unable to forward port because pod is not running. Current status=${pod.status?.phase}`,
          );
        }
        return { pod: named(pod), port: remotePort };
      }
      case 'service': {
        const svc = await core.readNamespacedService({ namespace, name: target.name });
        const selector = svc.spec?.selector;
        if (!selector || Object.keys(selector).length === 0) {
          throw new Error(`service ${target.name} has no selector, so no pod to forward to`);
        }
        const text = Object.entries(selector)
          .map(([key, value]) => `${key}=${value}`)
          .join(',');
        const pod = chooseReadyPod(await podsMatching(text), `service/${target.name}`);
        return { pod: named(pod), port: servicePortToPodPort(svc, remotePort, pod) };
      }
      case 'deployment': {
        const deployment = await apps.readNamespacedDeployment({ namespace, name: target.name });
        const selector = labelSelectorFromObject(deployment.spec?.selector).toString();
        const pod = chooseReadyPod(await podsMatching(selector), `deployment/${target.name}`);
        return { pod: named(pod), port: remotePort };
      }
    }
  };
  return () =>
    resolve().catch((err: unknown) => {
      throw apiErrorMessage(err);
    });
}

export async function startPortForward(options: PortForwardOptions): Promise<PortForward> {
  const { kubeConfig, namespace, remotePort } = options;
  const address = options.address ?? '127.0.0.1';
  const resolve = backendResolver(kubeConfig, namespace, parseTarget(options.target), remotePort);
  // Fail at once, as kubectl does, when the target or its port does not exist.
  await resolve();
  const tunnel = new PortForwardTunnel(kubeConfig);
  const sockets = new Set<Socket>();
  const report = (err: Error) => options.onConnectionError?.(err);
  const server = createServer({ pauseOnConnect: true, allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', report);
    resolve()
      .then((backend) => tunnel.connect(namespace, backend.pod, backend.port, socket))
      .catch((err: Error) => {
        report(err);
        socket.destroy();
      });
  });
  server.listen(options.localPort, address);
  await once(server, 'listening');
  return {
    address,
    localPort: (server.address() as AddressInfo).port,
    async stop() {
      const closed = once(server, 'close');
      server.close();
      tunnel.close();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
