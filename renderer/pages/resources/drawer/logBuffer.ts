// The log lines a viewer keeps: the newest `limit`, with a count of those let go, so following a
// chatty container for hours costs the same memory as for a minute.

export const retainedLogLines = 5000;

export interface LogBuffer {
  lines: string[];
  /** Lines no longer kept (dropped here or skipped by the host). */
  dropped: number;
}

export const emptyLogBuffer: LogBuffer = { lines: [], dropped: 0 };

export function appendLogLines(
  buffer: LogBuffer,
  lines: string[],
  skipped = 0,
  limit = retainedLogLines,
): LogBuffer {
  const all = buffer.lines.concat(lines);
  const over = Math.max(0, all.length - limit);
  return { lines: over > 0 ? all.slice(over) : all, dropped: buffer.dropped + skipped + over };
}

/** The parts of `line` with each case-insensitive match of `search` marked. */
export function splitMatches(line: string, search: string): { text: string; match: boolean }[] {
  if (!search) return [{ text: line, match: false }];
  const parts: { text: string; match: boolean }[] = [];
  const haystack = line.toLowerCase();
  const needle = search.toLowerCase();
  let at = 0;
  for (let found = haystack.indexOf(needle); found >= 0; found = haystack.indexOf(needle, at)) {
    if (found > at) parts.push({ text: line.slice(at, found), match: false });
    parts.push({ text: line.slice(found, found + needle.length), match: true });
    at = found + needle.length;
  }
  if (at < line.length) parts.push({ text: line.slice(at), match: false });
  return parts;
}
