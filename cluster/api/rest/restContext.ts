// What the verb implementations share: the object store, the catalogue and injectable clock/ids.

import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '../../registry/objectStore';
import type { ResourceCatalog, ResourceInfo } from '../../registry/resourceCatalog';
import type { StrategyContext } from '../../registry/strategy';
import type { GroupKind, GroupResource } from '../status';

export interface RestContext {
  objects: ObjectStore;
  catalog: ResourceCatalog;
  now(): Date;
  newUid(): string;
  /** Allocations strategies need while creating (Service IPs and node ports). */
  allocations: Omit<StrategyContext, 'now'>;
  /**
   * Runs the ServiceAccount admission step on new pods (the API server turns it on; controller unit
   * tests leave it off, as Kubernetes' integration tests run without that plugin).
   */
  serviceAccountAdmission?: boolean;
}

export function groupResource(info: ResourceInfo): GroupResource {
  return { group: info.group, resource: info.plural };
}

export function groupKind(info: ResourceInfo): GroupKind {
  return { group: info.group, kind: info.kind };
}

export const defaultIds = { now: () => new Date(), newUid: () => randomUUID() };

/** Kubernetes timestamps are RFC 3339 with second precision. */
export function timestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
