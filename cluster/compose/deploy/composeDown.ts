import { setTimeout as sleep } from 'node:timers/promises';
import type { KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { type ComposeProgressListener, newComposeOpId, type ObjectRef } from './composeEvents';
import { applyRank } from './composeKinds';
import { composeServiceLabel } from './composeLabels';
import { apiErrorMessage, isNotFound, openKubeClient } from './kubeClient';
import { sharedGroup } from './objectsByService';
import { listProjectNamespaces, listProjectObjects } from './projectObjects';

// `compose down`: removes what `up` created for a project, found by the project label. Claims (the
// data) stay unless `volumes` is set, like `docker compose down -v`; so does a namespace `up`
// created while a kept claim lives in it. Like `kubectl delete`, it returns once what it deleted is
// gone: finalizers (a claim's pvc-protection, a namespace's) can hold an object for a while.

export interface ComposeDownOptions {
  kubeconfigPath: string;
  project: string;
  /** Only this namespace; default every namespace. */
  namespace?: string;
  volumes?: boolean;
  /** How long to wait for deleted objects to be gone (default 120 s). */
  timeoutMs?: number;
  pollIntervalMs?: number;
  opId?: string;
  onProgress?: ComposeProgressListener;
}

export interface ComposeDownResult {
  removed: ObjectRef[];
  /** Claims left in place because `volumes` was not set. */
  kept: ObjectRef[];
}

export async function composeDown(options: ComposeDownOptions): Promise<ComposeDownResult> {
  const opId = options.opId ?? newComposeOpId();
  const client = openKubeClient(options.kubeconfigPath);
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const untilGone = (objects: KubernetesObject[], report: (message: string) => void) =>
    waitUntilGone(client, objects, { deadline, intervalMs: options.pollIntervalMs ?? 500, report });
  const objects = await listProjectObjects(client, options.project, options.namespace);
  const isKept = (o: KubernetesObject) => o.kind === 'PersistentVolumeClaim' && !options.volumes;
  const kept = objects.filter(isKept).map(refOf);
  const doomed = objects.filter((o) => !isKept(o)).sort((a, b) => applyRank(b.kind) - applyRank(a.kind));
  const byService = new Map<string, KubernetesObject[]>();
  for (const object of doomed) {
    const service = object.metadata?.labels?.[composeServiceLabel] ?? sharedGroup;
    byService.set(service, [...(byService.get(service) ?? []), object]);
  }
  const removed: ObjectRef[] = [];
  const errors: string[] = [];
  for (const [service, members] of byService) {
    const emit = (state: 'running' | 'done' | 'failed', text: { message?: string; error?: string }) =>
      options.onProgress?.({ opId, project: options.project, service, phase: 'remove', state, ...text });
    emit('running', { message: `removing ${members.length} objects` });
    const failures: string[] = [];
    const deleted: KubernetesObject[] = [];
    for (const object of members) {
      try {
        await client.delete(object, undefined, undefined, undefined, undefined, 'Background');
        deleted.push(object);
        removed.push(refOf(object));
      } catch (err) {
        if (isNotFound(err)) continue;
        failures.push(`${object.kind} ${object.metadata?.name}: ${apiErrorMessage(err)}`);
      }
    }
    failures.push(...(await untilGone(deleted, (message) => emit('running', { message }))));
    if (failures.length > 0) emit('failed', { error: failures.join('; ') });
    else emit('done', { message: `removed ${members.length} objects` });
    errors.push(...failures);
  }
  const keptNamespaces = new Set(kept.map((k) => k.namespace));
  const namespaces: KubernetesObject[] = [];
  for (const name of await listProjectNamespaces(client, options.project)) {
    if (keptNamespaces.has(name) || (options.namespace && options.namespace !== name)) continue;
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
    try {
      await client.delete(namespace);
      namespaces.push(namespace);
      removed.push({ apiVersion: 'v1', kind: 'Namespace', name });
    } catch (err) {
      if (!isNotFound(err)) errors.push(`Namespace ${name}: ${apiErrorMessage(err)}`);
    }
  }
  errors.push(...(await untilGone(namespaces, () => {})));
  if (errors.length > 0) throw new Error(`compose down ${options.project}: ${errors.join('; ')}`);
  return { removed, kept };
}

/** Polls until every object reads 404; returns one message per object still there at the deadline. */
async function waitUntilGone(
  client: KubernetesObjectApi,
  objects: KubernetesObject[],
  options: { deadline: number; intervalMs: number; report: (message: string) => void },
): Promise<string[]> {
  let left = objects;
  let last = '';
  while (left.length > 0) {
    const still = await Promise.all(
      left.map((object) =>
        client.read(headerOf(object)).then(
          (current) => ({ object, current: current as KubernetesObject | undefined }),
          (err: unknown) => {
            if (isNotFound(err)) return { object, current: undefined };
            throw err;
          },
        ),
      ),
    );
    const present = still.filter((s) => s.current);
    left = present.map((s) => s.object);
    if (left.length === 0) break;
    const describe = present.map(({ object, current }) => {
      const finalizers = current?.metadata?.finalizers ?? [];
      return `${object.kind} ${object.metadata?.name}${finalizers.length > 0 ? ` (finalizers: ${finalizers.join(', ')})` : ''}`;
    });
    if (Date.now() >= options.deadline) return describe.map((d) => `${d} is still being deleted`);
    const message = `waiting for ${describe.join(', ')} to go`;
    if (message !== last) options.report(message);
    last = message;
    await sleep(options.intervalMs);
  }
  return [];
}

const headerOf = (object: KubernetesObject) => ({
  apiVersion: object.apiVersion ?? 'v1',
  kind: object.kind ?? '',
  metadata: { name: object.metadata?.name ?? '', namespace: object.metadata?.namespace ?? '' },
});

function refOf(object: KubernetesObject): ObjectRef {
  return {
    apiVersion: object.apiVersion ?? 'v1',
    kind: object.kind ?? '',
    name: object.metadata?.name ?? '',
    ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}),
  };
}
