import { useEffect, useState } from 'react';
import type { ClusterStatus } from '../../../main/host/contract';
import { api } from '../../api/appApi';
import { ActionDialog } from '../resources/actions/ActionDialog';
import '../resources/actions/actions.css';

// Start, Stop, Restart and Reset, run by the host's ClusterManager (the one `kubedesk start` runs).
// Stop and Restart ask first; Reset wants the cluster's name typed, since it removes everything.

type Confirm = 'stop' | 'restart' | 'reset' | undefined;

export function ClusterControls({ status }: { status: ClusterStatus | undefined }) {
  const [info, setInfo] = useState<{ name: string; controllable: boolean }>();
  const [confirm, setConfirm] = useState<Confirm>();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    void api.clusterControl.info({}).then(setInfo);
  }, []);
  if (!info?.controllable) return null;
  const state = status?.state;
  const busy = state === 'starting' || state === 'stopping';
  const close = () => {
    setConfirm(undefined);
    setTyped('');
  };
  const start = () => {
    setError(undefined);
    api.clusterControl.start({}).catch((err: Error) => setError(err.message));
  };
  // The dialog closes once the work has begun; its progress shows in the status bar.
  const run = (work: () => Promise<null>) => async () => {
    setError(undefined);
    close();
    work().catch((err: Error) => setError(err.message));
  };
  return (
    <div className="cluster-controls" role="toolbar" aria-label="Cluster">
      <button type="button" className="control" disabled={busy || state === 'running'} onClick={start}>
        Start
      </button>
      <button
        type="button"
        className="control"
        disabled={busy || state !== 'running'}
        onClick={() => setConfirm('stop')}
      >
        Stop
      </button>
      <button
        type="button"
        className="control"
        disabled={busy || state !== 'running'}
        onClick={() => setConfirm('restart')}
      >
        Restart
      </button>
      <button type="button" className="control danger" disabled={busy} onClick={() => setConfirm('reset')}>
        Reset
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
      {confirm === 'stop' && (
        <ActionDialog
          title="Stop Kubernetes"
          confirmLabel="Stop"
          onClose={close}
          onConfirm={run(() => api.clusterControl.stop({}))}
        >
          <p>Stops the nodes and the control plane. Everything is kept for the next start.</p>
        </ActionDialog>
      )}
      {confirm === 'restart' && (
        <ActionDialog
          title="Restart Kubernetes"
          confirmLabel="Restart"
          onClose={close}
          onConfirm={run(() => api.clusterControl.restart({}))}
        >
          <p>Stops and starts the cluster again; workloads come back.</p>
        </ActionDialog>
      )}
      {confirm === 'reset' && (
        <ActionDialog
          title="Reset Kubernetes"
          confirmLabel="Reset"
          danger
          canConfirm={typed === info.name}
          onClose={close}
          onConfirm={run(() => api.clusterControl.reset({ confirm: typed }))}
        >
          <p>
            Removes the nodes, their volumes, the network and every object in the cluster, then starts an
            empty cluster. Settings stay.
          </p>
          <label className="dialog-field">
            Type <strong>{info.name}</strong> to confirm
            <input type="text" className="control" value={typed} onChange={(e) => setTyped(e.target.value)} />
          </label>
        </ActionDialog>
      )}
    </div>
  );
}
