// Pods: spec defaults plus what admission adds, a Pending status on create, PodSpec validation.

import type { V1Pod } from '@kubernetes/client-node';
import { isDns1123Subdomain } from '../names';
import type { ResourceStrategy } from '../strategy';
import { forbidden } from '../validation/fieldErrors';
import { admitPodSpec, defaultPodSpec } from './podSpecDefaults';
import { validatePodSpec } from './podSpecValidation';

function qosClass(pod: V1Pod): string {
  const containers = pod.spec?.containers ?? [];
  const all = containers.map((c) => c.resources ?? {});
  if (all.every((r) => !r.limits && !r.requests)) return 'BestEffort';
  const guaranteed = all.every(
    (r) =>
      r.limits?.cpu && r.limits?.memory && (!r.requests || (r.requests.cpu ?? r.limits.cpu) === r.limits.cpu),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const podUpdateRule =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

export const podStrategy: Partial<ResourceStrategy> = {
  nameCheck: isDns1123Subdomain,
  tracksGeneration: true,
  defaults(obj) {
    const pod = obj as V1Pod;
    pod.spec ??= { containers: [] };
    defaultPodSpec(pod.spec);
  },
  prepareForCreate(obj) {
    admitPodSpec((obj as V1Pod).spec ?? { containers: [] });
  },
  initialStatus(obj) {
    return { phase: 'Pending', qosClass: qosClass(obj as V1Pod) };
  },
  validate(obj) {
    return validatePodSpec((obj as V1Pod).spec, 'spec');
  },
  validateUpdate(obj, old) {
    // Pod specs are immutable apart from images, activeDeadlineSeconds and tolerations; nodeName is
    // set once, by pods/binding.
    const unbound = !(old as V1Pod).spec?.nodeName;
    const comparable = (s: V1Pod['spec']) =>
      JSON.stringify({
        ...s,
        containers: s?.containers?.map((c) => ({ ...c, image: undefined })),
        initContainers: s?.initContainers?.map((c) => ({ ...c, image: undefined })),
        activeDeadlineSeconds: undefined,
        tolerations: undefined,
        nodeName: unbound ? undefined : s?.nodeName,
      });
    return comparable((obj as V1Pod).spec) === comparable((old as V1Pod).spec)
      ? []
      : [forbidden('spec', podUpdateRule)];
  },
};
