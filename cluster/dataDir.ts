import { homedir } from 'node:os';
import { join } from 'node:path';

// Where one installation keeps all of its state (settings, store, certificates, kubeconfig, logs).
// The default matches Electron's `app.getPath('userData')` for an app named kubedesk, so the desktop
// app and the command line share one installation unless `--data-dir` says otherwise.

export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'kubedesk');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'kubedesk');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'kubedesk');
}

/** The files and folders inside a data directory, named in one place. */
export function dataPaths(dataDir: string) {
  return {
    root: dataDir,
    settings: join(dataDir, 'settings.json'),
    /** The admin kubeconfig the control plane writes whenever it runs. */
    kubeconfig: join(dataDir, 'kubeconfig'),
    logs: join(dataDir, 'logs'),
    hostLog: join(dataDir, 'logs', 'host.log'),
  };
}
