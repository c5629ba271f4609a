import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, outputDir } from './support/browser';
import { type ServeProcess, startServe } from './support/kubedeskProcess';
import { terminalText, typeCommand } from './support/terminalScreen';

// The Terminal page in Chromium against `kubedesk serve`: a real host shell in a real pty, its
// screen read through xterm.js's buffer API (e2e/support/terminalScreen.ts).

async function goTo(page: Page, title: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: title, exact: true })
    .click();
  await expect.poll(() => page.locator('main h1').textContent()).toBe(title);
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the Terminal page in a browser, served by `kubedesk serve`', () => {
  let browser: Browser;
  let serve: ServeProcess;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-terminal-'));

  beforeAll(async () => {
    // A home of its own, so the tester's shell start-up files (which may be slow or stuck) don't
    // decide whether the prompt appears.
    const home = join(dataDir, 'home');
    mkdirSync(home, { recursive: true });
    serve = await startServe(dataDir, { env: { HOME: home } });
    browser = await launchChromium();
    mkdirSync(outputDir, { recursive: true });
    page = await browser.newPage();
    await page.goto(serve.url);
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a typed command in the host shell', async () => {
    await goTo(page, 'Terminal');
    // The first tab opens by itself; wait for the shell's prompt (a notice may come before it).
    await expect.poll(() => terminalText(page), { timeout: 30_000 }).toMatch(/[$#>]\s*$/m);
    await typeCommand(page, 'echo kubedesk-$((6*7))');
    await expect.poll(() => terminalText(page)).toMatch(/^kubedesk-42\s*$/m);
  });

  it('has a kubectl 1.35 on PATH and KUBECONFIG pointing at the installation', async () => {
    await typeCommand(page, 'kubectl version --client');
    await expect.poll(() => terminalText(page), { timeout: 30_000 }).toContain('Client Version: v1.35');
    await typeCommand(page, 'echo "cfg=$KUBECONFIG"');
    await expect.poll(() => terminalText(page)).toContain(`cfg=${join(dataDir, 'kubeconfig')}`);
  });

  it('lists every node as Ready with kubectl get nodes', async () => {
    await typeCommand(page, 'kubectl get nodes');
    for (const node of ['sim-node-1', 'sim-node-2', 'sim-node-3']) {
      await expect
        .poll(() => terminalText(page), { timeout: 30_000 })
        .toMatch(new RegExp(`^${node}\\s+Ready\\s`, 'm'));
    }
  });

  it('stays usable while 50 MB pass through a pipe, and keeps the scrollback across pages', async () => {
    await typeCommand(page, 'yes | head -c 50000000 | wc -c');
    await goTo(page, 'Nodes');
    await goTo(page, 'Terminal');
    await expect.poll(() => terminalText(page), { timeout: 60_000 }).toMatch(/^\s*50000000\s*$/m);
    expect(await terminalText(page)).toMatch(/^kubedesk-42\s*$/m);
  });

  it('stays usable while a flood of output is rendered', async () => {
    // About 20 MB of output the terminal itself has to render.
    await typeCommand(page, 'yes kubedesk-flood | head -n 1200000; echo flood-$((1+1))-end');
    await goTo(page, 'Events');
    await goTo(page, 'Terminal');
    await expect.poll(() => terminalText(page), { timeout: 120_000 }).toMatch(/^flood-2-end\s*$/m);
    await page.screenshot({ path: join(outputDir, 'terminal.png') });
  });

  it('ends the shell process when its tab closes', async () => {
    const tabs = page.locator('.terminal-tab');
    await page.getByRole('button', { name: 'New terminal' }).click();
    await expect.poll(() => tabs.count()).toBe(2);
    const newTab = tabs.nth(1);
    await expect.poll(() => newTab.getAttribute('data-pid')).toMatch(/^\d+$/);
    const pid = Number(await newTab.getAttribute('data-pid'));
    expect(isRunning(pid)).toBe(true);
    await newTab.getByRole('button', { name: /^Close / }).click();
    await expect.poll(() => tabs.count()).toBe(1);
    await expect.poll(() => isRunning(pid)).toBe(false);
  });
});
