// What differs per resource on the write path: defaults, validation and the status/spec split.
// The generic write path (resourceWriter.ts) calls these hooks in Kubernetes' order:
// defaults → prepareForCreate/Update → validate(Update). Strategies mutate the object in place.

import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { FieldError } from './fieldError';
import type { NameCheck } from './names';

/** Any stored object: typed enough to reach metadata, loose enough for every kind. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  [field: string]: unknown;
}

/** Cluster facilities some strategies need while preparing a create. */
export interface StrategyContext {
  now: Date;
  /** Picks a free Service ClusterIP for the family (services only). */
  allocateClusterIP(): Promise<string>;
  /** Picks a free NodePort in 30000-32767 (services only). */
  allocateNodePort(): Promise<number>;
}

export interface ResourceStrategy {
  /** Syntax rule for metadata.name. */
  nameCheck: NameCheck;
  /** Longest allowed name, when shorter than the rule's own (CronJob: 52). */
  maxNameLength?: number;
  /** The object has a `status` owned by the /status subresource. */
  hasStatus: boolean;
  /** A PUT to a missing object creates it (endpoints, events, leases, RBAC objects). */
  allowCreateOnUpdate?: boolean;
  /** metadata.generation starts at 1 and grows with each change outside metadata and status. */
  tracksGeneration: boolean;
  /** Fills Kubernetes' defaults (the API's SetDefaults_* functions). */
  defaults?(obj: KubeObject): void;
  /** Create-time preparation beyond defaults (status reset, allocations). */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): Promise<void> | void;
  /** Update-time preparation, e.g. carrying over or allocating addresses. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): Promise<void> | void;
  validate?(obj: KubeObject): FieldError[];
  /** Extra rules on update (immutable fields); `validate` runs too. */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** Status reset on create when hasStatus (default: remove status). */
  initialStatus?(obj: KubeObject): unknown;
}
