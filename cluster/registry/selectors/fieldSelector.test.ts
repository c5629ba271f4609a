import { describe, expect, it } from 'vitest';
import { escapeFieldValue, parseFieldSelector } from './fieldSelector';
import { assertSupportedFieldSelector, selectableFields, supportedFieldLabels } from './selectableFields';
import { SelectorParseError } from './selectorParseError';

describe('parseFieldSelector', () => {
  it('parses =, == and != terms and matches them', () => {
    const sel = parseFieldSelector('metadata.name=web,status.phase!=Failed,spec.nodeName==n1');
    expect(sel.requirements()).toEqual([
      { field: 'metadata.name', operator: '=', value: 'web' },
      { field: 'spec.nodeName', operator: '=', value: 'n1' },
      { field: 'status.phase', operator: '!=', value: 'Failed' },
    ]);
    expect(sel.matches({ 'metadata.name': 'web', 'status.phase': 'Running', 'spec.nodeName': 'n1' })).toBe(
      true,
    );
    expect(sel.matches({ 'metadata.name': 'web', 'status.phase': 'Failed', 'spec.nodeName': 'n1' })).toBe(
      false,
    );
  });

  it('treats a missing field as the empty string', () => {
    expect(parseFieldSelector('spec.nodeName=').matches({})).toBe(true);
    expect(parseFieldSelector('spec.nodeName!=').matches({})).toBe(false);
  });

  it('unescapes values and keeps escaped commas inside a term', () => {
    const sel = parseFieldSelector('metadata.name=a\\,b\\=c');
    expect(sel.requirements()).toEqual([{ field: 'metadata.name', operator: '=', value: 'a,b=c' }]);
    expect(sel.toString()).toBe('metadata.name=a\\,b\\=c');
    expect(escapeFieldValue('x!y\\')).toBe('x\\!y\\\\');
  });

  it('reports the value an = term requires', () => {
    const sel = parseFieldSelector('metadata.name=web');
    expect(sel.requiresExactMatch('metadata.name')).toBe('web');
    expect(sel.requiresExactMatch('metadata.namespace')).toBeUndefined();
  });

  it('treats the empty string as everything', () => {
    expect(parseFieldSelector('').isEverything()).toBe(true);
  });

  it('rejects set operators and bad escapes', () => {
    expect(() => parseFieldSelector('metadata.name in (a)')).toThrow(
      new SelectorParseError(
        "invalid selector: 'metadata.name in (a)'; can't understand 'metadata.name in (a)'",
      ),
    );
    expect(() => parseFieldSelector('a=b\\x')).toThrow(
      'invalid field selector: invalid escape sequence: \\x',
    );
    expect(() => parseFieldSelector('a=b=c')).toThrow(
      'invalid field selector: unescaped character in value: =',
    );
  });
});

describe('selectableFields', () => {
  it('derives pod fields like the pod strategy', () => {
    const pod = {
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        nodeName: 'n1',
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        serviceAccountName: 'sa',
        containers: [],
      },
      status: { phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }] },
    };
    expect(selectableFields('', 'Pod', pod)).toEqual({
      'metadata.name': 'web',
      'metadata.namespace': 'default',
      'spec.nodeName': 'n1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': 'sa',
      'spec.hostNetwork': 'false',
      'status.phase': 'Running',
      'status.podIP': '10.244.1.5',
      'status.nominatedNodeName': '',
    });
  });

  it('answers the field selector kubectl describe sends for events', () => {
    const event = {
      metadata: { name: 'web.1', namespace: 'default' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1' },
      reason: 'Scheduled',
      source: { component: 'default-scheduler' },
      type: 'Normal',
    };
    const sel = parseFieldSelector(
      'involvedObject.namespace=default,involvedObject.uid=u1,involvedObject.name=web',
    );
    expect(sel.matches(selectableFields('', 'Event', event))).toBe(true);
    expect(selectableFields('', 'Event', event).source).toBe('default-scheduler');
  });

  it('offers every object reference field under regarding.* for events.k8s.io events', () => {
    const event = {
      metadata: { name: 'web.1', namespace: 'default' },
      regarding: {
        kind: 'Pod',
        namespace: 'default',
        name: 'web',
        uid: 'u1',
        fieldPath: 'spec.containers{app}',
      },
      reportingController: 'kubelet',
    };
    expect(selectableFields('events.k8s.io', 'Event', event)).toMatchObject({
      'regarding.kind': 'Pod',
      'regarding.namespace': 'default',
      'regarding.name': 'web',
      'regarding.uid': 'u1',
      'regarding.apiVersion': '',
      'regarding.resourceVersion': '',
      'regarding.fieldPath': 'spec.containers{app}',
      reportingController: 'kubelet',
    });
    expect(supportedFieldLabels('', 'Event')).toEqual([
      'metadata.name',
      'metadata.namespace',
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ]);
  });

  it('covers secrets, nodes, namespaces and jobs', () => {
    expect(selectableFields('', 'Secret', { type: 'helm.sh/release.v1' }).type).toBe('helm.sh/release.v1');
    expect(selectableFields('', 'Node', { spec: { unschedulable: true } })['spec.unschedulable']).toBe(
      'true',
    );
    expect(selectableFields('', 'Namespace', { status: { phase: 'Active' } })['status.phase']).toBe('Active');
    expect(selectableFields('batch', 'Job', { status: { succeeded: 2 } })['status.successful']).toBe('2');
  });

  it('lists only metadata fields for kinds without extras', () => {
    expect(supportedFieldLabels('', 'ConfigMap')).toEqual(['metadata.name', 'metadata.namespace']);
  });

  it('rejects unsupported field labels with the API server message', () => {
    expect(() =>
      assertSupportedFieldSelector('', 'ConfigMap', parseFieldSelector('spec.nodeName=x')),
    ).toThrow(new SelectorParseError('field label not supported: spec.nodeName'));
    expect(() =>
      assertSupportedFieldSelector('', 'Pod', parseFieldSelector('spec.nodeName=x')),
    ).not.toThrow();
  });
});
