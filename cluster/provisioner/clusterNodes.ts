import type { V1Node } from '@kubernetes/client-node';
import type { CertAndKey } from '../pki/certificates';
import { addNode, type ClusterState, createCluster, type ProvisionerOptions, startCluster } from './cluster';
import { installAgent } from './installAgent';
import { nodeCredentialFiles } from './nodeCredentials';
import { defaultClusterName } from './planNodes';
import type { NodeHandle } from './providers/nodeProvider';
import { runSteps } from './steps';
import { waitForNodeReady } from './waitForNodeReady';

// Nodes joined to a running control plane: the node containers created (or the existing ones
// started, so the same nodes and pods come back), each given the agent and fresh credentials, and
// each waited for until its kubelet reports the Node Ready.

export interface ControlPlaneAccess {
  /** The API server URL as nodes reach it (`https://host.docker.internal:<port>`). */
  serverUrl: string;
  /** The cluster CA, which signs each node's client and kubelet serving certificates. */
  ca: CertAndKey;
  /** Reads a Node through the API server; undefined when it does not exist (yet). */
  readNode(name: string): Promise<V1Node | undefined>;
  /** The agent bundle on the host (ensureAgentBundle). */
  agentBundle: string;
}

export interface JoinOptions extends ProvisionerOptions {
  nodeReadyTimeoutMs?: number;
}

const agentLogTail = async (options: JoinOptions, node: NodeHandle) => {
  const result = await options.provider
    .exec(node, ['tail', '-n', '15', '/var/log/kubedesk-agent.log'])
    .catch(() => undefined);
  return result?.stdout.trim() ?? '';
};

/** Installs the agent with fresh credentials on every node and waits until each Node is Ready. */
export async function joinNodes(
  nodes: NodeHandle[],
  access: ControlPlaneAccess,
  options: JoinOptions,
): Promise<void> {
  const since = new Date();
  await runSteps(
    [
      nodes.map((node) => ({
        title: `start the agent on ${node.name}`,
        async run() {
          const files = await nodeCredentialFiles({ node, serverUrl: access.serverUrl, ca: access.ca });
          await installAgent(options.provider, node, { bundlePath: access.agentBundle, files });
        },
      })),
      nodes.map((node) => ({
        title: `wait for ${node.name} to be Ready`,
        async run() {
          try {
            await waitForNodeReady(access.readNode, node.name, {
              since,
              timeoutMs: options.nodeReadyTimeoutMs,
              signal: options.signal,
            });
          } catch (err) {
            // What the agent said is the one clue a person has; the error carries it.
            const tail = await agentLogTail(options, node);
            throw tail ? new Error(`${(err as Error).message}; agent log:\n${tail}`, { cause: err }) : err;
          }
        },
      })),
    ],
    {
      title: `join ${nodes.length === 1 ? `node ${nodes[0]?.name}` : `${nodes.length} nodes`}`,
      opId: options.opId,
      onProgress: options.onProgress,
      signal: options.signal,
      log: options.log,
    },
  );
}

/**
 * Brings a cluster's nodes up for a control plane that already runs: creates `nodes` nodes when the
 * cluster has none, otherwise starts the existing ones (never removing any) and adds nodes up to
 * `nodes`; then joins them all.
 */
export async function bringUpNodes(
  config: { name?: string; nodes: number },
  access: ControlPlaneAccess,
  options: JoinOptions,
): Promise<ClusterState> {
  const name = config.name ?? defaultClusterName;
  const existing = await options.provider.listNodes(name);
  let state =
    existing.length === 0
      ? await createCluster({ name, nodes: config.nodes }, options)
      : await startCluster(name, options);
  for (let count = state.nodes.length; count < config.nodes; count += 1) {
    const added = await addNode(name, options);
    state = { ...state, nodes: [...state.nodes, added], securityMode: state.securityMode ?? added.mode };
  }
  if (state.nodes.length > 0) await joinNodes(state.nodes, access, options);
  return state;
}
