// Acceptance: the real helm 4 installs, upgrades, rolls back and uninstalls the chart `helm create`
// generates, with --wait, on a control plane with three simulated nodes (which do not pull the
// chart's image) and the built-in scheduler and controllers.

import type { V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubectlCluster, startKubectlCluster } from '../../api/testing/kubectlCluster';
import { eventually } from '../testing/controllerHarness';

let cluster: KubectlCluster;

const helm = (...args: string[]) => cluster.helm(...args);
const deployment = () => cluster.getJson<V1Deployment>('deploy', 'demo');

beforeAll(async () => {
  cluster = await startKubectlCluster({ name: 'helm-deploy', simulatedNodes: 3 });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
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
        const left = await cluster.kubectl([
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
