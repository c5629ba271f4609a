import { yaml } from '@codemirror/lang-yaml';
import { type Extension, RangeSetBuilder, StateEffect, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet, EditorView, WidgetType } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';

// A YAML editor (CodeMirror 6) that shows problems on their lines: the line is marked and the
// message is written right under it, so an error from the API server sits next to its field.

export interface LineProblem {
  /** 1-based line. */
  line: number;
  message: string;
}

class ProblemText extends WidgetType {
  constructor(readonly messages: string[]) {
    super();
  }
  override eq(other: ProblemText): boolean {
    return other.messages.join('\n') === this.messages.join('\n');
  }
  toDOM(): HTMLElement {
    const box = document.createElement('div');
    box.className = 'cm-field-error-message';
    box.setAttribute('role', 'note');
    box.textContent = this.messages.join('\n');
    return box;
  }
}

const setProblems = StateEffect.define<LineProblem[]>();

const problemField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(decorations, tr) {
    let next = decorations.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setProblems)) continue;
      const byLine = new Map<number, string[]>();
      for (const p of effect.value) {
        if (p.line < 1 || p.line > tr.state.doc.lines) continue;
        byLine.set(p.line, [...(byLine.get(p.line) ?? []), p.message]);
      }
      const builder = new RangeSetBuilder<Decoration>();
      for (const line of [...byLine.keys()].sort((a, b) => a - b)) {
        const at = tr.state.doc.line(line);
        builder.add(at.from, at.from, Decoration.line({ class: 'cm-field-error' }));
        const widget = new ProblemText(byLine.get(line) ?? []);
        builder.add(at.to, at.to, Decoration.widget({ widget, block: true, side: 1 }));
      }
      next = builder.finish();
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const theme = EditorView.theme({
  '&': { fontSize: '12px', border: '1px solid var(--border)', borderRadius: '6px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' },
  '.cm-field-error': { backgroundColor: 'color-mix(in srgb, var(--bad) 14%, transparent)' },
  '.cm-field-error-message': {
    color: 'var(--bad)',
    fontFamily: 'system-ui, sans-serif',
    padding: '2px 8px 4px 32px',
    whiteSpace: 'pre-wrap',
  },
});

export function YamlEditor({
  value,
  onChange,
  readOnly = false,
  problems = [],
  label,
}: {
  value: string;
  onChange?(value: string): void;
  readOnly?: boolean;
  problems?: LineProblem[];
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(undefined);
  const changed = useRef(onChange);
  changed.current = onChange;
  const shown = useRef(problems);
  shown.current = problems;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the view is made once per mode; `value` updates below.
  useEffect(() => {
    if (!host.current) return;
    const extensions: Extension[] = [
      basicSetup,
      yaml(),
      theme,
      problemField,
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': label }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) changed.current?.(update.state.doc.toString());
      }),
    ];
    if (readOnly) extensions.push(EditorView.editable.of(false));
    const editor = new EditorView({ doc: value, extensions, parent: host.current });
    editor.dispatch({ effects: setProblems.of(shown.current) });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = undefined;
    };
  }, [readOnly, label]);

  // Text replaced from outside (a reload, a template) without losing the cursor on own edits.
  useEffect(() => {
    const editor = view.current;
    if (!editor || editor.state.doc.toString() === value) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: setProblems.of(problems) });
  }, [problems]);

  return <div className="yaml-editor" ref={host} />;
}
