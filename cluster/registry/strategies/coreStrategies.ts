// The simpler core and cluster resources: each needs a default or a name rule, little else.

import type {
  V1ConfigMap,
  V1Namespace,
  V1NetworkPolicy,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Secret,
} from '@kubernetes/client-node';
import type { FieldError } from '../fieldError';
import { isDns1123Label, isPathSegmentName } from '../names';
import type { ResourceStrategy } from '../strategy';
import { invalidValue } from '../validation/fieldErrors';
import { addFinalizer, pvcProtectionFinalizer, pvProtectionFinalizer } from './storageObjectInUseProtection';

const configKey = /^[-._a-zA-Z0-9]+$/;

/** ConfigMap and Secret data keys (IsConfigMapKey). */
function validateDataKeys(data: Record<string, unknown> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of Object.keys(data ?? {})) {
    if (key.length > 253) errs.push(invalidValue(field, key, 'must be no more than 253 characters'));
    if (!configKey.test(key)) {
      errs.push(
        invalidValue(
          field,
          key,
          "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        ),
      );
    }
  }
  return errs;
}

export const namespaceStrategy: Partial<ResourceStrategy> = {
  nameCheck: isDns1123Label,
  defaults(obj) {
    const ns = obj as V1Namespace;
    ns.metadata ??= {};
    const meta = ns.metadata;
    // NamespaceDefaultLabelName: every namespace carries its own name as a label.
    if (meta.name) meta.labels = { ...meta.labels, 'kubernetes.io/metadata.name': meta.name };
  },
  prepareForCreate(obj) {
    const ns = obj as V1Namespace;
    ns.spec = { ...ns.spec, finalizers: ns.spec?.finalizers ?? ['kubernetes'] };
  },
  initialStatus: () => ({ phase: 'Active' }),
};

export const configMapStrategy: Partial<ResourceStrategy> = {
  validate(obj) {
    const cm = obj as V1ConfigMap;
    return [...validateDataKeys(cm.data, 'data'), ...validateDataKeys(cm.binaryData, 'binaryData')];
  },
};

export const secretStrategy: Partial<ResourceStrategy> = {
  defaults(obj) {
    const secret = obj as V1Secret & { stringData?: Record<string, string> };
    secret.type ??= 'Opaque';
    // stringData is write-only: merged into data (base64) and never stored.
    if (secret.stringData) {
      secret.data ??= {};
      for (const [k, v] of Object.entries(secret.stringData))
        secret.data[k] = Buffer.from(v).toString('base64');
      delete secret.stringData;
    }
  },
  validate: (obj) => validateDataKeys((obj as V1Secret).data, 'data'),
};

export const persistentVolumeStrategy: Partial<ResourceStrategy> = {
  defaults(obj) {
    const pv = obj as V1PersistentVolume;
    pv.spec ??= {};
    const spec = pv.spec;
    spec.persistentVolumeReclaimPolicy ??= 'Retain';
    spec.volumeMode ??= 'Filesystem';
  },
  prepareForCreate: (obj) => addFinalizer(obj, pvProtectionFinalizer),
  initialStatus: () => ({ phase: 'Pending' }),
};

export const persistentVolumeClaimStrategy: Partial<ResourceStrategy> = {
  defaults(obj) {
    const pvc = obj as V1PersistentVolumeClaim;
    pvc.spec ??= {};
    const spec = pvc.spec;
    spec.volumeMode ??= 'Filesystem';
  },
  prepareForCreate: (obj) => addFinalizer(obj, pvcProtectionFinalizer),
  initialStatus: () => ({ phase: 'Pending' }),
};

export const networkPolicyStrategy: Partial<ResourceStrategy> = {
  tracksGeneration: true,
  defaults(obj) {
    const policy = obj as V1NetworkPolicy;
    policy.spec ??= {};
    const spec = policy.spec;
    if (!spec.policyTypes) spec.policyTypes = spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
  },
};

export const storageClassStrategy: Partial<ResourceStrategy> = {
  defaults(obj) {
    obj.reclaimPolicy ??= 'Delete';
    obj.volumeBindingMode ??= 'Immediate';
  },
};

export const priorityClassStrategy: Partial<ResourceStrategy> = {
  defaults(obj) {
    obj.preemptionPolicy ??= 'PreemptLowerPriority';
  },
};

export const endpointsStrategy: Partial<ResourceStrategy> = {
  allowCreateOnUpdate: true,
  defaults(obj) {
    for (const subset of (obj.subsets as { ports?: { protocol?: string }[] }[] | undefined) ?? []) {
      for (const port of subset.ports ?? []) port.protocol ??= 'TCP';
    }
  },
};

export const endpointSliceStrategy: Partial<ResourceStrategy> = {
  defaults(obj) {
    for (const port of (obj.ports as { protocol?: string }[] | undefined) ?? []) port.protocol ??= 'TCP';
  },
};

/** Agents register Nodes with their status already filled in, so create keeps it. */
export const nodeStrategy: Partial<ResourceStrategy> = {
  initialStatus: (obj) => obj.status,
};

export const rbacStrategy: Partial<ResourceStrategy> = {
  nameCheck: isPathSegmentName,
  allowCreateOnUpdate: true,
};

export const createOnUpdateStrategy: Partial<ResourceStrategy> = { allowCreateOnUpdate: true };

export const generationStrategy: Partial<ResourceStrategy> = { tracksGeneration: true };
