import { type Kubectl, kubectlOk } from '../../cluster/api/testing/kubectlRunner';
import { clusterNameFor } from '../../cluster/provisioner/clusterName';
import { createDockerProvider } from '../../cluster/provisioner/providers/dockerProvider';
import { importBusyboxImage } from '../../cluster/provisioner/testImages';
import { kubectlApply, until } from './kubectlSessions';
import { kubedeskCli } from './kubedeskCli';
import { type ServeProcess, startServeWithKubectl, stopOnFailure } from './kubedeskProcess';

// `kubedesk serve --nodes 1` for UI tests that need a real node: the busybox test image imported on
// the host and loaded into the node, and one pod of it Running there. `deleteInstallation(dataDir,
// [image])` removes it all afterwards.

/** Node and pod start can take minutes on a busy shared machine. */
const realNodeTimeoutMs = 180_000;

export async function serveRealNodeWithPod(
  dataDir: string,
  home: string,
  pod: { name: string; manifest: string; image: string },
): Promise<{ serve: ServeProcess; kubectl: Kubectl }> {
  await importBusyboxImage(createDockerProvider(), pod.image);
  const started = await startServeWithKubectl(dataDir, home, {
    args: ['--nodes', '1', '--simulated-nodes', '0'],
    timeoutMs: 120_000,
  });
  const { serve, kubectl } = started;
  const node = `${clusterNameFor(dataDir)}-node-1`;
  await stopOnFailure(serve, async () => {
    await until(
      async () =>
        / Ready /.test(` ${await kubectlOk(kubectl, ['get', 'node', node, '--no-headers'])}`) || undefined,
      `node ${node} to be Ready`,
      realNodeTimeoutMs,
    );
    const load = await kubedeskCli(dataDir)(['image', 'load', pod.image]);
    if (load.code !== 0) throw new Error(`kubedesk image load: ${load.stderr}`);
    await kubectlApply(kubectl, pod.manifest);
    await until(
      async () =>
        (await kubectlOk(kubectl, ['get', 'pod', pod.name, '-o', 'jsonpath={.status.phase}'])) ===
          'Running' || undefined,
      `pod ${pod.name} to run`,
      realNodeTimeoutMs,
    );
  });
  return started;
}
