import { useEffect, useState } from 'react';
import type { ScaleRequest } from '../../../../main/host/clusterActions/clusterActionsContract';
import { api } from '../../../api/appApi';
import { ActionDialog } from './ActionDialog';

/** Replicas for a Deployment, StatefulSet or ReplicaSet, starting from what it asks for now. */
export function ScaleDialog({
  target,
  onDone,
  onClose,
}: {
  target: Omit<ScaleRequest, 'replicas'>;
  onDone(message: string): void;
  onClose(): void;
}) {
  const [replicas, setReplicas] = useState('');
  useEffect(() => {
    void api.cluster.object(target).then((obj) => {
      const current = (obj.spec as { replicas?: number } | undefined)?.replicas;
      setReplicas((r) => (r === '' ? String(current ?? 1) : r));
    });
  }, [target]);
  const count = Number(replicas);
  const valid = replicas !== '' && Number.isInteger(count) && count >= 0;
  return (
    <ActionDialog
      title={`Scale ${target.name}`}
      confirmLabel="Scale"
      canConfirm={valid}
      onClose={onClose}
      onConfirm={async () => {
        await api.actions.scale({ ...target, replicas: count });
        onDone(`Scaled ${target.name} to ${count} replicas`);
      }}
    >
      <label className="dialog-field">
        Replicas
        <input
          type="number"
          className="control"
          min={0}
          value={replicas}
          onChange={(e) => setReplicas(e.target.value)}
        />
      </label>
    </ActionDialog>
  );
}
