import type { ComposePort } from './types';

// Expands `ports:` entries to the long syntax, one entry per port as compose-go does, so ranges
// such as `9090-9091:8080-8081` become two mappings.
// https://docs.docker.com/reference/compose-file/services/#ports

export function parsePortEntry(entry: unknown): ComposePort[] {
  if (typeof entry === 'number') return [{ target: entry, protocol: 'tcp' }];
  if (typeof entry === 'string') return parseShortPort(entry);
  const long = entry as Record<string, unknown>;
  const port: ComposePort = {
    target: Number(long.target),
    protocol: String(long.protocol ?? 'tcp').toLowerCase(),
  };
  if (long.published !== undefined && long.published !== null && long.published !== '') {
    port.published = String(long.published);
  }
  if (typeof long.host_ip === 'string') port.host_ip = long.host_ip;
  if (typeof long.mode === 'string') port.mode = long.mode;
  return [port];
}

function parseShortPort(spec: string): ComposePort[] {
  const [address, protocol = 'tcp'] = spec.split('/') as [string, string?];
  let hostIp: string | undefined;
  let rest = address;
  const ipv6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (ipv6) {
    hostIp = ipv6[1];
    rest = ipv6[2] as string;
  }
  const parts = rest.split(':');
  if (!hostIp && parts.length === 3) hostIp = parts.shift();
  if (parts.length > 2) throw new Error(`invalid port ${JSON.stringify(spec)}`);
  const containerPart = parts.pop() as string;
  const hostPart = parts.pop();
  const targets = portRange(containerPart, spec);
  const published = hostPart ? portRange(hostPart, spec) : undefined;
  return targets.map((target, i) => {
    const port: ComposePort = { target, protocol: protocol.toLowerCase() };
    if (published) {
      // A host range with a single container port stays a range; Docker picks one port from it.
      port.published = published.length === targets.length ? String(published[i]) : (hostPart as string);
    }
    if (hostIp) port.host_ip = hostIp;
    return port;
  });
}

function portRange(text: string, spec: string): number[] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) throw new Error(`invalid port ${JSON.stringify(spec)}`);
  const start = Number(match[1]);
  const end = match[2] ? Number(match[2]) : start;
  if (end < start) throw new Error(`invalid port range ${JSON.stringify(spec)}`);
  return Array.from({ length: end - start + 1 }, (_, i) => start + i);
}
