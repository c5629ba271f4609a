import type { V1Node, V1Service } from '@kubernetes/client-node';
import type { ControllerContext } from '../../controllers/runtime/controllerContext';
import type { InformerHandlers } from '../../controllers/runtime/informer';
import { queueController } from '../../controllers/runtime/queueController';
import { resources } from '../../controllers/runtime/resources';
import type { ForwarderEngine } from './forwarderEngine';
import { desiredLoadBalancerStatus, loadBalancerStatusIs, localhostIngress } from './loadBalancerStatus';
import { type ExposurePlan, planExposure } from './planExposure';
import { removeForwarders, type SyncResult, syncForwarders } from './syncForwarders';

// Services reachable from the host: a controller over all Services (and Nodes, whose addresses
// the forwarders target) that plans the forwarder containers, brings the engine to the plan,
// writes LoadBalancer status, and reports what could not be published as Warning events on the
// Service. The whole cluster is one key: plans are small, and one host port is shared by all.

export const exposureComponent = 'kubedesk-service-exposure';

export const exposureReasons = {
  exposed: 'ExposedOnHost',
  portInUse: 'HostPortInUse',
  portConflict: 'HostPortConflict',
  notExposed: 'NotExposedOnHost',
} as const;

export interface ServiceExposureOptions {
  context: ControllerContext;
  engine: ForwarderEngine;
  cluster: string;
  /** The cluster network the forwarders join. */
  network: string;
  /** Image the forwarders run: the node image. */
  image: string;
  /** Addresses of the cluster's running nodes on the cluster network. */
  nodeIps(): Promise<string[]>;
  /** The setting "Expose LoadBalancer services on localhost". */
  enabled(): boolean;
  /** Retry for host ports the engine refused; default 10 s. */
  retryMs?: number;
}

export interface ServiceExposure {
  /** Re-plans now (the setting changed). */
  resync(): void;
  /** Stops watching and removes every forwarder, freeing the host ports. */
  stop(): Promise<void>;
}

const key = 'cluster';

const describePort = (protocol: string, hostPort: number) =>
  `localhost:${hostPort}${protocol === 'TCP' ? '' : `/${protocol}`}`;

export function startServiceExposure(options: ServiceExposureOptions): ServiceExposure {
  const { context, engine, cluster } = options;
  const services = context.informers.for(resources.services);
  const nodes = context.informers.for(resources.nodes);
  const serviceClient = context.client.resource(resources.services);
  const recorder = context.recorder(exposureComponent);
  const log = context.log.child({ controller: 'service-exposure' });
  /** Problems already reported (service, reason, port), so one is not recorded again on every
   * retry; the engine's words can differ between retries (they name the endpoint). */
  let reported = new Set<string>();

  const report = (plan: ExposurePlan, sync: SyncResult) => {
    const current = new Set<string>();
    const warn = (namespace: string, name: string, reason: string, port: number, message: string) => {
      const id = `${namespace}/${name}\0${reason}\0${port}`;
      current.add(id);
      if (reported.has(id)) return;
      const svc = services.get(namespace, name);
      if (svc) recorder.event({ ...svc, apiVersion: 'v1', kind: 'Service' }, 'Warning', reason, message);
    };
    for (const { forwarder, message } of sync.failed) {
      warn(
        forwarder.service.namespace,
        forwarder.service.name,
        exposureReasons.portInUse,
        forwarder.hostPort,
        `port ${forwarder.portName} cannot be published on ${describePort(forwarder.protocol, forwarder.hostPort)}: ${message}`,
      );
    }
    for (const conflict of plan.conflicts) {
      warn(
        conflict.service.namespace,
        conflict.service.name,
        exposureReasons.portConflict,
        conflict.hostPort,
        `${describePort(conflict.protocol, conflict.hostPort)} is already used by service ${conflict.heldBy.namespace}/${conflict.heldBy.name}`,
      );
    }
    for (const unexposed of plan.unexposed) {
      warn(
        unexposed.service.namespace,
        unexposed.service.name,
        exposureReasons.notExposed,
        unexposed.port,
        `port ${unexposed.port} is not published on localhost: ${unexposed.reason}`,
      );
    }
    for (const forwarder of sync.created) {
      const svc = services.get(forwarder.service.namespace, forwarder.service.name);
      if (svc) {
        recorder.event(
          { ...svc, apiVersion: 'v1', kind: 'Service' },
          'Normal',
          exposureReasons.exposed,
          `port ${forwarder.portName} published on ${describePort(forwarder.protocol, forwarder.hostPort)}`,
        );
      }
    }
    reported = current;
  };

  const writeStatus = async (sync: SyncResult) => {
    for (const svc of services.list()) {
      const desired = desiredLoadBalancerStatus(svc, sync.running);
      const ours = loadBalancerStatusIs(svc, localhostIngress);
      if (svc.spec?.type !== 'LoadBalancer' && !ours) continue;
      if (loadBalancerStatusIs(svc, desired)) continue;
      await serviceClient.mutate(
        svc.metadata?.namespace,
        svc.metadata?.name ?? '',
        (live) => ({ ...live, status: { ...live.status, loadBalancer: desired } }),
        { subresource: 'status' },
      );
    }
  };

  /** The sync under way, which stop waits for so no forwarder is created after the last removal. */
  let inFlight: Promise<unknown> = Promise.resolve();
  const sync = async () => {
    const plan = planExposure({
      cluster,
      enabled: options.enabled(),
      services: services.list(),
      nodeIps: await options.nodeIps(),
      image: options.image,
      network: options.network,
    });
    const result = await syncForwarders(engine, cluster, plan.forwarders);
    report(plan, result);
    await writeStatus(result);
    if (result.created.length > 0) {
      log.info('services published on localhost', { ports: result.created.map((f) => f.hostPort) });
    }
    return result.failed.length > 0 ? { requeueAfterMs: options.retryMs ?? 10_000 } : undefined;
  };
  const controller = queueController({
    name: 'service-exposure',
    log,
    workers: 1,
    reconcile: () => {
      const run = sync();
      inFlight = run.catch(() => undefined);
      return run;
    },
  });

  const enqueue = () => controller.queue.add(key);
  const serviceHandlers: InformerHandlers<V1Service> = {
    onAdd: enqueue,
    onUpdate: enqueue,
    onDelete: enqueue,
  };
  // A Node's address or its presence changes the targets; its status heartbeats do not.
  const nodeHandlers: InformerHandlers<V1Node> = {
    onAdd: enqueue,
    onDelete: enqueue,
    onUpdate: (old, obj) => {
      if (JSON.stringify(old.status?.addresses) !== JSON.stringify(obj.status?.addresses)) enqueue();
    },
  };
  services.addHandlers(serviceHandlers, { replay: false });
  nodes.addHandlers(nodeHandlers, { replay: false });
  Promise.all([services.start(), nodes.start()]).then(
    () => {
      enqueue();
      controller.run();
    },
    (err: unknown) => log.error('service exposure not started', { error: String(err) }),
  );

  return {
    resync: enqueue,
    async stop() {
      services.removeHandlers(serviceHandlers);
      nodes.removeHandlers(nodeHandlers);
      controller.stop();
      await inFlight;
      await removeForwarders(engine, cluster);
    },
  };
}
