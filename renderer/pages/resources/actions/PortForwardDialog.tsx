import { useEffect, useState } from 'react';
import type { PortForwardView } from '../../../../main/host/clusterActions/clusterActionsContract';
import type { ViewResource } from '../../../../main/host/clusterView/clusterViewContract';
import { api } from '../../../api/appApi';
import { ActionDialog } from './ActionDialog';
import { forwardPorts } from './forwardPorts';

const targetKinds: Partial<Record<ViewResource, string>> = {
  pods: 'pod',
  services: 'svc',
  deployments: 'deploy',
};

/** Picks the remote and local port, starts forwarding and opens the URL in the browser. */
export function PortForwardDialog({
  resource,
  namespace,
  name,
  onStarted,
  onClose,
}: {
  resource: ViewResource;
  namespace: string;
  name: string;
  onStarted(forward: PortForwardView): void;
  onClose(): void;
}) {
  const [ports, setPorts] = useState<number[]>([]);
  const [remote, setRemote] = useState('');
  const [local, setLocal] = useState('');
  useEffect(() => {
    void api.cluster.object({ resource, namespace, name }).then((obj) => {
      const offered = forwardPorts(obj);
      setPorts(offered);
      if (offered[0]) setRemote((r) => r || String(offered[0]));
    });
  }, [resource, namespace, name]);
  const remotePort = Number(remote);
  const localPort = local === '' ? 0 : Number(local);
  const valid =
    Number.isInteger(remotePort) && remotePort > 0 && Number.isInteger(localPort) && localPort >= 0;
  return (
    <ActionDialog
      title={`Port-forward ${name}`}
      confirmLabel="Forward"
      canConfirm={valid}
      onClose={onClose}
      onConfirm={async () => {
        const forward = await api.actions.portForward({
          namespace,
          target: `${targetKinds[resource] ?? 'pod'}/${name}`,
          localPort,
          remotePort,
        });
        window.open(forward.url, '_blank', 'noopener');
        onStarted(forward);
      }}
    >
      <label className="dialog-field">
        Port in the cluster
        <input
          type="number"
          className="control"
          min={1}
          list="forward-ports"
          value={remote}
          onChange={(e) => setRemote(e.target.value)}
        />
        <datalist id="forward-ports">
          {ports.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      </label>
      <label className="dialog-field">
        Local port on 127.0.0.1 (empty: any free port)
        <input
          type="number"
          className="control"
          min={0}
          value={local}
          onChange={(e) => setLocal(e.target.value)}
        />
      </label>
    </ActionDialog>
  );
}
