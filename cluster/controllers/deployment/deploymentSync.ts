// One sync of one Deployment: the steps Kubernetes' deployment controller (sync.go, progress.go)
// builds rollouts from — find or create the new ReplicaSet and keep revisions in step, scale a
// ReplicaSet with its ScalingReplicaSet event, write status and the Progressing condition, retire
// ReplicaSets beyond revisionHistoryLimit. Works on a private copy of the Deployment (`d`), keeping
// its resourceVersion current across the writes of one sync.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/sync.go

import { isDeepStrictEqual } from 'node:util';
import type { V1Deployment, V1DeploymentStatus, V1ReplicaSet } from '@kubernetes/client-node';
import { isApiError } from '../../api/status';
import type { Clock } from '../runtime/clock';
import type { ResourceClient } from '../runtime/clusterClient';
import type { EventRecorder } from '../runtime/eventRecorder';
import { controllerOf, controllerRef } from '../runtime/ownerReferences';
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  hasProgressDeadline,
  newCondition,
  reasons,
  removeCondition,
  replicaSetToDeploymentCondition,
  setCondition,
} from './deploymentStatus';
import { computeHash, equalIgnoreHash, podTemplateHashLabel } from './podTemplateHash';
import {
  byRevision,
  findNewReplicaSet,
  findOldReplicaSets,
  type MaybeReplicaSet,
  specReplicas,
} from './replicaSetSets';
import {
  desiredReplicasOf,
  maxRevision,
  replicasAnnotationsNeedUpdate,
  revisionAnnotation,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './revisions';
import { desiredReplicas, maxSurge } from './rolloutBounds';
import { newReplicaSetReplicas, planScale } from './scalingPlans';

export interface DeploymentSyncEnv {
  deployments: ResourceClient<V1Deployment>;
  replicaSets: ResourceClient<V1ReplicaSet>;
  recorder: EventRecorder;
  clock: Clock;
}

export interface Scaled {
  scaled: boolean;
  rs: V1ReplicaSet;
}

function sameStatus(a: V1DeploymentStatus | undefined, b: V1DeploymentStatus): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? {})), JSON.parse(JSON.stringify(b)));
}

export class DeploymentSync {
  /** Set when the Deployment must be looked at again by a deadline (progress, minReadySeconds). */
  requeueAfterMs: number | undefined;
  private persistedRevision: string | undefined;

  constructor(
    private readonly env: DeploymentSyncEnv,
    /** The Deployment being synced: a private, mutable copy. */
    readonly d: V1Deployment,
  ) {
    this.persistedRevision = d.metadata?.annotations?.[revisionAnnotation];
  }

  private now(): Date {
    return this.env.clock.now();
  }

  /** Writes `d`'s status, and first its revision annotation when that moved (status writes keep metadata). */
  async writeStatus(): Promise<void> {
    const d = this.d;
    d.metadata ??= {};
    const revision = d.metadata.annotations?.[revisionAnnotation];
    if (revision !== this.persistedRevision) {
      const updated = await this.env.deployments.update(d);
      d.metadata.resourceVersion = updated.metadata?.resourceVersion;
      this.persistedRevision = revision;
    }
    const updated = await this.env.deployments.updateStatus(d);
    d.metadata.resourceVersion = updated.metadata?.resourceVersion;
  }

  /** Adds or clears the Progressing=Unknown DeploymentPaused condition as spec.paused changes. */
  async checkPausedConditions(): Promise<void> {
    const d = this.d;
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, 'Progressing');
    if (cond?.reason === reasons.timedOut) return;
    const pausedNoted = cond?.reason === reasons.paused;
    d.status ??= {};
    if (d.spec?.paused && !pausedNoted) {
      setCondition(
        d.status,
        newCondition('Progressing', 'Unknown', reasons.paused, 'Deployment is paused', this.now()),
      );
    } else if (!d.spec?.paused && pausedNoted) {
      setCondition(
        d.status,
        newCondition('Progressing', 'Unknown', reasons.resumed, 'Deployment is resumed', this.now()),
      );
    } else {
      return;
    }
    await this.writeStatus();
  }

  /** The new ReplicaSet (created when asked and missing) and the old ones, revisions synced. */
  async replicaSetsAndSyncRevision(
    rsList: readonly V1ReplicaSet[],
    create: boolean,
  ): Promise<{ newRS: MaybeReplicaSet; oldRSs: V1ReplicaSet[] }> {
    const oldRSs = findOldReplicaSets(this.d, rsList);
    const newRS = await this.newReplicaSet(rsList, oldRSs, create);
    return { newRS, oldRSs };
  }

  private async newReplicaSet(
    rsList: readonly V1ReplicaSet[],
    oldRSs: V1ReplicaSet[],
    create: boolean,
  ): Promise<MaybeReplicaSet> {
    const d = this.d;
    d.status ??= {};
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = String(maxRevision(oldRSs) + 1);
    if (existing) {
      const copy = structuredClone(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReadySeconds = d.spec?.minReadySeconds ?? 0;
      if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
        if (copy.spec) copy.spec.minReadySeconds = minReadySeconds;
        return this.env.replicaSets.update(copy);
      }
      let needsUpdate = setDeploymentRevision(d, copy.metadata?.annotations?.[revisionAnnotation] ?? '');
      if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
        const message = `Found new replica set "${copy.metadata?.name}"`;
        setCondition(
          d.status,
          newCondition('Progressing', 'True', reasons.foundNewReplicaSet, message, this.now()),
        );
        needsUpdate = true;
      }
      if (needsUpdate) await this.writeStatus();
      return copy;
    }
    if (!create) return undefined;
    return this.createNewReplicaSet(oldRSs, newRevision);
  }

  private async createNewReplicaSet(oldRSs: V1ReplicaSet[], newRevision: string): Promise<V1ReplicaSet> {
    const d = this.d;
    const status = d.status ?? {};
    const meta = d.metadata ?? {};
    const template = structuredClone(d.spec?.template ?? {});
    const hash = computeHash(template, status.collisionCount);
    template.metadata = {
      ...template.metadata,
      labels: { ...template.metadata?.labels, [podTemplateHashLabel]: hash },
    };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [podTemplateHashLabel]: hash };
    const rs: V1ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${meta.name}-${hash}`,
        namespace: meta.namespace ?? 'default',
        ownerReferences: [controllerRef(d, 'apps/v1', 'Deployment')],
        labels: { ...template.metadata.labels },
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    const replicas = newReplicaSetReplicas(d, [...oldRSs, rs], rs);
    if (rs.spec) rs.spec.replicas = replicas;
    setNewReplicaSetAnnotations(d, rs, newRevision, false);
    let created: V1ReplicaSet;
    let alreadyExisted = false;
    try {
      created = await this.env.replicaSets.create(rs);
    } catch (err) {
      if (isApiError(err) && err.code === 409) {
        const live = await this.env.replicaSets.get(rs.metadata?.namespace, rs.metadata?.name ?? '');
        if (
          !live ||
          controllerOf(live)?.uid !== meta.uid ||
          !equalIgnoreHash(d.spec?.template, live.spec?.template)
        ) {
          // A different template hashed to the same name: try the next name.
          status.collisionCount = (status.collisionCount ?? 0) + 1;
          d.status = status;
          await this.writeStatus();
          throw err;
        }
        created = live;
        alreadyExisted = true;
      } else {
        const message = `Failed to create new replica set "${rs.metadata?.name}": ${err instanceof Error ? err.message : String(err)}`;
        if (hasProgressDeadline(d)) {
          setCondition(
            status,
            newCondition('Progressing', 'False', reasons.failedReplicaSetCreate, message, this.now()),
          );
          d.status = status;
          await this.writeStatus().catch(() => undefined);
        }
        this.env.recorder.event(d, 'Warning', reasons.failedReplicaSetCreate, message);
        throw err;
      }
    }
    if (!alreadyExisted && replicas > 0) {
      this.env.recorder.event(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${created.metadata?.name} from 0 to ${replicas}`,
      );
    }
    let needsUpdate = setDeploymentRevision(d, newRevision);
    if (!alreadyExisted && hasProgressDeadline(d)) {
      const message = `Created new replica set "${created.metadata?.name}"`;
      setCondition(status, newCondition('Progressing', 'True', reasons.newReplicaSet, message, this.now()));
      d.status = status;
      needsUpdate = true;
    }
    if (needsUpdate) await this.writeStatus();
    return created;
  }

  /** Resizes `rs` unless already that size (scaleReplicaSetAndRecordEvent). */
  async scaleAndRecord(rs: V1ReplicaSet, replicas: number): Promise<Scaled> {
    if (specReplicas(rs) === replicas) return { scaled: false, rs };
    return this.scale(rs, replicas, specReplicas(rs) < replicas ? 'up' : 'down');
  }

  /** Writes size and replica annotations when either is stale; records the resize as an event. */
  async scale(rs: V1ReplicaSet, replicas: number, operation: string): Promise<Scaled> {
    const d = this.d;
    const desired = desiredReplicas(d);
    const max = desired + maxSurge(d);
    const resize = specReplicas(rs) !== replicas;
    if (!resize && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const copy = structuredClone(rs);
    const from = specReplicas(rs);
    copy.spec = { ...(copy.spec as NonNullable<V1ReplicaSet['spec']>), replicas };
    setReplicasAnnotations(copy, desired, max);
    const updated = await this.env.replicaSets.update(copy);
    if (resize) {
      this.env.recorder.event(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${operation} replica set ${rs.metadata?.name} from ${from} to ${replicas}`,
      );
    }
    return { scaled: resize, rs: updated };
  }

  /** Proportional scaling on a resize or while paused (scale). */
  async scaleForResize(newRS: MaybeReplicaSet, oldRSs: V1ReplicaSet[]): Promise<void> {
    const plan = planScale(this.d, newRS, oldRSs);
    for (const target of plan.sized) await this.scaleAndRecord(target.rs, target.replicas);
    for (const target of plan.proportional) await this.scale(target.rs, target.replicas, target.operation);
  }

  /** Deletes the oldest empty ReplicaSets beyond revisionHistoryLimit (cleanupDeployment). */
  async cleanup(oldRSs: readonly V1ReplicaSet[]): Promise<void> {
    const limit = this.d.spec?.revisionHistoryLimit;
    if (limit === undefined) return;
    const alive = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
    const excess = alive.length - limit;
    if (excess <= 0) return;
    for (const rs of alive.sort(byRevision).slice(0, excess)) {
      const meta = rs.metadata ?? {};
      const busy =
        (rs.status?.replicas ?? 0) !== 0 ||
        specReplicas(rs) !== 0 ||
        (meta.generation ?? 0) > (rs.status?.observedGeneration ?? 0);
      if (busy) continue;
      await this.env.replicaSets.delete(meta.namespace, meta.name ?? '');
    }
  }

  /** Writes status when the ReplicaSets changed it (syncDeploymentStatus). */
  async syncDeploymentStatus(allRSs: readonly MaybeReplicaSet[], newRS: MaybeReplicaSet): Promise<void> {
    const status = calculateStatus(allRSs, newRS, this.d, this.now());
    if (sameStatus(this.d.status, status)) return;
    this.d.status = status;
    await this.writeStatus();
  }

  /** Status plus the Progressing judgement and ReplicaFailure carried up from the ReplicaSets (syncRolloutStatus). */
  async syncRolloutStatus(allRSs: readonly MaybeReplicaSet[], newRS: MaybeReplicaSet): Promise<void> {
    const d = this.d;
    const now = this.now();
    const status = calculateStatus(allRSs, newRS, d, now);
    if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
    const current = getCondition(d.status, 'Progressing');
    const complete =
      status.replicas === status.updatedReplicas && current?.reason === reasons.newReplicaSetAvailable;
    if (hasProgressDeadline(d) && !complete) {
      const subject = newRS ? `ReplicaSet "${newRS.metadata?.name}"` : `Deployment "${d.metadata?.name}"`;
      if (deploymentComplete(d, status)) {
        setCondition(
          status,
          newCondition(
            'Progressing',
            'True',
            reasons.newReplicaSetAvailable,
            `${subject} has successfully progressed.`,
            now,
          ),
        );
      } else if (deploymentProgressing(d, status)) {
        const condition = newCondition(
          'Progressing',
          'True',
          reasons.replicaSetUpdated,
          `${subject} is progressing.`,
          now,
        );
        if (current) {
          if (current.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
          removeCondition(status, 'Progressing');
        }
        setCondition(status, condition);
      } else if (deploymentTimedOut(d, status, now)) {
        setCondition(
          status,
          newCondition(
            'Progressing',
            'False',
            reasons.timedOut,
            `${subject} has timed out progressing.`,
            now,
          ),
        );
      }
    }
    const failures = [newRS, ...allRSs]
      .flatMap((rs) => rs?.status?.conditions ?? [])
      .filter((c) => c.type === 'ReplicaFailure');
    if (failures[0]) setCondition(status, replicaSetToDeploymentCondition(failures[0]));
    else removeCondition(status, 'ReplicaFailure');
    if (sameStatus(d.status, status)) {
      this.requeueIfStuck(status, now);
      return;
    }
    d.status = status;
    await this.writeStatus();
  }

  /** Looks again when the progress deadline would pass (requeueStuckDeployment). */
  private requeueIfStuck(status: V1DeploymentStatus, now: Date): void {
    const d = this.d;
    const current = getCondition(status, 'Progressing');
    if (!hasProgressDeadline(d) || !current?.lastUpdateTime) return;
    if (current.reason === reasons.newReplicaSetAvailable || current.reason === reasons.timedOut) return;
    if (deploymentComplete(d, status)) return;
    const deadline =
      new Date(current.lastUpdateTime).getTime() + (d.spec?.progressDeadlineSeconds ?? 0) * 1000;
    const after = deadline - now.getTime();
    this.requeueAfterMs = after < 1000 ? Math.max(after, 0) + 10 : after + 1000;
  }

  /** A change of spec.replicas not yet carried to the active ReplicaSets (isScalingEvent). */
  async isScalingEvent(rsList: readonly V1ReplicaSet[]): Promise<boolean> {
    const { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(rsList, false);
    const desired = desiredReplicas(this.d);
    return [newRS, ...oldRSs].some((rs) => {
      if (!rs || specReplicas(rs) === 0) return false;
      const annotated = desiredReplicasOf(rs);
      return annotated !== undefined && annotated !== desired;
    });
  }
}
