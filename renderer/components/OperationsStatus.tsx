import { useEffect, useState } from 'react';
import type { OperationView } from '../../main/host/operations/operationsContract';
import { api } from '../api/appApi';
import { useTopic } from '../data/useTopic';
import { formatBytes } from './usage/usageFormat';

// The status bar's view of long work: the running (or last failed) operation with its current
// step and elapsed time; a click opens the steps, and a failed operation offers Retry.

export function formatElapsed(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

const elapsedOf = (op: OperationView, now: number) => op.elapsedMs ?? now - Date.parse(op.startedAt);

export function OperationsStatus() {
  const list = useTopic('operations', {});
  const [open, setOpen] = useState(false);
  const [now, setNow] = useState(Date.now());
  const [error, setError] = useState<string>();
  const operations = list?.operations ?? [];
  const shown = operations.find((op) => op.state === 'running') ?? operations[0];
  const running = shown?.state === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  if (!shown) return null;
  const step =
    [...shown.steps].reverse().find((s) => s.state === 'running') ?? shown.steps[shown.steps.length - 1];
  return (
    <span className="operations-status">
      <button
        type="button"
        className="status-item operation-summary"
        data-testid="operation"
        data-state={shown.state}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <span
          className={`light light-${running ? 'starting' : shown.state === 'failed' ? 'error' : 'running'}`}
        />
        {shown.title}
        {running && step ? `: ${step.title}` : shown.state === 'failed' ? ' failed' : ' done'} ·{' '}
        {formatElapsed(elapsedOf(shown, now))}
      </button>
      {open && (
        <div className="operations-popover" role="dialog" aria-label="Operations">
          {operations.map((op) => (
            <section key={op.id} className={`operation operation-${op.state}`}>
              <header>
                <strong>{op.title}</strong> <span className="muted">{formatElapsed(elapsedOf(op, now))}</span>
                {op.retryable && (
                  <button
                    type="button"
                    onClick={() =>
                      api.operations.retry({ id: op.id }).catch((err: Error) => setError(err.message))
                    }
                  >
                    Retry
                  </button>
                )}
              </header>
              {op.error && <p className="error">{op.error}</p>}
              <ol>
                {op.steps.map((s) => (
                  <li key={s.title} data-state={s.state}>
                    <span className={`step-mark step-${s.state}`}>
                      {s.state === 'done' ? '✓' : s.state === 'failed' ? '✕' : '…'}
                    </span>
                    {s.title}
                    {s.detail && <span className="muted"> ({s.detail})</span>}
                    {s.bytes ? <span className="muted"> {formatBytes(s.bytes)}</span> : null}
                    {s.elapsedMs !== undefined && (
                      <span className="muted"> {formatElapsed(s.elapsedMs)}</span>
                    )}
                    {s.error && <div className="error">{s.error}</div>}
                  </li>
                ))}
              </ol>
            </section>
          ))}
          {error && <p className="error">{error}</p>}
        </div>
      )}
    </span>
  );
}
