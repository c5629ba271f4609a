import { describe, expect, it } from 'vitest';
import { actionsFor, shellLink } from './objectActionKinds';

describe('object actions', () => {
  it('offers scale only where the /scale subresource exists', () => {
    expect(actionsFor('deployments')).toContain('scale');
    expect(actionsFor('replicasets')).toContain('scale');
    expect(actionsFor('daemonsets')).not.toContain('scale');
    expect(actionsFor('configmaps')).toEqual(['delete']);
  });

  it('links pods and nodes to the Terminal page', () => {
    expect(shellLink('pods', 'web-1', 'shop')).toBe('#/terminal?pod=shop/web-1');
    expect(shellLink('nodes', 'kubedesk-node-1')).toBe('#/terminal?node=kubedesk-node-1');
  });
});
