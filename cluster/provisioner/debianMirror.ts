import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

// The offline node image is bootstrapped from the Debian mirror this machine's apt already uses,
// so it works wherever apt works (including behind a mirror or proxy).

export const fallbackDebianMirror = 'http://deb.debian.org/debian';

interface AptSource {
  uri: string;
  suites: string[];
}

/** One-line format: `deb [options] uri suite components…`. */
function parseListFile(text: string): AptSource[] {
  return text.split('\n').flatMap((raw) => {
    const line = raw.replace(/#.*/, '').trim();
    const match = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
    return match?.[1] && match[2] ? [{ uri: match[1], suites: [match[2]] }] : [];
  });
}

/** deb822 format (`*.sources`): stanzas of `Field: value` separated by blank lines. */
function parseSourcesFile(text: string): AptSource[] {
  return text.split(/\n\s*\n/).flatMap((stanza) => {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      const match = /^([A-Za-z-]+):\s*(.*)$/.exec(line.trim());
      if (match?.[1] && match[2] !== undefined) fields.set(match[1].toLowerCase(), match[2]);
    }
    const types = (fields.get('types') ?? '').split(/\s+/);
    if (!types.includes('deb') || fields.get('enabled') === 'no') return [];
    const suites = (fields.get('suites') ?? '').split(/\s+/).filter(Boolean);
    return (fields.get('uris') ?? '').split(/\s+/).flatMap((uri) => (uri ? [{ uri, suites }] : []));
  });
}

/** The first source carrying the suite itself (not -security or -updates), else Debian's CDN. */
export function debianMirrorFrom(files: { path: string; text: string }[], suite = 'bookworm'): string {
  const sources = files.flatMap((file) =>
    file.path.endsWith('.sources') ? parseSourcesFile(file.text) : parseListFile(file.text),
  );
  const found = sources.find((source) => source.suites.includes(suite));
  return found ? found.uri.replace(/\/+$/, '') : fallbackDebianMirror;
}

export async function readDebianMirror(aptDir = '/etc/apt'): Promise<string> {
  const files: { path: string; text: string }[] = [];
  const read = async (path: string) => {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined) files.push({ path, text });
  };
  await read(join(aptDir, 'sources.list'));
  const partDir = join(aptDir, 'sources.list.d');
  const parts = await readdir(partDir).catch(() => [] as string[]);
  for (const name of parts.sort()) {
    if (name.endsWith('.list') || name.endsWith('.sources')) await read(join(partDir, name));
  }
  return debianMirrorFrom(files);
}
