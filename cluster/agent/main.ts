import Docker from 'dockerode';
import { consoleSink, createLogger } from '../log';
import { kubeConfigFor, readCredentials } from './credentials';
import { startKubelet } from './kubelet/kubelet';
import { createKubeletServer } from './kubeletApi/kubeletServer';
import { startServiceNetworking } from './serviceNetworking';

// The node agent's entry (bundled to one file by scripts/build-agent.ts and run by
// /usr/local/bin/kubedesk-agent inside each node). It starts Service networking (proxy and cluster
// DNS), then the kubelet and its API.

async function main(): Promise<void> {
  const log = createLogger({ sinks: [consoleSink(process.stdout)], fields: { component: 'agent' } });
  const credentials = readCredentials();
  const nodeName = process.env.KUBEDESK_NODE_NAME ?? 'kubedesk-node';
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  const kubeConfig = kubeConfigFor(credentials, nodeName);
  const networking = await startServiceNetworking({ kubeConfig, nodeName, log });
  const kubelet = await startKubelet({ kubeConfig, log, docker });
  let api: ReturnType<typeof createKubeletServer> | undefined;
  if (credentials.kubeletCert && credentials.kubeletKey) {
    api = createKubeletServer({
      docker,
      worker: kubelet.worker,
      caCert: credentials.ca,
      cert: credentials.kubeletCert,
      key: credentials.kubeletKey,
      ...(credentials.kubeletToken ? { kubeletToken: credentials.kubeletToken } : {}),
      log,
    });
    await api.listen(kubelet.facts.kubeletPort);
    log.info('kubelet API listening', { port: kubelet.facts.kubeletPort });
  } else {
    log.warn('no kubelet serving certificate in the credentials; the kubelet API is off');
  }
  const stop = async () => {
    // Pods keep running: a node restart reconciles them rather than recreating them.
    await Promise.allSettled([kubelet.stop(), api?.close(), networking.stop()]);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`kubedesk agent failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
