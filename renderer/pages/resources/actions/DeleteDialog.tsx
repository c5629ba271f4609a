import { useState } from 'react';
import type { DeleteRequest } from '../../../../main/host/clusterActions/clusterActionsContract';
import { api } from '../../../api/appApi';
import { ActionDialog } from './ActionDialog';

type Propagation = DeleteRequest['propagationPolicy'];

const policies: { value: Propagation; label: string }[] = [
  { value: 'Background', label: 'Background: delete it now; the garbage collector removes what it owns' },
  { value: 'Foreground', label: 'Foreground: delete what it owns first, then it' },
  { value: 'Orphan', label: 'Orphan: delete only it; what it owns stays' },
];

export function DeleteDialog({
  target,
  onDone,
  onClose,
}: {
  target: Omit<DeleteRequest, 'propagationPolicy'>;
  onDone(message: string): void;
  onClose(): void;
}) {
  const [policy, setPolicy] = useState<Propagation>('Background');
  const title = target.namespace ? `${target.namespace}/${target.name}` : target.name;
  return (
    <ActionDialog
      title={`Delete ${title}`}
      confirmLabel="Delete"
      danger
      onClose={onClose}
      onConfirm={async () => {
        await api.actions.delete({ ...target, propagationPolicy: policy });
        onDone(`Deleted ${title}`);
      }}
    >
      <p>This cannot be undone.</p>
      <fieldset className="dialog-field">
        <legend>Dependents</legend>
        {policies.map((p) => (
          <label key={p.value} className="radio-row">
            <input
              type="radio"
              name="propagation"
              value={p.value}
              checked={policy === p.value}
              onChange={() => setPolicy(p.value)}
            />
            {p.label}
          </label>
        ))}
      </fieldset>
    </ActionDialog>
  );
}
