// The PodSpec rules kubectl users hit most: containers present, named and with an image,
// unique container names, valid ports, lifecycle hooks, supported restart and DNS policies.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go

import type { V1Container, V1LifecycleHandler, V1PodSpec } from '@kubernetes/client-node';
import type { FieldError } from '../fieldError';
import { isDns1123Label } from '../names';
import {
  duplicate,
  forbidden,
  invalidValue,
  notSupported,
  portRange,
  required,
} from '../validation/fieldErrors';

const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const protocols = ['SCTP', 'TCP', 'UDP'];

const handlerTypes = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

/** One postStart or preStop handler: exactly one type, and a sleep that fits the grace period. */
function validateLifecycleHandler(
  handler: V1LifecycleHandler,
  path: string,
  gracePeriod: number | undefined,
  errs: FieldError[],
): void {
  const types = handlerTypes.filter((type) => handler[type] != null);
  if (types.length === 0) errs.push(required(path, 'must specify a handler type'));
  for (const extra of types.slice(1))
    errs.push(forbidden(`${path}.${extra}`, 'may not specify more than 1 handler type'));
  if (handler.exec && !handler.exec.command?.length) errs.push(required(`${path}.exec.command`));
  if (handler.httpGet) {
    const port = handler.httpGet.port;
    if (port === undefined || port === '') errs.push(required(`${path}.httpGet.port`));
    else if (typeof port === 'number') errs.push(...portRange(`${path}.httpGet.port`, port));
  }
  const seconds = handler.sleep?.seconds;
  if (seconds !== undefined && gracePeriod !== undefined && (seconds < 0 || seconds > gracePeriod)) {
    errs.push(
      invalidValue(
        `${path}.sleep`,
        seconds,
        `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`,
      ),
    );
  }
}

function validateContainers(
  containers: V1Container[],
  path: string,
  names: Set<string>,
  spec: V1PodSpec,
  errs: FieldError[],
): void {
  const init = path.endsWith('.initContainers');
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
    if (!c.lifecycle) return;
    // Only sidecars (init containers that keep running) get hooks among init containers.
    if (init && c.restartPolicy !== 'Always') {
      errs.push(
        forbidden(`${at}.lifecycle`, 'may not be set for init containers without restartPolicy=Always'),
      );
      return;
    }
    const { postStart, preStop } = c.lifecycle;
    const grace = spec.terminationGracePeriodSeconds;
    if (postStart) validateLifecycleHandler(postStart, `${at}.lifecycle.postStart`, grace, errs);
    if (preStop) validateLifecycleHandler(preStop, `${at}.lifecycle.preStop`, grace, errs);
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
  else validateContainers(spec.containers, `${path}.containers`, names, spec, errs);
  validateContainers(spec.initContainers ?? [], `${path}.initContainers`, names, spec, errs);
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
