// JSON nulls in map fields mean "absent" to Kubernetes' typed decoding, so they are never stored
// (`env: null` in a manifest leaves no `env` key), and null list elements are dropped. Empty
// metadata collections are dropped too, as ObjectMeta's omitempty fields are.

function pruneNulls<T>(value: T): T {
  if (Array.isArray(value)) {
    // Go would decode a null element to an empty value; dropping it lets validation name what
    // is missing instead of a default reaching into null.
    for (let i = value.length - 1; i >= 0; i--) if (value[i] === null) value.splice(i, 1);
    for (const item of value) pruneNulls(item);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      if (child === null) delete record[key];
      else pruneNulls(child);
    }
  }
  return value;
}

const omitEmptyMetadata = [
  'labels',
  'annotations',
  'finalizers',
  'ownerReferences',
  'managedFields',
] as const;

export function pruneObject<T extends { metadata?: object }>(obj: T): T {
  pruneNulls(obj);
  const meta = obj.metadata as Record<string, unknown> | undefined;
  for (const key of omitEmptyMetadata) {
    const value = meta?.[key];
    if (meta && value && typeof value === 'object' && Object.keys(value).length === 0) delete meta[key];
  }
  return obj;
}
