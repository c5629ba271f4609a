import { useState } from 'react';
import type {
  PortForwardView,
  WorkloadRef,
} from '../../../../main/host/clusterActions/clusterActionsContract';
import type { TableRowView, ViewResource } from '../../../../main/host/clusterView/clusterViewContract';
import { api } from '../../../api/appApi';
import { ActionDialog } from './ActionDialog';
import { DeleteDialog } from './DeleteDialog';
import { DrainDialog } from './DrainDialog';
import { actionsFor, type ObjectAction, shellLink } from './objectActionKinds';
import { PodUsage } from './PodUsage';
import { PortForwardDialog } from './PortForwardDialog';
import { RollbackDialog } from './RollbackDialog';
import { ScaleDialog } from './ScaleDialog';
import './actions.css';

// The details drawer's action bar: the actions the selected object's kind offers, each confirmed
// in a dialog when it changes or removes something, with the outcome shown beside the buttons.

type Open = Exclude<ObjectAction, 'shell' | 'nodeShell'> | undefined;

export function ObjectActions({ resource, row }: { resource: ViewResource; row: TableRowView }) {
  const [open, setOpen] = useState<Open>();
  const [notice, setNotice] = useState<{ text: string; error?: boolean }>();
  const [forwards, setForwards] = useState<PortForwardView[]>([]);
  const { name, namespace } = row;
  const close = () => setOpen(undefined);
  const done = (text: string) => {
    setOpen(undefined);
    setNotice({ text });
  };
  const cordoned = row.cells.some((c) => typeof c === 'string' && c.includes('SchedulingDisabled'));
  const setCordon = (unschedulable: boolean) =>
    api.actions.cordon({ name, unschedulable }).then(
      () => setNotice({ text: `${name} ${unschedulable ? 'cordoned' : 'uncordoned'}` }),
      (err: Error) => setNotice({ text: err.message, error: true }),
    );
  const workload = { resource, namespace: namespace ?? 'default', name } as WorkloadRef;

  const buttons = actionsFor(resource).map((action) => {
    switch (action) {
      case 'shell':
      case 'nodeShell':
        return (
          <a key={action} className="action-button control" href={shellLink(resource, name, namespace)}>
            {action === 'shell' ? 'Open shell' : 'Node shell'}
          </a>
        );
      case 'cordon':
        return (
          <button key={action} type="button" className="control" onClick={() => void setCordon(!cordoned)}>
            {cordoned ? 'Uncordon' : 'Cordon'}
          </button>
        );
      default:
        return (
          <button
            key={action}
            type="button"
            className={action === 'delete' || action === 'drain' ? 'control danger' : 'control'}
            onClick={() => setOpen(action)}
          >
            {labels[action]}
          </button>
        );
    }
  });

  return (
    <>
      <div className="object-actions" role="toolbar" aria-label="Actions">
        {buttons}
        {notice && (
          <span
            className={notice.error ? 'action-notice error' : 'action-notice'}
            role={notice.error ? 'alert' : 'status'}
          >
            {notice.text}
          </span>
        )}
        {open === 'scale' && (
          <ScaleDialog
            target={{ ...workload, resource: resource as 'deployments' | 'statefulsets' | 'replicasets' }}
            onDone={done}
            onClose={close}
          />
        )}
        {open === 'restart' && (
          <ActionDialog
            title={`Restart ${name}`}
            confirmLabel="Restart"
            onClose={close}
            onConfirm={async () => {
              await api.actions.restart(workload);
              done(`Restarting the rollout of ${name}`);
            }}
          >
            <p>Replaces every pod, a few at a time, as its update strategy allows.</p>
          </ActionDialog>
        )}
        {open === 'rollback' && <RollbackDialog target={workload} onDone={done} onClose={close} />}
        {open === 'drain' && <DrainDialog node={name} onClose={close} />}
        {open === 'portForward' && (
          <PortForwardDialog
            resource={resource}
            namespace={namespace ?? 'default'}
            name={name}
            onClose={close}
            onStarted={(forward) => {
              setOpen(undefined);
              setForwards((list) => [...list, forward]);
            }}
          />
        )}
        {forwards.map((f) => (
          <span key={f.id} className="action-notice" role="status">
            Forwarding{' '}
            <a href={f.url} target="_blank" rel="noreferrer">
              {f.url}
            </a>{' '}
            → {f.target}:{f.remotePort}{' '}
            <button
              type="button"
              className="control"
              onClick={() =>
                api.actions.stopPortForward({ id: f.id }).then(
                  () => setForwards((list) => list.filter((x) => x.id !== f.id)),
                  (err: Error) => setNotice({ text: err.message, error: true }),
                )
              }
            >
              Stop
            </button>
          </span>
        ))}
        {open === 'delete' && (
          <DeleteDialog
            target={{ resource, name, ...(namespace ? { namespace } : {}) }}
            onDone={done}
            onClose={close}
          />
        )}
      </div>
      {resource === 'pods' && namespace && <PodUsage namespace={namespace} name={name} />}
    </>
  );
}

const labels: Record<Exclude<Open, undefined>, string> = {
  scale: 'Scale',
  restart: 'Restart',
  rollback: 'Roll back',
  portForward: 'Port-forward',
  cordon: 'Cordon',
  drain: 'Drain',
  delete: 'Delete',
};
