import { parsePortEntry } from './parsePorts';
import { parseVolumeEntry } from './parseVolumes';

// Rewrites one service mapping from a file into a single canonical shape (short syntax expanded,
// list-or-dict keys as dicts) so files and `extends` can be merged key by key.

export type RawService = Record<string, unknown>;

export function listOrDict(value: unknown, separator = '='): Record<string, string | null> {
  if (!value) return {};
  if (Array.isArray(value)) {
    const out: Record<string, string | null> = {};
    for (const item of value) {
      const text = String(item);
      const at = text.indexOf(separator);
      if (at < 0) out[text] = null;
      else out[text.slice(0, at)] = text.slice(at + 1);
    }
    return out;
  }
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      v === null || v === undefined ? null : String(v),
    ]),
  );
}

/** A value that passed the schema but cannot be understood, e.g. the port `1:2:3:4`. */
export class ServiceKeyError extends Error {
  constructor(
    readonly key: (string | number)[],
    message: string,
  ) {
    super(message);
    this.name = 'ServiceKeyError';
  }
}

function each<T>(key: string, items: unknown[], parse: (item: unknown) => T): T[] {
  return items.map((item, index) => {
    try {
      return parse(item);
    } catch (err) {
      throw new ServiceKeyError([key, index], (err as Error).message);
    }
  });
}

// `host:ip`, `host=ip` or a mapping; the IP may be IPv6 (`host:::1`), so split at the first separator.
function extraHosts(value: unknown): Record<string, string | null> {
  if (!Array.isArray(value)) return listOrDict(value);
  return listOrDict(
    value.map((entry) => String(entry)),
    value.some((entry) => String(entry).includes('=')) ? '=' : ':',
  );
}

export function canonicalService(raw: RawService, workingDir: string): RawService {
  const out: RawService = { ...raw };
  for (const key of ['environment', 'labels', 'annotations', 'sysctls']) {
    if (key in raw) out[key] = listOrDict(raw[key]);
  }
  if ('extra_hosts' in raw) out.extra_hosts = extraHosts(raw.extra_hosts);
  if ('ports' in raw) out.ports = each('ports', (raw.ports as unknown[]) ?? [], parsePortEntry).flat();
  if ('volumes' in raw)
    out.volumes = each('volumes', (raw.volumes as unknown[]) ?? [], (v) => parseVolumeEntry(v, workingDir));
  for (const key of ['configs', 'secrets']) {
    if (key in raw)
      out[key] = ((raw[key] as unknown[]) ?? []).map((v) => (typeof v === 'string' ? { source: v } : v));
  }
  if ('env_file' in raw) {
    const files = Array.isArray(raw.env_file) ? raw.env_file : [raw.env_file];
    out.env_file = files.map((f) =>
      typeof f === 'string' ? { path: f, required: true } : { required: true, ...f },
    );
  }
  if ('depends_on' in raw) {
    const deps = raw.depends_on;
    out.depends_on = Array.isArray(deps)
      ? Object.fromEntries(deps.map((d) => [String(d), { condition: 'service_started', required: true }]))
      : Object.fromEntries(
          Object.entries(deps as Record<string, Record<string, unknown>>).map(([k, v]) => [
            k,
            { condition: 'service_started', required: true, ...v },
          ]),
        );
  }
  if ('networks' in raw && Array.isArray(raw.networks)) {
    out.networks = Object.fromEntries((raw.networks as string[]).map((n) => [n, null]));
  }
  for (const key of ['expose', 'tmpfs', 'dns', 'dns_search', 'profiles']) {
    if (typeof raw[key] === 'string' || typeof raw[key] === 'number') out[key] = [String(raw[key])];
  }
  if (Array.isArray(raw.expose)) out.expose = raw.expose.map(String);
  if (typeof raw.build === 'string') out.build = { context: raw.build };
  return out;
}
