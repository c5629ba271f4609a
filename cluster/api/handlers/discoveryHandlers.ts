// Discovery: legacy (/api, /apis, /api/v1, /apis/<g>/<v>) and aggregated v2/v2beta1, built from the
// resource catalogue so every client sees the same resources on every start.

import type { ServerResponse } from 'node:http';
import { apiVersionOf, type ResourceCatalog, type ResourceInfo } from '../../registry/resourceCatalog';
import { aggregatedDiscoveryVersion } from '../http/negotiation';
import { sendJson } from '../http/respond';

function resourceEntry(r: ResourceInfo) {
  const entry: Record<string, unknown> = {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
  };
  if (r.shortNames.length > 0) entry.shortNames = r.shortNames;
  if (r.categories.length > 0) entry.categories = r.categories;
  return entry;
}

function subresourceEntries(r: ResourceInfo) {
  return r.subresources.map((s) => {
    const entry: Record<string, unknown> = {
      name: `${r.plural}/${s.name}`,
      singularName: '',
      namespaced: r.namespaced,
      kind: s.kind,
      verbs: s.verbs,
    };
    if (s.group !== r.group || s.version !== r.version) {
      entry.group = s.group;
      entry.version = s.version;
    }
    return entry;
  });
}

export function apiResourceList(catalog: ResourceCatalog, group: string, version: string) {
  const gv = catalog.groupVersions().find((g) => g.group === group && g.version === version);
  if (!gv) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: gv.resources.flatMap((r) => [resourceEntry(r), ...subresourceEntries(r)]),
  };
}

function apiGroupList(catalog: ResourceCatalog) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: catalog.groups().map((g) => apiGroup(g.name, g.versions)),
  };
}

function apiGroup(name: string, versions: string[]) {
  const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

export function apiGroupOf(catalog: ResourceCatalog, group: string) {
  const g = catalog.groups().find((x) => x.name === group);
  return g && { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g.name, g.versions) };
}

function aggregatedResource(r: ResourceInfo) {
  const entry: Record<string, unknown> = {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length > 0) entry.shortNames = r.shortNames;
  if (r.categories.length > 0) entry.categories = r.categories;
  if (r.subresources.length > 0) {
    entry.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group, version: s.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return entry;
}

function aggregatedDiscovery(catalog: ResourceCatalog, legacy: boolean, version: 'v2' | 'v2beta1') {
  const groups = legacy ? [{ name: '', versions: ['v1'] }] : catalog.groups();
  const items = groups.map((g) => ({
    metadata: { name: g.name, creationTimestamp: null },
    versions: g.versions.map((v) => ({
      version: v,
      resources: (
        catalog.groupVersions().find((x) => x.group === g.name && x.version === v)?.resources ?? []
      ).map(aggregatedResource),
      freshness: 'Current',
    })),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

/** /api and /apis: aggregated when the Accept header asks for it, legacy otherwise. */
export function sendRootDiscovery(
  res: ServerResponse,
  accept: string | undefined,
  catalog: ResourceCatalog,
  legacy: boolean,
  serverAddress: string,
): void {
  const version = aggregatedDiscoveryVersion(accept);
  res.setHeader('Vary', 'Accept');
  if (version) {
    const contentType = `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
    sendJson(res, 200, aggregatedDiscovery(catalog, legacy, version), contentType);
    return;
  }
  if (legacy) {
    sendJson(res, 200, {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    });
    return;
  }
  sendJson(res, 200, apiGroupList(catalog));
}

export const versionInfo = {
  major: '1',
  minor: '35',
  emulationMajor: '1',
  emulationMinor: '35',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '34',
  gitVersion: 'v1.35.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.25.5',
  compiler: 'gc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};
