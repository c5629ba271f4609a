import { useEffect, useState } from 'react';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { pageFromHash } from './pages/pages';
import { NotBuiltPage } from './pages/placeholder/NotBuiltPage';
import { SettingsPage } from './pages/settings/SettingsPage';

export function App() {
  const [page, setPage] = useState(() => pageFromHash(window.location.hash));
  useEffect(() => {
    const onHash = () => setPage(pageFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return (
    <div className="app">
      <Sidebar current={page} />
      <main className="content">
        {page.id === 'settings' ? <SettingsPage /> : <NotBuiltPage page={page} />}
      </main>
      <StatusBar />
    </div>
  );
}
