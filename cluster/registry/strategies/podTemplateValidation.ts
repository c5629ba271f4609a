// Rules shared by every controller with a selector and a pod template.

import type { V1LabelSelector, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { FieldError } from '../fieldError';
import { labelSelectorFromObject } from '../selectors/labelSelector';
import { immutable, invalidValue, nonNegative, required } from '../validation/fieldErrors';
import { validateLabels } from '../validation/objectMetaValidation';
import { validatePodSpec } from './podSpecValidation';

export interface TemplatedSpec {
  replicas?: number;
  selector?: V1LabelSelector;
  template?: V1PodTemplateSpec;
}

export function validateSelectorAndTemplate(
  spec: TemplatedSpec | undefined,
  restartPolicies: string[],
  path = 'spec',
): FieldError[] {
  if (!spec) return [required(path)];
  const errs: FieldError[] = [...nonNegative(`${path}.replicas`, spec.replicas)];
  const selector = spec.selector;
  if (!selector) errs.push(required(`${path}.selector`));
  else if (labelSelectorFromObject(selector).isEverything()) {
    errs.push(invalidValue(`${path}.selector`, selector, 'empty selector is invalid for deployment'));
  }
  if (!spec.template) {
    errs.push(required(`${path}.template`));
    return errs;
  }
  const labels = spec.template.metadata?.labels ?? {};
  errs.push(...validateLabels(labels, `${path}.template.metadata.labels`));
  if (selector && !labelSelectorFromObject(selector).matches(labels)) {
    errs.push(
      invalidValue(`${path}.template.metadata.labels`, labels, '`selector` does not match template `labels`'),
    );
  }
  errs.push(...validatePodSpec(spec.template.spec, `${path}.template.spec`, restartPolicies));
  return errs;
}

export function validateSelectorUnchanged(
  spec: TemplatedSpec | undefined,
  old: TemplatedSpec | undefined,
): FieldError[] {
  return JSON.stringify(spec?.selector ?? null) === JSON.stringify(old?.selector ?? null)
    ? []
    : [immutable('spec.selector', spec?.selector ?? null)];
}
