import type { RowHealth, ViewResource } from '../../../main/host/clusterView/clusterViewContract';
import { UsagePanel } from '../../components/usage/UsagePanel';
import { type ResourceTableState, useResourceTable } from '../../data/useResourceTable';
import { useTopic } from '../../data/useTopic';
import { ClusterControls } from './ClusterControls';
import './dashboard.css';

// The first page: is the cluster up, are the nodes Ready, is any workload unhealthy, and what
// went wrong recently — each fed by the same live tables as the resource pages.

function cell(table: ResourceTableState, row: ResourceTableState['rows'][number], column: string): string {
  const index = table.columns.findIndex((c) => c.name === column);
  const value = index >= 0 ? row.cells[index] : undefined;
  return value === null || value === undefined ? '' : String(value);
}

const workloadKinds: { resource: ViewResource; title: string }[] = [
  { resource: 'pods', title: 'Pods' },
  { resource: 'deployments', title: 'Deployments' },
  { resource: 'statefulsets', title: 'StatefulSets' },
  { resource: 'daemonsets', title: 'DaemonSets' },
  { resource: 'jobs', title: 'Jobs' },
];

const healthOrder: RowHealth[] = ['ok', 'progress', 'warning', 'error', 'done'];
const healthLabels: Record<RowHealth, string> = {
  ok: 'healthy',
  progress: 'in progress',
  warning: 'warning',
  error: 'failing',
  done: 'completed',
  none: '',
};

function WorkloadCount({ resource, title }: { resource: ViewResource; title: string }) {
  const table = useResourceTable({ resource });
  const counts = new Map<RowHealth, number>();
  for (const row of table.rows) counts.set(row.health, (counts.get(row.health) ?? 0) + 1);
  return (
    <div className="workload-count" data-resource={resource}>
      <strong>{table.rows.length}</strong> {title}
      <ul>
        {healthOrder
          .filter((h) => counts.get(h))
          .map((h) => (
            <li key={h} data-health={h}>
              <span className={`health-dot health-${h}`} />
              {counts.get(h)} {healthLabels[h]}
            </li>
          ))}
      </ul>
    </div>
  );
}

export function DashboardPage() {
  const cluster = useTopic('cluster.status', {});
  const nodes = useResourceTable({ resource: 'nodes' });
  const usage = useTopic('usage.nodes', {});
  const events = useResourceTable({ resource: 'events' });
  const warnings = events.rows
    .filter((row) => row.health === 'warning')
    .sort((a, b) => (b.created ?? '').localeCompare(a.created ?? ''))
    .slice(0, 10);
  return (
    <section className="page dashboard">
      <h1>Dashboard</h1>
      <p className="cluster-summary" data-state={cluster?.state ?? 'unknown'}>
        <span className={`light light-${cluster?.state ?? 'unknown'}`} /> {cluster?.message ?? 'Connecting…'}
      </p>
      <ClusterControls status={cluster} />
      <h2>Nodes</h2>
      {nodes.rows.length === 0 && <p className="muted">{nodes.message ?? 'No nodes yet.'}</p>}
      <div className="node-cards">
        {nodes.rows.map((row) => (
          <article key={row.key} className={`node-card health-${row.health}`} data-node={row.name}>
            <header>
              <span className={`health-dot health-${row.health}`} />
              <strong>{row.name}</strong>
            </header>
            <dl>
              <dt>Status</dt>
              <dd>{cell(nodes, row, 'Status')}</dd>
              <dt>Roles</dt>
              <dd>{cell(nodes, row, 'Roles')}</dd>
              <dt>Version</dt>
              <dd>{cell(nodes, row, 'Version')}</dd>
              <dt>Address</dt>
              <dd>{cell(nodes, row, 'Internal-IP')}</dd>
            </dl>
            <UsagePanel series={usage?.nodes.find((n) => n.name === row.name)} />
          </article>
        ))}
      </div>
      <h2>Workloads</h2>
      <div className="workload-counts">
        {workloadKinds.map((w) => (
          <WorkloadCount key={w.resource} {...w} />
        ))}
      </div>
      <h2>Recent warnings</h2>
      {warnings.length === 0 ? (
        <p className="muted">No warning events.</p>
      ) : (
        <ul className="warning-events">
          {warnings.map((row) => (
            <li key={row.key}>
              <strong>{cell(events, row, 'Reason')}</strong> {cell(events, row, 'Object')}:{' '}
              {cell(events, row, 'Message')}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
