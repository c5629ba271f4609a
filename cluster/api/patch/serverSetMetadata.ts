// The metadata fields the API server sets and a client never writes: server-side apply leaves them
// unowned, and the dashboard leaves them out of the YAML a person edits (applying them back would
// be ignored or claim values the server owns). Plain data, so the renderer may import it.

export const serverSetMetadata = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
  'managedFields',
] as const;
