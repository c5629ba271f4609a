import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlOk } from '../cluster/api/testing/kubectlRunner';
import { launchChromium, outputDir } from './support/browser';
import { type ServeProcess, startServeWithKubectl } from './support/kubedeskProcess';

// The details drawer's actions in a browser against `kubedesk serve` with 3 simulated nodes: a
// Deployment made with kubectl is scaled, restarted, rolled back and deleted from the UI, and a node
// cordoned and uncordoned, each checked with the real kubectl. Screenshots land in
// e2e/output/screenshots for a person to look at.

const hostWork = { timeout: 20_000 };
const screenshots = join(outputDir, 'screenshots');
const viewport = { width: 1400, height: 900 };

describe('dashboard actions', () => {
  let browser: Browser;
  let serve: ServeProcess;
  let kubectl: Kubectl;

  const jsonpath = async (args: string[], path: string) => {
    const result = await kubectl(['get', ...args, '-o', `jsonpath=${path}`]);
    return result.code === 0 ? result.stdout.trim() : `error: ${result.stderr.trim()}`;
  };
  const openDrawer = async (page: Page, key: string) => {
    await expect.poll(() => page.locator(`tr[data-key="${key}"]`).count(), hostWork).toBe(1);
    await page.locator(`tr[data-key="${key}"] button`).first().click();
    return page.getByRole('complementary', { name: `Details of ${key}` });
  };

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-actions-'));
    ({ serve, kubectl } = await startServeWithKubectl(dataDir, join(dataDir, 'home')));
    browser = await launchChromium();
    mkdirSync(screenshots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('scales, restarts, rolls back and deletes a Deployment from its drawer', async () => {
    await kubectlOk(kubectl, [
      'create',
      'deployment',
      'web',
      '--image',
      'registry.local/web:1',
      '--replicas',
      '2',
    ]);
    const page = await browser.newPage({ viewport });
    await page.goto(`${serve.url}#/workloads`);
    await page.getByRole('tab', { name: 'Deployments' }).click();
    const drawer = await openDrawer(page, 'default/web');
    const actions = drawer.getByRole('toolbar', { name: 'Actions' });

    await actions.getByRole('button', { name: 'Scale' }).click();
    const scale = page.getByRole('dialog', { name: 'Scale web' });
    await expect.poll(() => scale.getByRole('spinbutton').inputValue(), hostWork).toBe('2');
    await scale.getByRole('spinbutton').fill('5');
    await scale.getByRole('button', { name: 'Scale' }).click();
    await expect.poll(() => jsonpath(['deploy', 'web'], '{.spec.replicas}'), hostWork).toBe('5');
    await expect.poll(() => jsonpath(['deploy', 'web'], '{.status.readyReplicas}'), hostWork).toBe('5');
    await expect
      .poll(() => page.locator('tr[data-key="default/web"] td').nth(2).textContent(), hostWork)
      .toBe('5/5');
    expect(await actions.getByRole('status').textContent()).toBe('Scaled web to 5 replicas');
    await page.screenshot({ path: join(screenshots, 'details-drawer.png') });

    const firstReplicaSet = await jsonpath(['rs', '-l', 'app=web'], '{.items[*].metadata.name}');
    await actions.getByRole('button', { name: 'Restart' }).click();
    await page.getByRole('dialog', { name: 'Restart web' }).getByRole('button', { name: 'Restart' }).click();
    await expect
      .poll(() => jsonpath(['rs', '-l', 'app=web'], '{.items[*].metadata.name}'), hostWork)
      .toMatch(/^\S+ \S+$/);
    expect(await jsonpath(['rs', '-l', 'app=web'], '{.items[*].metadata.name}')).toContain(firstReplicaSet);
    expect(
      await jsonpath(
        ['deploy', 'web'],
        "{.spec.template.metadata.annotations['kubectl\\.kubernetes\\.io/restartedAt']}",
      ),
    ).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await expect
      .poll(
        () => jsonpath(['deploy', 'web'], "{.metadata.annotations['deployment\\.kubernetes\\.io/revision']}"),
        hostWork,
      )
      .toBe('2');

    await actions.getByRole('button', { name: 'Roll back' }).click();
    const rollback = page.getByRole('dialog', { name: 'Roll back web' });
    await expect
      .poll(() => rollback.getByRole('radio', { name: /Revision 1/ }).isChecked(), hostWork)
      .toBe(true);
    expect(await rollback.getByRole('radio', { name: /Revision 2/ }).isDisabled()).toBe(true);
    await rollback.getByRole('button', { name: 'Roll back' }).click();
    await expect
      .poll(
        () => jsonpath(['deploy', 'web'], "{.metadata.annotations['deployment\\.kubernetes\\.io/revision']}"),
        hostWork,
      )
      .toBe('3');
    // Revision 1's template had no restartedAt stamp; the first ReplicaSet takes the replicas back.
    expect(await jsonpath(['deploy', 'web'], '{.spec.template.metadata.annotations}')).toBe('');
    await expect.poll(() => jsonpath(['rs', firstReplicaSet], '{.status.readyReplicas}'), hostWork).toBe('5');

    await actions.getByRole('button', { name: 'Delete' }).click();
    const remove = page.getByRole('dialog', { name: 'Delete default/web' });
    await remove.getByRole('radio', { name: /^Foreground/ }).check();
    await remove.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => jsonpath(['deploy', 'web'], '{.metadata.name}'), hostWork).toContain('NotFound');
    await expect
      .poll(() => jsonpath(['rs', '-l', 'app=web'], '{.items[*].metadata.name}'), hostWork)
      .toBe('');
    await expect.poll(() => drawer.count(), hostWork).toBe(0);
  });

  it('cordons and uncordons a node, and closes the drawer with Esc', async () => {
    const page = await browser.newPage({ viewport });
    await page.goto(`${serve.url}#/nodes`);
    const drawer = await openDrawer(page, 'sim-node-2');
    const actions = drawer.getByRole('toolbar', { name: 'Actions' });
    expect(await actions.getByRole('link', { name: 'Node shell' }).getAttribute('href')).toBe(
      '#/terminal?node=sim-node-2',
    );
    await actions.getByRole('button', { name: 'Cordon' }).click();
    await expect.poll(() => jsonpath(['node', 'sim-node-2'], '{.spec.unschedulable}'), hostWork).toBe('true');
    await expect.poll(() => actions.getByRole('button', { name: 'Uncordon' }).count(), hostWork).toBe(1);
    await actions.getByRole('button', { name: 'Uncordon' }).click();
    await expect.poll(() => jsonpath(['node', 'sim-node-2'], '{.spec.unschedulable}'), hostWork).toBe('');
    await expect.poll(() => actions.getByRole('button', { name: 'Cordon' }).count(), hostWork).toBe(1);

    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search');
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.count(), hostWork).toBe(0);
  });

  it('saves screenshots of the Dashboard, Workloads and Settings', async () => {
    await kubectlOk(kubectl, [
      'create',
      'deployment',
      'shop',
      '--image',
      'registry.local/shop:1',
      '--replicas',
      '3',
    ]);
    const page = await browser.newPage({ viewport });
    await page.goto(`${serve.url}#/dashboard`);
    await expect.poll(() => page.locator('.node-card').count(), hostWork).toBe(3);
    // Simulated nodes run no containers: the cards say so instead of drawing empty charts.
    await expect
      .poll(() => page.locator('.node-card .usage-note').first().textContent(), hostWork)
      .toContain('simulated node');
    expect(
      await page.getByRole('toolbar', { name: 'Cluster' }).getByRole('button').allTextContents(),
    ).toEqual(['Start', 'Stop', 'Restart', 'Reset']);
    await page.screenshot({ path: join(screenshots, 'dashboard.png') });
    await page.goto(`${serve.url}#/workloads`);
    await expect.poll(() => page.locator('tbody tr[data-key^="default/shop-"]').count(), hostWork).toBe(3);
    await page.screenshot({ path: join(screenshots, 'workloads.png') });
    await page.goto(`${serve.url}#/settings`);
    await page.waitForSelector('.setting');
    await page.screenshot({ path: join(screenshots, 'settings.png') });
  });
});
