import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlOk } from '../cluster/api/testing/kubectlRunner';
import { launchChromium, outputDir } from './support/browser';
import { type ServeProcess, startServeWithKubectl } from './support/kubedeskProcess';

// The dashboard's resource pages in a browser against `kubedesk serve`: live tables with kubectl's
// columns that follow changes made with the real kubectl, namespace filter and search, and the
// details drawer with Secret values hidden until revealed.

const hostWork = { timeout: 20_000 };

const rowKeys = (page: Page) =>
  page.locator('tbody tr[data-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));

describe('the dashboard resource pages', () => {
  let browser: Browser;
  let serve: ServeProcess;
  let kubectl: Kubectl;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-dashboard-'));
    ({ serve, kubectl } = await startServeWithKubectl(dataDir, join(dataDir, 'home')));
    browser = await launchChromium();
    mkdirSync(outputDir, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('lists pods live with kubectl columns, filters by namespace and search', async () => {
    await kubectlOk(kubectl, ['create', 'namespace', 'shop']);
    await kubectlOk(kubectl, ['run', 'web', '-n', 'shop', '--image', 'registry.local/web:1']);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${serve.url}#/workloads`);
    await expect.poll(() => rowKeys(page), hostWork).toContain('shop/web');
    const headers = await page.locator('thead th').allTextContents();
    expect(headers.slice(0, 6).map((h) => h.replace(/[▴▾]/g, '').trim())).toEqual([
      'NAMESPACE',
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
    ]);
    // The scheduler binds it to a simulated node, which runs it.
    await expect
      .poll(() => page.locator('tr[data-key="shop/web"] td').nth(3).textContent(), hostWork)
      .toBe('Running');
    expect(await page.locator('tr[data-key="shop/web"]').getAttribute('data-health')).toBe('ok');

    // Changes made elsewhere appear without a reload.
    await kubectlOk(kubectl, ['run', 'worker', '-n', 'shop', '--image', 'registry.local/worker:1']);
    await kubectlOk(kubectl, ['run', 'other', '-n', 'default', '--image', 'registry.local/other:1']);
    await expect
      .poll(() => rowKeys(page), hostWork)
      .toEqual(expect.arrayContaining(['shop/worker', 'default/other']));
    await page.getByLabel('Namespace').selectOption('shop');
    await expect.poll(() => rowKeys(page), hostWork).toEqual(['shop/web', 'shop/worker']);
    await page.getByLabel('Search').fill('work');
    await expect.poll(() => rowKeys(page), hostWork).toEqual(['shop/worker']);
    await kubectlOk(kubectl, ['delete', 'pod', 'worker', '-n', 'shop', '--wait=false']);
    await expect.poll(() => rowKeys(page), hostWork).toEqual([]);

    await page.getByLabel('Search').fill('');
    await page.locator('tr[data-key="shop/web"] button').click();
    const drawer = page.getByRole('complementary', { name: 'Details of shop/web' });
    await expect
      .poll(() => drawer.locator('pre').textContent(), hostWork)
      .toContain('image: registry.local/web:1');
    expect(await drawer.locator('pre').textContent()).not.toContain('managedFields');
    await page.screenshot({ path: join(outputDir, 'dashboard-workloads.png') });
  });

  it('shows the nodes as cards on the dashboard and in the Nodes table', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${serve.url}#/dashboard`);
    const cards = page.locator('.node-card');
    await expect
      .poll(() => cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-node'))), hostWork)
      .toEqual(['sim-node-1', 'sim-node-2', 'sim-node-3']);
    expect(await cards.first().locator('dd').first().textContent()).toBe('Ready');
    await page.goto(`${serve.url}#/nodes`);
    await expect.poll(() => rowKeys(page), hostWork).toEqual(['sim-node-1', 'sim-node-2', 'sim-node-3']);
    await kubectlOk(kubectl, ['cordon', 'sim-node-2']);
    await expect
      .poll(() => page.locator('tr[data-key="sim-node-2"]').getAttribute('data-health'), hostWork)
      .toBe('warning');
    expect(await page.locator('tr[data-key="sim-node-2"] td').nth(1).textContent()).toBe(
      'Ready,SchedulingDisabled',
    );
    await page.screenshot({ path: join(outputDir, 'dashboard-nodes.png') });
  });

  it('hides Secret values until revealed', async () => {
    await kubectlOk(kubectl, [
      'create',
      'secret',
      'generic',
      'db',
      '-n',
      'shop',
      '--from-literal=password=hunter2',
    ]);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${serve.url}#/config`);
    await page.getByRole('tab', { name: 'Secrets' }).click();
    await expect.poll(() => rowKeys(page), hostWork).toContain('shop/db');
    await page.locator('tr[data-key="shop/db"] button').click();
    const yaml = page.getByRole('complementary', { name: 'Details of shop/db' }).locator('pre');
    await expect.poll(() => yaml.textContent(), hostWork).toContain('password: ••••••');
    expect(await yaml.textContent()).not.toContain(Buffer.from('hunter2').toString('base64'));
    await page.getByRole('button', { name: 'Reveal values' }).click();
    await expect.poll(() => yaml.textContent()).toContain(Buffer.from('hunter2').toString('base64'));
  });
});
