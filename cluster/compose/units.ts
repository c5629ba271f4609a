// Size and duration strings as Docker writes them.

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

/** `10000Mb`, `1.5g`, `512` → bytes (Docker's units are binary: 1k = 1024). */
export function parseBytes(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?\s*$/i.exec(value);
  if (!match) throw new Error(`invalid size ${JSON.stringify(value)}`);
  return Math.trunc(Number(match[1]) * (BYTE_UNITS[(match[2] ?? '').toLowerCase()] ?? 1));
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
};

/** Go-style durations (`1m30s`, `10s`, `500ms`) → whole seconds, truncated like `int32(d.Seconds())`. */
export function durationSeconds(value: string | number): number {
  if (typeof value === 'number') return Math.trunc(value);
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  let total = 0;
  let rest = text;
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/.exec(rest);
    if (!match) throw new Error(`invalid duration ${JSON.stringify(value)}`);
    total += Number(match[1]) * (DURATION_UNITS[match[2] as string] ?? 0);
    rest = rest.slice(match[0].length);
  }
  return Math.trunc(total + 1e-9);
}
