import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, outputDir } from './support/browser';
import { type ServeProcess, startServe } from './support/kubedeskProcess';

// The Compose import page in a browser, served by `kubedesk serve` (build the renderer first:
// `npx electron-vite build`). The host starts its control plane; no node runs pods yet, so the
// deploy here does not wait for rollout.

const fixture = join(import.meta.dirname, 'fixtures', 'shop.compose.yaml');
/** Polls that wait for the host (conversion, the API server) get longer than the default second. */
const hostWork = { timeout: 15_000 };

async function openFixture(page: Page, url: string) {
  await page.goto(`${url}#/compose`);
  await expect.poll(() => page.locator('main h1').textContent()).toBe('Compose import');
  await page.locator('input[name="composeFiles"]').setInputFiles(fixture);
}

describe('the Compose import page', () => {
  let browser: Browser;
  let serve: ServeProcess;

  beforeAll(async () => {
    serve = await startServe(mkdtempSync(join(tmpdir(), 'kubedesk-e2e-compose-')));
    browser = await launchChromium();
    mkdirSync(outputDir, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('shows objects by service with warnings beside them, reconverts live, deploys and removes', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    await openFixture(page, serve.url);
    const web = page.locator('[data-service="web"]');
    const cache = page.locator('[data-service="cache"]');
    await expect
      .poll(() => web.locator('.compose-object-title').allTextContents(), hostWork)
      .toEqual(['Service web', 'Deployment web']);
    expect(await cache.locator('.compose-object-title').allTextContents()).toEqual([
      'Deployment cache',
      'PersistentVolumeClaim cache-data',
    ]);
    expect(await page.locator('.compose-files').textContent()).toContain(
      'Project shop from shop.compose.yaml',
    );

    // Each warning sits beside the service it concerns.
    const webWarnings = web.getByRole('complementary');
    expect(await webWarnings.textContent()).toContain('services.web.ulimits is not carried over');
    expect(await webWarnings.textContent()).not.toContain('"cache"');
    expect(await cache.getByRole('complementary').textContent()).toContain(
      `Service "cache" won't be created because 'ports' is not specified`,
    );
    // Uploads have no folder around them, and the page says so.
    expect(await page.locator('.compose-notice').first().textContent()).toContain(
      'Uploaded files have no folder',
    );

    const webDeployment = web.locator('pre[data-object="Deployment web"]');
    expect(await webDeployment.textContent()).not.toContain('namespace:');
    await page.locator('input[name="namespace"]').fill('shop-e2e');
    await expect.poll(() => webDeployment.textContent(), hostWork).toContain('namespace: shop-e2e');
    // The namespace itself is an object the whole project shares.
    await expect
      .poll(() => page.locator('[data-service="shared"] .compose-object-title').allTextContents(), hostWork)
      .toEqual(['Namespace shop-e2e']);
    await page.locator('select[name="controller"]').selectOption('statefulset');
    await expect
      .poll(() => web.locator('.compose-object-title').allTextContents(), hostWork)
      .toContain('StatefulSet web');
    await page.locator('select[name="controller"]').selectOption('');
    await expect
      .poll(() => web.locator('.compose-object-title').allTextContents(), hostWork)
      .toContain('Deployment web');

    // The host's cluster runs: deploy without waiting for rollout (no node runs pods yet).
    const deploy = page.getByRole('button', { name: 'Deploy', exact: true });
    await expect.poll(() => deploy.isDisabled(), hostWork).toBe(false);
    await page.locator('input[name="waitReady"]').uncheck();
    await deploy.click();
    await expect
      .poll(() => web.locator('.compose-state').getAttribute('data-state'), hostWork)
      .toBe('applied');
    expect(await cache.locator('.compose-state').getAttribute('data-state')).toBe('applied');
    expect(await web.locator('.compose-addresses').textContent()).toMatch(/\d+\.\d+\.\d+\.\d+:8080/);

    const remove = page.getByRole('button', { name: 'Remove shop' });
    await expect.poll(() => remove.isDisabled(), hostWork).toBe(false);
    await page.screenshot({ path: join(outputDir, 'compose.png'), fullPage: false });
    await web.screenshot({ path: join(outputDir, 'compose-web.png') });
    await remove.click();
    await expect
      .poll(() => page.locator('.notice', { hasText: 'Removed' }).textContent(), hostWork)
      .toMatch(/^Removed \d+ objects of shop\. Kept 1 volume claims/);
    await page.close();
  });

  it('shows an invalid compose file as one error with file, line and key path', async () => {
    const page = await browser.newPage();
    await page.goto(`${serve.url}#/compose`);
    await page.locator('input[name="composeFiles"]').setInputFiles({
      name: 'broken.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from('services:\n  web:\n    image: nginx\n    ports: 80\n'),
    });
    const alert = page.locator('.compose-error');
    await expect
      .poll(() => alert.locator('strong').textContent(), hostWork)
      .toBe('broken.yaml:4 · services.web.ports');
    expect(await page.locator('.compose-service').count()).toBe(0);
    await page.close();
  });

  it('disables Deploy and says why while Kubernetes is off', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-compose-off-'));
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ kubernetesEnabled: false }));
    const off = await startServe(dataDir);
    try {
      const page = await browser.newPage();
      await openFixture(page, off.url);
      await expect.poll(() => page.locator('[data-service="web"]').count(), hostWork).toBe(1);
      expect(await page.getByRole('button', { name: 'Deploy', exact: true }).isDisabled()).toBe(true);
      expect(await page.getByTestId('deploy-blocked').textContent()).toBe(
        'Kubernetes is not running: deploying needs a running cluster (start it in Settings).',
      );
      await page.close();
    } finally {
      await off.stop();
    }
  });
});
