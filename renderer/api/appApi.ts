import { type AppApi, createAppApi } from '../../main/host/appApi';
import { wsPath } from '../../main/host/transport/wireMessages';
import { createWsTransport } from './wsTransport';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the page is served by the headless host. */
    kubedesk?: AppApi;
  }
}

function connect(): AppApi {
  if (window.kubedesk) return window.kubedesk;
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return createAppApi(createWsTransport(`${scheme}://${window.location.host}${wsPath}`));
}

export const api: AppApi = connect();
