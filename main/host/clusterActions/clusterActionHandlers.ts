import { apiErrorMessage } from '../../../cluster/compose/deploy/kubeClient';
import { dataPaths } from '../../../cluster/dataDir';
import type { Logger } from '../../../cluster/log';
import type { ClusterStatusSource } from '../host';
import type {
  DeleteRequest,
  DrainRequest,
  DrainResult,
  PortForwardRequest,
  PortForwardView,
  RevisionView,
  RollbackRequest,
  RollbackResult,
  ScaleRequest,
  WorkloadRef,
} from './clusterActionsContract';
import { deleteObject } from './deleteObject';
import { type KubeApis, openKubeApis } from './kubeApis';
import { drainNode, setUnschedulable } from './nodeActions';
import { createPortForwards } from './portForwards';
import { rollbackWorkload, rolloutHistory } from './rollbackWorkload';
import { RollbackError } from './rolloutHistory';
import { restartRollout, scaleWorkload } from './workloadActions';

// The `actions.*` methods of AppApi. Each opens the admin kubeconfig the running control plane
// wrote, acts through the API server, and logs once what it did or why it failed.

export class ClusterActionError extends Error {
  override name = 'ClusterActionError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export interface ClusterActionHandlers {
  scale(request: ScaleRequest): Promise<null>;
  restart(ref: WorkloadRef): Promise<null>;
  history(ref: WorkloadRef): Promise<RevisionView[]>;
  rollback(request: RollbackRequest): Promise<RollbackResult>;
  cordon(request: { name: string; unschedulable: boolean }): Promise<null>;
  drain(request: DrainRequest): Promise<DrainResult>;
  delete(request: DeleteRequest): Promise<null>;
  portForward(request: PortForwardRequest): Promise<PortForwardView>;
  stopPortForward(ref: { id: string }): Promise<null>;
  portForwards(input: Record<string, never>): Promise<PortForwardView[]>;
}

export function createClusterActionHandlers(options: {
  dataDir: string;
  cluster: ClusterStatusSource;
  log: Logger;
}): ClusterActionHandlers {
  const log = options.log.child({ area: 'actions' });
  const forwards = createPortForwards(log);
  const apis = (): KubeApis => {
    const status = options.cluster.current();
    if (status.state !== 'running') {
      throw new ClusterActionError(`Kubernetes is not running (${status.message})`, 'ClusterNotRunning');
    }
    return openKubeApis(dataPaths(options.dataDir).kubeconfig);
  };
  // The API server's Status message is what a person can act on; rollback refusals are already words.
  const run = async <T>(
    action: string,
    fields: Record<string, unknown>,
    work: (k: KubeApis) => Promise<T>,
  ) => {
    try {
      const result = await work(apis());
      log.info(action, fields);
      return result;
    } catch (err) {
      if (err instanceof ClusterActionError || err instanceof RollbackError) throw err;
      const code = String((err as { code?: unknown }).code ?? 'Internal');
      const failure = new ClusterActionError(`${action}: ${apiErrorMessage(err)}`, code);
      log.warn(`${action} failed`, { ...fields, error: failure.message });
      throw failure;
    }
  };
  const ref = (r: { resource?: string; namespace?: string; name: string }) => ({
    ...(r.resource ? { resource: r.resource } : {}),
    object: r.namespace ? `${r.namespace}/${r.name}` : r.name,
  });

  return {
    scale: (request) =>
      run(`scale ${request.resource}`, { ...ref(request), replicas: request.replicas }, async (k) => {
        await scaleWorkload(k, request);
        return null;
      }),
    restart: (workload) =>
      run(`restart ${workload.resource}`, ref(workload), async (k) => {
        await restartRollout(k, workload);
        return null;
      }),
    history: (workload) =>
      run(`rollout history of ${workload.resource}`, ref(workload), (k) => rolloutHistory(k, workload)),
    rollback: (request) =>
      run(`roll back ${request.resource}`, { ...ref(request), revision: request.revision }, (k) =>
        rollbackWorkload(k, request),
      ),
    cordon: (request) =>
      run(request.unschedulable ? 'cordon node' : 'uncordon node', ref(request), async (k) => {
        await setUnschedulable(k, request.name, request.unschedulable);
        return null;
      }),
    drain: (request) => run('drain node', ref(request), (k) => drainNode(k, request)),
    delete: (request) =>
      run(
        `delete ${request.resource}`,
        { ...ref(request), propagation: request.propagationPolicy },
        async (k) => {
          await deleteObject(k, request);
          return null;
        },
      ),
    portForward: (request) =>
      run(
        'port-forward',
        { object: `${request.namespace}/${request.target}`, port: request.remotePort },
        (k) => forwards.start(k, request),
      ),
    stopPortForward: async ({ id }) => {
      await forwards.stop(id);
      log.info('port-forward stopped', { id });
      return null;
    },
    portForwards: async () => forwards.list(),
  };
}
