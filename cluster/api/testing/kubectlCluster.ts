// The cluster an acceptance test drives with the real kubectl (and helm): a control plane on a random
// loopback port over a memory store, with simulated nodes when asked, its kubeconfig, and the
// clients run with HOME in the cluster's own temp dir.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ControlPlane, type ControlPlaneOptions, startControlPlane } from '../../controlPlane';
import { createMemoryStore } from '../../store/memoryStore';
import { type Kubectl, kubectlOk, kubectlRunner } from './kubectlRunner';
import { unpackKubeTools } from './kubeTools';

export interface KubectlClusterOptions {
  /** Names the temp dir (`kubedesk-<name>-…`) holding the data dir, manifests and the clients' HOME. */
  name: string;
  simulatedNodes?: ControlPlaneOptions['simulatedNodes'];
  /** Default: every built-in controller. */
  controllers?: ControlPlaneOptions['controllers'];
  /** How long `ok`, `getJson` and `apply` let each kubectl run; default the runner's 60 s. */
  kubectlTimeoutMs?: number;
}

export interface KubectlCluster {
  dir: string;
  plane: ControlPlane;
  kubectl: Kubectl;
  /** Runs kubectl, failing with its stderr when it exits non-zero; resolves its stdout. */
  ok(...args: string[]): Promise<string>;
  /** `kubectl get <args> -o json`, parsed. */
  getJson<T>(...args: string[]): Promise<T>;
  /** Writes `manifest` to `<dir>/<name>.yaml` and runs `kubectl apply -f` on it. */
  apply(name: string, manifest: string): Promise<string>;
  /** Runs helm from `dir` against the cluster; rejects with its stderr. */
  helm(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startKubectlCluster(options: KubectlClusterOptions): Promise<KubectlCluster> {
  const dir = mkdtempSync(join(tmpdir(), `kubedesk-${options.name}-`));
  const store = createMemoryStore();
  let plane: ControlPlane;
  try {
    plane = await startControlPlane({
      dataDir: join(dir, 'data'),
      store,
      port: 0,
      ...(options.simulatedNodes === undefined ? {} : { simulatedNodes: options.simulatedNodes }),
      ...(options.controllers === undefined ? {} : { controllers: options.controllers }),
    });
  } catch (err) {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const kubectl = kubectlRunner(plane.kubeconfigPath, dir);
  const timeout = options.kubectlTimeoutMs === undefined ? {} : { timeoutMs: options.kubectlTimeoutMs };
  const ok = (...args: string[]) => kubectlOk(kubectl, args, timeout);
  return {
    dir,
    plane,
    kubectl,
    ok,
    async getJson<T>(...args: string[]) {
      return JSON.parse(await ok('get', ...args, '-o', 'json')) as T;
    },
    apply(name, manifest) {
      const path = join(dir, `${name}.yaml`);
      writeFileSync(path, manifest);
      return ok('apply', '-f', path);
    },
    async helm(...args) {
      const { helm } = await unpackKubeTools();
      return new Promise((resolve, reject) => {
        execFile(
          helm,
          args,
          { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: plane.kubeconfigPath } },
          (err, stdout, stderr) =>
            err ? reject(new Error(`helm ${args.join(' ')}: ${stderr}`)) : resolve(stdout),
        );
      });
    },
    async stop() {
      await plane.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
