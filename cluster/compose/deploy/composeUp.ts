import { setTimeout as sleep } from 'node:timers/promises';
import {
  type KubernetesObject,
  type KubernetesObjectApi,
  PatchStrategy,
  type V1Service,
} from '@kubernetes/client-node';
import { dockerImageBuilder, type ImageBuild, type ImageBuilder } from './buildImages';
import {
  type ComposeProgress,
  type ComposeProgressListener,
  type ComposeServiceResult,
  type ComposeUpResult,
  newComposeOpId,
  type ObjectRef,
} from './composeEvents';
import { applyRank } from './composeKinds';
import { composeFieldManager, composeProjectLabel, composeServiceLabel } from './composeLabels';
import { apiErrorMessage, isNotFound, openKubeClient, toPlain } from './kubeClient';
import { groupObjectsByService, isWorkload, type ServiceGroup } from './objectsByService';
import { withPinnedImages } from './pinnedImages';
import { rolloutStatus } from './rolloutStatus';
import { serviceAddresses } from './serviceAddresses';

// `compose up`: build what has `build:`, apply the converted objects with server-side apply under
// one field manager, labelled with the project, then wait for each service to roll out.
// https://kubernetes.io/docs/reference/using-api/server-side-apply/

export interface ComposeUpOptions {
  kubeconfigPath: string;
  /** The converter's output; a Namespace among them is ignored in favour of `namespace`. */
  objects: KubernetesObject[];
  project: string;
  /** Default `default`; created (and labelled as the project's) when it does not exist. */
  namespace?: string;
  fieldManager?: string;
  /** Wait for rollout (default true). Without it every service ends `applied`. */
  wait?: boolean;
  timeoutMs?: number;
  pollIntervalMs?: number;
  /** Clock of the rollout deadline; default Date.now. */
  now?: () => number;
  builds?: ImageBuild[];
  /** Default: the host's Docker engine. */
  buildImage?: ImageBuilder;
  opId?: string;
  onProgress?: ComposeProgressListener;
  signal?: AbortSignal;
}

export async function composeUp(options: ComposeUpOptions): Promise<ComposeUpResult> {
  const opId = options.opId ?? newComposeOpId();
  const namespace = options.namespace ?? 'default';
  const fieldManager = options.fieldManager ?? composeFieldManager;
  const emit = (progress: Omit<ComposeProgress, 'opId' | 'project'>) =>
    options.onProgress?.({ opId, project: options.project, ...progress });
  const client = openKubeClient(options.kubeconfigPath);
  const { failed: failedBuilds, pinned } = await runBuilds(options, emit);

  await ensureNamespace(client, namespace, options.project);
  const groups = groupObjectsByService(
    withPinnedImages(
      options.objects.filter((o) => o.kind !== 'Namespace'),
      pinned,
    ),
  );
  const applied = new Map<string, KubernetesObject[]>();
  const results = new Map<string, ComposeServiceResult>();
  for (const group of groups) {
    options.signal?.throwIfAborted();
    const refs = group.objects.map((o) => refOf(o, namespace));
    const buildError = failedBuilds.get(group.service);
    if (buildError) {
      results.set(group.service, failure(group.service, `image build failed: ${buildError}`, refs));
      continue;
    }
    emit({
      service: group.service,
      phase: 'apply',
      state: 'running',
      message: `applying ${refs.length} objects`,
    });
    try {
      applied.set(
        group.service,
        await applyGroup(client, group, { namespace, fieldManager, project: options.project }),
      );
      emit({
        service: group.service,
        phase: 'apply',
        state: 'done',
        message: `applied ${refs.length} objects`,
      });
    } catch (err) {
      const message = apiErrorMessage(err);
      emit({ service: group.service, phase: 'apply', state: 'failed', error: message });
      results.set(group.service, failure(group.service, message, refs));
    }
  }

  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? 300_000);
  await Promise.all(
    [...applied.entries()].map(async ([service, objects]) => {
      const base = {
        service,
        objects: objects.map((o) => refOf(o, namespace)),
        addresses: objects
          .filter((o) => o.kind === 'Service')
          .flatMap((o) => serviceAddresses(o as V1Service)),
      };
      if (options.wait === false) {
        results.set(service, { ...base, state: 'applied', message: 'not waiting for rollout' });
        return;
      }
      const outcome = await waitForRollout(client, objects, {
        deadline,
        now,
        intervalMs: options.pollIntervalMs ?? 1000,
        signal: options.signal,
        report: (message) => emit({ service, phase: 'rollout', state: 'running', message }),
      });
      emit({
        service,
        phase: 'rollout',
        state: outcome.ready ? 'done' : 'failed',
        ...(outcome.ready ? { message: outcome.message } : { error: outcome.message }),
      });
      results.set(service, { ...base, state: outcome.ready ? 'ready' : 'failed', message: outcome.message });
    }),
  );
  return {
    project: options.project,
    namespace,
    services: groups.map((g) => results.get(g.service)).filter((r): r is ComposeServiceResult => !!r),
  };
}

type Emit = (progress: Omit<ComposeProgress, 'opId' | 'project'>) => void;

/**
 * Builds one at a time (they share the engine). Returns the error of each service whose build
 * failed, and for each image the workloads name, the pinned tag of what was built.
 */
async function runBuilds(
  options: ComposeUpOptions,
  emit: Emit,
): Promise<{ failed: Map<string, string>; pinned: Map<string, string> }> {
  const failed = new Map<string, string>();
  const pinned = new Map<string, string>();
  const builds = options.builds ?? [];
  if (builds.length === 0) return { failed, pinned };
  const build = options.buildImage ?? dockerImageBuilder();
  for (const spec of builds) {
    options.signal?.throwIfAborted();
    emit({ service: spec.service, phase: 'build', state: 'running', message: `building ${spec.tag}` });
    try {
      const image = await build(spec, (line) =>
        emit({ service: spec.service, phase: 'build', state: 'running', message: line }),
      );
      pinned.set(spec.image, image);
      emit({
        service: spec.service,
        phase: 'build',
        state: 'done',
        message: `built ${image} in this computer's Docker engine; nodes get it from there`,
      });
    } catch (err) {
      const message = (err as Error).message;
      emit({ service: spec.service, phase: 'build', state: 'failed', error: message });
      failed.set(spec.service, message);
    }
  }
  return { failed, pinned };
}

/** Creates the namespace when missing, labelled so `down` knows it made it; an existing one is left as is. */
async function ensureNamespace(client: KubernetesObjectApi, name: string, project: string): Promise<void> {
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
  try {
    await client.read(namespace);
    return;
  } catch (err) {
    if (!isNotFound(err)) throw new Error(`read namespace ${name}: ${apiErrorMessage(err)}`, { cause: err });
  }
  try {
    await client.create({ ...namespace, metadata: { name, labels: { [composeProjectLabel]: project } } });
  } catch (err) {
    // Created meanwhile by someone else: theirs, not ours to remove.
    if ((err as { code?: number }).code !== 409)
      throw new Error(`create namespace ${name}: ${apiErrorMessage(err)}`, { cause: err });
  }
}

/** The object as applied: in the target namespace, labelled with the project and its group. */
export function prepareForApply(
  object: KubernetesObject,
  labels: { project: string; service: string; namespace: string },
): KubernetesObject {
  const copy = structuredClone(object);
  copy.metadata = {
    ...copy.metadata,
    namespace: labels.namespace,
    labels: {
      ...copy.metadata?.labels,
      [composeProjectLabel]: labels.project,
      [composeServiceLabel]: labels.service,
    },
  };
  return copy;
}

async function applyGroup(
  client: KubernetesObjectApi,
  group: ServiceGroup,
  context: { namespace: string; fieldManager: string; project: string },
): Promise<KubernetesObject[]> {
  const out: KubernetesObject[] = [];
  const ordered = [...group.objects].sort((a, b) => applyRank(a.kind) - applyRank(b.kind));
  for (const object of ordered) {
    const body = prepareForApply(object, { ...context, service: group.service });
    try {
      const result = await client.patch(
        body,
        undefined,
        undefined,
        context.fieldManager,
        true,
        PatchStrategy.ServerSideApply,
      );
      out.push(toPlain(result));
    } catch (err) {
      throw new Error(`apply ${object.kind} ${object.metadata?.name}: ${apiErrorMessage(err)}`, {
        cause: err,
      });
    }
  }
  return out;
}

async function waitForRollout(
  client: KubernetesObjectApi,
  objects: KubernetesObject[],
  options: {
    deadline: number;
    now: () => number;
    intervalMs: number;
    signal?: AbortSignal;
    report: (message: string) => void;
  },
): Promise<{ ready: boolean; message: string }> {
  const workloads = objects.filter(isWorkload);
  if (workloads.length === 0) return { ready: true, message: 'applied (no workload to wait for)' };
  let last = '';
  for (;;) {
    const states = await Promise.all(
      workloads.map(async (w) => ({
        name: `${w.kind} ${w.metadata?.name}`,
        rollout: rolloutStatus(
          await client.read({
            ...w,
            metadata: { name: w.metadata?.name ?? '', namespace: w.metadata?.namespace ?? '' },
          }),
        ),
      })),
    );
    const failed = states.find((s) => s.rollout.state === 'failed');
    if (failed) return { ready: false, message: `${failed.name}: ${failed.rollout.message}` };
    const message = states.map((s) => `${s.name}: ${s.rollout.message}`).join('; ');
    if (states.every((s) => s.rollout.state === 'ready')) return { ready: true, message };
    if (message !== last) options.report(message);
    last = message;
    if (options.now() >= options.deadline) return { ready: false, message: `timed out waiting: ${message}` };
    await sleep(options.intervalMs, undefined, { signal: options.signal });
  }
}

function refOf(object: KubernetesObject, namespace: string): ObjectRef {
  return {
    apiVersion: object.apiVersion ?? 'v1',
    kind: object.kind ?? '',
    name: object.metadata?.name ?? '',
    namespace,
  };
}

function failure(service: string, message: string, objects: ObjectRef[]): ComposeServiceResult {
  return { service, state: 'failed', message, objects, addresses: [] };
}
