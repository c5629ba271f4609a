import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlOk } from '../cluster/api/testing/kubectlRunner';
import { clusterNameFor } from '../cluster/provisioner/clusterName';
import { openPage, outputDir } from './support/browser';
import { deleteInstallation } from './support/kubedeskCli';
import type { ServeProcess } from './support/kubedeskProcess';
import { serveRealNodeWithPod } from './support/realNodeServe';
import { terminalSize, terminalText, typeCommand } from './support/terminalScreen';

// Pod and node shells from the Terminal page, in Chromium against `kubedesk serve --nodes 1`: a
// real node container, a real busybox pod on it, the shell through the API server's exec endpoint
// (pods) or the Docker engine (nodes), opened by the deep links other pages use and by the picker.

const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-shells-'));
const cluster = clusterNameFor(dataDir);
const node = `${cluster}-node-1`;
const image = `kubedesk-test-busybox:${cluster}`;
const home = join(dataDir, 'home');
let kubectl: Kubectl;
let serve: ServeProcess;
let browser: Browser;
let page: Page;

const podManifest = `
apiVersion: v1
kind: Pod
metadata: { name: shell-target, namespace: default }
spec:
  nodeName: ${node}
  terminationGracePeriodSeconds: 1
  containers:
    - name: main
      image: ${image}
      imagePullPolicy: Never
      command: [sleep, '100000']
    - name: helper
      image: ${image}
      imagePullPolicy: Never
      command: [sleep, '100000']
`;

/** Processes in the pod's container started by a Kubedesk terminal (they carry its tag). */
const taggedInPod = async (container: string) =>
  (
    await kubectlOk(kubectl, [
      'exec',
      'shell-target',
      '-c',
      container,
      '--',
      'sh',
      '-c',
      'grep -ls KUBEDESK_TERMINAL= /proc/[0-9]*/environ; true',
    ])
  )
    .split('\n')
    .filter(Boolean);

const activeTab = () => page.locator('.terminal-tab[data-selected="true"]');
const prompt = /[$#]\s*$/m;

beforeAll(async () => {
  ({ serve, kubectl } = await serveRealNodeWithPod(dataDir, home, {
    name: 'shell-target',
    manifest: podManifest,
    image,
  }));
  ({ browser, page } = await openPage({ viewport: { width: 1280, height: 800 } }));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await deleteInstallation(dataDir, [image]);
}, 120_000);

describe('pod and node shells on the Terminal page', () => {
  it('opens a pod shell from a deep link, in the first container, with the pod as hostname', async () => {
    await page.goto(`${serve.url}#/terminal?pod=default/shell-target`);
    await expect.poll(() => activeTab().getAttribute('data-kind'), { timeout: 30_000 }).toBe('pod');
    expect(await activeTab().getByRole('tab').textContent()).toBe('shell-target/main');
    // The link is consumed: a reload does not open a second shell.
    expect(page.url()).toMatch(/#\/terminal$/);
    await expect.poll(() => terminalText(page), { timeout: 30_000 }).toMatch(prompt);
    await typeCommand(page, 'hostname');
    await expect.poll(() => terminalText(page)).toMatch(/^shell-target\s*$/m);
  });

  it('follows the browser window’s size with the TTY size', async () => {
    const sttySize = async () => {
      await typeCommand(page, 'echo "size=$(stty size)"');
      const { cols, rows } = await terminalSize(page);
      await expect.poll(() => terminalText(page)).toMatch(new RegExp(`^size=${rows} ${cols}\\s*$`, 'm'));
      return { cols, rows };
    };
    const before = await sttySize();
    await page.setViewportSize({ width: 900, height: 560 });
    await expect.poll(() => terminalSize(page)).not.toEqual(before);
    const after = await sttySize();
    expect(after.cols).toBeLessThan(before.cols);
    expect(after.rows).toBeLessThan(before.rows);
    await page.screenshot({ path: join(outputDir, 'terminal-pod-shell.png') });
  });

  it('shows the exit status when the shell ends', async () => {
    await typeCommand(page, 'exit 3');
    await expect
      .poll(() => terminalText(page), { timeout: 30_000 })
      .toContain('[process exited with code 3]');
    expect(await activeTab().getByRole('tab').textContent()).toBe('shell-target/main (exited)');
  });

  it('opens a node shell from a deep link, with the node as hostname', async () => {
    await page.evaluate((hash) => {
      window.location.hash = hash;
    }, `#/terminal?node=${node}`);
    await expect.poll(() => activeTab().getAttribute('data-kind'), { timeout: 30_000 }).toBe('node');
    expect(await activeTab().getByRole('tab').textContent()).toBe(node);
    await expect.poll(() => terminalText(page), { timeout: 30_000 }).toMatch(prompt);
    await typeCommand(page, 'hostname');
    await expect.poll(() => terminalText(page)).toMatch(new RegExp(`^${node}\\s*$`, 'm'));
  });

  it('opens a shell in a chosen container from the picker, and ends its processes when the tab closes', async () => {
    await page.getByRole('button', { name: 'pod…' }).click();
    const pods = page.locator('select[name="pod"]');
    await expect
      .poll(() => pods.locator('option').allTextContents())
      .toContain('default/shell-target (Running)');
    await pods.selectOption('default/shell-target');
    await page.locator('select[name="container"]').selectOption('helper');
    await page.getByRole('button', { name: 'Open shell' }).click();
    await expect
      .poll(() => activeTab().getByRole('tab').textContent(), { timeout: 30_000 })
      .toBe('shell-target/helper');
    await expect.poll(() => terminalText(page), { timeout: 30_000 }).toMatch(prompt);
    // A foreground job that would keep running if closing the tab only closed the connection.
    await typeCommand(page, 'sleep 900');
    await expect.poll(() => taggedInPod('helper'), { timeout: 30_000 }).toHaveLength(2);
    await activeTab()
      .getByRole('button', { name: /^Close / })
      .click();
    await expect.poll(() => taggedInPod('helper'), { timeout: 30_000 }).toEqual([]);
  });
});
