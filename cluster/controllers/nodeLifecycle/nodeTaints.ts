// Pure: the taints the node lifecycle controller owns, from the node's conditions and cordon, as
// Kubernetes' TaintNodesByCondition and taint-based eviction set them. Other taints are never
// touched; a kept taint keeps its timeAdded, which is when its tolerations start counting.

import type { V1Node, V1Taint } from '@kubernetes/client-node';
import { timestamp } from '../../api/rest/restContext';

export const taintKeys = {
  notReady: 'node.kubernetes.io/not-ready',
  unreachable: 'node.kubernetes.io/unreachable',
  unschedulable: 'node.kubernetes.io/unschedulable',
  memoryPressure: 'node.kubernetes.io/memory-pressure',
  diskPressure: 'node.kubernetes.io/disk-pressure',
  pidPressure: 'node.kubernetes.io/pid-pressure',
  networkUnavailable: 'node.kubernetes.io/network-unavailable',
} as const;

const owned = new Set<string>(Object.values(taintKeys));

/** Pressure conditions that keep new pods away while True. */
const pressureTaints: [condition: string, key: string][] = [
  ['MemoryPressure', taintKeys.memoryPressure],
  ['DiskPressure', taintKeys.diskPressure],
  ['PIDPressure', taintKeys.pidPressure],
  ['NetworkUnavailable', taintKeys.networkUnavailable],
];

export function conditionStatus(node: V1Node, type: string): string | undefined {
  return node.status?.conditions?.find((c) => c.type === type)?.status;
}

/** The controller-owned taints the node should carry, without timeAdded. */
export function conditionTaints(node: V1Node): V1Taint[] {
  const taints: V1Taint[] = [];
  const ready = conditionStatus(node, 'Ready');
  const notReadyKey =
    ready === 'False' ? taintKeys.notReady : ready === 'True' ? undefined : taintKeys.unreachable;
  if (notReadyKey) {
    taints.push({ key: notReadyKey, effect: 'NoSchedule' }, { key: notReadyKey, effect: 'NoExecute' });
  }
  for (const [type, key] of pressureTaints) {
    if (conditionStatus(node, type) === 'True') taints.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) taints.push({ key: taintKeys.unschedulable, effect: 'NoSchedule' });
  return taints;
}

const same = (a: V1Taint, b: V1Taint) => a.key === b.key && a.effect === b.effect;

/**
 * The node's taints with the controller-owned ones replaced by `desired`, or undefined when
 * nothing changes. `addNoExecute: false` holds back new NoExecute taints (a zone whose nodes are
 * all unhealthy is more likely cut off from us than dead), while still removing stale ones.
 */
export function reconcileTaints(
  current: V1Taint[] = [],
  desired: V1Taint[],
  now: Date,
  options: { addNoExecute: boolean } = { addNoExecute: true },
): V1Taint[] | undefined {
  const kept = current.filter((t) => !owned.has(t.key) || desired.some((d) => same(d, t)));
  const added = desired
    .filter((d) => !current.some((t) => same(d, t)))
    .filter((d) => d.effect !== 'NoExecute' || options.addNoExecute)
    .map((d) => (d.effect === 'NoExecute' ? { ...d, timeAdded: timestamp(now) as unknown as Date } : d));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}
