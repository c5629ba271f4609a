import { randomUUID } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import type { ClientOptions } from 'ws';
import type { Logger } from '../../../cluster/log';
import { connectRemoteCommand, remoteCommandProcess } from './remoteCommandSocket';
import { signalTaggedCommand, taggedShellCommand } from './taggedShell';
import type { SpawnedTerminal } from './terminalProcess';

// A shell in a pod's container through the API server's pods/exec endpoint, the path kubectl exec
// takes, authenticated with the admin client certificate of the installation's kubeconfig.

export interface PodShellOptions {
  /** The installation's kubeconfig, read at each open: the cluster may have restarted since. */
  kubeconfigPath: string;
  log: Logger;
  /** How long signalling the shell's processes may take. */
  signalTimeoutMs?: number;
}

export interface PodShellRequest {
  namespace: string;
  pod: string;
  container?: string;
  cols: number;
  rows: number;
}

const defaultContainerAnnotation = 'kubectl.kubernetes.io/default-container';

/** The container kubectl exec opens without -c: the annotated default when it exists, else the first. */
export function defaultContainer(pod: V1Pod): string | undefined {
  const names = pod.spec?.containers.map((c) => c.name) ?? [];
  const annotated = pod.metadata?.annotations?.[defaultContainerAnnotation];
  return annotated && names.includes(annotated) ? annotated : names[0];
}

/** The container asked for, checked against the pod, or the default one. */
export function chooseContainer(pod: V1Pod, asked?: string): string {
  const names = pod.spec?.containers.map((c) => c.name) ?? [];
  const name = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
  const wanted = asked ?? defaultContainer(pod);
  if (!wanted) throw new Error(`pod ${name} has no containers`);
  if (!names.includes(wanted)) {
    throw new Error(`container ${wanted} is not valid for pod ${name}: choose one of ${names.join(', ')}`);
  }
  return wanted;
}

export function execUrl(
  server: string,
  target: { namespace: string; pod: string; container: string },
  command: string[],
  options: { tty: boolean },
): URL {
  const path = `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.pod)}/exec`;
  const url = new URL(path, server);
  url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
  for (const word of command) url.searchParams.append('command', word);
  url.searchParams.set('container', target.container);
  url.searchParams.set('stdout', 'true');
  if (options.tty) {
    url.searchParams.set('stdin', 'true');
    url.searchParams.set('tty', 'true');
  } else url.searchParams.set('stderr', 'true');
  return url;
}

export function podShellSpawner(options: PodShellOptions) {
  const signalTimeoutMs = options.signalTimeoutMs ?? 5000;
  return async (request: PodShellRequest): Promise<SpawnedTerminal> => {
    // Loaded on the first pod shell: the client library alone costs the host ~70 MB of memory.
    const [{ CoreV1Api }, { apiErrorMessage }, { loadKubeConfig }] = await Promise.all([
      import('@kubernetes/client-node'),
      import('../../../cluster/compose/deploy/kubeClient'),
      import('../../../cluster/kubeconfig/loadKubeConfig'),
    ]);
    const config = loadKubeConfig(options.kubeconfigPath);
    const server = config.getCurrentCluster()?.server;
    if (!server) throw new Error(`${options.kubeconfigPath} names no cluster server`);
    const tls: ClientOptions = {};
    await config.applyToHTTPSOptions(tls);
    const pod = await config
      .makeApiClient(CoreV1Api)
      .readNamespacedPod({ namespace: request.namespace, name: request.pod })
      .catch((err: unknown) => {
        throw new Error(`pod ${request.namespace}/${request.pod}: ${apiErrorMessage(err)}`, { cause: err });
      });
    const target = {
      namespace: request.namespace,
      pod: request.pod,
      container: chooseContainer(pod, request.container),
    };
    const tag = randomUUID();
    const log = options.log.child({ pod: `${target.namespace}/${target.pod}`, container: target.container });

    const signal = async (name: 'HUP' | 'KILL') => {
      try {
        const url = execUrl(server, target, signalTaggedCommand(tag, name), { tty: false });
        const socket = await connectRemoteCommand(url, tls);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => socket.terminate(), signalTimeoutMs);
          socket.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      } catch (err) {
        // The pod or its container may be gone, and its processes with it.
        log.debug('signalling the pod shell failed', { signal: name, error: (err as Error).message });
      }
    };

    const socket = await connectRemoteCommand(
      execUrl(server, target, taggedShellCommand(tag), { tty: true }),
      tls,
    );
    const process = remoteCommandProcess(socket, { signal });
    process.resize(request.cols, request.rows);
    return { process, title: `${target.pod}/${target.container}`, notices: [] };
  };
}
