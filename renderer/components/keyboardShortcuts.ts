import { useEffect } from 'react';

// App-wide keys: `/` focuses the page's search box, `Esc` closes the open details drawer. Keys
// typed into a field, the YAML editor or a terminal are theirs; an open dialog handles its own Esc.

export type Shortcut = 'focusSearch' | 'closeDrawer';

export interface KeyContext {
  key: string;
  modified: boolean;
  /** The key went to a text field, an editor or a terminal. */
  typing: boolean;
  /** The key went to an editor or terminal, which use Esc themselves. */
  inEditor: boolean;
  dialogOpen: boolean;
}

export function shortcutFor(context: KeyContext): Shortcut | undefined {
  if (context.modified || context.dialogOpen) return undefined;
  if (context.key === '/' && !context.typing) return 'focusSearch';
  if (context.key === 'Escape' && !context.inEditor) return 'closeDrawer';
  return undefined;
}

const editorSelector = '.cm-editor, .xterm';
const fieldSelector = `input, textarea, select, [contenteditable="true"], ${editorSelector}`;

export function useKeyboardShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const target = event.target instanceof Element ? event.target : document.body;
      const shortcut = shortcutFor({
        key: event.key,
        modified: event.ctrlKey || event.metaKey || event.altKey,
        typing: Boolean(target.closest(fieldSelector)),
        inEditor: Boolean(target.closest(editorSelector)),
        dialogOpen: Boolean(document.querySelector('dialog[open]')),
      });
      if (shortcut === 'focusSearch') {
        const search = document.querySelector<HTMLInputElement>('.content input[type="search"]');
        if (!search) return;
        event.preventDefault();
        search.focus();
        search.select();
      } else if (shortcut === 'closeDrawer') {
        const close = [
          ...document.querySelectorAll<HTMLElement>('.content aside button[aria-label^="Close"]'),
        ].pop();
        if (!close) return;
        event.preventDefault();
        close.click();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
