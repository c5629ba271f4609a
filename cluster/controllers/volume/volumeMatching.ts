// Which PersistentVolume a claim can bind, as the PV controller's findMatchingVolume decides: a
// volume pre-bound to the claim wins; otherwise the smallest Available volume of the same class and
// volume mode that offers every requested access mode, enough capacity, matches the claim's
// selector and (for claims waiting on a node) is reachable from that node.
// https://kubernetes.io/docs/concepts/storage/persistent-volumes/#binding

import type { V1ObjectReference, V1PersistentVolume, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { labelSelectorFromObject } from '../../registry/selectors';
import { type LabelledNode, nodeSelectorPredicate } from '../../scheduler/nodeSelectors';
import { unitValue } from '../../scheduler/quantity';

/** The claim a claimRef names: same namespace and name, and the same uid once one is recorded. */
export function refersTo(ref: V1ObjectReference | undefined, claim: V1PersistentVolumeClaim): boolean {
  return (
    ref !== undefined &&
    ref.name === claim.metadata?.name &&
    ref.namespace === claim.metadata?.namespace &&
    (!ref.uid || ref.uid === claim.metadata?.uid)
  );
}

function storageBytes(quantity: string | undefined): number {
  return quantity === undefined ? 0 : unitValue(quantity);
}

export function findMatchingVolume(
  claim: V1PersistentVolumeClaim,
  volumes: readonly V1PersistentVolume[],
  node?: LabelledNode,
): V1PersistentVolume | undefined {
  const className = claim.spec?.storageClassName ?? '';
  const requested = storageBytes(claim.spec?.resources?.requests?.storage);
  const modes = claim.spec?.accessModes ?? [];
  const volumeMode = claim.spec?.volumeMode ?? 'Filesystem';
  const selector = claim.spec?.selector ? labelSelectorFromObject(claim.spec.selector) : undefined;
  let best: V1PersistentVolume | undefined;
  for (const pv of volumes) {
    if (pv.metadata?.deletionTimestamp) continue;
    const ref = pv.spec?.claimRef;
    const preBound = refersTo(ref, claim);
    if (ref && !preBound) continue;
    if (!preBound && pv.status?.phase !== 'Available') continue;
    if ((pv.spec?.storageClassName ?? '') !== className) continue;
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== volumeMode) continue;
    if (!modes.every((m) => pv.spec?.accessModes?.includes(m))) continue;
    const capacity = storageBytes(pv.spec?.capacity?.storage);
    if (capacity < requested) continue;
    if (selector && !selector.matches(pv.metadata?.labels ?? {})) continue;
    const required = pv.spec?.nodeAffinity?.required;
    if (node && required && !nodeSelectorPredicate(required)(node)) continue;
    if (preBound) return pv;
    if (!best || capacity < storageBytes(best.spec?.capacity?.storage)) best = pv;
  }
  return best;
}
