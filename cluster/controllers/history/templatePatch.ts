// What a StatefulSet or DaemonSet ControllerRevision stores: a strategic merge patch that puts the
// owner's pod template back, `{"spec":{"template":{...,"$patch":"replace"}}}`. `kubectl rollout
// undo` sends exactly this `data` as a strategic merge patch, and `rollout history --revision`
// applies it to show the template.

import type { V1PodTemplateSpec } from '@kubernetes/client-node';

export interface TemplatedOwner {
  spec?: { template?: V1PodTemplateSpec };
}

export interface TemplatePatch {
  spec: { template: Record<string, unknown> };
}

/** The revision data for the owner's current template, as the controllers' `getPatch`. */
export function templatePatch(owner: TemplatedOwner): TemplatePatch {
  const template = structuredClone(owner.spec?.template ?? {}) as Record<string, unknown>;
  return { spec: { template: { ...template, $patch: 'replace' } } };
}

/** The pod template a revision holds (the patch's replacement, without the directive). */
export function revisionTemplate(data: unknown): V1PodTemplateSpec {
  const template = (data as Partial<TemplatePatch> | undefined)?.spec?.template ?? {};
  const { $patch: _directive, ...rest } = structuredClone(template);
  return rest as V1PodTemplateSpec;
}

/** `ApplyRevision`: a copy of the owner whose template is the revision's. */
export function applyRevision<T extends TemplatedOwner>(owner: T, data: unknown): T {
  const copy = structuredClone(owner);
  copy.spec ??= {};
  copy.spec.template = revisionTemplate(data);
  return copy;
}
