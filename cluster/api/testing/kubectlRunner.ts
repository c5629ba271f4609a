// Runs the real kubectl against a test cluster without blocking the event loop (the API server
// under test usually lives in the same process), with HOME in a temp dir so the user's kubeconfig
// and discovery cache are never touched.

import { execFile } from 'node:child_process';
import { unpackKubeTools } from './kubeTools';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type Kubectl = (
  args: string[],
  options?: { input?: string; timeoutMs?: number },
) => Promise<KubectlResult>;

export function kubectlRunner(kubeconfigPath: string, home: string): Kubectl {
  // Asked for on first use, so scripts run outside vitest (benches) get the tools unpacked too.
  let binary: Promise<string> | undefined;
  return async (args, options = {}) => {
    binary ??= unpackKubeTools().then((tools) => tools.kubectl);
    const path = await binary;
    return new Promise((resolve) => {
      const child = execFile(
        path,
        ['--kubeconfig', kubeconfigPath, ...args],
        { env: { PATH: process.env.PATH ?? '', HOME: home }, timeout: options.timeoutMs ?? 60_000 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
      if (options.input !== undefined) child.stdin?.end(options.input);
    });
  };
}

/** Runs kubectl and fails the test with its stderr when it exits non-zero; resolves its stdout. */
export async function kubectlOk(
  kubectl: Kubectl,
  args: string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<string> {
  const result = await kubectl(args, options);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}
