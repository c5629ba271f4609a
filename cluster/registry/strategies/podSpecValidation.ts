// The PodSpec rules kubectl users hit most: containers present, named and with an image,
// unique container names, valid ports, supported restart and DNS policies.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go

import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import type { FieldError } from '../fieldError';
import { isDns1123Label } from '../names';
import { duplicate, invalidValue, notSupported, portRange, required } from '../validation/fieldErrors';

const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const protocols = ['SCTP', 'TCP', 'UDP'];

function validateContainers(
  containers: V1Container[],
  path: string,
  names: Set<string>,
  errs: FieldError[],
): void {
  containers.forEach((c, i) => {
    const at = `${path}[${i}]`;
    if (!c.name) errs.push(required(`${at}.name`));
    else {
      for (const p of isDns1123Label(c.name)) errs.push(invalidValue(`${at}.name`, c.name, p));
      if (names.has(c.name)) errs.push(duplicate(`${at}.name`, c.name));
      names.add(c.name);
    }
    if (!c.image?.trim()) errs.push(required(`${at}.image`));
    if (c.imagePullPolicy && !pullPolicies.includes(c.imagePullPolicy)) {
      errs.push(notSupported(`${at}.imagePullPolicy`, c.imagePullPolicy, pullPolicies));
    }
    (c.ports ?? []).forEach((port, j) => {
      errs.push(...portRange(`${at}.ports[${j}].containerPort`, port.containerPort));
      if (port.protocol && !protocols.includes(port.protocol)) {
        errs.push(notSupported(`${at}.ports[${j}].protocol`, port.protocol, protocols));
      }
    });
    (c.env ?? []).forEach((env, j) => {
      if (!env.name) errs.push(required(`${at}.env[${j}].name`));
    });
  });
}

export function validatePodSpec(
  spec: V1PodSpec | undefined,
  path: string,
  allowedRestartPolicies = restartPolicies,
): FieldError[] {
  if (!spec) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  if (!spec.containers || spec.containers.length === 0) errs.push(required(`${path}.containers`));
  else validateContainers(spec.containers, `${path}.containers`, names, errs);
  validateContainers(spec.initContainers ?? [], `${path}.initContainers`, names, errs);
  if (spec.restartPolicy && !allowedRestartPolicies.includes(spec.restartPolicy)) {
    errs.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, allowedRestartPolicies));
  }
  if (spec.dnsPolicy && !dnsPolicies.includes(spec.dnsPolicy)) {
    errs.push(notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, dnsPolicies));
  }
  const volumes = new Set<string>();
  (spec.volumes ?? []).forEach((v, i) => {
    if (!v.name) errs.push(required(`${path}.volumes[${i}].name`));
    else if (volumes.has(v.name)) errs.push(duplicate(`${path}.volumes[${i}].name`, v.name));
    volumes.add(v.name);
  });
  return errs;
}
