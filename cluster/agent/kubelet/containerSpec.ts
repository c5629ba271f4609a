import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { ContainerCreateOptions } from 'dockerode';
import { dockerCommand } from './commandArgs';
import { labels } from './containerLabels';
import { parseQuantity } from './envResolution';

// Pure: the Docker create options for one attempt of a pod container joined to the pod's infra
// container (shared network and IPC, shared PID with shareProcessNamespace).

export interface ContainerPlan {
  pod: V1Pod;
  container: V1Container;
  kind: 'init' | 'app';
  attempt: number;
  infraId: string;
  env: Record<string, string>;
  /** Volume name → directory on the node. */
  volumeDirs: Map<string, string>;
}

function user(pod: V1Pod, container: V1Container): string | undefined {
  const uid = container.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser;
  const gid = container.securityContext?.runAsGroup ?? pod.spec?.securityContext?.runAsGroup;
  if (uid === undefined) return gid === undefined ? undefined : `0:${gid}`;
  return gid === undefined ? String(uid) : `${uid}:${gid}`;
}

export function containerCreateOptions(plan: ContainerPlan): ContainerCreateOptions {
  const { pod, container, infraId } = plan;
  const security = container.securityContext;
  const limits = container.resources?.limits ?? {};
  const binds: string[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const dir = plan.volumeDirs.get(mount.name);
    if (!dir) throw new Error(`volume "${mount.name}" is not defined by the pod`);
    const source = mount.subPath ? `${dir}/${mount.subPath}` : dir;
    binds.push(`${source}:${mount.mountPath}${mount.readOnly ? ':ro' : ''}`);
  }
  const runAs = user(pod, container);
  const groups = pod.spec?.securityContext?.supplementalGroups?.map(String);
  return {
    name: `k8s_${container.name}_${pod.metadata?.name}_${pod.metadata?.namespace}_${pod.metadata?.uid}_${plan.attempt}`,
    Image: container.image,
    ...dockerCommand(container, plan.env),
    Env: Object.entries(plan.env).map(([k, v]) => `${k}=${v}`),
    ...(container.workingDir ? { WorkingDir: container.workingDir } : {}),
    ...(runAs ? { User: runAs } : {}),
    Tty: !!container.tty,
    OpenStdin: !!container.stdin,
    StdinOnce: !!container.stdinOnce,
    Labels: {
      [labels.podUid]: pod.metadata?.uid ?? '',
      [labels.podName]: pod.metadata?.name ?? '',
      [labels.podNamespace]: pod.metadata?.namespace ?? '',
      [labels.container]: container.name,
      [labels.attempt]: String(plan.attempt),
      [labels.kind]: plan.kind,
    },
    HostConfig: {
      NetworkMode: `container:${infraId}`,
      IpcMode: `container:${infraId}`,
      ...(pod.spec?.shareProcessNamespace ? { PidMode: `container:${infraId}` } : {}),
      Binds: binds,
      Privileged: !!security?.privileged,
      ReadonlyRootfs: !!security?.readOnlyRootFilesystem,
      CapAdd: security?.capabilities?.add ?? [],
      CapDrop: security?.capabilities?.drop ?? [],
      ...(groups?.length ? { GroupAdd: groups } : {}),
      ...(limits.memory ? { Memory: Math.round(parseQuantity(String(limits.memory))) } : {}),
      ...(limits.cpu ? { NanoCpus: Math.round(parseQuantity(String(limits.cpu)) * 1e9) } : {}),
      LogConfig: { Type: 'json-file', Config: {} },
    },
  };
}
