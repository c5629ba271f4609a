import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

// Debian's Chromium, never a downloaded browser; flags that this machine's closed network needs.
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Screenshots land here for a person to look at; the folder is not committed. */
export const outputDir = join(import.meta.dirname, '..', 'output');

/** Chromium with one page open, and the screenshot folder ready. */
export async function openPage(options: BrowserContextOptions): Promise<{ browser: Browser; page: Page }> {
  mkdirSync(outputDir, { recursive: true });
  const browser = await launchChromium();
  return { browser, page: await browser.newPage(options) };
}
