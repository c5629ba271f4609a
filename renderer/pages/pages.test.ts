import { describe, expect, it } from 'vitest';
import { hashQuery, pageFromHash } from './pages';

describe('pageFromHash', () => {
  it('picks the page by its id and ignores a query', () => {
    expect(pageFromHash('#/terminal').id).toBe('terminal');
    expect(pageFromHash('#/terminal?pod=default/web&container=app').id).toBe('terminal');
    expect(pageFromHash('#/nowhere?x=1').id).toBe('dashboard');
  });
});

describe('hashQuery', () => {
  it('reads the query after the page id', () => {
    expect(hashQuery('#/terminal?node=kubedesk-node-1').get('node')).toBe('kubedesk-node-1');
    expect([...hashQuery('#/terminal').keys()]).toEqual([]);
  });
});
