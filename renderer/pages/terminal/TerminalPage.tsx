import '@xterm/xterm/css/xterm.css';
import './terminal.css';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { TerminalView } from './TerminalView';
import { terminalStore } from './terminalStore';

/** Shells on this computer with kubectl pointed at the cluster, one per tab. */
export function TerminalPage() {
  const state = useSyncExternalStore(terminalStore.subscribe, terminalStore.snapshot);
  const [query, setQuery] = useState('');
  // Arriving with no terminal open opens one, as a terminal app does.
  useEffect(() => {
    if (terminalStore.snapshot().tabs.length === 0) void terminalStore.open();
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
            disabled={state.opening}
            onClick={() => void terminalStore.open()}
          >
            +
          </button>
        </div>
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
        <p className="muted">{state.opening ? 'Opening a terminal…' : 'No terminal is open.'}</p>
      )}
    </section>
  );
}
