import { useState } from 'react';
import type { AppliedObject, ApplyFailure } from '../../../../main/host/clusterView/objectDetailsContract';
import { api } from '../../../api/appApi';
import { type LineProblem, YamlEditor } from '../../../components/YamlEditor';
import { failureLines, fieldLine } from './fieldLines';

// YAML to apply with server-side apply: the API server's errors on their lines and in a list,
// and a conflict with another field manager offered as "Apply with force".

const describe = (f: ApplyFailure) => (f.kind && f.name ? `${f.kind} ${f.name}: ` : '');

export function ApplyEditor({
  initial,
  namespace,
  label,
  onApplied,
  onCancel,
}: {
  initial: string;
  /** Where documents that name no namespace go. */
  namespace?: string;
  label: string;
  onApplied(applied: AppliedObject[]): void;
  onCancel(): void;
}) {
  const [text, setText] = useState(initial);
  const [failures, setFailures] = useState<ApplyFailure[]>([]);
  // The text the failures are about; the person may have typed on since.
  const [failedText, setFailedText] = useState('');
  const [problems, setProblems] = useState<LineProblem[]>([]);
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  const apply = async (force: boolean) => {
    setBusy(true);
    setNotice(undefined);
    const submitted = text;
    try {
      const result = await api.cluster.apply({ yaml: submitted, force, ...(namespace ? { namespace } : {}) });
      if (result.ok) {
        setFailures([]);
        setProblems([]);
        onApplied(result.applied);
        return;
      }
      setFailures(result.failures);
      setFailedText(submitted);
      setProblems(failureLines(submitted, result.failures));
      if (result.applied.length > 0)
        setNotice(`Applied before the error: ${result.applied.map((a) => `${a.kind} ${a.name}`).join(', ')}`);
    } catch (err) {
      setNotice((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const conflict = failures.some((f) => f.conflict);

  return (
    <div className="apply-editor">
      <YamlEditor value={text} onChange={setText} problems={problems} label={label} />
      <div className="apply-actions">
        <button type="button" className="primary" disabled={busy} onClick={() => void apply(false)}>
          Apply
        </button>
        {conflict && (
          <button type="button" disabled={busy} onClick={() => void apply(true)}>
            Apply with force
          </button>
        )}
        <button type="button" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
        {busy && <span className="muted">Applying…</span>}
      </div>
      {conflict && (
        <p className="notice" role="status">
          Other field managers own some of these fields. Applying with force makes kubedesk their owner; the
          other managers may change them back.
        </p>
      )}
      {notice && (
        <p className="error" role="alert">
          {notice}
        </p>
      )}
      {failures.length > 0 && (
        <ul className="apply-errors" aria-label="Errors">
          {failures.map((f) => (
            <li key={`${f.document}-${f.message}`}>
              <strong>
                {describe(f)}
                {f.code > 0 ? `${f.code} ${f.reason}` : f.reason}
              </strong>
              <div>{f.message}</div>
              {f.causes.length > 0 && (
                <ul>
                  {f.causes.map((c) => {
                    const line = c.field ? fieldLine(failedText, f.document, c.field) : undefined;
                    return (
                      <li key={`${c.field}-${c.message}`}>
                        {c.field && <code>{c.field}</code>} {c.message}
                        {line && <span className="muted"> (line {line})</span>}
                      </li>
                    );
                  })}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
