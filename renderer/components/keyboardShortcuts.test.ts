import { describe, expect, it } from 'vitest';
import { type KeyContext, shortcutFor } from './keyboardShortcuts';

const key = (k: string, over: Partial<KeyContext> = {}): KeyContext => ({
  key: k,
  modified: false,
  typing: false,
  inEditor: false,
  dialogOpen: false,
  ...over,
});

describe('keyboard shortcuts', () => {
  it('focuses search on / unless the key is typed into a field', () => {
    expect(shortcutFor(key('/'))).toBe('focusSearch');
    expect(shortcutFor(key('/', { typing: true }))).toBeUndefined();
    expect(shortcutFor(key('/', { modified: true }))).toBeUndefined();
  });

  it('closes the drawer on Esc, leaving Esc to editors, terminals and open dialogs', () => {
    expect(shortcutFor(key('Escape'))).toBe('closeDrawer');
    expect(shortcutFor(key('Escape', { typing: true }))).toBe('closeDrawer');
    expect(shortcutFor(key('Escape', { typing: true, inEditor: true }))).toBeUndefined();
    expect(shortcutFor(key('Escape', { dialogOpen: true }))).toBeUndefined();
  });
});
