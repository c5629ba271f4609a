import { describe, expect, it } from 'vitest';
import { customResourceSchema } from '../openapi/schemas';
import { pruneUnknownFields, validateAgainstSchema } from './schemaValidation';

const deploymentGvk = { group: 'apps', version: 'v1', kind: 'Deployment' };

function deployment(spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'web', image: 'nginx', resources: { limits: { cpu: '500m', memory: 1024 } } }],
        },
      },
      ...spec,
    },
  };
}

describe('validateAgainstSchema', () => {
  it('accepts a valid Deployment with int-or-string and quantity values', () => {
    expect(validateAgainstSchema(deploymentGvk, deployment(), 'Strict')).toEqual({
      errors: [],
      unknownFields: [],
    });
  });

  it('rejects a wrong type with the Go decoder message naming the field and expected type', () => {
    const { errors } = validateAgainstSchema(deploymentGvk, deployment({ replicas: 'abc' }), 'Strict');
    expect(errors).toEqual([
      {
        type: 'FieldValueTypeInvalid',
        field: 'spec.replicas',
        message:
          'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      },
    ]);
  });

  it('checks numbers, booleans, lists and int32 range', () => {
    const obj = deployment({ paused: 'yes', replicas: 2 ** 31 });
    (obj.spec.template.spec.containers[0] as Record<string, unknown>).args = 'not-a-list';
    const { errors } = validateAgainstSchema(deploymentGvk, obj, 'Strict');
    expect(errors.map((e) => [e.field, e.message])).toEqual([
      [
        'spec.replicas',
        'json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32',
      ],
      [
        'spec.template.spec.containers[0].args',
        'json: cannot unmarshal string into Go struct field Container.spec.template.spec.containers.args of type []string',
      ],
      [
        'spec.paused',
        'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool',
      ],
    ]);
  });

  it('lists unknown fields in Strict and Warn, with list indices, and not in Ignore', () => {
    const obj = deployment({ foo: 1 });
    (obj.spec.template.spec.containers[0] as Record<string, unknown>).bar = true;
    (obj.metadata as Record<string, unknown>).nme = 'x';
    const expected = ['metadata.nme', 'spec.template.spec.containers[0].bar', 'spec.foo'];
    expect(validateAgainstSchema(deploymentGvk, obj, 'Strict').unknownFields).toEqual(expected);
    expect(validateAgainstSchema(deploymentGvk, obj, 'Warn').unknownFields).toEqual(expected);
    expect(validateAgainstSchema(deploymentGvk, obj, 'Ignore').unknownFields).toEqual([]);
  });

  it('reports missing required fields with their path', () => {
    const obj = deployment({ selector: undefined });
    delete (obj.spec.template.spec.containers[0] as Record<string, unknown>).name;
    const { errors } = validateAgainstSchema(deploymentGvk, obj, 'Strict');
    expect(errors).toEqual([
      {
        type: 'FieldValueRequired',
        field: 'spec.template.spec.containers[0].name',
        message: 'Required value',
      },
      { type: 'FieldValueRequired', field: 'spec.selector', message: 'Required value' },
    ]);
  });

  it('checks Secret data is base64 and lets null through', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', labels: null },
      data: { ok: 'aGk=', bad: 'h!' },
    };
    const { errors } = validateAgainstSchema({ group: '', version: 'v1', kind: 'Secret' }, secret, 'Strict');
    expect(errors.map((e) => e.field)).toEqual(['data[bad]']);
  });

  it('accepts anything inside embedded raw objects and preserve-unknown-fields', () => {
    const revision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'r' },
      revision: 1,
      data: { spec: { template: { anything: [1, 'x'], $patch: 'replace' } } },
    };
    expect(
      validateAgainstSchema({ group: 'apps', version: 'v1', kind: 'ControllerRevision' }, revision, 'Strict'),
    ).toEqual({
      errors: [],
      unknownFields: [],
    });
    const gvk = { group: 'example.com', version: 'v1', kind: 'Gadget' };
    const schema = customResourceSchema({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { size: { type: 'integer' } },
        },
      },
    });
    const result = validateAgainstSchema(
      gvk,
      { apiVersion: 'example.com/v1', kind: 'Gadget', spec: { size: 'big', extra: 1 }, other: 1 },
      'Strict',
      { schema },
    );
    expect(result.unknownFields).toEqual(['other']);
    expect(result.errors.map((e) => e.field)).toEqual(['spec.size']);
  });

  it('leaves absent required lists to the kind validation', () => {
    const slice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-1' },
      addressType: 'IPv4',
    };
    expect(
      validateAgainstSchema(
        { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
        slice,
        'Strict',
      ),
    ).toEqual({
      errors: [],
      unknownFields: [],
    });
  });

  it('passes kinds without a schema', () => {
    expect(validateAgainstSchema({ group: 'x.io', version: 'v1', kind: 'Y' }, { spec: 1 }, 'Strict')).toEqual(
      {
        errors: [],
        unknownFields: [],
      },
    );
  });
});

describe('pruneUnknownFields', () => {
  it('drops unknown fields from a copy and keeps everything the schema knows', () => {
    const obj = deployment({ foo: 1 });
    (obj.spec.template.spec.containers[0] as Record<string, unknown>).bar = true;
    const pruned = pruneUnknownFields(deploymentGvk, obj);
    expect(pruned).toEqual(deployment());
    expect((obj.spec as Record<string, unknown>).foo).toBe(1);
  });
});
