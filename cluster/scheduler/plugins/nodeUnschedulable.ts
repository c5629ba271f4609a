// NodeUnschedulable: cordoned nodes (spec.unschedulable) take no pods, except pods that tolerate
// the node.kubernetes.io/unschedulable:NoSchedule taint (DaemonSet pods do).

import type { V1Taint } from '@kubernetes/client-node';
import { type FilterPlugin, rejection } from '../framework';
import { tolerated } from '../tolerations';

export const errReasonUnschedulable = 'node(s) were unschedulable';

const unschedulableTaint: V1Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
const cordoned = rejection('NodeUnschedulable', 'UnschedulableAndUnresolvable', errReasonUnschedulable);

export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  preFilter(pod, cluster) {
    if (cluster.tally.cordoned === 0 || tolerated(unschedulableTaint, pod.pod.spec?.tolerations ?? []))
      return undefined;
    return (node) => (node.unschedulable ? cordoned : undefined);
  },
};
