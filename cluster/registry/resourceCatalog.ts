// The catalogue of served resources: what discovery advertises and how requests find their
// resource. The entries themselves live in builtinResources.ts.

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export const allVerbs: Verb[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

export interface SubresourceInfo {
  name: string;
  /** The kind this subresource reads and writes (Scale for `scale`, the parent kind for `status`). */
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: Verb[];
  subresources: SubresourceInfo[];
}

export function apiVersionOf(info: { group: string; version: string }): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

export class ResourceCatalog {
  private readonly byPath = new Map<string, ResourceInfo>();
  private readonly byKind = new Map<string, ResourceInfo>();

  constructor(readonly resources: ResourceInfo[]) {
    for (const r of resources) {
      this.byPath.set(`${r.group}/${r.version}/${r.plural}`, r);
      this.byKind.set(`${apiVersionOf(r)}/${r.kind}`, r);
    }
  }

  /** The resource served at `/apis/<group>/<version>/<plural>` (core: group ''). */
  lookup(group: string, version: string, plural: string): ResourceInfo | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** The resource for an object's `apiVersion` + `kind`. */
  forKind(apiVersion: string, kind: string): ResourceInfo | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  /** Group versions in discovery order, each with its resources. */
  groupVersions(): { group: string; version: string; resources: ResourceInfo[] }[] {
    const out: { group: string; version: string; resources: ResourceInfo[] }[] = [];
    for (const r of this.resources) {
      let gv = out.find((g) => g.group === r.group && g.version === r.version);
      if (!gv) {
        gv = { group: r.group, version: r.version, resources: [] };
        out.push(gv);
      }
      gv.resources.push(r);
    }
    return out;
  }

  /** Groups (core excluded) with their versions, preferred first. */
  groups(): { name: string; versions: string[] }[] {
    const out: { name: string; versions: string[] }[] = [];
    for (const { group, version } of this.groupVersions()) {
      if (!group) continue;
      const existing = out.find((g) => g.name === group);
      if (existing) existing.versions.push(version);
      else out.push({ name: group, versions: [version] });
    }
    return out;
  }
}
