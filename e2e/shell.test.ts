import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pages } from '../renderer/pages/pages';
import { launchChromium, outputDir } from './support/browser';
import { type ServeProcess, startServe } from './support/kubedeskProcess';

describe('the app shell in a browser, served by `kubedesk serve`', () => {
  let browser: Browser;
  let serve: ServeProcess;
  const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-'));

  beforeAll(async () => {
    serve = await startServe(dataDir);
    browser = await launchChromium();
    mkdirSync(outputDir, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('refuses the page without the access token', async () => {
    const bare = new URL(serve.url);
    bare.search = '';
    const response = await fetch(bare);
    expect(response.status).toBe(401);
    const wrong = new URL(serve.url);
    wrong.searchParams.set('token', 'not-the-token');
    expect((await fetch(wrong)).status).toBe(401);
  });

  it('navigates every sidebar page', async () => {
    const page = await browser.newPage();
    await page.goto(serve.url);
    for (const info of pages) {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: info.title, exact: true })
        .click();
      await expect.poll(() => page.locator('main h1').textContent()).toBe(info.title);
      expect(page.url()).toContain(`#/${info.id}`);
    }
    // The status bar shows the real states: `serve` starts the control plane (Kubernetes is enabled
    // by default), and Docker is whatever it is on this machine.
    await expect
      .poll(() => page.getByTestId('cluster-state').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('running');
    await expect.poll(() => page.getByTestId('docker-state').getAttribute('data-state')).not.toBe('unknown');
    await page.close();
  });

  it('keeps a changed setting across a reload and a restart of the host', async () => {
    const page = await browser.newPage();
    await page.goto(`${serve.url}#/settings`);
    const toggle = page.locator('input[name="exposeLoadBalancers"]');
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await page.getByText('Expose LoadBalancer services on localhost').click();
    await expect.poll(() => toggle.isChecked()).toBe(false);
    const nodes = page.locator('input[name="nodeCount"]');
    await nodes.fill('5');
    await nodes.press('Enter');
    await expect.poll(() => nodes.inputValue()).toBe('5');
    await page.screenshot({ path: join(outputDir, 'settings.png'), fullPage: true });

    await page.reload();
    await expect.poll(() => page.locator('input[name="exposeLoadBalancers"]').isChecked()).toBe(false);
    await expect.poll(() => page.locator('input[name="nodeCount"]').inputValue()).toBe('5');

    await serve.stop();
    serve = await startServe(dataDir);
    await page.goto(`${serve.url}#/settings`);
    await expect.poll(() => page.locator('input[name="exposeLoadBalancers"]').isChecked()).toBe(false);
    await expect.poll(() => page.locator('input[name="nodeCount"]').inputValue()).toBe('5');
    await page.close();
  });

  it('shows the host refusing an out-of-range setting and keeps the stored value', async () => {
    const page = await browser.newPage();
    await page.goto(`${serve.url}#/settings`);
    const nodes = page.locator('input[name="nodeCount"]');
    await expect.poll(() => nodes.inputValue()).toBe('5');
    await nodes.fill('99');
    await nodes.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('nodeCount');
    await page.reload();
    await expect.poll(() => page.locator('input[name="nodeCount"]').inputValue()).toBe('5');
    await page.close();
  });
});
