import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlOk } from '../cluster/api/testing/kubectlRunner';
import { openPage, outputDir } from './support/browser';
import { type ServeProcess, startServeWithKubectl } from './support/kubedeskProcess';

// The details drawer's editing against `kubedesk serve` with 3 simulated nodes: a Deployment
// created from the YAML editor runs its pods, an invalid edit shows the API server's error on the
// field's line and changes nothing (as kubectl sees it), and related objects link a Deployment,
// its pods and their owners.

const hostWork = { timeout: 30_000 };

const deploymentYaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: registry.local/web:1
`;

const rowKeys = (page: Page) =>
  page.locator('tbody tr[data-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));

describe('editing objects in the dashboard', () => {
  let browser: Browser;
  let serve: ServeProcess;
  let kubectl: Kubectl;
  let page: Page;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-editing-'));
    ({ serve, kubectl } = await startServeWithKubectl(dataDir, join(dataDir, 'home')));
    ({ browser, page } = await openPage({ viewport: { width: 1500, height: 950 } }));
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('creates a Deployment from the YAML editor and shows its pods Running live', async () => {
    await page.goto(`${serve.url}#/workloads`);
    await page.getByRole('tab', { name: 'Deployments' }).click();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const panel = page.getByRole('complementary', { name: 'Create from YAML' });
    const editor = panel.getByRole('textbox', { name: 'New object YAML' });
    await expect.poll(() => editor.textContent()).toContain('kind: Deployment');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(deploymentYaml);
    await panel.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect
      .poll(() => panel.getByRole('status').textContent(), hostWork)
      .toContain('Deployment default/web created');
    expect(await kubectlOk(kubectl, ['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
    const managers = await kubectlOk(kubectl, [
      'get',
      'deploy',
      'web',
      '--show-managed-fields',
      '-o',
      'jsonpath={.metadata.managedFields[*].manager}',
    ]);
    expect(managers.split(' ')).toContain('kubedesk');

    // The pods appear and turn Running without a reload.
    await page.getByRole('tab', { name: 'Pods' }).click();
    const webPods = async () => (await rowKeys(page)).filter((k) => k?.startsWith('default/web-'));
    await expect.poll(async () => (await webPods()).length, hostWork).toBe(2);
    for (const key of await webPods()) {
      await expect
        .poll(() => page.locator(`tr[data-key="${key}"] td`).nth(3).textContent(), hostWork)
        .toBe('Running');
    }
  });

  it("shows the API server's error next to the field of an invalid edit, and changes nothing", async () => {
    await page.goto(`${serve.url}#/workloads`);
    await page.getByRole('tab', { name: 'Deployments' }).click();
    await expect.poll(() => rowKeys(page), hostWork).toContain('default/web');
    await page.locator('tr[data-key="default/web"] button').click();
    const drawer = page.getByRole('complementary', { name: 'Details of default/web' });
    await drawer.getByRole('button', { name: 'Edit' }).click();
    const editor = drawer.getByRole('textbox', { name: 'YAML of default/web' });
    await expect.poll(() => editor.textContent()).toContain('replicas: 2');
    const before = await kubectlOk(kubectl, ['get', 'deploy', 'web', '-o', 'yaml']);

    await drawer.locator('.cm-line', { hasText: /^\s*replicas: 2$/ }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('"abc"');
    await expect.poll(() => editor.textContent()).toContain('replicas: "abc"');
    await drawer.getByRole('button', { name: 'Apply', exact: true }).click();

    const marked = drawer.locator('.cm-line.cm-field-error');
    await expect
      .poll(() => marked.allTextContents(), hostWork)
      .toEqual([expect.stringMatching(/replicas: "abc"/)]);
    const note = drawer.locator('.cm-field-error-message');
    expect(await note.textContent()).toContain(
      'cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas',
    );
    const errors = drawer.getByRole('list', { name: 'Errors' });
    expect(await errors.textContent()).toContain('400 BadRequest');
    expect(await errors.textContent()).toContain('spec.replicas');
    await page.screenshot({ path: join(outputDir, 'dashboard-edit-error.png') });

    expect(await kubectlOk(kubectl, ['get', 'deploy', 'web', '-o', 'yaml'])).toBe(before);
  });

  it("lists a Deployment's pods and opens a pod and its owners", async () => {
    await page.goto(`${serve.url}#/workloads`);
    await page.getByRole('tab', { name: 'Deployments' }).click();
    await expect.poll(() => rowKeys(page), hostWork).toContain('default/web');
    await page.locator('tr[data-key="default/web"] button').click();
    const drawer = page.getByRole('complementary', { name: 'Details of default/web' });
    const pods = drawer.getByRole('list', { name: 'Pods' }).locator('li');
    await expect
      .poll(() => pods.evaluateAll((items) => items.map((i) => i.getAttribute('data-pod'))), hostWork)
      .toEqual([expect.stringMatching(/^web-/), expect.stringMatching(/^web-/)]);
    const podNames = (
      await kubectlOk(kubectl, ['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])
    )
      .split(' ')
      .sort();
    expect(await pods.evaluateAll((items) => items.map((i) => i.getAttribute('data-pod')))).toEqual(podNames);
    expect(await pods.locator('.pod-status').allTextContents()).toEqual(['Running', 'Running']);
    await page.screenshot({ path: join(outputDir, 'dashboard-related.png') });

    await pods.first().getByRole('button').click();
    const podDrawer = page.getByRole('complementary', { name: `Details of default/${podNames[0]}` });
    const owners = podDrawer.getByRole('list', { name: 'Owners' });
    await expect
      .poll(() => owners.locator('button').allTextContents(), hostWork)
      .toEqual([expect.stringMatching(/^ReplicaSet default\/web-/), 'Deployment default/web']);

    // A simulated node has no kubelet to read logs from: the API server's answer is shown as is.
    await podDrawer.getByRole('tab', { name: 'Logs' }).click();
    await expect.poll(() => podDrawer.getByRole('alert').textContent(), hostWork).not.toBe('');

    await podDrawer.getByRole('tab', { name: 'Details' }).click();
    await owners.getByRole('button', { name: 'Deployment default/web' }).click();
    await expect
      .poll(() => page.getByRole('complementary', { name: 'Details of default/web' }).count())
      .toBe(1);
  });
});
