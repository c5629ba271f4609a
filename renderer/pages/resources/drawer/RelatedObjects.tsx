import type { TableRowView, ViewResource } from '../../../../main/host/clusterView/clusterViewContract';
import type { RelatedRef } from '../../../../main/host/clusterView/objectDetailsContract';
import { api } from '../../../api/appApi';
import { useHostQuery } from '../../../data/useHostQuery';

// Owners, pods and events of one object, refreshed whenever its row changes; each owner and pod
// opens in the drawer.

export interface OpenRef {
  resource: ViewResource;
  namespace?: string;
  name: string;
}

function ago(iso: string | undefined, now: number): string {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

function RefLink({ item, onOpen }: { item: RelatedRef; onOpen(ref: OpenRef): void }) {
  const label = `${item.kind} ${item.namespace ? `${item.namespace}/` : ''}${item.name}`;
  if (!item.resource) return <span>{label}</span>;
  const resource = item.resource;
  return (
    <button
      type="button"
      className="link"
      onClick={() =>
        onOpen({ resource, name: item.name, ...(item.namespace ? { namespace: item.namespace } : {}) })
      }
    >
      {label}
    </button>
  );
}

export function RelatedObjects({
  resource,
  row,
  onOpen,
}: {
  resource: ViewResource;
  row: TableRowView;
  onOpen(ref: OpenRef): void;
}) {
  const { data: related, error } = useHostQuery(
    () =>
      api.cluster.related({
        resource,
        name: row.name,
        ...(row.namespace ? { namespace: row.namespace } : {}),
      }),
    [resource, row],
  );

  if (error) return <p className="error">{error}</p>;
  if (!related) return null;
  const now = Date.now();
  return (
    <section className="related" aria-label="Related objects">
      {related.owners.length > 0 && (
        <div>
          <h3>Owners</h3>
          <ul className="related-list" aria-label="Owners">
            {related.owners.map((o) => (
              <li key={`${o.kind}/${o.name}`}>
                <RefLink item={o} onOpen={onOpen} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {related.podsVia !== undefined && (
        <div>
          <h3>
            Pods <span className="muted">({related.podsVia})</span>
          </h3>
          {related.pods.length === 0 ? (
            <p className="muted">None</p>
          ) : (
            <ul className="related-list" aria-label="Pods">
              {related.pods.map((p) => (
                <li key={`${p.namespace}/${p.name}`} data-health={p.health} data-pod={p.name}>
                  <span className={`health-dot health-${p.health}`} aria-hidden="true" />
                  <RefLink item={p} onOpen={onOpen} /> <span className="pod-status">{p.status}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div>
        <h3>Events</h3>
        {related.events.length === 0 ? (
          <p className="muted">No events</p>
        ) : (
          <table className="conditions related-events">
            <thead>
              <tr>
                <th>Type</th>
                <th>Reason</th>
                <th>Age</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {related.events.map((e) => (
                <tr
                  key={`${e.reason}-${e.last}-${e.message}`}
                  className={e.type === 'Warning' ? 'event-warning' : ''}
                >
                  <td>{e.type}</td>
                  <td>{e.reason}</td>
                  <td>
                    {ago(e.last, now)}
                    {e.count > 1 ? ` (×${e.count})` : ''}
                  </td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
