import { describe, expect, it } from 'vitest';
import { customResourcePrinter } from './customResourcePrinter';
import { tableColumnsFor, toTable } from './index';
import { compileJsonPath } from './jsonPath';

const now = new Date('2026-01-01T12:00:00Z');

describe('compileJsonPath', () => {
  const data = {
    metadata: { name: 'c', labels: { 'app.kubernetes.io/name': 'x' } },
    spec: { replicas: 3, containers: [{ name: 'a' }, { name: 'b' }] },
    status: {
      conditions: [
        { type: 'Ready', status: 'True', priority: 1 },
        { type: 'Issuing', status: 'False', priority: 5 },
      ],
    },
  };

  it.each([
    ['.spec.replicas', [3]],
    ['{.spec.replicas}', [3]],
    ['$.spec.replicas', [3]],
    ['.spec.containers[0].name', ['a']],
    ['.spec.containers[-1].name', ['b']],
    ['.spec.containers[*].name', ['a', 'b']],
    [".metadata.labels['app.kubernetes.io/name']", ['x']],
    ['.status.conditions[?(@.type=="Ready")].status', ['True']],
    [".status.conditions[?(@.type!='Ready')].type", ['Issuing']],
    ['.status.conditions[?(@.priority>2)].type', ['Issuing']],
    ['.status.conditions[?(@.status)].type', ['Ready', 'Issuing']],
    ['.spec.missing.deeper', []],
    ['.spec.containers[5].name', []],
  ])('evaluates %s', (path, expected) => {
    expect(compileJsonPath(path)(data)).toEqual(expected);
  });

  it('rejects syntax it does not understand', () => {
    expect(() => compileJsonPath('.spec[')).toThrow('unclosed [');
    expect(() => compileJsonPath('.a[1:2]')).toThrow('unsupported subscript');
  });
});

describe('custom resource tables', () => {
  const columns = [
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio', priority: 1 },
    { name: 'Paused', type: 'boolean', jsonPath: '.spec.paused' },
    { name: 'Spec', type: 'string', jsonPath: '.spec.nested', description: 'The nested part' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ];
  const widget = {
    metadata: { name: 'w', creationTimestamp: '2026-01-01T11:00:00Z' },
    spec: { replicas: 2.7, ratio: 0.5, paused: true, nested: { a: 1 } },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  };

  it('declares a column per printer column after NAME', () => {
    const defs = tableColumnsFor('example.com', 'Widget', columns);
    expect(defs.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Replicas', 'integer', 0],
      ['Ratio', 'number', 1],
      ['Paused', 'boolean', 0],
      ['Spec', 'string', 0],
      ['Age', 'date', 0],
    ]);
    expect(defs[1]?.description).toBe(
      'Custom resource definition column (in JSONPath format): .status.conditions[?(@.type=="Ready")].status',
    );
    expect(defs[5]?.description).toBe('The nested part');
  });

  it('converts values to the column type and leaves missing ones null', () => {
    const table = toTable('example.com', 'Widget', [widget, { metadata: { name: 'bare' } }], {
      now,
      includeObject: 'Metadata',
      printerColumns: columns,
    });
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['w', 'True', 2, 0.5, true, '{"a":1}', '60m'],
      ['bare', null, null, null, null, null, null],
    ]);
  });

  it('prints mistyped values as null and bad dates as <invalid>', () => {
    const printer = customResourcePrinter([
      { name: 'N', type: 'integer', jsonPath: '.spec.n' },
      { name: 'When', type: 'date', jsonPath: '.spec.when' },
    ]);
    expect(
      printer.cells({ metadata: { name: 'x' }, spec: { n: 'three', when: 'yesterday' } } as never, now),
    ).toEqual(['x', null, '<invalid>']);
  });

  it('falls back to NAME, AGE without printer columns', () => {
    expect(tableColumnsFor('example.com', 'Widget', []).map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Age', 'date'],
    ]);
  });
});
