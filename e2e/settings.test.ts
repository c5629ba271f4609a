import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlRunner } from '../cluster/api/testing/kubectlRunner';
import { eventually } from '../cluster/controllers/testing/controllerHarness';
import type { ClusterStatus } from '../main/host/contract';
import { launchChromium } from './support/browser';
import { type ServeProcess, startServe } from './support/kubedeskProcess';

// The Settings page's "Enable Kubernetes" toggle in a browser against `kubedesk serve` with 2
// simulated nodes: off stops the cluster (status bar, `cluster.status`, kubectl), and on again (after
// quick flips) brings the simulated nodes back Ready. Needs `npx electron-vite build`.

const hostWork = { timeout: 30_000 };

/** `cluster.status` over the page's own AppApi WebSocket (the token cookie authenticates it). */
const clusterStatus = (page: Page) =>
  page.evaluate(async () => {
    const ws = new WebSocket(`ws://${location.host}/api`);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const reply = new Promise<string>((resolve) => {
      ws.onmessage = (event) => resolve(String(event.data));
    });
    ws.send(JSON.stringify({ type: 'call', id: 1, method: 'cluster.status', input: {} }));
    const message = JSON.parse(await reply) as { output: unknown };
    ws.close();
    return message.output as ClusterStatus;
  });

describe('the Enable Kubernetes setting', () => {
  let browser: Browser;
  let serve: ServeProcess;
  let kubectl: Kubectl;

  /** Each node's Ready condition, e.g. `sim-node-1=True sim-node-2=True`. */
  const readyNodes = async () => {
    const result = await kubectl([
      'get',
      'nodes',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status} {end}',
    ]);
    return result.code === 0 ? result.stdout.trim() : `error: ${result.stderr.trim()}`;
  };

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-settings-'));
    serve = await startServe(dataDir, { args: ['--nodes', '0', '--simulated-nodes', '2'] });
    const kubeconfig = join(dataDir, 'kubeconfig');
    await eventually(() => existsSync(kubeconfig), 60_000, 'the kubeconfig');
    kubectl = kubectlRunner(kubeconfig, mkdtempSync(join(tmpdir(), 'kubedesk-home-')));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('stops the cluster when turned off and brings the simulated nodes back when turned on', async () => {
    const page = await browser.newPage();
    await page.goto(`${serve.url}#/settings`);
    const clusterState = page.getByTestId('cluster-state');
    await expect.poll(() => clusterState.getAttribute('data-state'), hostWork).toBe('running');
    await expect.poll(readyNodes, hostWork).toBe('sim-node-1=True sim-node-2=True');
    const enable = page.getByRole('checkbox', { name: /Enable Kubernetes/ });
    // A person clicks the label: the styled switch covers the checkbox itself.
    const flip = () => page.getByText('Enable Kubernetes', { exact: true }).click();
    expect(await enable.isChecked()).toBe(true);

    await flip();
    expect(await enable.isChecked()).toBe(false);
    await expect.poll(() => clusterState.getAttribute('data-state'), hostWork).toBe('stopped');
    expect(await clusterState.textContent()).toBe('Kubernetes stopped');
    expect(await clusterStatus(page)).toEqual({
      state: 'stopped',
      message: 'Kubernetes is not running',
      nodes: 0,
    });
    expect(await readyNodes()).toMatch(/^error: /);

    // Quick flips end in the last state (on), with the simulated nodes back Ready.
    await flip();
    await flip();
    await flip();
    expect(await enable.isChecked()).toBe(true);
    await expect.poll(() => clusterState.getAttribute('data-state'), hostWork).toBe('running');
    await expect
      .poll(async () => {
        const { state, nodes } = await clusterStatus(page);
        return { state, nodes };
      }, hostWork)
      .toEqual({ state: 'running', nodes: 2 });
    await expect.poll(readyNodes, hostWork).toBe('sim-node-1=True sim-node-2=True');

    // The choice is the setting itself: a reload shows it as left.
    await page.reload();
    expect(await page.getByRole('checkbox', { name: /Enable Kubernetes/ }).isChecked()).toBe(true);
  });
});
