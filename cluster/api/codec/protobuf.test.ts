import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { sharedDir } from '../../../scripts/servedGroups';
import { decodeKubernetesProtobuf, messageTypeFor, ProtobufDecodeError, protobufMagic } from './protobuf';

function envelope(apiVersion: string, kind: string, object: Record<string, unknown>): Uint8Array {
  const type = messageTypeFor(apiVersion, kind);
  if (!type) throw new Error(`no type ${kind}`);
  const raw = type.encode(type.fromObject(object)).finish();
  const unknownType =
    messageTypeFor('v1', 'Unknown') ?? type.root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const unknown = unknownType
    .encode(unknownType.fromObject({ typeMeta: { apiVersion, kind }, raw }))
    .finish();
  return Buffer.concat([protobufMagic, unknown]);
}

describe('decodeKubernetesProtobuf', () => {
  it('decodes a Secret as kubectl create secret sends it, with data as base64', () => {
    const body = envelope('v1', 'Secret', {
      metadata: { name: 'db', namespace: 'default', creationTimestamp: {} },
      data: { password: Buffer.from('hunter2') },
      type: 'Opaque',
    });
    expect(decodeKubernetesProtobuf(body)).toEqual({
      kind: 'Secret',
      apiVersion: 'v1',
      metadata: { name: 'db', namespace: 'default' },
      data: { password: Buffer.from('hunter2').toString('base64') },
      type: 'Opaque',
    });
  });

  it('maps int-or-string, pointer zero values, quantities and inlined volume sources', () => {
    const body = envelope('apps/v1', 'Deployment', {
      metadata: { name: 'web' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: { type: 1, strVal: '25%' }, maxUnavailable: { type: 0, intVal: 1 } },
        },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'web', image: 'nginx', resources: { limits: { cpu: { string: '500m' } } } }],
            volumes: [
              { name: 'cfg', volumeSource: { configMap: { localObjectReference: { name: 'cfg' } } } },
            ],
          },
        },
      },
    });
    const { spec } = decodeKubernetesProtobuf(body) as V1Deployment;
    expect(spec?.replicas).toBe(0);
    expect(spec?.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 },
    });
    expect(spec?.template.spec?.containers[0]?.resources).toEqual({ limits: { cpu: '500m' } });
    expect(spec?.template.spec?.volumes).toEqual([{ name: 'cfg', configMap: { name: 'cfg' } }]);
  });

  it('writes Time as RFC 3339 and MicroTime with microseconds', () => {
    const body = envelope('events.k8s.io/v1', 'Event', {
      metadata: { name: 'e', creationTimestamp: { seconds: 1199149261 } },
      eventTime: { seconds: 1199149261, nanos: 123456789 },
    });
    const obj = decodeKubernetesProtobuf(body) as { metadata: Record<string, unknown>; eventTime: string };
    expect(obj.metadata.creationTimestamp).toBe('2008-01-01T01:01:01Z');
    expect(obj.eventTime).toBe('2008-01-01T01:01:01.123456Z');
  });

  it('decodes a CustomResourceDefinition schema with Go JSON names and wrapper types', () => {
    const body = envelope('apiextensions.k8s.io/v1', 'CustomResourceDefinition', {
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { plural: 'widgets', kind: 'Widget' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    xKubernetesPreserveUnknownFields: true,
                    additionalProperties: { allows: true },
                    properties: { size: { type: 'integer', default: { raw: Buffer.from('3') } } },
                  },
                  tags: { type: 'array', items: { schema: { type: 'string' } }, xKubernetesListType: 'set' },
                },
              },
            },
          },
        ],
      },
    });
    const crd = decodeKubernetesProtobuf(body) as {
      spec: { versions: Array<{ schema: { openAPIV3Schema: unknown } }> };
    };
    expect(crd.spec.versions[0]?.schema.openAPIV3Schema).toEqual({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: { size: { type: 'integer', default: 3 } },
          additionalProperties: true,
          'x-kubernetes-preserve-unknown-fields': true,
        },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
      },
    });
  });

  it('finds meta kinds such as DeleteOptions under any group-version', () => {
    const body = envelope('v1', 'DeleteOptions', { propagationPolicy: 'Background', gracePeriodSeconds: 0 });
    expect(decodeKubernetesProtobuf(body)).toMatchObject({
      kind: 'DeleteOptions',
      propagationPolicy: 'Background',
      gracePeriodSeconds: 0,
    });
  });

  it('rejects empty, unprefixed, truncated and unknown-kind bodies with ProtobufDecodeError', () => {
    expect(() => decodeKubernetesProtobuf(new Uint8Array())).toThrow(/empty data/);
    expect(() => decodeKubernetesProtobuf(Buffer.from('{"kind":"Pod"}'))).toThrow(/expected prefix/);
    expect(() => decodeKubernetesProtobuf(protobufMagic)).toThrow(/empty body/);
    const good = envelope('v1', 'ConfigMap', { metadata: { name: 'x' }, data: { a: 'b' } });
    expect(() => decodeKubernetesProtobuf(good.subarray(0, good.length - 6))).toThrow(ProtobufDecodeError);
    expect(() => decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', {}).fill(0, 4, 5))).toThrow(
      ProtobufDecodeError,
    );
    const noKind = Buffer.concat([protobufMagic, Buffer.from([0x0a, 0x00])]);
    expect(() => decodeKubernetesProtobuf(noKind)).toThrow(/missing kind or version/);
    expect(
      decodeKubernetesProtobuf(noKind, { defaultTypeMeta: { apiVersion: 'v1', kind: 'ConfigMap' } }),
    ).toEqual({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: {},
    });
  });
});

// Kubernetes' own golden files: decoding <group>.<version>.<Kind>.pb must give the .json twin.
const testdata = join(sharedDir(), 'kubernetes-proto', 'testdata');
describe.skipIf(!existsSync(testdata))('decodeKubernetesProtobuf on Kubernetes testdata', () => {
  const cases = readdirSync(testdata)
    .filter((f) => f.endsWith('.pb'))
    .map((file) => {
      const [, group = '', version = '', kind = ''] = file.match(/^(.*)\.(v[^.]+)\.([^.]+)\.pb$/) ?? [];
      return { file, apiVersion: group === 'core' ? version : `${group}/${version}`, kind };
    })
    .filter((c) => messageTypeFor(c.apiVersion, c.kind));

  it('covers every served kind with a fixture', () => {
    expect(cases.length).toBeGreaterThanOrEqual(74);
  });

  it.each(cases)('$file', ({ file, apiVersion, kind }) => {
    const want = JSON.parse(readFileSync(join(testdata, file.replace(/\.pb$/, '.json')), 'utf8'));
    const got = decodeKubernetesProtobuf(readFileSync(join(testdata, file)), {
      defaultTypeMeta: { apiVersion, kind },
    });
    // WatchEvent has no TypeMeta in Go, so its JSON carries no kind/apiVersion.
    if (!('kind' in want)) {
      delete got.kind;
      delete got.apiVersion;
    }
    expect(got).toEqual(want);
  });
});
