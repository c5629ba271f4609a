// Jobs and CronJobs: completion defaults, the generated controller-uid selector, and the
// OnFailure/Never restart rule for their pod templates.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/batch/job/strategy.go

import type { V1CronJob, V1Job, V1JobSpec } from '@kubernetes/client-node';
import { scheduleProblem, timeZoneProblem } from '../../cron/cronSchedule';
import type { FieldError } from '../fieldError';
import type { ResourceStrategy } from '../strategy';
import { invalidValue, required } from '../validation/fieldErrors';
import { defaultPodSpec } from './podSpecDefaults';
import { validatePodSpec } from './podSpecValidation';
import { validateSelectorAndTemplate, validateSelectorUnchanged } from './podTemplateValidation';

const jobRestartPolicies = ['OnFailure', 'Never'];

function defaultJobSpec(spec: V1JobSpec): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.template.spec ??= { containers: [] };
  defaultPodSpec(spec.template.spec);
}

export const jobStrategy: Partial<ResourceStrategy> = {
  tracksGeneration: true,
  defaults(obj) {
    const job = obj as V1Job;
    job.spec ??= { template: {} };
    const spec = job.spec;
    spec.template ??= {};
    defaultJobSpec(spec);
  },
  prepareForCreate(obj) {
    const job = obj as V1Job;
    const spec = job.spec;
    const uid = job.metadata?.uid;
    if (!spec || spec.manualSelector || !uid) return;
    // Kubernetes labels the pods with the Job's uid and selects on it (generateSelector).
    spec.template.metadata ??= {};
    const labels = spec.template.metadata.labels ?? {};
    spec.template.metadata.labels = {
      ...labels,
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': job.metadata?.name ?? '',
      'controller-uid': uid,
      'job-name': job.metadata?.name ?? '',
    };
    spec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  },
  validate(obj) {
    const spec = (obj as V1Job).spec;
    const errs: FieldError[] = [];
    if (spec?.selector || spec?.manualSelector) return validateSelectorAndTemplate(spec, jobRestartPolicies);
    // Before the selector is generated, only the template can be checked.
    errs.push(...validatePodSpec(spec?.template?.spec, 'spec.template.spec', jobRestartPolicies));
    return errs;
  },
  validateUpdate: (obj, old) => validateSelectorUnchanged((obj as V1Job).spec, (old as V1Job).spec),
};

export const cronJobStrategy: Partial<ResourceStrategy> = {
  tracksGeneration: true,
  maxNameLength: 52,
  defaults(obj) {
    const cronJob = obj as V1CronJob;
    cronJob.spec ??= { schedule: '', jobTemplate: {} };
    const spec = cronJob.spec;
    spec.concurrencyPolicy ??= 'Allow';
    spec.suspend ??= false;
    spec.successfulJobsHistoryLimit ??= 3;
    spec.failedJobsHistoryLimit ??= 1;
    const template = spec.jobTemplate?.spec?.template;
    if (template) {
      template.spec ??= { containers: [] };
      defaultPodSpec(template.spec);
    }
  },
  validate(obj) {
    const spec = (obj as V1CronJob).spec;
    const errs: FieldError[] = [];
    if (!spec?.schedule) errs.push(required('spec.schedule'));
    const badSchedule = spec?.schedule ? scheduleProblem(spec.schedule) : undefined;
    if (badSchedule) errs.push(invalidValue('spec.schedule', spec?.schedule, badSchedule));
    const badZone = timeZoneProblem(spec?.timeZone);
    if (badZone) errs.push(invalidValue('spec.timeZone', spec?.timeZone, badZone));
    errs.push(
      ...validatePodSpec(
        spec?.jobTemplate?.spec?.template?.spec,
        'spec.jobTemplate.spec.template.spec',
        jobRestartPolicies,
      ),
    );
    return errs;
  },
};
