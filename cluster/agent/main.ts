import Docker from 'dockerode';
import { consoleSink, createLogger } from '../log';
import { kubeConfigFor, readCredentials } from './credentials';
import { startKubelet } from './kubelet/kubelet';
import { createKubeletServer } from './kubeletApi/kubeletServer';

// The node agent's entry (bundled to one file by scripts/build-agent.ts and run by
// /usr/local/bin/kubedesk-agent inside each node). It starts the kubelet and its API now; the
// Service proxy and cluster DNS join here later, each as its own start function.

async function main(): Promise<void> {
  const log = createLogger({ sinks: [consoleSink(process.stdout)], fields: { component: 'agent' } });
  const credentials = readCredentials();
  const nodeName = process.env.KUBEDESK_NODE_NAME ?? 'kubedesk-node';
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  const kubelet = await startKubelet({ kubeConfig: kubeConfigFor(credentials, nodeName), log, docker });
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
    await Promise.allSettled([kubelet.stop(), api?.close()]);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`kubedesk agent failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
