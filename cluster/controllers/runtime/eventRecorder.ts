// Records core/v1 Events about objects, as client-go's EventRecorder with its correlator does: the
// same event (object, type, reason, message, source) repeated bumps `count` and `lastTimestamp` on
// the existing Event instead of creating another one. Recording never fails the caller.

import type { CoreV1Event, V1ObjectReference } from '@kubernetes/client-node';
import { timestamp } from '../../api/rest/restContext';
import type { Logger } from '../../log';
import type { ApiObject } from './apiObject';
import type { Clock } from './clock';
import type { ClusterClient, ResourceClient } from './clusterClient';
import { resources } from './resources';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  event(obj: ApiObject, type: EventType, reason: string, message: string): void;
}

/** Distinct events remembered for deduplication, as client-go's LRU of 4096. */
const maxRemembered = 4096;

function reference(obj: ApiObject): V1ObjectReference {
  const meta = obj.metadata ?? {};
  const ref: V1ObjectReference = {
    apiVersion: obj.apiVersion ?? '',
    kind: obj.kind ?? '',
    name: meta.name ?? '',
    uid: meta.uid ?? '',
    resourceVersion: meta.resourceVersion ?? '',
  };
  if (meta.namespace) ref.namespace = meta.namespace;
  return ref;
}

export function createEventRecorder(
  client: ClusterClient,
  component: string,
  clock: Clock,
  log: Logger,
): EventRecorder {
  const events = client.resource(resources.events) as ResourceClient<CoreV1Event>;
  const remembered = new Map<string, { namespace: string; name: string }>();
  // Writes for one dedup key run in order, so a burst counts up instead of racing to create.
  const chains = new Map<string, Promise<void>>();

  async function write(
    key: string,
    involved: V1ObjectReference,
    type: EventType,
    reason: string,
    message: string,
    at: Date,
  ) {
    const now = timestamp(at) as unknown as Date;
    const known = remembered.get(key);
    if (known) {
      const updated = await events.mutate(known.namespace, known.name, (live) => {
        live.count = (live.count ?? 1) + 1;
        live.lastTimestamp = now;
        return live;
      });
      if (updated) {
        remembered.delete(key);
        remembered.set(key, known);
        return;
      }
    }
    const namespace = involved.namespace || 'default';
    const name = `${involved.name}.${(at.getTime() * 1e6 + Math.floor(Math.random() * 1e6)).toString(16)}`;
    const event: CoreV1Event = {
      metadata: { name, namespace },
      involvedObject: involved,
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component },
      reportingComponent: component,
      reportingInstance: component,
    };
    await events.create(event);
    remembered.set(key, { namespace, name });
    if (remembered.size > maxRemembered) remembered.delete(remembered.keys().next().value as string);
  }

  return {
    event(obj, type, reason, message) {
      const involved = reference(obj);
      const key = [
        involved.kind,
        involved.namespace,
        involved.name,
        involved.uid,
        type,
        reason,
        message,
      ].join('\0');
      const at = clock.now();
      const previous = chains.get(key) ?? Promise.resolve();
      const next = previous
        .then(() => write(key, involved, type, reason, message, at))
        .catch((err: unknown) => log.debug('event not recorded', { reason, error: String(err) }))
        .finally(() => {
          if (chains.get(key) === next) chains.delete(key);
        });
      chains.set(key, next);
    },
  };
}
