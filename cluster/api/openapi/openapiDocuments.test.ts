import { describe, expect, it } from 'vitest';
import { openapiV2Json, openapiV3Document, openapiV3DocumentHash, openapiV3Index } from './openapiDocuments';

interface Operation {
  parameters?: Array<{ name: string; in: string }>;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string };
  'x-kubernetes-action'?: string;
}

describe('openapiV3Index', () => {
  it('lists every served group-version with a hash that matches the document', () => {
    const { paths } = openapiV3Index();
    for (const path of [
      'api/v1',
      'apis/apps/v1',
      'apis/autoscaling/v2',
      'apis/apiextensions.k8s.io/v1',
      'version',
    ]) {
      expect(paths[path]?.serverRelativeURL).toBe(`/openapi/v3/${path}?hash=${openapiV3DocumentHash(path)}`);
    }
    expect(openapiV3DocumentHash('apis/apps/v1')).toMatch(/^[0-9A-F]{128}$/);
  });

  it('serves only the served groups', () => {
    const { paths } = openapiV3Index();
    expect(paths['apis/resource.k8s.io/v1']).toBeUndefined();
    expect(paths['apis/coordination.k8s.io/v1beta1']).toBeUndefined();
    expect(openapiV3Document('apis/flowcontrol.apiserver.k8s.io/v1')).toBeUndefined();
  });
});

describe('openapiV3Document', () => {
  it('advertises fieldValidation on every PATCH (proxy connects aside), so kubectl validates on the server', () => {
    for (const path of Object.keys(openapiV3Index().paths).filter((p) => /\/v\d/.test(p))) {
      const doc = JSON.parse(openapiV3Document(path)?.toString('utf8') ?? '{}') as {
        paths: Record<string, { patch?: Operation }>;
      };
      const patches = Object.values(doc.paths).flatMap((p) =>
        p.patch?.['x-kubernetes-action'] === 'patch' ? [p.patch] : [],
      );
      for (const op of patches)
        expect(op.parameters?.some((p) => p.name === 'fieldValidation' && p.in === 'query')).toBe(true);
      if (path === 'apis/apps/v1') {
        const kinds = patches.map((op) => op['x-kubernetes-group-version-kind']?.kind);
        expect(kinds).toContain('Deployment');
      }
    }
  });

  it('accepts leading and trailing slashes and returns the same bytes each time', () => {
    expect(openapiV3Document('/api/v1/')).toBe(openapiV3Document('api/v1'));
  });
});

describe('openapiV2Json', () => {
  it('keeps the served paths and the definitions they use', () => {
    const spec = JSON.parse(openapiV2Json().toString('utf8')) as {
      swagger: string;
      paths: Record<string, unknown>;
      definitions: Record<string, unknown>;
    };
    expect(spec.swagger).toBe('2.0');
    expect(spec.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']).toBeDefined();
    expect(spec.paths['/apis/coordination.k8s.io/v1beta1/leasecandidates']).toBeUndefined();
    expect(spec.definitions['io.k8s.api.apps.v1.Deployment']).toBeDefined();
    expect(spec.definitions['io.k8s.api.resource.v1.ResourceClaim']).toBeUndefined();
  });
});
