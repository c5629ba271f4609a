import { type PageInfo, pages } from '../pages/pages';

export function Sidebar({ current }: { current: PageInfo }) {
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">Kubedesk</div>
      <ul>
        {pages.map((page) => (
          <li key={page.id}>
            <a href={`#/${page.id}`} aria-current={page.id === current.id ? 'page' : undefined}>
              {page.title}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
