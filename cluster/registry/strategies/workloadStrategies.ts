// Deployments, ReplicaSets, StatefulSets, DaemonSets and ReplicationControllers: replica and
// rollout defaults, template defaults, selector/template validation, immutable selectors.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/apps/v1/defaults.go

import type { V1DaemonSet, V1Deployment, V1ReplicaSet, V1StatefulSet } from '@kubernetes/client-node';
import type { KubeObject, ResourceStrategy } from '../strategy';
import { defaultPodSpec } from './podSpecDefaults';
import {
  type TemplatedSpec,
  validateSelectorAndTemplate,
  validateSelectorUnchanged,
} from './podTemplateValidation';

const always = ['Always'];

function defaultTemplate(spec: TemplatedSpec | undefined): void {
  if (!spec?.template) return;
  spec.template.spec ??= { containers: [] };
  defaultPodSpec(spec.template.spec);
}

function templated(defaults: (obj: KubeObject) => void): Partial<ResourceStrategy> {
  return {
    tracksGeneration: true,
    defaults(obj) {
      defaults(obj);
      defaultTemplate(obj.spec as TemplatedSpec | undefined);
    },
    validate: (obj) => validateSelectorAndTemplate(obj.spec as TemplatedSpec | undefined, always),
    validateUpdate: (obj, old) =>
      validateSelectorUnchanged(obj.spec as TemplatedSpec | undefined, old.spec as TemplatedSpec | undefined),
  };
}

export const deploymentStrategy = templated((obj) => {
  const typed = obj as V1Deployment;
  typed.spec ??= {} as NonNullable<V1Deployment['spec']>;
  const spec = typed.spec;
  spec.replicas ??= 1;
  spec.strategy ??= {};
  spec.strategy.type ??= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
});

export const replicaSetStrategy = templated((obj) => {
  const typed = obj as V1ReplicaSet;
  typed.spec ??= {} as NonNullable<V1ReplicaSet['spec']>;
  const spec = typed.spec;
  spec.replicas ??= 1;
});

export const replicationControllerStrategy = templated((obj) => {
  const typed = obj as { spec?: TemplatedSpec };
  typed.spec ??= {};
  const spec = typed.spec;
  spec.replicas ??= 1;
});

export const statefulSetStrategy = templated((obj) => {
  const typed = obj as V1StatefulSet;
  typed.spec ??= {} as NonNullable<V1StatefulSet['spec']>;
  const spec = typed.spec;
  spec.replicas ??= 1;
  spec.podManagementPolicy ??= 'OrderedReady';
  spec.updateStrategy ??= {};
  spec.updateStrategy.type ??= 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.partition ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
  for (const claim of spec.volumeClaimTemplates ?? []) {
    claim.spec ??= {};
    claim.spec.volumeMode ??= 'Filesystem';
  }
});

export const daemonSetStrategy = templated((obj) => {
  const typed = obj as V1DaemonSet;
  typed.spec ??= {} as NonNullable<V1DaemonSet['spec']>;
  const spec = typed.spec;
  spec.updateStrategy ??= {};
  spec.updateStrategy.type ??= 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
});
