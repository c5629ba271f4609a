import type { PageInfo } from '../pages';

/** A page whose feature has not been built yet says so, with no made-up data. */
export function NotBuiltPage({ page }: { page: PageInfo }) {
  return (
    <section className="page">
      <h1>{page.title}</h1>
      <p className="muted">{page.purpose}</p>
      <p className="notice" role="status">
        This page is not built yet.
      </p>
    </section>
  );
}
