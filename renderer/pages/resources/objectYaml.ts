import { stringify } from 'yaml';

// An object as YAML for the details drawer, without the noise kubectl also hides by default
// (managedFields), and with Secret values masked until the person asks to see them.

export function objectYaml(obj: Record<string, unknown>, revealSecrets: boolean): string {
  const { apiVersion, kind, metadata, ...rest } = obj as { metadata?: Record<string, unknown> } & Record<
    string,
    unknown
  >;
  const { managedFields: _managed, ...meta } = metadata ?? {};
  // kubectl's order: apiVersion, kind, metadata, then spec, status and the rest.
  const shown: Record<string, unknown> = { apiVersion, kind, metadata: meta, ...rest };
  if (obj.kind === 'Secret' && !revealSecrets) {
    for (const field of ['data', 'stringData']) {
      const values = shown[field] as Record<string, unknown> | undefined;
      if (values) shown[field] = Object.fromEntries(Object.keys(values).map((k) => [k, '••••••']));
    }
  }
  return stringify(shown, { lineWidth: 0 });
}
