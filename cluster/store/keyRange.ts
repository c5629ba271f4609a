// Key and prefix rules shared by every backend: keys live under '/', and a prefix covers the
// half-open range [prefix, prefixEnd(prefix)), as etcd's range_end does.

/** Throws TypeError unless `keyOrPrefix` starts with '/' (the etcd backend keeps its bookkeeping
 * keys outside that space). */
export function checkKeyPath(keyOrPrefix: string): void {
  if (!keyOrPrefix.startsWith('/')) {
    throw new TypeError(`store keys and prefixes must start with '/', got ${JSON.stringify(keyOrPrefix)}`);
  }
}

/** The smallest string greater than every string starting with `prefix` (prefix must be non-empty). */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** The smallest string greater than `key`, to read a range strictly after it. */
export function keyAfter(key: string): string {
  return `${key}\0`;
}
