// NodeReady: a node whose Ready condition is not True takes no new pods. Kubernetes expresses this
// with the node.kubernetes.io/not-ready and /unreachable taints (TaintNodesByCondition); when the
// node already carries one, TaintToleration decides (so DaemonSet pods that tolerate it still land).
// Without the taint, the pod must tolerate it as if it were there.

import type { V1Taint } from '@kubernetes/client-node';
import { type FilterPlugin, rejection } from '../framework';
import { tolerated } from '../tolerations';

export const notReadyTaintKey = 'node.kubernetes.io/not-ready';
export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
export const errReasonNotReady = 'node(s) were not ready';

const notReadyTaint: V1Taint = { key: notReadyTaintKey, effect: 'NoSchedule' };
const notReady = rejection('NodeReady', 'UnschedulableAndUnresolvable', errReasonNotReady);

export const nodeReady: FilterPlugin = {
  name: 'NodeReady',
  preFilter(pod, cluster) {
    if (cluster.tally.notReady === 0 || tolerated(notReadyTaint, pod.pod.spec?.tolerations ?? []))
      return undefined;
    return (node) => {
      if (node.ready) return undefined;
      const tainted = node.taints.some((t) => t.key === notReadyTaintKey || t.key === unreachableTaintKey);
      return tainted ? undefined : notReady;
    };
  },
};
