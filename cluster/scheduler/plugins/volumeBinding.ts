// VolumeBinding: a pod's PersistentVolumeClaims must be usable on the node. Bound claims need
// their PV's node affinity to match; unbound claims of a WaitForFirstConsumer class need an
// available PV reachable from the node or a class that can provision there (allowedTopologies);
// unbound claims of an Immediate class must wait for the volume controller. Reasons and codes as
// kube-scheduler's volumebinding plugin.

import type {
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1StorageClass,
  V1TopologySelectorTerm,
} from '@kubernetes/client-node';
import { labelSelectorFromObject } from '../../registry/selectors';
import { type FilterPlugin, type Rejection, rejection } from '../framework';
import type { NodeInfo } from '../nodeInfo';
import { nodeSelectorPredicate } from '../nodeSelectors';
import { unitValue } from '../quantity';

export const errReasonBindConflict = "node(s) didn't find available persistent volumes to bind";
export const errReasonNodeConflict = 'node(s) had volume node affinity conflict';
export const errReasonPVNotExist =
  'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const errReasonUnboundImmediate = 'pod has unbound immediate PersistentVolumeClaims';

const noProvisioner = 'kubernetes.io/no-provisioner';

export interface VolumeLookups {
  claim(namespace: string, name: string): V1PersistentVolumeClaim | undefined;
  volume(name: string): V1PersistentVolume | undefined;
  storageClass(name: string): V1StorageClass | undefined;
  /** PVs of a storage class ("" for none). */
  volumesOfClass(className: string): readonly V1PersistentVolume[];
  /** PVs promised to another pod being bound right now. */
  isVolumeReserved(name: string): boolean;
}

/** Claim names the pod uses: persistentVolumeClaim volumes and generic ephemeral volumes. */
export function podClaimNames(pod: V1Pod): string[] {
  const names: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim) names.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) names.push(`${pod.metadata?.name ?? ''}-${v.name}`);
  }
  return names;
}

function matchesTopology(terms: readonly V1TopologySelectorTerm[] | undefined, node: NodeInfo): boolean {
  if (!terms || terms.length === 0) return true;
  return terms.some((term) =>
    (term.matchLabelExpressions ?? []).every((e) => (e.values ?? []).includes(node.labels[e.key] ?? '\0')),
  );
}

function volumeReachable(pv: V1PersistentVolume, node: NodeInfo): boolean {
  const required = pv.spec?.nodeAffinity?.required;
  return !required || nodeSelectorPredicate(required)(node);
}

function capacity(pv: V1PersistentVolume): number {
  const storage = pv.spec?.capacity?.storage;
  return storage === undefined ? 0 : unitValue(storage);
}

/** The smallest available PV that satisfies the claim on this node (findMatchingVolume), if any. */
export function matchingVolume(
  claim: V1PersistentVolumeClaim,
  node: NodeInfo,
  lookups: VolumeLookups,
  taken: ReadonlySet<string> = new Set(),
): V1PersistentVolume | undefined {
  const className = claim.spec?.storageClassName ?? '';
  const requested = unitValue(claim.spec?.resources?.requests?.storage ?? '0');
  const modes = claim.spec?.accessModes ?? [];
  const volumeMode = claim.spec?.volumeMode ?? 'Filesystem';
  const selector = claim.spec?.selector ? labelSelectorFromObject(claim.spec.selector) : undefined;
  const claimUid = claim.metadata?.uid;
  let best: V1PersistentVolume | undefined;
  for (const pv of lookups.volumesOfClass(className)) {
    const name = pv.metadata?.name ?? '';
    if (taken.has(name) || lookups.isVolumeReserved(name) || pv.metadata?.deletionTimestamp) continue;
    const ref = pv.spec?.claimRef;
    const preBound =
      ref !== undefined &&
      ref.name === claim.metadata?.name &&
      ref.namespace === claim.metadata?.namespace &&
      (!ref.uid || ref.uid === claimUid);
    if (ref && !preBound) continue;
    if (!preBound && pv.status?.phase !== 'Available') continue;
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== volumeMode) continue;
    if (!modes.every((m) => pv.spec?.accessModes?.includes(m))) continue;
    if (capacity(pv) < requested) continue;
    if (selector && !selector.matches(pv.metadata?.labels)) continue;
    if (!volumeReachable(pv, node)) continue;
    if (preBound) return pv;
    if (!best || capacity(pv) < capacity(best)) best = pv;
  }
  return best;
}

export interface ClaimsOfPod {
  bound: { claim: V1PersistentVolumeClaim; volume: V1PersistentVolume | undefined }[];
  /** Unbound claims of WaitForFirstConsumer classes: bound when the pod is. */
  delayed: { claim: V1PersistentVolumeClaim; storageClass: V1StorageClass | undefined }[];
}

/** Sorts the pod's claims, or rejects the pod for every node (PreFilter). */
export function claimsOfPod(pod: V1Pod, lookups: VolumeLookups): ClaimsOfPod | Rejection | undefined {
  const names = podClaimNames(pod);
  if (names.length === 0) return undefined;
  const namespace = pod.metadata?.namespace ?? 'default';
  const result: ClaimsOfPod = { bound: [], delayed: [] };
  let immediate = false;
  for (const name of names) {
    const claim = lookups.claim(namespace, name);
    if (!claim)
      return rejection(
        'VolumeBinding',
        'UnschedulableAndUnresolvable',
        `persistentvolumeclaim "${name}" not found`,
      );
    if (claim.metadata?.deletionTimestamp) {
      return rejection(
        'VolumeBinding',
        'UnschedulableAndUnresolvable',
        `persistentvolumeclaim "${name}" is being deleted`,
      );
    }
    if (claim.spec?.volumeName) {
      result.bound.push({ claim, volume: lookups.volume(claim.spec.volumeName) });
      continue;
    }
    const storageClass = lookups.storageClass(claim.spec?.storageClassName ?? '');
    if (storageClass?.volumeBindingMode === 'WaitForFirstConsumer')
      result.delayed.push({ claim, storageClass });
    else immediate = true;
  }
  if (immediate) return rejection('VolumeBinding', 'UnschedulableAndUnresolvable', errReasonUnboundImmediate);
  return result;
}

/** Where each delayed claim would come from on this node: a static PV, or provisioning. */
export function planDelayedClaims(
  claims: ClaimsOfPod,
  node: NodeInfo,
  lookups: VolumeLookups,
): { claim: V1PersistentVolumeClaim; volume?: V1PersistentVolume }[] | undefined {
  const taken = new Set<string>();
  const plan: { claim: V1PersistentVolumeClaim; volume?: V1PersistentVolume }[] = [];
  for (const { claim, storageClass } of claims.delayed) {
    const volume = matchingVolume(claim, node, lookups, taken);
    if (volume) {
      taken.add(volume.metadata?.name ?? '');
      plan.push({ claim, volume });
      continue;
    }
    const provisioner = storageClass?.provisioner;
    if (
      !provisioner ||
      provisioner === noProvisioner ||
      !matchesTopology(storageClass?.allowedTopologies, node)
    ) {
      return undefined;
    }
    plan.push({ claim });
  }
  return plan;
}

export function volumeBinding(lookups: VolumeLookups): FilterPlugin {
  return {
    name: 'VolumeBinding',
    preFilter(pod) {
      const claims = claimsOfPod(pod.pod, lookups);
      if (claims === undefined || !('bound' in claims)) return claims;
      return (node) => {
        const reasons: string[] = [];
        let missing = false;
        let conflict = false;
        for (const { volume } of claims.bound) {
          if (!volume) missing = true;
          else if (!volumeReachable(volume, node)) conflict = true;
        }
        if (conflict) reasons.push(errReasonNodeConflict);
        if (claims.delayed.length > 0 && !planDelayedClaims(claims, node, lookups))
          reasons.push(errReasonBindConflict);
        if (missing) reasons.push(errReasonPVNotExist);
        return reasons.length > 0
          ? rejection('VolumeBinding', 'UnschedulableAndUnresolvable', ...reasons)
          : undefined;
      };
    },
  };
}
