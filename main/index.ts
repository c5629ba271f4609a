import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, nativeImage, shell, Tray } from 'electron';
import Store from 'electron-store';
import { appVersion } from '../cluster/appRoot';
import { dataPaths } from '../cluster/dataDir';
import { createLogger, fileSink } from '../cluster/log';
import { createClusterManager } from './host/clusterManager';
import type { ClusterStatus } from './host/contract';
import { createDispatcher } from './host/dispatcher';
import { createHostHandlers } from './host/host';
import { createOperations } from './host/operations/operationsRegistry';
import { defaultSettings, type Settings } from './host/settings';
import { settingsJsonSchema, settingsStoreFrom } from './host/settingsStore';
import { createHostTerminals } from './host/terminal/hostTerminals';
import { serveIpc } from './ipc';

// The Electron entry: one window, a tray showing the cluster state, one instance per user.
// Everything else is the same host code the headless entry runs.

const here = fileURLToPath(new URL('.', import.meta.url));
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
  // Links open in the user's browser, never inside the app window.
  win.webContents.setWindowOpenHandler(({ url }) => {
    void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(join(here, '../renderer/index.html'));
  return win;
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
    // Shells in pods and nodes outlive their connections, and nodes would keep calling an API server
    // that is gone: end every session and stop the cluster (nodes kept) before quitting.
    let quitting = false;
    app.on('will-quit', (event) => {
      if (quitting) return;
      quitting = true;
      event.preventDefault();
      void terminals
        .closeAll()
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
    // A failed start is the cluster's error state, shown in the window and the tray; the app stays up.
    if (settings.get().kubernetesEnabled) void cluster.start(cluster.defaultStartOptions()).catch(() => {});
  });
}
