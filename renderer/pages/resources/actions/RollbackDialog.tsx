import { useEffect, useState } from 'react';
import type { RevisionView, WorkloadRef } from '../../../../main/host/clusterActions/clusterActionsContract';
import { api } from '../../../api/appApi';
import { ActionDialog } from './ActionDialog';

/** The rollout history, newest first; the revision before the current one is chosen at first. */
export function RollbackDialog({
  target,
  onDone,
  onClose,
}: {
  target: WorkloadRef;
  onDone(message: string): void;
  onClose(): void;
}) {
  const [revisions, setRevisions] = useState<RevisionView[]>();
  const [chosen, setChosen] = useState<number>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.actions.history(target).then(
      (list) => {
        setRevisions(list);
        setChosen(list.find((r) => !r.current)?.revision);
      },
      (err: Error) => setError(err.message),
    );
  }, [target]);
  return (
    <ActionDialog
      title={`Roll back ${target.name}`}
      confirmLabel="Roll back"
      canConfirm={chosen !== undefined}
      onClose={onClose}
      onConfirm={async () => {
        const result = await api.actions.rollback({ ...target, revision: chosen ?? 0 });
        onDone(`${target.name}: ${result.message}`);
      }}
    >
      {error && <p className="error">{error}</p>}
      {!revisions && !error && <p className="muted">Reading the rollout history…</p>}
      {revisions?.length === 0 && <p className="muted">No rollout history.</p>}
      <ul className="revision-list">
        {revisions?.map((r) => (
          <li key={r.revision}>
            <label>
              <input
                type="radio"
                name="revision"
                value={r.revision}
                checked={chosen === r.revision}
                disabled={r.current}
                onChange={() => setChosen(r.revision)}
              />
              Revision {r.revision}
              {r.current && <span className="badge">current</span>}
              <span className="muted"> {r.images.join(', ')}</span>
              {r.changeCause && <span className="muted"> — {r.changeCause}</span>}
            </label>
          </li>
        ))}
      </ul>
    </ActionDialog>
  );
}
