import { type ComponentType, useEffect, useState } from 'react';
import { useKeyboardShortcuts } from './components/keyboardShortcuts';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { ComposePage } from './pages/compose/ComposePage';
import { DashboardPage } from './pages/dashboard/DashboardPage';
import { pageFromHash } from './pages/pages';
import { NotBuiltPage } from './pages/placeholder/NotBuiltPage';
import { ResourcePage } from './pages/resources/ResourcePage';
import { resourcePages } from './pages/resources/resourcePages';
import { SettingsPage } from './pages/settings/SettingsPage';
import { TerminalPage } from './pages/terminal/TerminalPage';

const builtPages: Record<string, ComponentType> = {
  compose: ComposePage,
  dashboard: DashboardPage,
  settings: SettingsPage,
  terminal: TerminalPage,
};

export function App() {
  const [page, setPage] = useState(() => pageFromHash(window.location.hash));
  useKeyboardShortcuts();
  useEffect(() => {
    const onHash = () => setPage(pageFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const Built = builtPages[page.id];
  const tabs = resourcePages[page.id];
  return (
    <div className="app">
      <Sidebar current={page} />
      <main className="content">
        {Built ? (
          <Built />
        ) : tabs ? (
          <ResourcePage key={page.id} title={page.title} tabs={tabs} />
        ) : (
          <NotBuiltPage page={page} />
        )}
      </main>
      <StatusBar />
    </div>
  );
}
