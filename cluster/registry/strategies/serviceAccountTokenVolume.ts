// The part of Kubernetes' ServiceAccount admission plugin that edits the pod: unless automounting
// is turned off on the pod or its ServiceAccount, a projected `kube-api-access-<suffix>` volume
// (bound token, cluster CA, namespace) mounted read-only at the well-known path in every init
// container and container that has nothing mounted there yet.
// https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#bound-service-account-token-volume

import { randomInt } from 'node:crypto';
import type { V1PodSpec, V1ProjectedVolumeSource, V1ServiceAccount } from '@kubernetes/client-node';

export const serviceAccountTokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
export const tokenVolumePrefix = 'kube-api-access-';
/** Kubernetes' WarnOnlyBoundTokenExpirationSeconds: one hour plus seven seconds. */
export const tokenVolumeExpirationSeconds = 3607;
const projectedDefaultMode = 0o644;

const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Five characters from Kubernetes' name-suffix alphabet (no vowels, no look-alikes). */
export function randomVolumeSuffix(): string {
  let out = '';
  for (let i = 0; i < 5; i++) out += suffixAlphabet[randomInt(suffixAlphabet.length)];
  return out;
}

export function tokenVolumeSource(): V1ProjectedVolumeSource {
  return {
    defaultMode: projectedDefaultMode,
    sources: [
      { serviceAccountToken: { path: 'token', expirationSeconds: tokenVolumeExpirationSeconds } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      {
        downwardAPI: {
          items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
        },
      },
    ],
  };
}

/** The pod's setting wins over the ServiceAccount's; both unset means mount. */
export function shouldAutomountToken(spec: V1PodSpec, sa: V1ServiceAccount): boolean {
  return spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
}

/** Adds the token volume and its mounts in place; `suffix` names a new volume. */
export function mountServiceAccountToken(spec: V1PodSpec, suffix: () => string = randomVolumeSuffix): void {
  const volumes = spec.volumes ?? [];
  // Any volume with the prefix is the token volume already, so a new name cannot collide.
  const existing = volumes.find((v) => v.name.startsWith(tokenVolumePrefix));
  const name = existing?.name ?? tokenVolumePrefix + suffix();

  let needsVolume = false;
  for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
    const mounts = container.volumeMounts ?? [];
    // Something already mounted at the path (a user's own token) keeps the container as it is.
    if (mounts.some((m) => m.mountPath === serviceAccountTokenMountPath)) continue;
    container.volumeMounts = [...mounts, { name, readOnly: true, mountPath: serviceAccountTokenMountPath }];
    needsVolume = true;
  }
  if (!existing && needsVolume) spec.volumes = [...volumes, { name, projected: tokenVolumeSource() }];
}
