import '@xterm/xterm/css/xterm.css';
import './terminal.css';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { hashQuery } from '../pages';
import { ShellPicker } from './ShellPicker';
import { shellTargetFromQuery } from './shellTarget';
import { TerminalView } from './TerminalView';
import { terminalStore } from './terminalStore';

/** Opens the shell a deep link names, once: the link is taken off the address so a reload does not reopen it. */
function openLinkedShell(): boolean {
  const target = shellTargetFromQuery(hashQuery(window.location.hash));
  if (!target) return false;
  window.history.replaceState(null, '', '#/terminal');
  void terminalStore.open(target);
  return true;
}

/** Shells on this computer with kubectl pointed at the cluster, and in pods and nodes; one per tab. */
export function TerminalPage() {
  const state = useSyncExternalStore(terminalStore.subscribe, terminalStore.snapshot);
  const [query, setQuery] = useState('');
  // Arriving by a deep link opens its shell; arriving with no terminal open opens a host shell, as a
  // terminal app does.
  useEffect(() => {
    if (!openLinkedShell() && terminalStore.snapshot().tabs.length === 0) void terminalStore.open();
    const onHash = () => void openLinkedShell();
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const active = state.tabs.find((tab) => tab.session.id === state.activeId);

  return (
    <section className="page terminal-page">
      <h1>Terminal</h1>
      <div className="terminal-bar">
        <div className="terminal-tabs" role="tablist" aria-label="Terminals">
          {state.tabs.map((tab) => {
            const selected = tab === active;
            const label = tab.exit ? `${tab.session.title} (exited)` : tab.session.title;
            return (
              <div
                key={tab.session.id}
                className="terminal-tab"
                data-selected={selected}
                data-kind={tab.session.kind}
                data-pid={tab.session.pid}
              >
                <button
                  type="button"
                  role="tab"
                  aria-selected={selected}
                  className="terminal-tab-title"
                  onClick={() => terminalStore.activate(tab.session.id)}
                >
                  {label}
                </button>
                <button
                  type="button"
                  className="terminal-tab-close"
                  aria-label={`Close ${tab.session.title}`}
                  title="Close"
                  onClick={() => void terminalStore.close(tab.session.id)}
                >
                  ×
                </button>
              </div>
            );
          })}
          <button
            type="button"
            className="terminal-new"
            aria-label="New terminal"
            title="New terminal"
            disabled={state.opening > 0}
            onClick={() => void terminalStore.open()}
          >
            +
          </button>
        </div>
        <ShellPicker disabled={state.opening > 0} />
        {active && (
          <form
            className="terminal-search"
            onSubmit={(event) => {
              event.preventDefault();
              active.search.findNext(query);
            }}
          >
            <input
              type="search"
              className="control"
              placeholder="Find"
              aria-label="Find in terminal"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
            />
          </form>
        )}
      </div>
      {state.error && (
        <p className="error terminal-error" role="alert">
          {state.error}{' '}
          <button type="button" onClick={() => terminalStore.dismissError()}>
            Dismiss
          </button>
        </p>
      )}
      {active ? (
        <TerminalView tab={active} />
      ) : (
        <p className="muted">{state.opening > 0 ? 'Opening a terminal…' : 'No terminal is open.'}</p>
      )}
    </section>
  );
}
