// NodePorts: a pod's hostPorts must be free on the node (same protocol and port, and the same IP
// or either side binding 0.0.0.0).

import { type FilterPlugin, rejection } from '../framework';

export const errReasonPortsTaken = "node(s) didn't have free ports for the requested pod ports";

const portsTaken = rejection('NodePorts', 'Unschedulable', errReasonPortsTaken);

export const nodePorts: FilterPlugin = {
  name: 'NodePorts',
  preFilter(pod) {
    const wanted = pod.hostPorts;
    if (wanted.length === 0) return undefined;
    return (node) => (wanted.some((p) => node.portInUse(p.ip, p.protocol, p.port)) ? portsTaken : undefined);
  },
};
