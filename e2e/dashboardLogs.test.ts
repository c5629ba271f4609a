import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlOk, kubectlRunner } from '../cluster/api/testing/kubectlRunner';
import { clusterNameFor } from '../cluster/provisioner/clusterName';
import { createDockerProvider } from '../cluster/provisioner/providers/dockerProvider';
import { importBusyboxImage } from '../cluster/provisioner/testImages';
import { launchChromium, outputDir } from './support/browser';
import { kubedeskCli } from './support/kubedeskCli';
import { type ServeProcess, startServe } from './support/kubedeskProcess';

// The pod logs viewer in Chromium against `kubedesk serve --nodes 1`: a real node, a busybox pod
// that keeps printing, its log streamed from the kubelet through the API server's pods/log to the
// drawer while the container writes, plus init containers, timestamps, search and download.

const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-logs-'));
const cluster = clusterNameFor(dataDir);
const node = `${cluster}-node-1`;
const image = `kubedesk-test-busybox:${cluster}`;
const cli = kubedeskCli(dataDir);
const provider = createDockerProvider();
const home = join(dataDir, 'home');
let kubectl: Kubectl;
let serve: ServeProcess;
let browser: Browser;
let page: Page;

const podManifest = `
apiVersion: v1
kind: Pod
metadata: { name: talker, namespace: default }
spec:
  terminationGracePeriodSeconds: 1
  initContainers:
    - name: setup
      image: ${image}
      imagePullPolicy: Never
      command: [sh, -c, 'echo setup finished']
  containers:
    - name: main
      image: ${image}
      imagePullPolicy: Never
      command: [sh, -c, 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.5; done']
`;

async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const ticks = async (page: Page) =>
  (await page.getByRole('log').locator('.log-line').allTextContents())
    .map((line) => /tick (\d+)/.exec(line)?.[1])
    .filter((n) => n !== undefined)
    .map(Number);

beforeAll(async () => {
  mkdirSync(home, { recursive: true });
  await importBusyboxImage(provider, image);
  serve = await startServe(dataDir, {
    args: ['--nodes', '1', '--simulated-nodes', '0'],
    env: { HOME: home },
    timeoutMs: 120_000,
  });
  kubectl = kubectlRunner(join(dataDir, 'kubeconfig'), home);
  await until(async () => {
    if (!existsSync(join(dataDir, 'kubeconfig'))) return false;
    return / Ready /.test(` ${await kubectlOk(kubectl, ['get', 'node', node, '--no-headers'])}`);
  }, `node ${node} to be Ready`);
  const load = await cli(['image', 'load', image]);
  if (load.code !== 0) throw new Error(`kubedesk image load: ${load.stderr}`);
  await kubectl(['apply', '-f', '-'], { input: podManifest });
  await until(
    async () =>
      (await kubectlOk(kubectl, ['get', 'pod', 'talker', '-o', 'jsonpath={.status.phase}'])) === 'Running',
    'pod talker to run',
  );
  browser = await launchChromium();
  mkdirSync(outputDir, { recursive: true });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await cli(['delete']);
  await provider.docker
    .getImage(image)
    .remove({ force: true })
    .catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe("a pod's logs in the details drawer", () => {
  it('shows lines the container prints after the viewer opened', async () => {
    await page.goto(`${serve.url}#/workloads`);
    await page.locator('tr[data-key="default/talker"] button').click();
    const drawer = page.getByRole('complementary', { name: 'Details of default/talker' });
    await drawer.getByRole('tab', { name: 'Logs' }).click();
    await expect.poll(async () => (await ticks(page)).length, { timeout: 30_000 }).toBeGreaterThan(0);
    const lastAtOpen = Math.max(...(await ticks(page)));
    // Printed while the viewer is open: it arrives by the follow stream, without a reload.
    await expect
      .poll(async () => Math.max(...(await ticks(page))), { timeout: 30_000 })
      .toBeGreaterThan(lastAtOpen + 2);
    const seen = await ticks(page);
    expect(seen).toEqual(seen.map((_, i) => (seen[0] ?? 0) + i));
    expect(await drawer.getByRole('alert').count()).toBe(0);
    await page.screenshot({ path: join(outputDir, 'dashboard-logs.png') });
  });

  it('shows init containers, timestamps, search matches and downloads what it shows', async () => {
    const drawer = page.getByRole('complementary', { name: 'Details of default/talker' });
    const log = drawer.getByRole('log');

    await drawer.getByLabel('Timestamps').check();
    await expect
      .poll(async () => (await log.locator('.log-line').first().textContent()) ?? '', { timeout: 30_000 })
      .toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z tick \d+/);

    await drawer.getByLabel('Search logs').fill('TICK 1');
    await expect.poll(() => log.locator('mark').first().textContent()).toBe('tick 1');
    expect(await drawer.getByText(/\d+ matching lines/).count()).toBe(1);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      drawer.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('talker-main.log');
    const saved = join(dataDir, 'talker.log');
    await download.saveAs(saved);
    expect(readFileSync(saved, 'utf8')).toMatch(/Z tick 0\n/);

    await drawer.getByLabel('Container').selectOption('setup');
    await expect.poll(() => log.textContent(), { timeout: 30_000 }).toMatch(/setup finished/);
    expect(await log.textContent()).not.toMatch(/tick/);
  });
});
