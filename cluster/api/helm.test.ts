// The real helm 4 against our control plane: install (server-side apply, protobuf release
// Secrets), upgrade and uninstall of a small chart.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubectlCluster, startKubectlCluster } from './testing/kubectlCluster';

let cluster: KubectlCluster;
let chart: string;

// Written at run time: a template is not YAML until helm renders it.
const chartFiles: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
  'values.yaml': 'replicas: 2\n',
  'templates/all.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-cfg
data:
  k: v
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  replicas: {{ .Values.replicas }}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-svc
spec:
  selector: {app: web}
  ports: [{port: 80}]
`,
};

const helm = (...args: string[]) => cluster.helm(...args);

async function get(...args: string[]): Promise<string> {
  return (await cluster.kubectl(['get', ...args])).stdout;
}

beforeAll(async () => {
  cluster = await startKubectlCluster({ name: 'helm' });
  chart = join(cluster.dir, 'chart');
  for (const [name, text] of Object.entries(chartFiles)) {
    mkdirSync(join(chart, name, '..'), { recursive: true });
    writeFileSync(join(chart, name), text);
  }
}, 120_000);

afterAll(() => cluster?.stop());

describe('helm', () => {
  it('installs, upgrades and uninstalls a release', async () => {
    expect(await helm('install', 'demo', chart)).toContain('STATUS: deployed');
    expect(await get('deploy', 'demo-web', '-o', 'jsonpath={.spec.replicas}')).toBe('2');
    expect(await get('secret', '-l', 'owner=helm', '-o', 'name')).toBe('secret/sh.helm.release.v1.demo.v1\n');
    const managers = await get('deploy', 'demo-web', '-o', 'jsonpath={.metadata.managedFields[0].manager}');
    expect(managers).toBe('helm');
    expect(await helm('upgrade', 'demo', chart, '--set', 'replicas=4')).toContain('REVISION: 2');
    expect(await get('deploy', 'demo-web', '-o', 'jsonpath={.spec.replicas}')).toBe('4');
    expect(await helm('list')).toMatch(/demo\s+default\s+2\s.*deployed/);
    expect(await helm('uninstall', 'demo')).toContain('release "demo" uninstalled');
    expect(await get('deploy,cm,svc,secret', '-o', 'name')).not.toContain('demo');
  }, 60_000);
});
