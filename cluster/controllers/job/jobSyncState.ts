// What one Job sync works with: the controller's long-lived parts (clients, caches, expectations,
// back-off records) and the state computed for the Job being synced.

import type { V1Job, V1JobCondition, V1Pod } from '@kubernetes/client-node';
import type { Clock } from '../runtime/clock';
import type { ClockRequeue } from '../runtime/clockRequeue';
import type { ResourceClient } from '../runtime/clusterClient';
import type { EventRecorder } from '../runtime/eventRecorder';
import type { Informer } from '../runtime/informer';
import type { FinalizerExpectations, PodExpectations } from './expectations';
import type { BackoffRecord, PodBackoffStore } from './podBackoff';

export interface JobControllerOptions {
  /** First delay before replacing failed pods; doubles per failure. Kubernetes: 10 s. */
  podFailureBackoffMs?: number;
  /** Cap of that delay. Kubernetes documents six minutes. */
  maxPodFailureBackoffMs?: number;
}

export interface JobSyncDeps {
  jobs: ResourceClient<V1Job>;
  pods: ResourceClient<V1Pod>;
  jobInformer: Informer<V1Job>;
  podInformer: Informer<V1Pod>;
  recorder: EventRecorder;
  clock: Clock;
  expectations: PodExpectations;
  finalizerExpectations: FinalizerExpectations;
  backoffs: PodBackoffStore;
  requeue: ClockRequeue;
  podFailureBackoffMs: number;
  maxPodFailureBackoffMs: number;
}

export interface JobSyncState {
  key: string;
  /** Working copy; replaced by what each status write returns. */
  job: V1Job;
  pods: V1Pod[];
  activePods: V1Pod[];
  /** The condition the Job is heading for (interim, or terminal once pods are settled). */
  finished: V1JobCondition | undefined;
  succeeded: number;
  failed: number;
  ready: number;
  terminating: number;
  /** Indexed Jobs: indexes counted in status before this sync, and including this sync's. */
  prevSucceededIndexes: Set<number>;
  succeededIndexes: Set<number>;
  backoff: BackoffRecord;
  expectedRemovals: ReadonlySet<string>;
  uncounted: { succeeded: Set<string>; failed: Set<string> };
}
