import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlRunner } from '../cluster/api/testing/kubectlRunner';
import { type EtcdServer, startEtcdServer } from '../cluster/store/startEtcdServer';
import { kubedeskCli } from './support/kubedeskCli';

const manifest = `
apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: shop }
data: { colour: blue }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: registry.local/web:1 }] }
`;

// `kubedesk start|status|stop` with the real kubectl, once per store backend: objects survive a
// restart of the control plane, and the kubedesk context lands in the user's kubeconfig.
describe.each(['sqlite', 'etcd'] as const)(
  'a control plane on %s, started from the command line',
  (store) => {
    const dataDir = mkdtempSync(join(tmpdir(), `kubedesk-cp-${store}-`));
    const cli = kubedeskCli(dataDir);
    let etcd: EtcdServer | undefined;
    let kubectl: Kubectl;
    let startArgs: string[];

    beforeAll(async () => {
      startArgs = ['start', '--nodes', '0', '--simulated-nodes', '2', '--api-port', '0'];
      if (store === 'etcd') {
        etcd = await startEtcdServer();
        startArgs.push('--store', 'etcd', '--etcd-endpoints', etcd.endpoint);
      }
    });
    afterAll(async () => {
      await cli(['stop']);
      await etcd?.stop();
    });

    it('starts, reports its state and merges the kubedesk context into the user kubeconfig', async () => {
      const start = await cli(startArgs);
      expect(start.stderr).toBe('');
      expect(start.code).toBe(0);
      expect(start.stdout).toMatch(/Kubernetes is running: https:\/\/127\.0\.0\.1:\d+/);

      const status = await cli(['status', '-o', 'json']);
      expect(JSON.parse(status.stdout).cluster.state).toBe('running');
      const kubeconfigPath = (await cli(['kubeconfig'])).stdout.trim();
      expect(kubeconfigPath).toBe(join(dataDir, 'kubeconfig'));
      expect(readFileSync(join(dataDir, 'user-kubeconfig'), 'utf8')).toContain('current-context: kubedesk');

      kubectl = kubectlRunner(kubeconfigPath, mkdtempSync(join(tmpdir(), 'kubedesk-home-')));
      const file = join(dataDir, 'shop.yaml');
      writeFileSync(file, manifest);
      const apply = await kubectl(['apply', '-f', file]);
      expect(apply.stderr).toBe('');
      expect(apply.stdout).toContain('deployment.apps/web created');
      // The simulated nodes asked for on the command line are Ready, and run the Deployment.
      const nodes = await kubectl(['get', 'nodes', '--no-headers']);
      expect(nodes.stdout).toMatch(/^sim-node-1\s+Ready\s/m);
      expect(nodes.stdout).toMatch(/^sim-node-2\s+Ready\s/m);
      const rollout = await kubectl(['rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=60s']);
      expect(rollout.stdout).toContain('successfully rolled out');
    });

    it('refuses a second start beside the running one, without harm', async () => {
      const again = await cli(startArgs);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('already running');
    });

    it('keeps every object across a stop and a start', async () => {
      const before = await kubectl(['get', 'deploy,cm', '-n', 'shop', '-o', 'name']);
      expect((await cli(['stop'])).stdout).toContain('Kubedesk stopped');
      expect((await cli(['status'])).stdout).toContain('stopped');
      const restart = await cli(startArgs);
      expect(restart.code).toBe(0);
      // The API port may differ after a restart; kubectl reads the fresh kubeconfig.
      const after = await kubectl(['get', 'deploy,cm', '-n', 'shop', '-o', 'name']);
      expect(after.stdout).toBe(before.stdout);
      expect(after.stdout).toContain('deployment.apps/web');
      const colour = await kubectl(['get', 'cm', 'settings', '-n', 'shop', '-o', 'jsonpath={.data.colour}']);
      expect(colour.stdout).toBe('blue');
    });
  },
);
