// Pure: the parts of `iptables-save` output the proxy needs: which chains exist in a table and the
// rules of a chain, in order, exactly as printed (so they can be fed back as `-D` rule specs).

export interface SavedTable {
  chains: Set<string>;
  /** chain → its rules, without the leading `-A <chain> `. */
  rules: Map<string, string[]>;
}

export type SavedTables = Map<string, SavedTable>;

export function parseIptablesSave(text: string): SavedTables {
  const tables: SavedTables = new Map();
  let current: SavedTable | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) {
      current = { chains: new Set(), rules: new Map() };
      tables.set(line.slice(1).trim(), current);
      continue;
    }
    if (!current) continue;
    if (line.startsWith(':')) {
      current.chains.add(line.slice(1).split(' ')[0] ?? '');
    } else if (line.startsWith('-A ')) {
      const rest = line.slice(3);
      const space = rest.indexOf(' ');
      const chain = space < 0 ? rest : rest.slice(0, space);
      const spec = space < 0 ? '' : rest.slice(space + 1);
      current.rules.set(chain, [...(current.rules.get(chain) ?? []), spec]);
    }
  }
  return tables;
}
