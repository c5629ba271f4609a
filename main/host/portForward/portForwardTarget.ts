import type { V1Pod, V1Service } from '@kubernetes/client-node';

// What `port-forward <target> [local:]remote` names, in kubectl's words: pod/x (or a bare name),
// svc/x, deploy/x; and which pod and container port one new connection goes to. Unlike kubectl,
// which picks one pod when it starts and fails once that pod is gone, a Ready pod is chosen per
// connection, so a replaced pod is no obstacle.

export type TargetKind = 'pod' | 'service' | 'deployment';

export interface PortForwardTarget {
  kind: TargetKind;
  name: string;
}

const kinds: Record<string, TargetKind> = {
  po: 'pod',
  pod: 'pod',
  pods: 'pod',
  svc: 'service',
  service: 'service',
  services: 'service',
  deploy: 'deployment',
  deployment: 'deployment',
  deployments: 'deployment',
};

/** `svc/web`, `deployment.apps/web`, `pod/x` or `x` (a pod, as kubectl reads it). */
export function parseTarget(text: string): PortForwardTarget {
  const slash = text.indexOf('/');
  if (slash < 0) {
    if (!text) throw new Error('a pod, service or deployment to forward to is required');
    return { kind: 'pod', name: text };
  }
  const type = text
    .slice(0, slash)
    .toLowerCase()
    .replace(/\.apps$/, '');
  const name = text.slice(slash + 1);
  const kind = kinds[type];
  if (!kind) throw new Error(`cannot forward to "${type}": use pod/<name>, svc/<name> or deploy/<name>`);
  if (!name || name.includes('/')) throw new Error(`"${text}" does not name one ${kind}`);
  return { kind, name };
}

export interface PortPair {
  /** 0: any free port. */
  localPort: number;
  remotePort: number;
}

const port = (text: string, allowZero: boolean) => {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65_535 || (value === 0 && !allowZero)) {
    throw new Error(`"${text}" is not a valid port`);
  }
  return value;
};

/** kubectl's forms: `8080:80`, `80` (same port locally), `:80` (any free local port). */
export function parsePortPair(text: string): PortPair {
  const [local, remote, extra] = text.split(':');
  if (extra !== undefined || local === undefined)
    throw new Error(`"${text}" is not [LOCAL_PORT:]REMOTE_PORT`);
  if (remote === undefined) return { localPort: port(local, false), remotePort: port(local, false) };
  return { localPort: local === '' ? 0 : port(local, true), remotePort: port(remote, false) };
}

/** A pod that takes traffic: running, Ready, not being deleted. */
export const podIsReady = (pod: V1Pod): boolean =>
  !pod.metadata?.deletionTimestamp &&
  pod.status?.phase === 'Running' &&
  !!pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

/** One of the Ready pods, spread like a Service spreads connections; `random` is injectable for tests. */
export function chooseReadyPod(pods: V1Pod[], describe: string, random: () => number = Math.random): V1Pod {
  const ready = pods.filter(podIsReady);
  if (ready.length === 0) throw new Error(`no Ready pod behind ${describe}`);
  return ready[Math.floor(random() * ready.length)] ?? (ready[0] as V1Pod);
}

/**
 * The pod port a Service port leads to, as kubectl translates it: the Service port must exist;
 * a numeric targetPort is used as is, a named one is looked up among the pod's container ports.
 */
export function servicePortToPodPort(svc: V1Service, remotePort: number, pod: V1Pod): number {
  const name = svc.metadata?.name ?? '';
  const servicePort = svc.spec?.ports?.find((p) => p.port === remotePort);
  if (!servicePort) throw new Error(`Service ${name} does not have a service port ${remotePort}`);
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const container of pod.spec?.containers ?? []) {
    const found = container.ports?.find((p) => p.name === target);
    if (found) return found.containerPort;
  }
  throw new Error(
    `pod ${pod.metadata?.name} has no container port named ${target} (Service ${name} port ${remotePort})`,
  );
}
