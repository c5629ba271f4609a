// The FailedScheduling message, byte for byte as kube-scheduler's FitError.Error():
//   "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient memory. preemption: …"
// Reasons are counted per node, printed as "<count> <reason>" and sorted as strings; a PreFilter
// rejection replaces the per-node part; the PostFilter (preemption) message follows.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/types.go

export const errNoNodesAvailable = 'no nodes available to schedule pods';

export interface FitError {
  numAllNodes: number;
  /** The reasons of each node that was evaluated and rejected. */
  nodeReasons: Iterable<readonly string[]>;
  /** Reasons for the nodes not in nodeReasons (preemption's "Preemption is not helpful ..."). */
  absentNodes?: { count: number; reasons: readonly string[] };
  /** A PreFilter rejection's message, which stands for every node. */
  preFilterMessage?: string;
  /** The PostFilter message, e.g. "preemption: 0/3 nodes are available: ...". */
  postFilterMessage?: string;
}

export function fitErrorMessage(error: FitError): string {
  let message = `0/${error.numAllNodes} nodes are available:`;
  if (error.preFilterMessage) {
    message += ` ${error.preFilterMessage}.`;
  } else {
    const counts = new Map<string, number>();
    for (const reasons of error.nodeReasons) {
      for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
    if (error.absentNodes && error.absentNodes.count > 0) {
      for (const reason of error.absentNodes.reasons) {
        counts.set(reason, (counts.get(reason) ?? 0) + error.absentNodes.count);
      }
    }
    // Go's sort.Strings compares bytes, which is what < does on these ASCII strings.
    const histogram = [...counts]
      .map(([reason, count]) => `${count} ${reason}`)
      .sort((a, b) => (a < b ? -1 : 1));
    if (histogram.length > 0) message += ` ${histogram.join(', ')}.`;
  }
  if (error.postFilterMessage) message += ` ${error.postFilterMessage}`;
  return message;
}
