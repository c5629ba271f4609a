// Assembles the control plane: PKI, the HTTPS API server on loopback (plus any extra bind
// addresses, never all interfaces), built-in objects, the controllers, and an admin
// kubeconfig written to `<dataDir>/kubeconfig` (mode 0600).

import { join } from 'node:path';
import { apiServerCommonName } from './agent/kubeletApi/kubeletAuth';
import { type ApiServer, createApiServer } from './api/apiServer';
import type { TokenAuthenticator } from './api/handlers/reviewHandlers';
import { kubernetesServiceIP, seedBuiltinObjects } from './api/lifecycle/builtinObjects';
import { builtinControllers } from './controllers/builtinControllers';
import type { Clock } from './controllers/runtime/clock';
import type { ControllerContext, ControllerFactory } from './controllers/runtime/controllerContext';
import {
  type ControllerManager,
  createControllerContext,
  startControllerManager,
} from './controllers/runtime/controllerManager';
import { rootCaPublisher } from './controllers/serviceAccount/rootCaPublisher';
import { serviceAccountTokensController } from './controllers/serviceAccount/tokensController';
import { buildKubeconfig, buildKubeconfigEntry, type KubeconfigEntry, writeKubeconfig } from './kubeconfig';
import { type Logger, nullLogger } from './log';
import { type CertAndKey, createJwtSigner, ensurePki, type Identity, type SubjectAltNames } from './pki';
import { builtinCatalog } from './registry/builtinResources';
import {
  type SimulatedNodes,
  type SimulatedNodesOptions,
  startSimulatedNodes,
} from './simulatedNodes/simulatedNodes';
import type { Store } from './store/store';

export interface ControlPlaneOptions {
  dataDir: string;
  store: Store;
  /** Default 6443; when taken, a free port is used instead. */
  port?: number;
  /** Default ['127.0.0.1']. Add the node network's gateway so node agents can connect. */
  bindAddresses?: string[];
  /** Extra serving-certificate names beyond localhost, loopback, the bind addresses and kubernetes.default.svc. */
  serverSans?: Partial<SubjectAltNames>;
  /** Bearer tokens for node agents: a map of token → identity, or a function. */
  tokens?: Record<string, Identity> | TokenAuthenticator;
  /** Where a node's kubelet API listens (a port published on the host's loopback), for the pod proxies. */
  kubeletLocator?: (nodeName: string) => Promise<{ host: string; port: number } | undefined>;
  log?: Logger;
  /** Which controllers run (default: all built-in ones) and the clock they read (tests move it). */
  controllers?: { factories?: readonly ControllerFactory[]; clock?: Clock };
  /** In-process fake kubelets started after the controllers: how many, or their options. */
  simulatedNodes?: number | SimulatedNodesOptions;
}

export interface ControlPlane {
  /** e.g. https://127.0.0.1:6443 */
  url: string;
  port: number;
  caCert: string;
  kubeconfigPath: string;
  /** The `kubedesk` cluster/user/context, for merging into the user's kubeconfig. */
  kubeconfigEntry: KubeconfigEntry;
  /** Signs a client certificate with the cluster CA, e.g. `system:node:<name>` in `system:nodes` for an agent. */
  issueClientCert(cn: string, orgs: string[]): Promise<CertAndKey>;
  /** The in-process client, shared informers and clock the controllers use. */
  controllerContext: ControllerContext;
  /** The simulated nodes, when asked for. */
  simulatedNodes?: SimulatedNodes;
  /** Stops serving and the in-process loops; the store stays open (the caller owns it). */
  stop(): Promise<void>;
}

const defaultPort = 6443;

function isAddressInUse(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

function tokenAuthenticator(tokens: ControlPlaneOptions['tokens']): TokenAuthenticator {
  if (typeof tokens === 'function') return tokens;
  const table = new Map(Object.entries(tokens ?? {}));
  return (token) => table.get(token);
}

function servingNames(addresses: string[], extra: Partial<SubjectAltNames> = {}): SubjectAltNames {
  const dns = [
    'localhost',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    'host.docker.internal',
    ...(extra.dns ?? []),
  ];
  const ips = ['127.0.0.1', '::1', kubernetesServiceIP, ...addresses, ...(extra.ips ?? [])];
  return { dns: [...new Set(dns)], ips: [...new Set(ips)] };
}

async function listenWithFallback(api: ApiServer, addresses: string[], port: number): Promise<number> {
  try {
    return await api.listen(addresses, port);
  } catch (err) {
    if (!isAddressInUse(err) || port === 0) throw err;
    await api.close();
    return api.listen(addresses, 0);
  }
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const addresses = options.bindAddresses ?? ['127.0.0.1'];
  if (addresses.some((a) => a === '0.0.0.0' || a === '::')) {
    throw new Error('the API server never listens on all interfaces; pass specific bind addresses');
  }
  const pki = await ensurePki(join(options.dataDir, 'pki'), {
    serverSans: servingNames(addresses, options.serverSans),
  });
  const serviceAccountSigner = createJwtSigner(pki.serviceAccountKey);
  const api = createApiServer({
    store: options.store,
    catalog: builtinCatalog,
    tls: { caCert: pki.caCert, serverCert: pki.serverCert, serverKey: pki.serverKey },
    authenticateToken: tokenAuthenticator(options.tokens),
    serviceAccountSigner,
    // Kept in memory only: a fresh one each start is as good, and nothing else needs it.
    kubeletClientCert: await pki.issueClientCert(apiServerCommonName, []),
    ...(options.kubeletLocator ? { kubeletLocator: options.kubeletLocator } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  let controllers: ControllerManager | undefined;
  let simulatedNodes: SimulatedNodes | undefined;
  const log = options.log ?? nullLogger;
  try {
    const port = await listenWithFallback(api, addresses, options.port ?? defaultPort);
    // Pods reach the API server through a non-loopback address when there is one.
    const endpointIp = addresses.find((a) => a !== '127.0.0.1' && a !== '::1') ?? addresses[0] ?? '127.0.0.1';
    await seedBuiltinObjects(api.rest, { ip: endpointIp, port });
    const controllerContext = createControllerContext(api.rest, {
      log: log.child({ component: 'controllers' }),
      ...(options.controllers?.clock ? { clock: options.controllers.clock } : {}),
    });
    controllers = await startControllerManager(
      controllerContext,
      // The CA publisher and the tokens controller need the cluster's keys, so they join whichever
      // controllers were chosen.
      [
        ...(options.controllers?.factories ?? builtinControllers),
        rootCaPublisher(pki.caCert),
        serviceAccountTokensController({ signer: serviceAccountSigner, caCert: pki.caCert }),
      ],
    );
    if (options.simulatedNodes !== undefined) {
      simulatedNodes = await startSimulatedNodes(
        controllerContext,
        typeof options.simulatedNodes === 'number'
          ? { count: options.simulatedNodes }
          : options.simulatedNodes,
      );
    }
    api.setReady(true);
    const host = addresses[0] ?? '127.0.0.1';
    const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const kubeconfigPath = join(options.dataDir, 'kubeconfig');
    const admin = {
      name: 'kubedesk',
      server: url,
      caCert: pki.caCert,
      clientCert: pki.adminCert,
      clientKey: pki.adminKey,
    };
    await writeKubeconfig(kubeconfigPath, buildKubeconfig(admin));
    options.log?.info('control plane started', { url });
    return {
      url,
      port,
      caCert: pki.caCert,
      kubeconfigPath,
      kubeconfigEntry: buildKubeconfigEntry(admin),
      issueClientCert: (cn, orgs) => pki.issueClientCert(cn, orgs),
      controllerContext,
      ...(simulatedNodes ? { simulatedNodes } : {}),
      async stop() {
        simulatedNodes?.stop();
        controllers?.stop();
        await api.close();
      },
    };
  } catch (err) {
    simulatedNodes?.stop();
    controllers?.stop();
    await api.close();
    throw err;
  }
}
