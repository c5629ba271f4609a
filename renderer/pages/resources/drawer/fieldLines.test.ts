import { describe, expect, it } from 'vitest';
import { failureLines, fieldLine, parseFieldPath } from './fieldLines';

const yaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: "1"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: "abc"
  template:
    spec:
      containers:
        - name: sidecar
          image: registry.local/proxy:1
        - name: web
          image: registry.local/web:1
          ports:
            - containerPort: 80
`;

describe('field paths', () => {
  it('reads the forms Kubernetes prints', () => {
    expect(parseFieldPath('spec.containers[0].image')).toEqual([
      { key: 'spec' },
      { key: 'containers' },
      { index: 0 },
      { key: 'image' },
    ]);
    expect(parseFieldPath('metadata.labels[app.kubernetes.io/name]')).toEqual([
      { key: 'metadata' },
      { key: 'labels' },
      { key: 'app.kubernetes.io/name' },
    ]);
    expect(parseFieldPath('.spec.containers[name="web"].image')).toEqual([
      { key: 'spec' },
      { key: 'containers' },
      { match: { name: 'web' } },
      { key: 'image' },
    ]);
  });
});

describe('the YAML line of a field', () => {
  it('finds a field in the document it belongs to', () => {
    expect(fieldLine(yaml, 1, 'spec.replicas')).toBe(15);
    expect(fieldLine(yaml, 0, 'data.a')).toBe(6);
    expect(fieldLine(yaml, 1, 'metadata.name')).toBe(11);
  });

  it('follows list indices, list item keys and map keys with dots', () => {
    expect(fieldLine(yaml, 1, 'spec.template.spec.containers[1].image')).toBe(22);
    expect(fieldLine(yaml, 1, '.spec.template.spec.containers[name="web"].image')).toBe(22);
    expect(fieldLine(yaml, 1, 'spec.template.spec.containers[1].ports[0].containerPort')).toBe(24);
    expect(fieldLine(yaml, 1, 'metadata.labels[app.kubernetes.io/name]')).toBe(13);
  });

  it('looks into the first list item with the key when the path names no index', () => {
    expect(fieldLine(yaml, 1, 'spec.template.spec.containers.image')).toBe(20);
    expect(fieldLine(yaml, 1, 'spec.template.spec.containers.ports')).toBe(23);
  });

  it('points at the nearest written parent of a field left out', () => {
    expect(fieldLine(yaml, 1, 'spec.selector')).toBe(14);
    expect(fieldLine(yaml, 1, 'spec.template.spec.containers[5].image')).toBe(18);
    expect(fieldLine(yaml, 1, 'status.replicas')).toBeUndefined();
    expect(fieldLine(yaml, 4, 'spec')).toBeUndefined();
  });
});

describe('the lines of failed applies', () => {
  it("puts each cause on its field's line, prefixed with the field unless it names it", () => {
    const failure = {
      document: 1,
      code: 422,
      reason: 'Invalid',
      message: 'Deployment.apps "web" is invalid',
      conflict: false,
      causes: [
        { field: 'spec.replicas', message: 'Invalid value: "abc"' },
        {
          field: 'spec.template.spec.containers[0].image',
          message: 'image spec.template.spec.containers[0].image is bad',
        },
        { field: 'status.phase', message: 'not in the text' },
      ],
    };
    expect(failureLines(yaml, [failure])).toEqual([
      { line: 15, message: 'spec.replicas: Invalid value: "abc"' },
      { line: 20, message: 'image spec.template.spec.containers[0].image is bad' },
    ]);
    const syntax = { ...failure, causes: [], line: 3, message: 'bad indentation' };
    expect(failureLines(yaml, [syntax])).toEqual([{ line: 3, message: 'bad indentation' }]);
  });
});
