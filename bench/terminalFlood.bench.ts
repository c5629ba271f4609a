// Terminal flood benchmark: 50 MB through the host shell while the UI is used. Prints the
// click-to-paint latency of sidebar clicks during the flood (target ≤ 500 ms), the renderer's JS
// heap before, at its peak and after, and the host process's memory.
// Run: npx electron-vite build (once, for out/renderer), then npx tsx bench/terminalFlood.bench.ts
// [--bytes 50000000]
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../e2e/support/browser';
import { repoRoot, startServe } from '../e2e/support/kubedeskProcess';
import { terminalText, typeCommand } from '../e2e/support/terminalScreen';
import { percentile } from './support/stats';

const { values } = parseArgs({ options: { bytes: { type: 'string', default: '50000000' } } });
const floodBytes = Number(values.bytes);
// Away and back: the end of the flood is read from the Terminal page, and each click changes page.
const sidebarTargets = ['Nodes', 'Terminal', 'Events', 'Dashboard', 'Terminal'];

if (!existsSync(join(repoRoot, 'out', 'renderer', 'index.html'))) {
  console.error('out/renderer is missing: run `npx electron-vite build` first.');
  process.exit(1);
}

const MiB = 1024 * 1024;
const rssMiB = (pid: number) => {
  const line =
    readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:')) ?? '';
  return Number(line.replace(/\D+/g, '')) / 1024;
};

async function heapMiB(cdp: CDPSession, collect: boolean): Promise<number> {
  if (collect) await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / MiB;
}

async function waitForText(page: Page, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(await terminalText(page, 200))) {
    if (Date.now() > deadline) throw new Error(`the terminal did not show ${pattern} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Clicks a sidebar link with a real mouse event and returns the wall time from dispatching the
 * click to the first frame painted with the new page's heading (a frame after the DOM changed).
 */
async function clickToPaint(page: Page, title: string): Promise<number> {
  // A string, not a function: tsx's name helpers do not exist inside the page. It ends in
  // `undefined` so that evaluate does not wait for the promise before the click.
  await page.evaluate(`window.painted = new Promise((resolve) => {
    const main = document.querySelector('main');
    const observer = new MutationObserver(() => {
      if (main.querySelector('h1')?.textContent !== ${JSON.stringify(title)}) return;
      observer.disconnect();
      // rAF runs just before the frame is painted; the task after it runs once it was.
      requestAnimationFrame(() => setTimeout(() => resolve(performance.timeOrigin + performance.now())));
    });
    observer.observe(main, { subtree: true, childList: true, characterData: true });
  }); undefined`);
  const box = await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: title, exact: true })
    .boundingBox();
  if (!box) throw new Error(`no sidebar link ${title}`);
  const start = Date.now();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const painted = (await page.evaluate('window.painted')) as number;
  return painted - start;
}

const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-bench-terminal-'));
const serve = await startServe(dataDir);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const cdp = await page.context().newCDPSession(page);
  const hostPid = serve.child.pid as number;
  await page.goto(`${serve.url}#/terminal`);
  await page.getByTestId('terminal-screen').waitFor();
  await typeCommand(page, 'echo ready-$((6*7))');
  await waitForText(page, /^ready-42\s*$/m, 30_000);

  const heapBefore = await heapMiB(cdp, true);
  const hostBefore = rssMiB(hostPid);
  console.log(
    `renderer JS heap before: ${heapBefore.toFixed(1)} MiB; host RSS before: ${hostBefore.toFixed(0)} MiB`,
  );

  for (const [label, command, done] of [
    [
      `${floodBytes / 1e6} MB through a pipe (\`yes | head -c ${floodBytes} | wc -c\`)`,
      `yes | head -c ${floodBytes} | wc -c`,
      new RegExp(`^\\s*${floodBytes}\\s*$`, 'm'),
    ],
    [
      `${floodBytes / 1e6} MB of output rendered by the terminal (100-character lines)`,
      `yes ${'k'.repeat(99)} | head -c ${floodBytes}; echo flood-$((1+1))-end`,
      /^flood-2-end\s*$/m,
    ],
  ] as const) {
    if ((await page.locator('main h1').textContent()) !== 'Terminal') await clickToPaint(page, 'Terminal');
    await typeCommand(page, command);
    const started = Date.now();
    const latencies: number[] = [];
    let heapPeak = 0;
    let hostPeak = 0;
    let finished = false;
    const finishedRun = waitForText(page, done, 600_000).then(() => (finished = true));
    for (let i = 0; !finished; i++) {
      const target = sidebarTargets[i % sidebarTargets.length] as string;
      latencies.push(await clickToPaint(page, target));
      heapPeak = Math.max(heapPeak, await heapMiB(cdp, false));
      hostPeak = Math.max(hostPeak, rssMiB(hostPid));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await finishedRun;
    const seconds = (Date.now() - started) / 1000;
    const fmt = (p: number) => `${percentile(latencies, p).toFixed(0)} ms`;
    console.log(
      `\n${label}: done in ${seconds.toFixed(1)} s (${(floodBytes / MiB / seconds).toFixed(1)} MiB/s)`,
    );
    console.log(
      `  sidebar click-to-paint during it: p50 ${fmt(50)}, p95 ${fmt(95)}, max ${fmt(100)} (n=${latencies.length}; target ≤ 500 ms)`,
    );
    console.log(
      `  renderer JS heap peak: ${heapPeak.toFixed(1)} MiB; host RSS peak: ${hostPeak.toFixed(0)} MiB`,
    );
  }

  const heapAfter = await heapMiB(cdp, true);
  console.log(
    `\nrenderer JS heap after (GC): ${heapAfter.toFixed(1)} MiB (before ${heapBefore.toFixed(1)} MiB); host RSS after: ${rssMiB(hostPid).toFixed(0)} MiB`,
  );
} finally {
  await browser.close();
  await serve.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
