import type { Page } from 'playwright-core';

// Reads and types into the Terminal page's active tab. The screen is read through xterm.js's
// buffer API, from the instance the page keeps on the tab's `terminal-screen` element (see
// renderer/pages/terminal/terminalStore.ts); only the active tab's screen is in the page.

/** The active terminal's lines (scrollback and screen), or only its last `lastLines`. */
export function terminalText(page: Page, lastLines?: number): Promise<string> {
  return page.evaluate((last) => {
    const screen = document.querySelector('[data-testid="terminal-screen"]') as
      | (HTMLElement & { xterm?: import('@xterm/xterm').Terminal })
      | null;
    const buffer = screen?.xterm?.buffer.active;
    if (!buffer) return '';
    const lines: string[] = [];
    const first = last === undefined ? 0 : Math.max(0, buffer.length - last);
    for (let i = first; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n');
  }, lastLines);
}

/** The active terminal's size in character cells, as xterm.js laid it out. */
export function terminalSize(page: Page): Promise<{ cols: number; rows: number }> {
  return page.evaluate(() => {
    const screen = document.querySelector('[data-testid="terminal-screen"]') as
      | (HTMLElement & { xterm?: import('@xterm/xterm').Terminal })
      | null;
    return { cols: screen?.xterm?.cols ?? 0, rows: screen?.xterm?.rows ?? 0 };
  });
}

/** Types a command line into the active terminal, as a person would. */
export async function typeCommand(page: Page, command: string): Promise<void> {
  await page.getByTestId('terminal-screen').click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}
