import { useEffect, useState } from 'react';
import type { TableRowView, ViewResource } from '../../../main/host/clusterView/clusterViewContract';
import { api } from '../../api/appApi';
import { YamlView } from '../../components/YamlView';
import { objectYaml } from './objectYaml';

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

/** The selected object: its conditions and YAML, refreshed whenever its row changes. */
export function DetailsDrawer({
  resource,
  row,
  onClose,
}: {
  resource: ViewResource;
  row: TableRowView;
  onClose(): void;
}) {
  const [obj, setObj] = useState<Record<string, unknown>>();
  const [error, setError] = useState<string>();
  const [reveal, setReveal] = useState(false);
  useEffect(() => {
    let current = true;
    api.cluster
      .object({ resource, name: row.name, ...(row.namespace ? { namespace: row.namespace } : {}) })
      .then(
        (o) => {
          if (!current) return;
          setObj(o);
          setError(undefined);
        },
        (err: Error) => {
          if (current) setError(err.message);
        },
      );
    return () => {
      current = false;
    };
  }, [resource, row]);
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
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
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
      {obj?.kind === 'Secret' && (
        <button type="button" onClick={() => setReveal((r) => !r)}>
          {reveal ? 'Hide values' : 'Reveal values'}
        </button>
      )}
      {obj && <YamlView yaml={objectYaml(obj, reveal)} label={title} />}
    </aside>
  );
}
