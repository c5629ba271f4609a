import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterNameFor } from '../cluster/provisioner/clusterName';
import { openPage, outputDir } from './support/browser';
import { deleteInstallation } from './support/kubedeskCli';
import type { ServeProcess } from './support/kubedeskProcess';
import { serveRealNodeWithPod } from './support/realNodeServe';

// The pod logs viewer in Chromium against `kubedesk serve --nodes 1`: a real node, a busybox pod
// that keeps printing, its log streamed from the kubelet through the API server's pods/log to the
// drawer while the container writes, plus init containers, timestamps, search and download.

const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-logs-'));
const cluster = clusterNameFor(dataDir);
const image = `kubedesk-test-busybox:${cluster}`;
const home = join(dataDir, 'home');
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

const ticks = async (page: Page) =>
  (await page.getByRole('log').locator('.log-line').allTextContents())
    .map((line) => /tick (\d+)/.exec(line)?.[1])
    .filter((n) => n !== undefined)
    .map(Number);

beforeAll(async () => {
  ({ serve } = await serveRealNodeWithPod(dataDir, home, {
    name: 'talker',
    manifest: podManifest,
    image,
  }));
  ({ browser, page } = await openPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true }));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await deleteInstallation(dataDir, [image]);
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
