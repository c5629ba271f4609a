import { LineCounter, parseAllDocuments } from 'yaml';
import type { ApiServerClient } from './apiServerClient';
import type { ViewResource } from './clusterViewContract';
import type { AppliedObject, ApplyArgs, ApplyFailure, ApplyResult } from './objectDetailsContract';
import { statusFailure } from './statusCauses';
import { viewResources } from './viewResources';

// Applies YAML documents the way `kubectl apply --server-side` does: a PATCH with
// `application/apply-patch+yaml`, field manager `kubedesk`, strict field validation, force only
// when asked. Every document is first sent as a dry run, so one invalid document means nothing
// is written.

export const dashboardFieldManager = 'kubedesk';

export interface ServedResource {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

export interface ApplyManifestsOptions {
  client: ApiServerClient;
  /** Where `apiVersion` + `kind` is served; undefined when the API server does not serve it. */
  resolve(apiVersion: string, kind: string): ServedResource | undefined;
}

interface Manifest {
  document: number;
  object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
  served: ServedResource;
  namespace?: string;
}

const invalidManifest = (document: number, field: string, message: string): ApplyFailure => ({
  document,
  code: 0,
  reason: 'Invalid',
  message: `${field}: ${message}`,
  causes: [{ field, reason: 'FieldValueRequired', message }],
  conflict: false,
});

function readManifests(
  args: ApplyArgs,
  failures: ApplyFailure[],
  options: ApplyManifestsOptions,
): Manifest[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(args.yaml, { lineCounter });
  const manifests: Manifest[] = [];
  for (const [document, doc] of documents.entries()) {
    const syntax = doc.errors[0];
    if (syntax) {
      failures.push({
        document,
        code: 0,
        reason: 'InvalidYAML',
        message: syntax.message,
        causes: [],
        line: lineCounter.linePos(syntax.pos[0]).line,
        conflict: false,
      });
      continue;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue; // an empty document, e.g. after a final `---`
    if (typeof value !== 'object' || Array.isArray(value)) {
      failures.push(
        invalidManifest(document, 'kind', 'Required value: a document must be a Kubernetes object'),
      );
      continue;
    }
    const object = value as Record<string, unknown> & { metadata?: { name?: unknown; namespace?: unknown } };
    const { apiVersion, kind } = object;
    if (typeof apiVersion !== 'string' || !apiVersion) {
      failures.push(invalidManifest(document, 'apiVersion', 'Required value'));
      continue;
    }
    if (typeof kind !== 'string' || !kind) {
      failures.push(invalidManifest(document, 'kind', 'Required value'));
      continue;
    }
    const name = object.metadata?.name;
    if (typeof name !== 'string' || !name) {
      failures.push({ ...invalidManifest(document, 'metadata.name', 'Required value'), kind });
      continue;
    }
    const served = options.resolve(apiVersion, kind);
    if (!served) {
      failures.push({
        document,
        kind,
        name,
        code: 0,
        reason: 'NotFound',
        message: `no matches for kind "${kind}" in version "${apiVersion}"`,
        causes: [{ field: 'kind', reason: 'FieldValueNotSupported', message: 'not served by this cluster' }],
        conflict: false,
      });
      continue;
    }
    const own = object.metadata?.namespace;
    const namespace = served.namespaced
      ? typeof own === 'string' && own
        ? own
        : (args.namespace ?? 'default')
      : undefined;
    manifests.push({
      document,
      object: object as Manifest['object'],
      served,
      ...(namespace ? { namespace } : {}),
    });
  }
  return manifests;
}

function pathOf(m: Manifest): string {
  const { group, version, plural } = m.served;
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const scope = m.namespace ? `/namespaces/${encodeURIComponent(m.namespace)}` : '';
  return `${base}${scope}/${plural}/${encodeURIComponent(m.object.metadata.name)}`;
}

function viewResourceOf(served: ServedResource): ViewResource | undefined {
  const entry = Object.entries(viewResources).find(
    ([, info]) => info.group === served.group && info.plural === served.plural,
  );
  return entry?.[0] as ViewResource | undefined;
}

interface Outcome {
  status: number;
  failure?: ApplyFailure;
  /** The dry run failed only because a namespace an earlier document creates does not exist yet. */
  waitsForNamespace?: boolean;
}

async function applyOne(
  m: Manifest,
  args: ApplyArgs,
  options: ApplyManifestsOptions,
  dryRun: boolean,
): Promise<Outcome> {
  const query = new URLSearchParams({ fieldManager: dashboardFieldManager, fieldValidation: 'Strict' });
  if (args.force) query.set('force', 'true');
  if (dryRun) query.set('dryRun', 'All');
  const body = {
    ...m.object,
    metadata: { ...m.object.metadata, ...(m.namespace ? { namespace: m.namespace } : {}) },
  };
  const reply = await options.client.request('PATCH', `${pathOf(m)}?${query}`, {
    body,
    contentType: 'application/apply-patch+yaml',
  });
  if (reply.status === 200 || reply.status === 201) return { status: reply.status };
  const failure = statusFailure(reply.status, reply.body, reply.text);
  const details = (reply.body as { details?: { kind?: string; name?: string } } | undefined)?.details;
  return {
    status: reply.status,
    failure: {
      document: m.document,
      kind: m.object.kind,
      name: m.object.metadata.name,
      ...failure,
      conflict: reply.status === 409 && failure.causes.some((c) => c.reason === 'FieldManagerConflict'),
    },
    waitsForNamespace: reply.status === 404 && details?.kind === 'namespaces',
  };
}

const createsNamespace = (m: Manifest) => m.served.group === '' && m.served.plural === 'namespaces';

export async function applyManifests(args: ApplyArgs, options: ApplyManifestsOptions): Promise<ApplyResult> {
  const failures: ApplyFailure[] = [];
  const manifests = readManifests(args, failures, options);
  if (failures.length > 0) return { ok: false, failures, applied: [] };
  if (manifests.length === 0) {
    const empty = { document: 0, code: 0, reason: 'Invalid', message: 'no objects to apply', causes: [] };
    return { ok: false, failures: [{ ...empty, conflict: false }], applied: [] };
  }

  const newNamespaces = new Set<string>();
  for (const m of manifests) {
    const { failure, waitsForNamespace } = await applyOne(m, args, options, true);
    const pending = waitsForNamespace && m.namespace !== undefined && newNamespaces.has(m.namespace);
    if (failure && !pending) failures.push(failure);
    if (createsNamespace(m)) newNamespaces.add(m.object.metadata.name);
  }
  if (failures.length > 0) return { ok: false, failures, applied: [] };

  const applied: AppliedObject[] = [];
  for (const m of manifests) {
    const { status, failure } = await applyOne(m, args, options, false);
    // Changed between the dry run and now: report what was written and what was not.
    if (failure) return { ok: false, failures: [failure], applied };
    const resource = viewResourceOf(m.served);
    applied.push({
      document: m.document,
      kind: m.object.kind,
      name: m.object.metadata.name,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      ...(resource ? { resource } : {}),
      outcome: status === 201 ? 'created' : 'configured',
    });
  }
  return { ok: true, applied };
}
