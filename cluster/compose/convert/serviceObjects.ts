import type { V1ContainerPort, V1Ingress, V1Service, V1ServicePort } from '@kubernetes/client-node';
import type { ConvertOptions } from './convertOptions';
import type { KService } from './komposeService';
import { LABEL, selectorLabels } from './labels';
import { annotationsFor } from './metadata';
import type { WarningSink } from './warnings';

// Services and Ingresses for one compose service, with kompose's naming and port rules.

export function containerPorts(service: KService): V1ContainerPort[] {
  const exposeToHost = /^(1|t|true)$/i.test(service.labels[LABEL.exposeContainerToHost] ?? '');
  const seen = new Set<string>();
  const ports: V1ContainerPort[] = [];
  for (const port of service.ports) {
    const id = `${port.containerPort}${port.protocol}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const containerPort: V1ContainerPort = { containerPort: port.containerPort, protocol: port.protocol };
    if (exposeToHost) {
      if (port.hostIp) containerPort.hostIP = port.hostIp;
      if (port.hostPort) containerPort.hostPort = port.hostPort;
    }
    ports.push(containerPort);
  }
  return ports;
}

function servicePort(name: string, port: number, targetPort: number, protocol: string): V1ServicePort {
  const out: V1ServicePort = { name, port, targetPort };
  if (protocol !== 'TCP') out.protocol = protocol;
  return out;
}

function servicePorts(service: KService): V1ServicePort[] {
  const seen = new Set<number>();
  const nodePort = Number(service.labels[LABEL.nodePortPort] ?? 0);
  return service.ports.map((port) => {
    const published = port.hostPort || port.containerPort;
    // A second mapping of the same port (TCP and UDP) gets the protocol in its name.
    const name = seen.has(published) ? `${published}-${port.protocol.toLowerCase()}` : String(published);
    seen.add(published);
    const out = servicePort(name, published, port.containerPort, port.protocol);
    if (service.serviceType === 'NodePort' && nodePort) out.nodePort = nodePort;
    return out;
  });
}

function baseService(
  name: string,
  selectorName: string,
  service: KService,
  options: ConvertOptions,
): V1Service {
  const annotations = annotationsFor(service, options);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: selectorLabels(selectorName), ...(annotations ? { annotations } : {}) },
    spec: { selector: selectorLabels(selectorName) },
  };
}

/**
 * The Service(s) and Ingress of a service. `name` is the workload name the Service selects
 * (the group name in service-group mode).
 */
export function serviceAndIngress(
  service: KService,
  name: string,
  options: ConvertOptions,
  warnings: WarningSink,
): (V1Service | V1Ingress)[] {
  if (service.ports.length === 0) {
    if (service.serviceType === 'Headless') {
      const svc = baseService(service.rawName, name, service, options);
      svc.spec = { ...svc.spec, clusterIP: 'None', ports: [servicePort('headless', 55_555, 0, 'TCP')] };
      if (service.externalTrafficPolicy) {
        warnings.kompose(
          `External Traffic Policy is ignored for the service ${name} of type Headless`,
          service.compose.name,
        );
      }
      return [svc];
    }
    if (options.servicesWithoutPorts) {
      const svc = baseService(service.rawName, name, service, options);
      svc.spec = { ...svc.spec, clusterIP: 'None' };
      return [svc];
    }
    warnings.kompose(
      `Service "${service.rawName}" won't be created because 'ports' is not specified`,
      service.compose.name,
    );
    return [];
  }
  if (service.serviceType === 'LoadBalancer') return loadBalancers(service, name, options, warnings);

  const svc = baseService(service.rawName, name, service, options);
  const ports = servicePorts(service);
  svc.spec = { ...svc.spec, ports };
  if (service.serviceType === 'Headless') {
    svc.spec.type = 'ClusterIP';
    svc.spec.clusterIP = 'None';
  } else if (service.serviceType) {
    svc.spec.type = service.serviceType;
  }
  const objects: (V1Service | V1Ingress)[] = [svc];
  if (service.labels[LABEL.serviceExpose]?.replace(/^[ ,]+|[ ,]+$/g, '')) {
    objects.push(ingress(service, name, ports[0]?.port ?? 0, options));
  }
  if (service.externalTrafficPolicy && svc.spec.type !== 'NodePort') {
    warnings.kompose(
      `External Traffic Policy is ignored for the service ${name} of type ${service.serviceType}`,
      service.compose.name,
    );
  }
  return objects;
}

function loadBalancers(
  service: KService,
  name: string,
  options: ConvertOptions,
  warnings: WarningSink,
): V1Service[] {
  const byProtocol = { tcp: [] as V1ServicePort[], udp: [] as V1ServicePort[] };
  for (const port of service.ports) {
    const published = port.hostPort || port.containerPort;
    const target = port.protocol === 'TCP' ? byProtocol.tcp : byProtocol.udp;
    target.push(servicePort(String(published), published, port.containerPort, port.protocol));
  }
  const services: V1Service[] = [];
  for (const [suffix, ports] of Object.entries(byProtocol)) {
    if (ports.length === 0) continue;
    const svc = baseService(`${name}-${suffix}`, `${name}-${suffix}`, service, options);
    // kompose selects the pods by the compose name, not by the suffixed Service name.
    svc.spec = { selector: selectorLabels(service.rawName), ports, type: 'LoadBalancer' };
    if (service.externalTrafficPolicy) svc.spec.externalTrafficPolicy = service.externalTrafficPolicy;
    services.push(svc);
  }
  if (services.length > 1) {
    warnings.kompose(
      "Create multiple service to avoid using mixed protocol in the same service when it's loadbalancer type",
      service.compose.name,
    );
  }
  return services;
}

function ingress(service: KService, name: string, port: number, options: ConvertOptions): V1Ingress {
  const expose = (service.labels[LABEL.serviceExpose] ?? '').replace(/^[ ,]+|[ ,]+$/g, '');
  const tlsSecret = service.labels[LABEL.serviceExposeTlsSecret] ?? '';
  const className = service.labels[LABEL.serviceExposeIngressClassName];
  const hosts = expose.split(/[ ,]*,[ ,]*/);
  const tlsHosts: string[] = [];
  const rules = hosts.map((entry) => {
    const slash = entry.indexOf('/');
    const host = slash < 0 ? entry : entry.slice(0, slash);
    const path = slash < 0 ? '/' : entry.slice(slash) || '/';
    tlsHosts.push(host === 'true' ? '' : host);
    return {
      ...(host === 'true' ? {} : { host }),
      http: {
        paths: [{ path, pathType: 'Prefix', backend: { service: { name, port: { number: port } } } }],
      },
    };
  });
  const annotations = annotationsFor(service, options);
  const out: V1Ingress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, labels: selectorLabels(name), ...(annotations ? { annotations } : {}) },
    spec: { rules },
  };
  if (tlsSecret && out.spec) {
    out.spec.tls = [{ hosts: tlsHosts, ...(tlsSecret === 'true' ? {} : { secretName: tlsSecret }) }];
  }
  if (className && out.spec) out.spec.ingressClassName = className;
  return out;
}
