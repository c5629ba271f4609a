import type { RawService } from './canonicalService';

// Compose's merge rules for a service defined again in a later file (or by `extends`): mappings
// merge key by key, `command`, `entrypoint` and `healthcheck.test` are replaced, mounts are
// matched by target, other sequences are appended without duplicates.
// https://docs.docker.com/reference/compose-file/merge/

const REPLACED = new Set(['command', 'entrypoint', 'test']);
const BY_KEY: Record<string, (item: Record<string, unknown>) => unknown> = {
  volumes: (v) => v.target,
  secrets: (v) => v.target ?? v.source,
  configs: (v) => v.target ?? v.source,
};

export function mergeServices(base: RawService, override: RawService): RawService {
  return mergeValue(base, override, '') as RawService;
}

function mergeValue(base: unknown, override: unknown, key: string): unknown {
  if (override === undefined) return base;
  if (REPLACED.has(key) || base === undefined || base === null) return override;
  if (Array.isArray(base) && Array.isArray(override)) {
    const identity = BY_KEY[key];
    if (identity) {
      const merged = new Map<unknown, unknown>(base.map((item) => [identity(item), item]));
      for (const item of override) merged.set(identity(item), item);
      return [...merged.values()];
    }
    const seen = new Set(base.map((item) => JSON.stringify(item)));
    return [...base, ...override.filter((item) => !seen.has(JSON.stringify(item)))];
  }
  if (isObject(base) && isObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = mergeValue(base[k], v, k);
    return out;
  }
  return override;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
