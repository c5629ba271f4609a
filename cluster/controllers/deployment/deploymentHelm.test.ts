// Acceptance: the real helm 4 installs, upgrades, rolls back and uninstalls the chart `helm create`
// generates, with --wait, on a control plane with three simulated nodes (which do not pull the
// chart's image) and the built-in scheduler and controllers.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlRunner } from '../../api/testing/kubectlRunner';
import { helmPath, kubectlPath } from '../../api/testing/kubeTools';
import { type ControlPlane, startControlPlane } from '../../controlPlane';
import { createMemoryStore } from '../../store/memoryStore';
import { eventually } from '../testing/controllerHarness';

let dir: string;
let plane: ControlPlane;
let kubectl: Kubectl;

function helm(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      helmPath(),
      args,
      { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: plane.kubeconfigPath } },
      (err, stdout, stderr) =>
        err ? reject(new Error(`helm ${args.join(' ')}: ${stderr}`)) : resolve(stdout),
    );
  });
}

async function deployment(): Promise<V1Deployment> {
  const result = await kubectl(['get', 'deploy', 'demo', '-o', 'json']);
  if (result.code !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as V1Deployment;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubedesk-helm-deploy-'));
  helmPath();
  kubectlPath();
  plane = await startControlPlane({
    dataDir: join(dir, 'data'),
    store: createMemoryStore(),
    port: 0,
    simulatedNodes: 3,
  });
  kubectl = kubectlRunner(plane.kubeconfigPath, dir);
}, 120_000);

afterAll(async () => {
  await plane?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('helm --wait with Deployments', () => {
  it('installs, upgrades, rolls back and uninstalls the chart helm create makes', async () => {
    await helm('create', 'demo');
    expect(await helm('install', 'demo', './demo', '--wait', '--timeout', '90s')).toContain(
      'STATUS: deployed',
    );
    const installed = await deployment();
    expect(installed.status).toMatchObject({ replicas: 1, updatedReplicas: 1, availableReplicas: 1 });

    expect(
      await helm('upgrade', 'demo', './demo', '--wait', '--timeout', '90s', '--set', 'replicaCount=3'),
    ).toContain('REVISION: 2');
    expect((await deployment()).status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(
      await helm(
        'upgrade',
        'demo',
        './demo',
        '--wait',
        '--timeout',
        '90s',
        '--reuse-values',
        '--set',
        'image.tag=1.28',
      ),
    ).toContain('REVISION: 3');
    const upgraded = await deployment();
    expect(upgraded.spec?.template.spec?.containers[0]?.image).toBe('nginx:1.28');
    expect(upgraded.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');

    expect(await helm('rollback', 'demo', '2', '--wait', '--timeout', '90s')).toContain(
      'Rollback was a success!',
    );
    const rolledBack = await deployment();
    expect(rolledBack.spec?.template.spec?.containers[0]?.image).not.toBe('nginx:1.28');
    expect(rolledBack.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(rolledBack.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });

    expect(await helm('list')).toMatch(/demo\s+default\s+4\s.*deployed/);
    const history = await helm('history', 'demo');
    expect(history).toMatch(/1\s.*superseded\s.*Install complete/);
    expect(history).toMatch(/4\s.*deployed\s.*Rollback to 2/);

    expect(await helm('uninstall', 'demo', '--wait', '--timeout', '90s')).toContain(
      'release "demo" uninstalled',
    );
    await eventually(
      async () => {
        const left = await kubectl([
          'get',
          'deploy,rs,pods,svc,sa',
          '-l',
          'app.kubernetes.io/instance=demo',
          '-o',
          'name',
        ]);
        return left.code === 0 && left.stdout.trim() === '';
      },
      30_000,
      'release objects gone',
    );
  }, 300_000);
});
