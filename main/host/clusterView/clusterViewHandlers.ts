import type { ApiObject } from '../../../cluster/controllers/runtime/apiObject';
import type { Logger } from '../../../cluster/log';
import type { AppApiHandlers } from '../appApi';
import { type ClusterViewSource, subscribeTable } from './resourceTables';
import { viewResources } from './viewResources';

// The dashboard's AppApi handlers: `cluster.table` streams, `cluster.object` for the details drawer.

export class ObjectNotFoundError extends Error {
  override name = 'ObjectNotFoundError';
}

export function createClusterViewHandlers(source: ClusterViewSource, log: Logger) {
  const table: AppApiHandlers['topics']['cluster.table'] = (args, emit) =>
    subscribeTable(source, args, emit, { log });

  const object: AppApiHandlers['methods']['cluster']['object'] = async ({ resource, namespace, name }) => {
    const ctx = source.controllerContext();
    if (!ctx) throw new ObjectNotFoundError(`Kubernetes is not running (${source.current().message})`);
    const obj = await ctx.client.resource<ApiObject>(viewResources[resource]).get(namespace, name);
    if (!obj) {
      throw new ObjectNotFoundError(
        `${resource} "${name}" not found${namespace ? ` in namespace ${namespace}` : ''}`,
      );
    }
    return obj as Record<string, unknown>;
  };

  return { table, object };
}
