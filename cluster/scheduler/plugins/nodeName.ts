// NodeName: a pod that names its node fits only that node.

import { type FilterPlugin, rejection } from '../framework';

export const errReasonNodeName = "node(s) didn't match the requested node name";

const otherNode = rejection('NodeName', 'UnschedulableAndUnresolvable', errReasonNodeName);

export const nodeName: FilterPlugin = {
  name: 'NodeName',
  preFilter(pod) {
    const wanted = pod.pod.spec?.nodeName;
    if (!wanted) return undefined;
    return (node) => (node.name === wanted ? undefined : otherNode);
  },
};
