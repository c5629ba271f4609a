// Dashboard table benchmark: `kubedesk serve` with simulated nodes and 5,000 pods, the Workloads
// page open in Chromium. Prints the time from a pod change in the API server (a status write) to
// its row showing it, p50/p99 (target p99 ≤ 300 ms), and the renderer's JS heap after GC.
// Build the renderer first (npx electron-vite build).
// Run: npx tsx bench/dashboardTable.bench.ts [--pods 5000] [--nodes 50] [--changes 200]
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from '../e2e/support/browser';
import { startServe } from '../e2e/support/kubedeskProcess';
import { kubeClientFromKubeconfig } from './support/kubeClient';
import { percentile, pool, timed } from './support/stats';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '5000' },
    nodes: { type: 'string', default: '50' },
    changes: { type: 'string', default: '200' },
  },
});
const podCount = Number(values.pods);
const changeCount = Number(values.changes);
/** Pods in namespace `aaa` sort first, so their rows are on screen in the virtualised table. */
const watchedCount = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

const podBody = (namespace: string, name: string, nodeName?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels: { app: namespace } },
  spec: { containers: [{ name: 'app', image: 'registry.local/app:1' }], ...(nodeName ? { nodeName } : {}) },
});

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-bench-table-'));
  const serve = await startServe(dataDir, {
    args: ['--nodes', '0', '--simulated-nodes', values.nodes],
    timeoutMs: 60_000,
  });
  const browser = await launchChromium();
  try {
    const kubeconfig = join(dataDir, 'kubeconfig');
    await waitFor('the kubeconfig', () => existsSync(kubeconfig));
    const kube = kubeClientFromKubeconfig(kubeconfig);
    await waitFor(
      'the API server',
      async () => (await kube.call('GET', '/api/v1/namespaces/default')).status === 200,
    );
    for (const ns of ['aaa', 'load']) {
      await kube.call('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
      });
    }
    // The watched pods are bound to a node that does not exist, so only this benchmark writes their status.
    const [, createMs] = await timed(() =>
      pool(podCount, 16, async (i) => {
        const body =
          i < watchedCount
            ? podBody('aaa', `watched-${i}`, 'bench-no-kubelet')
            : podBody('load', `load-${String(i).padStart(5, '0')}`);
        const res = await kube.call('POST', `/api/v1/namespaces/${body.metadata.namespace}/pods`, body);
        if (res.status !== 201) throw new Error(`create pod: ${res.status} ${res.text}`);
      }),
    );
    console.log(`created ${podCount} pods in ${(createMs / 1000).toFixed(1)} s`);

    // The page's CSP forbids eval, which Playwright's string predicates use.
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
    const [, loadMs] = await timed(async () => {
      await page.goto(`${serve.url}#/workloads`);
      await page.waitForFunction(
        `document.querySelector('.resource-toolbar [aria-live]')?.textContent === '${podCount} pods'`,
        undefined,
        { timeout: 120_000, polling: 100 },
      );
      await page.waitForSelector('tr[data-key="aaa/watched-0"]');
    });
    console.log(`Workloads page showing ${podCount} pods after ${(loadMs / 1000).toFixed(1)} s`);

    const latencies: number[] = [];
    for (let i = 0; i < changeCount; i++) {
      const name = `watched-${i % watchedCount}`;
      const reason = `Bench${i}`;
      // Armed in the page before the write: records when the row's STATUS cell shows the new reason.
      // A string, not a function: tsx would wrap a function's inner helpers in its own `__name`.
      await page.evaluate(`(() => {
        const key = ${JSON.stringify(`aaa/${name}`)};
        const text = ${JSON.stringify(reason)};
        window.seenAt = undefined;
        window.rowObserver?.disconnect();
        window.rowObserver = new MutationObserver(() => {
          const cell = document.querySelector('tr[data-key="' + key + '"] td:nth-child(4)');
          if (cell?.textContent === text && window.seenAt === undefined) {
            window.seenAt = Date.now();
            window.rowObserver.disconnect();
          }
        });
        window.rowObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
      })()`);
      const path = `/api/v1/namespaces/aaa/pods/${name}/status`;
      const pod = JSON.parse((await kube.call('GET', path)).text);
      pod.status = { ...pod.status, phase: 'Pending', reason };
      const started = Date.now();
      const res = await kube.call('PUT', path, pod);
      if (res.status !== 200) throw new Error(`update status: ${res.status} ${res.text}`);
      const handle = await page.waitForFunction(
        () => (window as unknown as { seenAt?: number }).seenAt,
        undefined,
        {
          timeout: 10_000,
          polling: 'raf',
        },
      );
      latencies.push(Number(await handle.jsonValue()) - started);
      await sleep(50);
    }
    console.log(
      `pod status write → row updated (${changeCount} changes, ${podCount} pods): ` +
        `p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${Math.max(...latencies)} ms`,
    );

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    console.log(`renderer JS heap after GC: used ${mib(heap.usedSize)}, total ${mib(heap.totalSize)}`);
  } finally {
    await browser.close();
    await serve.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
