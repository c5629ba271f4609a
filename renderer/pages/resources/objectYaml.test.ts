import { describe, expect, it } from 'vitest';
import { objectYaml } from './objectYaml';

describe('objectYaml', () => {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', managedFields: [{ manager: 'kubectl' }] },
    data: { password: 'aHVudGVyMg==' },
  };

  it('hides managedFields and masks secret values until revealed', () => {
    const hidden = objectYaml(secret, false);
    expect(hidden).not.toContain('managedFields');
    expect(hidden).not.toContain('aHVudGVyMg==');
    expect(hidden).toContain('password: ••••••');
    expect(objectYaml(secret, true)).toContain('password: aHVudGVyMg==');
    expect(hidden.split('\n').slice(0, 3)).toEqual(['apiVersion: v1', 'kind: Secret', 'metadata:']);
  });
});
