// Services: type/affinity/port defaults, ClusterIP and NodePort allocation, and the rules that
// keep allocated addresses stable.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/strategy.go

import type { V1Service, V1ServiceSpec } from '@kubernetes/client-node';
import type { FieldError } from '../fieldError';
import { isDns1035Label, isDns1123Label } from '../names';
import type { ResourceStrategy } from '../strategy';
import { invalidValue, notSupported, portRange, required } from '../validation/fieldErrors';

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const affinities = ['ClientIP', 'None'];

function usesNodePorts(spec: V1ServiceSpec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

function defaultSpec(spec: V1ServiceSpec): void {
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  for (const port of spec.ports ?? []) {
    port.protocol ??= 'TCP';
    port.targetPort ??= port.port;
  }
  if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
  if (usesNodePorts(spec)) spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

function validateSpec(spec: V1ServiceSpec | undefined): FieldError[] {
  if (!spec) return [required('spec')];
  const errs: FieldError[] = [];
  if (spec.type && !serviceTypes.includes(spec.type))
    errs.push(notSupported('spec.type', spec.type, serviceTypes));
  if (spec.sessionAffinity && !affinities.includes(spec.sessionAffinity)) {
    errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, affinities));
  }
  const ports = spec.ports ?? [];
  const headless = spec.clusterIP === 'None';
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) errs.push(required('spec.externalName'));
  } else if (ports.length === 0 && !headless) errs.push(required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const at = `spec.ports[${i}]`;
    if (ports.length > 1 && !port.name) errs.push(required(`${at}.name`));
    if (port.name) {
      // Service port names are DNS-1123 labels (digits first allowed), unlike the Service's own name.
      for (const p of isDns1123Label(port.name)) errs.push(invalidValue(`${at}.name`, port.name, p));
      if (names.has(port.name))
        errs.push({
          type: 'FieldValueDuplicate',
          field: `${at}.name`,
          message: `Duplicate value: "${port.name}"`,
        });
      names.add(port.name);
    }
    errs.push(...portRange(`${at}.port`, port.port));
    if (typeof port.targetPort === 'number') errs.push(...portRange(`${at}.targetPort`, port.targetPort));
  });
  return errs;
}

export const serviceStrategy: Partial<ResourceStrategy> = {
  nameCheck: isDns1035Label,
  defaults(obj) {
    const svc = obj as V1Service;
    svc.spec ??= {};
    defaultSpec(svc.spec);
  },
  initialStatus: () => ({ loadBalancer: {} }),
  async prepareForCreate(obj, ctx) {
    const spec = (obj as V1Service).spec ?? {};
    if (spec.type === 'ExternalName') return;
    if (!spec.clusterIP) spec.clusterIP = await ctx.allocateClusterIP();
    spec.clusterIPs ??= [spec.clusterIP];
    if (spec.clusterIP !== 'None') {
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
    }
    if (!usesNodePorts(spec)) return;
    for (const port of spec.ports ?? []) port.nodePort ??= await ctx.allocateNodePort();
  },
  async prepareForUpdate(obj, old, ctx) {
    const svc = obj as V1Service;
    svc.spec ??= {};
    const spec = svc.spec;
    const prev = (old as V1Service).spec ?? {};
    if (spec.type === 'ExternalName') return;
    // An update that omits allocated values keeps them (kubectl apply and helm rely on it); a
    // Service turning into one that needs an address or node ports gets new ones.
    if (!spec.clusterIP) {
      if (prev.clusterIP && prev.type !== 'ExternalName') {
        spec.clusterIP = prev.clusterIP;
        spec.clusterIPs ??= prev.clusterIPs;
      } else {
        spec.clusterIP = await ctx.allocateClusterIP();
      }
    }
    spec.clusterIPs ??= [spec.clusterIP];
    if (spec.clusterIP !== 'None') {
      spec.ipFamilies ??= prev.ipFamilies ?? ['IPv4'];
      spec.ipFamilyPolicy ??= prev.ipFamilyPolicy ?? 'SingleStack';
    }
    if (!usesNodePorts(spec)) return;
    for (const port of spec.ports ?? []) {
      const match = prev.ports?.find(
        (p) => p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'),
      );
      port.nodePort ??= match?.nodePort ?? (await ctx.allocateNodePort());
    }
  },
  validate: (obj) => validateSpec((obj as V1Service).spec),
  validateUpdate(obj, old) {
    const ip = (obj as V1Service).spec?.clusterIP;
    const prev = (old as V1Service).spec?.clusterIP;
    if (prev && ip !== prev && (obj as V1Service).spec?.type !== 'ExternalName') {
      return [invalidValue('spec.clusterIPs[0]', ip ?? '', 'may not change once set')];
    }
    return [];
  },
};
