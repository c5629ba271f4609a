import type { CoreV1Api, V1ConfigMap, V1PersistentVolume, V1Pod, V1Secret } from '@kubernetes/client-node';

// The API objects a pod's containers and volumes read: config maps, secrets and the persistent
// volumes bound to its claims, fetched at each sync so env and volume files follow their sources.
// A missing object is left out; envResolution and volumes decide whether that is an error.

export interface PodSources {
  configMaps: Map<string, V1ConfigMap>;
  secrets: Map<string, V1Secret>;
  persistentVolume(claim: string): V1PersistentVolume | undefined;
}

export async function fetchPodSources(core: CoreV1Api, pod: V1Pod): Promise<PodSources> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const cmNames = new Set<string>();
  const secretNames = new Set<string>();
  const claims = new Set<string>();
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  for (const c of all) {
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef?.name) cmNames.add(from.configMapRef.name);
      if (from.secretRef?.name) secretNames.add(from.secretRef.name);
    }
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) cmNames.add(e.valueFrom.configMapKeyRef.name);
      if (e.valueFrom?.secretKeyRef?.name) secretNames.add(e.valueFrom.secretKeyRef.name);
    }
  }
  for (const v of pod.spec?.volumes ?? []) {
    if (v.configMap?.name) cmNames.add(v.configMap.name);
    if (v.secret?.secretName) secretNames.add(v.secret.secretName);
    if (v.persistentVolumeClaim) claims.add(v.persistentVolumeClaim.claimName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) cmNames.add(s.configMap.name);
      if (s.secret?.name) secretNames.add(s.secret.name);
    }
  }
  const configMaps = new Map<string, V1ConfigMap>();
  const secrets = new Map<string, V1Secret>();
  const pvs = new Map<string, V1PersistentVolume>();
  await Promise.all([
    ...[...cmNames].map((name) =>
      core.readNamespacedConfigMap({ name, namespace }).then(
        (cm) => void configMaps.set(name, cm),
        () => undefined,
      ),
    ),
    ...[...secretNames].map((name) =>
      core.readNamespacedSecret({ name, namespace }).then(
        (s) => void secrets.set(name, s),
        () => undefined,
      ),
    ),
    ...[...claims].map(async (name) => {
      const claim = await core
        .readNamespacedPersistentVolumeClaim({ name, namespace })
        .catch(() => undefined);
      const volumeName = claim?.spec?.volumeName;
      if (volumeName) {
        const pv = await core.readPersistentVolume({ name: volumeName }).catch(() => undefined);
        if (pv) pvs.set(name, pv);
      }
    }),
  ]);
  return { configMaps, secrets, persistentVolume: (claim: string) => pvs.get(claim) };
}
