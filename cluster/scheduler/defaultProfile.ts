// The plugins of kube-scheduler's default profile, in its order (which decides the reason a node
// reports when several filters would reject it) and with its score weights.

import { balancedAllocationScore } from './plugins/balancedAllocation';
import { defaultSpreadSelector, type WorkloadLookups } from './plugins/defaultSpreadSelector';
import { imageLocalityScore } from './plugins/imageLocality';
import { interPodAffinityFilter } from './plugins/interPodAffinity';
import { interPodAffinityScore } from './plugins/interPodAffinityScore';
import { nodeAffinityFilter, nodeAffinityScore } from './plugins/nodeAffinity';
import { nodeName } from './plugins/nodeName';
import { nodePorts } from './plugins/nodePorts';
import { nodeReady } from './plugins/nodeReady';
import { leastAllocatedScore, nodeResourcesFitFilter } from './plugins/nodeResourcesFit';
import { nodeUnschedulable } from './plugins/nodeUnschedulable';
import { podTopologySpreadFilter } from './plugins/podTopologySpread';
import { podTopologySpreadScore } from './plugins/podTopologySpreadScore';
import { taintTolerationFilter, taintTolerationScore } from './plugins/taintToleration';
import { type VolumeLookups, volumeBinding } from './plugins/volumeBinding';
import type { Profile } from './schedulingAlgorithm';

export function defaultProfile(lookups: { volumes: VolumeLookups; workloads: WorkloadLookups }): Profile {
  const spreadSelector = defaultSpreadSelector(lookups.workloads);
  return {
    filters: [
      nodeReady,
      nodeUnschedulable,
      nodeName,
      taintTolerationFilter,
      nodeAffinityFilter,
      nodePorts,
      nodeResourcesFitFilter,
      volumeBinding(lookups.volumes),
      podTopologySpreadFilter(spreadSelector),
      interPodAffinityFilter,
    ],
    scorers: [
      taintTolerationScore,
      nodeAffinityScore,
      leastAllocatedScore,
      podTopologySpreadScore(spreadSelector),
      interPodAffinityScore,
      balancedAllocationScore,
      imageLocalityScore,
    ],
  };
}

/** Which plugins' rejections each kind of cluster event may resolve (EventsToRegister). */
export const eventPlugins = {
  assignedPodAdded: new Set(['InterPodAffinity', 'PodTopologySpread']),
  assignedPodUpdated: new Set(['InterPodAffinity', 'PodTopologySpread']),
  assignedPodDeleted: new Set([
    'NodeResourcesFit',
    'NodePorts',
    'InterPodAffinity',
    'PodTopologySpread',
    'VolumeBinding',
  ]),
  volumeChanged: new Set(['VolumeBinding']),
};
