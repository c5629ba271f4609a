import { useState } from 'react';
import type { TableRowView, ViewResource } from '../../../main/host/clusterView/clusterViewContract';
import { useResourceTable } from '../../data/useResourceTable';
import { CreateObjectPanel } from './CreateObjectPanel';
import { DetailsDrawer } from './DetailsDrawer';
import type { OpenRef } from './drawer/RelatedObjects';
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
  // Related objects opened from the drawer, newest last; "Back" returns to the one before.
  const [opened, setOpened] = useState<{ resource: ViewResource; row: TableRowView }[]>([]);
  const [creating, setCreating] = useState(false);
  const tab = tabs[tabIndex] ?? (tabs[0] as ResourceTab);
  const scoped = tab.namespaced && namespace !== '';
  const table = useResourceTable({ resource: tab.resource, ...(scoped ? { namespace } : {}) });
  const namespaces = useResourceTable({ resource: 'namespaces' });
  const current = selected && table.rows.find((r) => r.key === selected.key);
  const select = (row: TableRowView | undefined) => {
    setSelected(row);
    setOpened([]);
    setCreating(false);
  };
  const open = (ref: OpenRef) => {
    const key = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
    const row: TableRowView = {
      key,
      name: ref.name,
      cells: [],
      health: 'none',
      ...(ref.namespace ? { namespace: ref.namespace } : {}),
    };
    setCreating(false);
    setOpened((stack) => [...stack, { resource: ref.resource, row }]);
  };
  const top = opened.at(-1);
  // An opened object of this tab's kind follows its live row like a selected one.
  const topRow =
    top && (top.resource === tab.resource ? table.rows.find((r) => r.key === top.row.key) : undefined);

  return (
    <section className="page resource-page">
      <div className="resource-toolbar">
        <h1>{title}</h1>
        {tab.namespaced && (
          <select
            className="control"
            aria-label="Namespace"
            value={namespace}
            onChange={(e) => setNamespace(e.target.value)}
          >
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
          className="control"
          aria-label="Search"
          placeholder="Search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label className="wide-toggle">
          <input type="checkbox" checked={wide} onChange={(e) => setWide(e.target.checked)} /> Wide
        </label>
        <button type="button" onClick={() => setCreating(true)}>
          Create
        </button>
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
                select(undefined);
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
          onSelect={select}
          {...(current ? { selected: current.key } : {})}
        />
        {creating ? (
          <CreateObjectPanel
            resource={tab.resource}
            namespace={tab.namespaced ? namespace : ''}
            onClose={() => setCreating(false)}
            onOpen={open}
          />
        ) : top ? (
          <DetailsDrawer
            key={`${top.resource}/${top.row.key}`}
            resource={top.resource}
            row={topRow ?? top.row}
            onClose={() => select(undefined)}
            onOpen={open}
            onBack={() => setOpened((stack) => stack.slice(0, -1))}
          />
        ) : (
          current && (
            <DetailsDrawer
              key={`${tab.resource}/${current.key}`}
              resource={tab.resource}
              row={current}
              onClose={() => select(undefined)}
              onOpen={open}
            />
          )
        )}
      </div>
    </section>
  );
}
