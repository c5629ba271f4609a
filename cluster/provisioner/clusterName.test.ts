import { describe, expect, it } from 'vitest';
import { clusterNameFor } from './clusterName';
import { validateClusterName } from './planNodes';

describe('cluster name of an installation', () => {
  it('is kubedesk for the default data directory and a stable distinct name for any other', () => {
    expect(clusterNameFor('/home/me/.config/kubedesk', '/home/me/.config/kubedesk/')).toBe('kubedesk');
    const other = clusterNameFor('/tmp/kd-a', '/home/me/.config/kubedesk');
    expect(other).toMatch(/^kubedesk-[0-9a-f]{8}$/);
    expect(clusterNameFor('/tmp/kd-a/', '/home/me/.config/kubedesk')).toBe(other);
    expect(clusterNameFor('/tmp/kd-b', '/home/me/.config/kubedesk')).not.toBe(other);
    expect(validateClusterName(other)).toBe(other);
  });
});
