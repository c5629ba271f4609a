import type { ImageBuilder } from '../../../cluster/compose/deploy/buildImages';
import type { ComposeProgress } from '../../../cluster/compose/deploy/composeEvents';
import { newComposeOpId } from '../../../cluster/compose/deploy/composeEvents';
import { dataPaths } from '../../../cluster/dataDir';
import type { Logger } from '../../../cluster/log';
import type { AppApiHandlers } from '../appApi';
import type { ClusterStatusSource } from '../host';
import type { OperationSink } from '../operations/operationsRegistry';
import { type ConvertSourceOptions, convertComposeSource } from './composeConversion';

// The compose import's AppApi handlers: `compose.convert|up|down|status` and the `compose.progress`
// stream every deploy and removal reports on. The deploy code (Kubernetes client, Docker) loads on
// first use: most sessions never deploy, and it costs the host ~100 MB of memory.

export class ComposeUnavailableError extends Error {
  override name = 'ComposeUnavailableError';
  constructor(
    message: string,
    readonly code: 'ClusterNotRunning' | 'InvalidCompose',
  ) {
    super(message);
  }
}

export interface ComposeHandlerOptions extends ConvertSourceOptions {
  dataDir: string;
  log: Logger;
  cluster: ClusterStatusSource;
  /** Default: the host's Docker engine. */
  buildImage?: ImageBuilder;
  /** Where deploys show their steps (the status bar). */
  operations?: OperationSink;
}

export interface ComposeHandlers {
  methods: AppApiHandlers['methods']['compose'];
  progress: AppApiHandlers['topics']['compose.progress'];
}

export function createComposeHandlers(options: ComposeHandlerOptions): ComposeHandlers {
  const listeners = new Set<(progress: ComposeProgress) => void>();
  const broadcast = (progress: ComposeProgress) => {
    for (const listener of listeners) listener(progress);
  };
  // The control plane writes the admin kubeconfig here whenever it runs.
  const kubeconfigPath = () => {
    const status = options.cluster.current();
    if (status.state !== 'running') {
      throw new ComposeUnavailableError(
        `Kubernetes is not running (${status.message}): start it first in Settings or with kubedesk start`,
        'ClusterNotRunning',
      );
    }
    return dataPaths(options.dataDir).kubeconfig;
  };
  const log = options.log.child({ area: 'compose' });

  return {
    methods: {
      convert: async (request) => convertComposeSource(request, options).view,
      async up(request) {
        const path = kubeconfigPath();
        const { view, objects, builds } = convertComposeSource(request, options);
        if (view.error) throw new ComposeUnavailableError(view.error.message, 'InvalidCompose');
        const opId = request.opId ?? newComposeOpId();
        const op = options.operations?.begin(`Deploy compose project ${view.project}`, {
          retry: () => this.up({ ...request, opId: newComposeOpId() }),
        });
        const { composeUp } = await import('../../../cluster/compose/deploy/composeUp');
        const result = await composeUp({
          kubeconfigPath: path,
          objects,
          project: view.project,
          namespace: view.namespace,
          wait: request.wait,
          timeoutMs: request.timeoutSeconds * 1000,
          builds,
          ...(options.buildImage ? { buildImage: options.buildImage } : {}),
          opId,
          onProgress: (progress) => {
            broadcast(progress);
            op?.progress({
              ...progress,
              step: `${progress.service}: ${progress.phase}`,
              detail: progress.message,
            });
          },
        }).catch((err: unknown) => {
          op?.fail(err);
          throw err;
        });
        const failed = result.services.filter((s) => s.state === 'failed');
        if (failed.length > 0)
          op?.fail(new Error(failed.map((s) => `${s.service}: ${s.message}`).join('; ')));
        else op?.succeed();
        log.info('compose project deployed', {
          project: result.project,
          namespace: result.namespace,
          failed: result.services.filter((s) => s.state === 'failed').map((s) => s.service),
        });
        return { opId, ...result };
      },
      async down(request) {
        const { composeDown } = await import('../../../cluster/compose/deploy/composeDown');
        const result = await composeDown({
          kubeconfigPath: kubeconfigPath(),
          project: request.project,
          volumes: request.volumes,
          ...(request.namespace ? { namespace: request.namespace } : {}),
          onProgress: broadcast,
        });
        log.info('compose project removed', { project: request.project, removed: result.removed.length });
        return result;
      },
      async status(request) {
        const { composePs } = await import('../../../cluster/compose/deploy/composePs');
        const rows = await composePs({
          kubeconfigPath: kubeconfigPath(),
          project: request.project,
          ...(request.namespace ? { namespace: request.namespace } : {}),
        });
        return { rows };
      },
    },
    progress: (_args, emit) => {
      listeners.add(emit);
      return () => listeners.delete(emit);
    },
  };
}
