import { useState } from 'react';
import type { DrainResult } from '../../../../main/host/clusterActions/clusterActionsContract';
import { api } from '../../../api/appApi';
import { ActionDialog } from './ActionDialog';

/** Cordons the node and evicts its pods; the outcome per pod stays on screen until closed. */
export function DrainDialog({ node, onClose }: { node: string; onClose(): void }) {
  const [force, setForce] = useState(false);
  const [deleteEmptyDirData, setDeleteEmptyDirData] = useState(false);
  const [result, setResult] = useState<DrainResult>();
  return (
    <ActionDialog
      title={`Drain ${node}`}
      confirmLabel={result ? 'Drain again' : 'Drain'}
      danger
      onClose={onClose}
      onConfirm={async () => {
        setResult(await api.actions.drain({ name: node, force, deleteEmptyDirData, timeoutSeconds: 30 }));
      }}
    >
      <p>
        Marks the node unschedulable and evicts its pods, honouring PodDisruptionBudgets. DaemonSet pods stay.
      </p>
      <label className="radio-row">
        <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Also evict pods
        no controller manages (they are gone for good)
      </label>
      <label className="radio-row">
        <input
          type="checkbox"
          checked={deleteEmptyDirData}
          onChange={(e) => setDeleteEmptyDirData(e.target.checked)}
        />{' '}
        Also evict pods with emptyDir data (the data is lost)
      </label>
      {result && (
        <div className="drain-result" role="status">
          <p>
            {result.evicted.length} evicted, {result.skipped.length} left in place, {result.failed.length} not
            evicted
          </p>
          <ul>
            {result.failed.map((f) => (
              <li key={f.pod} className="error">
                {f.pod}: {f.reason}
              </li>
            ))}
            {result.skipped.map((s) => (
              <li key={s.pod} className="muted">
                {s.pod}: {s.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </ActionDialog>
  );
}
