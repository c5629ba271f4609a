import type { KubernetesObject } from '@kubernetes/client-node';
import { type ComposeProgressListener, newComposeOpId, type ObjectRef } from './composeEvents';
import { applyRank } from './composeKinds';
import { composeServiceLabel } from './composeLabels';
import { apiErrorMessage, isNotFound, openKubeClient } from './kubeClient';
import { sharedGroup } from './objectsByService';
import { listProjectNamespaces, listProjectObjects } from './projectObjects';

// `compose down`: removes what `up` created for a project, found by the project label. Claims (the
// data) stay unless `volumes` is set, like `docker compose down -v`; so does a namespace `up`
// created while a kept claim lives in it.

export interface ComposeDownOptions {
  kubeconfigPath: string;
  project: string;
  /** Only this namespace; default every namespace. */
  namespace?: string;
  volumes?: boolean;
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
    for (const object of members) {
      try {
        await client.delete(object, undefined, undefined, undefined, undefined, 'Background');
        removed.push(refOf(object));
      } catch (err) {
        if (isNotFound(err)) continue;
        failures.push(`${object.kind} ${object.metadata?.name}: ${apiErrorMessage(err)}`);
      }
    }
    if (failures.length > 0) emit('failed', { error: failures.join('; ') });
    else emit('done', { message: `removed ${members.length} objects` });
    errors.push(...failures);
  }
  const keptNamespaces = new Set(kept.map((k) => k.namespace));
  for (const name of await listProjectNamespaces(client, options.project)) {
    if (keptNamespaces.has(name) || (options.namespace && options.namespace !== name)) continue;
    try {
      await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      removed.push({ apiVersion: 'v1', kind: 'Namespace', name });
    } catch (err) {
      if (!isNotFound(err)) errors.push(`Namespace ${name}: ${apiErrorMessage(err)}`);
    }
  }
  if (errors.length > 0) throw new Error(`compose down ${options.project}: ${errors.join('; ')}`);
  return { removed, kept };
}

function refOf(object: KubernetesObject): ObjectRef {
  return {
    apiVersion: object.apiVersion ?? 'v1',
    kind: object.kind ?? '',
    name: object.metadata?.name ?? '',
    ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}),
  };
}
