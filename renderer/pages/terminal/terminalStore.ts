import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import type { TerminalSession } from '../../../main/host/terminal/terminalContract';
import { api } from '../../api/appApi';
import { createAcknowledger, decodeBase64 } from './acknowledger';
import type { ShellTarget } from './shellTarget';
import { currentTerminalTheme, onThemeChange } from './terminalTheme';

// The open terminal tabs, kept outside React: leaving the Terminal page unmounts it, but sessions,
// their xterm.js instances and scrollback live on here, and the page re-attaches them on return.

/**
 * The element a tab's terminal renders into. It carries its xterm.js instance as `xterm`: the e2e
 * tests read the screen through xterm's buffer API from there, and nothing else uses it.
 */
export interface TerminalScreen extends HTMLDivElement {
  xterm?: Terminal;
}

export interface TerminalTab {
  session: TerminalSession;
  terminal: Terminal;
  fit: FitAddon;
  search: SearchAddon;
  screen: TerminalScreen;
  /** Set once the process ended; the tab stays until closed so its output can be read. */
  exit?: { exitCode: number; signal?: number };
}

export interface TerminalState {
  tabs: TerminalTab[];
  activeId?: string;
  /** How many shells are being opened. */
  opening: number;
  error?: string;
}

let state: TerminalState = { tabs: [], opening: 0 };
const listeners = new Set<() => void>();
const stops = new Map<string, () => Promise<void>>();

function update(patch: Partial<TerminalState>): void {
  state = { ...state, ...patch };
  for (const listener of listeners) listener();
}

function reportError(err: unknown): void {
  update({ error: err instanceof Error ? err.message : String(err) });
}

let themeFollowed = false;
function followTheme(): void {
  if (themeFollowed) return;
  themeFollowed = true;
  onThemeChange(() => {
    for (const tab of state.tabs) tab.terminal.options.theme = currentTerminalTheme();
  });
}

function createTerminal(): Omit<TerminalTab, 'session'> {
  followTheme();
  const terminal = new Terminal({
    allowProposedApi: true, // the unicode11 addon uses the proposed unicode API
    scrollback: 10_000,
    cursorBlink: true,
    fontSize: 13,
    fontFamily: 'ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace',
    theme: currentTerminalTheme(),
  });
  const fit = new FitAddon();
  const search = new SearchAddon();
  terminal.loadAddon(fit);
  terminal.loadAddon(search);
  terminal.loadAddon(new WebLinksAddon());
  terminal.loadAddon(new Unicode11Addon());
  terminal.unicode.activeVersion = '11';
  // Ctrl+Shift+C / Ctrl+Shift+V as in desktop terminals; plain Ctrl+C stays the interrupt key.
  terminal.attachCustomKeyEventHandler((event) => {
    if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
    if (event.code === 'KeyC') {
      if (terminal.hasSelection())
        void navigator.clipboard.writeText(terminal.getSelection()).catch(reportError);
      return false;
    }
    if (event.code === 'KeyV') {
      void navigator.clipboard.readText().then((text) => terminal.paste(text), reportError);
      return false;
    }
    return true;
  });
  const screen: TerminalScreen = document.createElement('div');
  screen.className = 'terminal-screen';
  screen.dataset.testid = 'terminal-screen';
  screen.xterm = terminal;
  return { terminal, fit, search, screen };
}

function replaceTab(id: string, change: (tab: TerminalTab) => TerminalTab): void {
  update({ tabs: state.tabs.map((tab) => (tab.session.id === id ? change(tab) : tab)) });
}

export const terminalStore = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },

  snapshot: (): TerminalState => state,

  /** Opens a shell (on this computer unless `target` says otherwise) in a new tab and makes it active. */
  async open(target: ShellTarget = { kind: 'host' }): Promise<void> {
    update({ opening: state.opening + 1, error: undefined });
    const parts = createTerminal();
    const { terminal } = parts;
    try {
      const session = await api.terminal.open({ ...target, cols: terminal.cols, rows: terminal.rows });
      const { id } = session;
      for (const notice of session.notices) terminal.writeln(`\x1b[33mkubedesk: ${notice}\x1b[0m`);
      terminal.onData((data) => void api.terminal.write({ id, data }).catch(reportError));
      terminal.onResize(({ cols, rows }) => void api.terminal.resize({ id, cols, rows }).catch(reportError));
      const acknowledger = createAcknowledger((bytes) => {
        // An acknowledgement racing the tab's close finds no session; that is expected.
        void api.terminal.ack({ id, bytes }).catch(() => undefined);
      });
      const unsubscribe = await api.subscribe('terminal.output', { id }, (output) => {
        if (output.type === 'data') {
          const bytes = decodeBase64(output.data);
          terminal.write(bytes, () => acknowledger.rendered(bytes.length));
          return;
        }
        const how = output.signal ? `signal ${output.signal}` : `code ${output.exitCode}`;
        if (output.message) terminal.write(`\r\n\x1b[31m${output.message}\x1b[0m`);
        terminal.write(`\r\n\x1b[2m[process exited with ${how}]\x1b[0m\r\n`);
        replaceTab(id, (tab) => ({ ...tab, exit: { exitCode: output.exitCode, signal: output.signal } }));
      });
      stops.set(id, async () => {
        acknowledger.dispose();
        await unsubscribe();
      });
      update({ tabs: [...state.tabs, { ...parts, session }], activeId: id, opening: state.opening - 1 });
    } catch (err) {
      terminal.dispose();
      update({ opening: state.opening - 1 });
      reportError(err);
    }
  },

  activate(id: string): void {
    update({ activeId: id });
  },

  /** Ends the tab's session (its processes too) and forgets the tab. */
  async close(id: string): Promise<void> {
    const index = state.tabs.findIndex((tab) => tab.session.id === id);
    const tab = state.tabs[index];
    if (!tab) return;
    const tabs = state.tabs.filter((other) => other !== tab);
    const neighbour = tabs[Math.min(index, tabs.length - 1)];
    update({ tabs, activeId: state.activeId === id ? neighbour?.session.id : state.activeId });
    try {
      await api.terminal.close({ id });
      await stops.get(id)?.();
    } catch (err) {
      reportError(err);
    } finally {
      stops.delete(id);
      tab.screen.remove();
      tab.terminal.dispose();
    }
  },

  dismissError(): void {
    update({ error: undefined });
  },
};
