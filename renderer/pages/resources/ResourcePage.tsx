import { useState } from 'react';
import type { TableRowView } from '../../../main/host/clusterView/clusterViewContract';
import { useResourceTable } from '../../data/useResourceTable';
import { DetailsDrawer } from './DetailsDrawer';
import { ResourceTable } from './ResourceTable';
import type { ResourceTab } from './resourcePages';
import './resources.css';

/** A dashboard page: tabs of resources, each a live table with namespace, search and details. */
export function ResourcePage({ title, tabs }: { title: string; tabs: ResourceTab[] }) {
  const [tabIndex, setTabIndex] = useState(0);
  const [namespace, setNamespace] = useState('');
  const [search, setSearch] = useState('');
  const [wide, setWide] = useState(false);
  const [selected, setSelected] = useState<TableRowView>();
  const tab = tabs[tabIndex] ?? (tabs[0] as ResourceTab);
  const scoped = tab.namespaced && namespace !== '';
  const table = useResourceTable({ resource: tab.resource, ...(scoped ? { namespace } : {}) });
  const namespaces = useResourceTable({ resource: 'namespaces' });
  const current = selected && table.rows.find((r) => r.key === selected.key);

  return (
    <section className="page resource-page">
      <div className="resource-toolbar">
        <h1>{title}</h1>
        {tab.namespaced && (
          <select aria-label="Namespace" value={namespace} onChange={(e) => setNamespace(e.target.value)}>
            <option value="">All namespaces</option>
            {namespaces.rows.map((ns) => (
              <option key={ns.name} value={ns.name}>
                {ns.name}
              </option>
            ))}
          </select>
        )}
        <input
          type="search"
          aria-label="Search"
          placeholder="Search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label className="wide-toggle">
          <input type="checkbox" checked={wide} onChange={(e) => setWide(e.target.checked)} /> Wide
        </label>
        <span className="muted" aria-live="polite">
          {table.rows.length} {tab.title.toLowerCase()}
        </span>
      </div>
      {tabs.length > 1 && (
        <div className="resource-tabs" role="tablist">
          {tabs.map((t, i) => (
            <button
              type="button"
              role="tab"
              key={t.resource}
              aria-selected={i === tabIndex}
              onClick={() => {
                setTabIndex(i);
                setSelected(undefined);
              }}
            >
              {t.title}
            </button>
          ))}
        </div>
      )}
      {!table.available && table.message && <p className="notice">{table.message}</p>}
      <div className="resource-body">
        <ResourceTable
          table={table}
          allNamespaces={tab.namespaced && !scoped}
          wide={wide}
          search={search}
          label={tab.title}
          onSelect={setSelected}
          {...(current ? { selected: current.key } : {})}
        />
        {current && (
          <DetailsDrawer resource={tab.resource} row={current} onClose={() => setSelected(undefined)} />
        )}
      </div>
    </section>
  );
}
