// The DefaultStorageClass admission step: a PersistentVolumeClaim created without
// storageClassName gets the cluster's default class (the one annotated
// `storageclass.kubernetes.io/is-default-class: "true"`, the newest if several). An explicit ""
// means "no class" and is kept.
// https://kubernetes.io/docs/concepts/storage/persistent-volumes/#class-1

import type { V1PersistentVolumeClaim, V1StorageClass } from '@kubernetes/client-node';
import { builtinCatalog } from '../../registry/builtinResources';
import type { ResourceInfo } from '../../registry/resourceCatalog';
import type { KubeObject } from '../../registry/strategy';
import type { RestContext } from './restContext';

export const defaultClassAnnotation = 'storageclass.kubernetes.io/is-default-class';

const storageClasses = builtinCatalog.lookup('storage.k8s.io', 'v1', 'storageclasses') as ResourceInfo;

/** The default class among `classes`: the newest one annotated as default. */
export function defaultStorageClassName(classes: readonly V1StorageClass[]): string | undefined {
  const defaults = classes.filter((c) => c.metadata?.annotations?.[defaultClassAnnotation] === 'true');
  defaults.sort(
    (a, b) =>
      String(b.metadata?.creationTimestamp ?? '').localeCompare(
        String(a.metadata?.creationTimestamp ?? ''),
      ) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
  );
  return defaults[0]?.metadata?.name;
}

export async function admitDefaultStorageClass(ctx: RestContext, obj: KubeObject): Promise<void> {
  const claim = obj as V1PersistentVolumeClaim;
  if (claim.spec?.storageClassName !== undefined && claim.spec.storageClassName !== null) return;
  const { items } = await ctx.objects.list(storageClasses, undefined);
  const name = defaultStorageClassName(items as unknown as V1StorageClass[]);
  if (name) claim.spec = { ...claim.spec, storageClassName: name };
}
