// The hash in a ControllerRevision's name, computed as Kubernetes' history package does: FNV-32
// (not 1a) over the revision's JSON data followed by the decimal collision count, printed in
// decimal and respelled with apimachinery's "safe" alphabet (no vowels, so no words).
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/history/controller_history.go
// The data is encoded as Go's encoding/json encodes a map: keys sorted, HTML characters escaped,
// so identical templates hash identically here and in kubectl's `rollout undo` comparison.

const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';
const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;

export function fnv32(bytes: Uint8Array, seed = fnvOffset): number {
  let hash = seed;
  for (const byte of bytes) {
    hash = Math.imul(hash, fnvPrime) >>> 0;
    hash = (hash ^ byte) >>> 0;
  }
  return hash;
}

/** apimachinery's `rand.SafeEncodeString`: each character mapped into the safe alphabet. */
export function safeEncodeString(text: string): string {
  let out = '';
  for (const ch of text) out += safeAlphabet[(ch.codePointAt(0) ?? 0) % safeAlphabet.length];
  return out;
}

function goString(value: string): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => {
    return `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
  });
}

/** JSON as Go's `json.Marshal` writes a `map[string]interface{}`: sorted keys, no spaces. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (value instanceof Date) return goString(value.toISOString());
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${goString(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** `HashControllerRevision(revision, &collisionCount)` for a revision holding `data`. */
export function hashRevisionData(data: unknown, collisionCount?: number): string {
  const encoder = new TextEncoder();
  let hash = fnv32(encoder.encode(canonicalJson(data)));
  if (collisionCount !== undefined) hash = fnv32(encoder.encode(String(collisionCount)), hash);
  return safeEncodeString(String(hash));
}

/** `ControllerRevisionName`: the owner's name (cut to 223 bytes) and the hash. */
export function controllerRevisionName(ownerName: string, hash: string): string {
  return `${ownerName.slice(0, 223)}-${hash}`;
}
