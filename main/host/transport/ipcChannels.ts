// Electron IPC channel names for the AppApi bridge: three generic channels, no per-method ones.
export const ipcChannels = {
  call: 'kubedesk:call',
  subscribe: 'kubedesk:subscribe',
  unsubscribe: 'kubedesk:unsubscribe',
  event: 'kubedesk:event',
} as const;

/** `invoke` replies are envelopes, because Electron flattens thrown errors into one string. */
export type IpcReply = { ok: true; value: unknown } | { ok: false; error: import('../appApi').WireError };
