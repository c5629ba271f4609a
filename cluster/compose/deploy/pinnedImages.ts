import type { KubernetesObject, V1PodSpec } from '@kubernetes/client-node';

// Points the containers of converted workloads at the images `compose up` just built: the pinned
// tag instead of the name in the compose file, pulled only if the node lacks it (the host sideloads
// it; no registry has it).

type WithSpec = KubernetesObject & {
  spec?: {
    template?: { spec?: V1PodSpec };
    jobTemplate?: { spec?: { template?: { spec?: V1PodSpec } } };
  } & Partial<V1PodSpec>;
};

function podSpecOf(object: WithSpec): V1PodSpec | undefined {
  if (object.kind === 'Pod') return object.spec as V1PodSpec | undefined;
  return object.spec?.template?.spec ?? object.spec?.jobTemplate?.spec?.template?.spec;
}

/** Copies of `objects` whose containers naming a key of `pinned` run its value instead. */
export function withPinnedImages(
  objects: KubernetesObject[],
  pinned: ReadonlyMap<string, string>,
): KubernetesObject[] {
  if (pinned.size === 0) return objects;
  return objects.map((object) => {
    const spec = podSpecOf(object as WithSpec);
    const containers = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
    if (!containers.some((c) => c.image && pinned.has(c.image))) return object;
    const copy = structuredClone(object) as WithSpec;
    const copied = podSpecOf(copy) as V1PodSpec;
    for (const container of [...(copied.initContainers ?? []), ...copied.containers]) {
      const image = container.image && pinned.get(container.image);
      if (!image) continue;
      container.image = image;
      container.imagePullPolicy ??= 'IfNotPresent';
    }
    return copy;
  });
}
