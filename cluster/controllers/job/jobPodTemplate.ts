// The pod a Job creates from its template: owned by the Job, carrying the tracking finalizer, and
// for Indexed Jobs the completion index (annotation, label, JOB_COMPLETION_INDEX) and the
// hostname `<job>-<index>`.
// https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode

import type { V1Container, V1Job, V1Pod } from '@kubernetes/client-node';
import { controllerRef } from '../runtime/ownerReferences';
import { completionIndexKey } from './completionIndexes';
import { jobTrackingFinalizer } from './jobPods';

/** generateName keeps room for the five random characters in a 63-character name. */
const maxGeneratedNameLength = 58;

function generateName(jobName: string, index: number | undefined): string {
  const suffix = index === undefined ? '-' : `-${index}-`;
  const prefix = `${jobName}${suffix}`;
  return prefix.length <= maxGeneratedNameLength
    ? prefix
    : `${prefix.slice(0, maxGeneratedNameLength - suffix.length)}${suffix}`;
}

function withIndexEnv(container: V1Container): V1Container {
  if (container.env?.some((e) => e.name === 'JOB_COMPLETION_INDEX')) return container;
  const fieldPath = `metadata.annotations['${completionIndexKey}']`;
  return {
    ...container,
    env: [...(container.env ?? []), { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath } } }],
  };
}

export function podForJob(job: V1Job, index?: number): V1Pod {
  const template = structuredClone(job.spec?.template ?? {});
  const name = job.metadata?.name ?? '';
  // Pods are named by generateName; a name in the template would make every create collide.
  const { name: _templateName, ...meta } = template.metadata ?? {};
  const spec = template.spec ?? { containers: [] };
  const finalizers = meta.finalizers ?? [];
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...meta,
      generateName: generateName(name, index),
      namespace: job.metadata?.namespace,
      ownerReferences: [controllerRef(job, 'batch/v1', 'Job')],
      finalizers: finalizers.includes(jobTrackingFinalizer)
        ? finalizers
        : [...finalizers, jobTrackingFinalizer],
    },
    spec,
  };
  if (index === undefined) return pod;
  const indexText = String(index);
  pod.metadata = {
    ...pod.metadata,
    annotations: { ...pod.metadata?.annotations, [completionIndexKey]: indexText },
    labels: { ...pod.metadata?.labels, [completionIndexKey]: indexText },
  };
  spec.hostname = `${name}-${index}`;
  spec.containers = spec.containers.map(withIndexEnv);
  if (spec.initContainers) spec.initContainers = spec.initContainers.map(withIndexEnv);
  return pod;
}
