import { stringify } from 'yaml';
import { serverSetMetadata } from '../../../cluster/api/patch/serverSetMetadata';

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

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

/** The object as an apply configuration to edit: no status or server-set metadata, and a
 * Secret's values left out unless revealed (so applying it leaves them as they are). */
export function editableYaml(obj: Record<string, unknown>, revealSecrets: boolean): string {
  const { status: _status, ...rest } = obj;
  const meta = { ...((obj.metadata ?? {}) as Record<string, unknown>) };
  for (const field of serverSetMetadata) delete meta[field];
  const annotations = meta.annotations as Record<string, string> | undefined;
  if (annotations && lastApplied in annotations) {
    const { [lastApplied]: _applied, ...others } = annotations;
    if (Object.keys(others).length > 0) meta.annotations = others;
    else delete meta.annotations;
  }
  const shown: Record<string, unknown> = { ...rest, metadata: meta };
  if (obj.kind === 'Secret' && !revealSecrets) {
    delete shown.data;
    delete shown.stringData;
  }
  return objectYaml(shown, true);
}
