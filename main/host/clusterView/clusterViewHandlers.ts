import type { ApiObject } from '../../../cluster/controllers/runtime/apiObject';
import type { ControllerContext } from '../../../cluster/controllers/runtime/controllerContext';
import { resources } from '../../../cluster/controllers/runtime/resources';
import type { Logger } from '../../../cluster/log';
import type { AppApiHandlers } from '../appApi';
import { kubeconfigApiServerClient } from './apiServerClient';
import { applyManifests } from './applyManifests';
import type { ObjectRef } from './clusterViewContract';
import { streamPodLogs } from './podLogStream';
import { relatedObjects } from './relatedObjects';
import { type ClusterViewSource, subscribeTable } from './resourceTables';
import { viewResources } from './viewResources';

// The dashboard's AppApi handlers: `cluster.table` streams, `cluster.object` and
// `cluster.related` for the details drawer, `cluster.apply` for its editor and `cluster.podLogs`.
// Writes and log streams go through the API server over HTTPS, as kubectl's do.

export class ObjectNotFoundError extends Error {
  override name = 'ObjectNotFoundError';
}

export class ClusterNotRunningError extends Error {
  override name = 'ClusterNotRunningError';
  readonly code = 'ClusterNotRunning';
}

export interface ClusterViewHandlerOptions {
  /** The admin kubeconfig the running control plane wrote. */
  kubeconfigPath(): string;
}

export function createClusterViewHandlers(
  source: ClusterViewSource,
  log: Logger,
  options: ClusterViewHandlerOptions,
) {
  const running = (): ControllerContext => {
    const ctx = source.controllerContext();
    if (!ctx) throw new ClusterNotRunningError(`Kubernetes is not running (${source.current().message})`);
    return ctx;
  };
  const apiServer = () => kubeconfigApiServerClient(options.kubeconfigPath());

  const read = async (ctx: ControllerContext, { resource, namespace, name }: ObjectRef) => {
    const obj = await ctx.client.resource<ApiObject>(viewResources[resource]).get(namespace, name);
    if (!obj) {
      throw new ObjectNotFoundError(
        `${resource} "${name}" not found${namespace ? ` in namespace ${namespace}` : ''}`,
      );
    }
    return obj;
  };

  const table: AppApiHandlers['topics']['cluster.table'] = (args, emit) =>
    subscribeTable(source, args, emit, { log });

  const object: AppApiHandlers['methods']['cluster']['object'] = async (ref) =>
    (await read(running(), ref)) as Record<string, unknown>;

  const related: AppApiHandlers['methods']['cluster']['related'] = async (ref) => {
    const ctx = running();
    const obj = await read(ctx, ref);
    const pods = ctx.informers.for(resources.pods);
    const replicaSets = ctx.informers.for(resources.replicaSets);
    const jobs = ctx.informers.for(resources.jobs);
    const events = ctx.informers.for(resources.events);
    await Promise.all([pods.start(), replicaSets.start(), jobs.start(), events.start()]);
    return relatedObjects(
      viewResources[ref.resource].kind,
      obj,
      {
        pods: (namespace) => pods.list(namespace),
        replicaSets: (namespace) => replicaSets.list(namespace),
        jobs: (namespace) => jobs.list(namespace),
        events: (namespace) => events.list(namespace),
      },
      new Date(),
    );
  };

  const apply: AppApiHandlers['methods']['cluster']['apply'] = async (args) => {
    const ctx = running();
    const result = await applyManifests(args, {
      client: apiServer(),
      resolve: (apiVersion, kind) => ctx.client.rest.catalog.forKind(apiVersion, kind),
    });
    if (result.ok) log.info('objects applied', { objects: result.applied.map((a) => `${a.kind}/${a.name}`) });
    return result;
  };

  const podLogs: AppApiHandlers['topics']['cluster.podLogs'] = (args, emit) => {
    try {
      running();
      return streamPodLogs(args, emit, { client: apiServer() });
    } catch (err) {
      emit({ type: 'error', message: (err as Error).message });
      return () => {};
    }
  };

  return { table, object, related, apply, podLogs };
}
