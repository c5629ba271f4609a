import type { V1Pod } from '@kubernetes/client-node';
import { useState } from 'react';
import type { TableRowView, ViewResource } from '../../../main/host/clusterView/clusterViewContract';
import { api } from '../../api/appApi';
import { useHostQuery } from '../../data/useHostQuery';
import { ObjectActions } from './actions/ObjectActions';
import { LogsTab } from './drawer/LogsTab';
import { type OpenRef, RelatedObjects } from './drawer/RelatedObjects';
import { YamlSection } from './drawer/YamlSection';
import './drawer/drawer.css';

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

type DrawerTab = 'details' | 'logs';

/** The selected object: its conditions, related objects, YAML (editable) and, for pods, logs;
 * refreshed whenever its row changes. */
export function DetailsDrawer({
  resource,
  row,
  onClose,
  onOpen,
  onBack,
}: {
  resource: ViewResource;
  row: TableRowView;
  onClose(): void;
  /** Opens a related object (an owner, a pod) in the drawer. */
  onOpen(ref: OpenRef): void;
  /** Returns to the object this one was opened from, when there is one. */
  onBack?(): void;
}) {
  const [tab, setTab] = useState<DrawerTab>('details');
  const [reveal, setReveal] = useState(false);
  const { data: obj, error } = useHostQuery(
    () =>
      api.cluster.object({
        resource,
        name: row.name,
        ...(row.namespace ? { namespace: row.namespace } : {}),
      }),
    [resource, row],
  );
  const conditions = ((obj?.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).filter(
    (c) => c.type,
  );
  const title = row.namespace ? `${row.namespace}/${row.name}` : row.name;
  return (
    <aside className="details-drawer" aria-label={`Details of ${title}`}>
      <header>
        <h2>{title}</h2>
        <button type="button" onClick={onClose} aria-label="Close details">
          ✕
        </button>
      </header>
      <ObjectActions resource={resource} row={row} />
      {onBack && (
        <button type="button" className="link" onClick={onBack}>
          ← Back
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {resource === 'pods' && (
        <div className="resource-tabs drawer-tabs" role="tablist" aria-label="Details">
          {(['details', 'logs'] as const).map((t) => (
            <button type="button" role="tab" key={t} aria-selected={tab === t} onClick={() => setTab(t)}>
              {t === 'details' ? 'Details' : 'Logs'}
            </button>
          ))}
        </div>
      )}
      {tab === 'details' && (
        <>
          {conditions.length > 0 && (
            <table className="conditions">
              <thead>
                <tr>
                  <th>Condition</th>
                  <th>Status</th>
                  <th>Reason</th>
                  <th>Message</th>
                </tr>
              </thead>
              <tbody>
                {conditions.map((c) => (
                  <tr key={c.type} className={c.status === 'True' ? 'condition-true' : 'condition-false'}>
                    <td>{c.type}</td>
                    <td>{c.status}</td>
                    <td>{c.reason}</td>
                    <td>{c.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <RelatedObjects resource={resource} row={row} onOpen={onOpen} />
          <h3>YAML</h3>
          {obj?.kind === 'Secret' && (
            <button type="button" onClick={() => setReveal((r) => !r)}>
              {reveal ? 'Hide values' : 'Reveal values'}
            </button>
          )}
          {obj && <YamlSection obj={obj} title={title} reveal={reveal} />}
        </>
      )}
      {tab === 'logs' && obj?.kind === 'Pod' && <LogsTab pod={obj as V1Pod} />}
    </aside>
  );
}
