import type { V1Service } from '@kubernetes/client-node';
import { composeServiceLabel } from './composeLabels';
import { openKubeClient } from './kubeClient';
import { sharedGroup } from './objectsByService';
import { listProjectObjects } from './projectObjects';
import { rolloutStatus } from './rolloutStatus';
import { serviceAddresses } from './serviceAddresses';

// `compose ps`: the project's objects in the cluster, each with its rollout state and, for
// Services, where to reach them.

export interface ComposePsRow {
  service: string;
  kind: string;
  name: string;
  namespace: string;
  state: 'ready' | 'progressing' | 'failed';
  status: string;
  addresses: string[];
}

export async function composePs(options: {
  kubeconfigPath: string;
  project: string;
  namespace?: string;
}): Promise<ComposePsRow[]> {
  const client = openKubeClient(options.kubeconfigPath);
  const objects = await listProjectObjects(client, options.project, options.namespace);
  return objects
    .map((object) => {
      const rollout = rolloutStatus(object);
      return {
        service: object.metadata?.labels?.[composeServiceLabel] ?? sharedGroup,
        kind: object.kind ?? '',
        name: object.metadata?.name ?? '',
        namespace: object.metadata?.namespace ?? '',
        state: rollout.state,
        status: rollout.message,
        addresses: object.kind === 'Service' ? serviceAddresses(object as V1Service) : [],
      };
    })
    .sort(
      (a, b) =>
        a.service.localeCompare(b.service) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name),
    );
}
