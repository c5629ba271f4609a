import { describe, expect, it } from 'vitest';
import { parseResourcePath } from './requestInfo';

describe('parseResourcePath', () => {
  it('reads core and group paths, namespaced or not, with subresources', () => {
    expect(parseResourcePath('/api/v1/namespaces/ns/pods/web/status')).toEqual({
      group: '',
      version: 'v1',
      namespace: 'ns',
      resource: 'pods',
      name: 'web',
      subresource: 'status',
      watchPath: false,
    });
    expect(parseResourcePath('/apis/apps/v1/deployments')).toEqual({
      group: 'apps',
      version: 'v1',
      resource: 'deployments',
      watchPath: false,
    });
    expect(parseResourcePath('/api/v1/nodes/n1')).toMatchObject({ resource: 'nodes', name: 'n1' });
  });

  it('treats namespaces/<name>/status and /finalize as subresources of the namespace', () => {
    expect(parseResourcePath('/api/v1/namespaces/ns')).toMatchObject({ resource: 'namespaces', name: 'ns' });
    expect(parseResourcePath('/api/v1/namespaces/ns/finalize')).toMatchObject({
      resource: 'namespaces',
      name: 'ns',
      subresource: 'finalize',
    });
    expect(parseResourcePath('/api/v1/namespaces/ns/configmaps')).toMatchObject({
      namespace: 'ns',
      resource: 'configmaps',
    });
  });

  it('understands the legacy watch prefix and rejects what addresses nothing', () => {
    expect(parseResourcePath('/api/v1/watch/namespaces/ns/pods')).toMatchObject({
      resource: 'pods',
      watchPath: true,
    });
    expect(parseResourcePath('/api/v1')).toBeUndefined();
    expect(parseResourcePath('/apis/apps/v1/namespaces/ns/deployments/a/b/c')).toBeUndefined();
    expect(parseResourcePath('/api/v1/namespaces/%E0%A4%A/pods')).toBeUndefined();
  });
});
