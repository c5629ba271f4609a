import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

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
