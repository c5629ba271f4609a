import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, nativeImage, shell, Tray } from 'electron';
import Store from 'electron-store';
import { appVersion } from '../cluster/appRoot';
import { dataPaths } from '../cluster/dataDir';
import { createLogger, fileSink } from '../cluster/log';
import { createClusterManager } from './host/clusterManager';
import type { ClusterStatus } from './host/contract';
import { createDispatcher } from './host/dispatcher';
import { createHostHandlers } from './host/host';
import { createKubernetesToggle, followKubernetesSetting } from './host/kubernetesToggle';
import { createOperations } from './host/operations/operationsRegistry';
import { defaultSettings, type Settings } from './host/settings';
import { settingsJsonSchema, settingsStoreFrom } from './host/settingsStore';
import { createHostTerminals } from './host/terminal/hostTerminals';
import { serveIpc } from './ipc';

// The Electron entry: one window, a tray showing the cluster state, one instance per user.
// Everything else is the same host code the headless entry runs.

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererIndex = join(here, '../renderer/index.html');
const dataDirFlag = process.argv.find((arg) => arg.startsWith('--data-dir='));
if (dataDirFlag) app.setPath('userData', dataDirFlag.slice('--data-dir='.length));

let window: BrowserWindow | undefined;
let tray: Tray | undefined;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    title: 'Kubedesk',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // Links that ask for a new window (port-forward URLs, web links in the terminal) open in the
  // user's browser; only web addresses, so a page cannot make the app launch other handlers.
  // https://www.electronjs.org/docs/latest/tutorial/security#14-disable-or-limit-creation-of-new-windows
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isWebUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  // The window only ever shows the renderer: navigating it elsewhere is refused.
  // https://www.electronjs.org/docs/latest/tutorial/security#13-disable-or-limit-navigation
  win.webContents.on('will-navigate', (event, url) => {
    if (!isRendererUrl(url)) event.preventDefault();
  });
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(rendererIndex);
  return win;
}

function isWebUrl(url: string): boolean {
  return URL.canParse(url) && ['http:', 'https:'].includes(new URL(url).protocol);
}

/** The renderer's own pages: the dev server's origin, or the built files. */
function isRendererUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const target = new URL(url);
  const devServer = process.env.ELECTRON_RENDERER_URL;
  if (devServer) return target.origin === new URL(devServer).origin;
  return target.protocol === 'file:' && target.pathname === pathToFileURL(rendererIndex).pathname;
}

function showWindow(): void {
  if (!window || window.isDestroyed()) window = createWindow();
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

function updateTray(status: ClusterStatus): void {
  if (!tray) return;
  tray.setToolTip(`Kubedesk: Kubernetes ${status.state}`);
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: `Kubernetes is ${status.state}`, enabled: false },
      { type: 'separator' },
      { label: 'Open Kubedesk', click: showWindow },
      { label: 'Quit', role: 'quit' },
    ]),
  );
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.on('window-all-closed', () => {
    // The tray keeps the app (and its cluster) alive, as Docker Desktop does.
  });
  app.on('activate', showWindow);

  void app.whenReady().then(() => {
    const dataDir = app.getPath('userData');
    const log = createLogger({ sinks: [fileSink(dataPaths(dataDir).hostLog)] });
    const settings = settingsStoreFrom(
      new Store<Settings>({
        cwd: dataDir,
        name: 'settings',
        schema: settingsJsonSchema(),
        defaults: defaultSettings,
      }),
    );
    // The same composition as the headless host (runHost): one ClusterManager for this data directory.
    const operations = createOperations();
    const cluster = createClusterManager({ dataDir, log, settings, operations });
    const terminals = createHostTerminals({ dataDir, log });
    const toggle = createKubernetesToggle({ cluster, startOptions: cluster.defaultStartOptions, log });
    // Shells in pods and nodes outlive their connections, and nodes would keep calling an API server
    // that is gone: end every session and stop the cluster (nodes kept) before quitting.
    let quitting = false;
    app.on('will-quit', (event) => {
      if (quitting) return;
      quitting = true;
      event.preventDefault();
      void toggle
        .close()
        .then(() => terminals.closeAll())
        .catch((err: Error) => log.error('closing terminals failed', { error: err.message }))
        .then(() => cluster.stop())
        .catch((err: Error) => log.error('stopping the cluster failed', { error: err.message }))
        .then(() => app.quit());
    });
    const handlers = createHostHandlers(
      { dataDir, mode: 'desktop', version: appVersion, settings, log, terminals, operations },
      cluster,
    );
    serveIpc(ipcMain, createDispatcher(handlers), log);

    const icon = nativeImage.createFromPath(join(here, '../../resources/icons/tray.png'));
    tray = new Tray(icon);
    tray.on('click', showWindow);
    updateTray(cluster.current());
    cluster.onChange(updateTray);

    window = createWindow();
    // "Enable Kubernetes" starts and stops the cluster while the app runs. A failed start is the
    // cluster's error state, shown in the window and the tray; the app stays up.
    void toggle.set(settings.get().kubernetesEnabled);
    followKubernetesSetting(settings, toggle);
  });
}
