import { describe, expect, it } from 'vitest';
import { customResourceSchema, schemaForDefinition, schemaForKind } from './schemas';

describe('schemaForKind', () => {
  it('resolves a Deployment down to container merge keys and list types', () => {
    const deployment = schemaForKind({ group: 'apps', version: 'v1', kind: 'Deployment' });
    const podSpec = deployment?.properties.spec?.properties.template?.properties.spec;
    const containers = podSpec?.properties.containers;
    expect(containers?.type).toBe('array');
    expect(containers?.patchMergeKey).toBe('name');
    expect(containers?.patchStrategies).toEqual(['merge']);
    expect(containers?.listType).toBe('map');
    expect(containers?.listMapKeys).toEqual(['name']);
    const container = containers?.items;
    expect(container?.definition).toBe('io.k8s.api.core.v1.Container');
    expect(container?.required).toEqual(['name']);
    expect(container?.properties.ports?.patchMergeKey).toBe('containerPort');
    expect(container?.properties.ports?.listMapKeys).toEqual(['containerPort', 'protocol']);
    expect(podSpec?.properties.volumes?.patchStrategies).toEqual(['merge', 'retainKeys']);
    expect(podSpec?.properties.tolerations?.listType).toBe('atomic');
    expect(podSpec?.field('containers')).toBe(containers);
    expect(deployment?.properties.metadata?.field('labels')?.field('app')?.type).toBe('string');
  });

  it('knows int-or-string, quantities, maps, atomic structs and free-form RawExtension', () => {
    const rollingUpdate = schemaForDefinition('io.k8s.api.apps.v1.RollingUpdateDeployment');
    expect(rollingUpdate?.properties.maxSurge?.intOrString).toBe(true);
    expect(rollingUpdate?.properties.maxSurge?.types).toEqual(['integer', 'string']);
    const limits = schemaForDefinition('io.k8s.api.core.v1.ResourceRequirements')?.properties.limits;
    expect(limits?.type).toBe('object');
    expect(limits?.additionalProperties?.types).toEqual(['string', 'number']);
    expect(schemaForDefinition('io.k8s.api.core.v1.ObjectReference')?.mapType).toBe('atomic');
    const data = schemaForKind({ group: 'apps', version: 'v1', kind: 'ControllerRevision' })?.properties.data;
    expect(data?.freeForm).toBe(true);
    expect(schemaForKind({ group: '', version: 'v1', kind: 'ConfigMap' })?.properties.data?.freeForm).toBe(
      false,
    );
  });

  it('handles recursive schemas and meta kinds', () => {
    const props = schemaForDefinition(
      'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
    );
    expect(props?.properties.properties?.additionalProperties?.definition).toBe(props?.definition);
    expect(
      schemaForKind({ group: '', version: 'v1', kind: 'DeleteOptions' })?.properties.propagationPolicy?.type,
    ).toBe('string');
    expect(schemaForKind({ group: 'example.com', version: 'v1', kind: 'Widget' })).toBeUndefined();
  });

  it('builds custom resource schemas with ObjectMeta metadata', () => {
    const widget = customResourceSchema({
      type: 'object',
      properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
    });
    expect(widget.properties.spec?.properties.size?.type).toBe('integer');
    expect(widget.properties.metadata?.properties.labels?.type).toBe('object');
    expect(widget.properties.kind?.type).toBe('string');
  });
});
