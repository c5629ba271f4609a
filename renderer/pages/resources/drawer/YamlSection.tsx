import { useState } from 'react';
import { YamlView } from '../../../components/YamlView';
import { editableYaml, objectYaml } from '../objectYaml';
import { ApplyEditor } from './ApplyEditor';

/** The object's YAML, and "Edit" to change it and save with server-side apply. */
export function YamlSection({
  obj,
  title,
  reveal,
}: {
  obj: Record<string, unknown>;
  title: string;
  reveal: boolean;
}) {
  const [editing, setEditing] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const namespace = (obj.metadata as { namespace?: string } | undefined)?.namespace;

  if (editing !== undefined) {
    return (
      <ApplyEditor
        initial={editing}
        label={`YAML of ${title}`}
        {...(namespace ? { namespace } : {})}
        onApplied={(applied) => {
          setEditing(undefined);
          setSaved(applied.map((a) => `${a.kind} ${a.name} ${a.outcome}`).join(', '));
        }}
        onCancel={() => setEditing(undefined)}
      />
    );
  }
  return (
    <div className="yaml-section">
      <div className="apply-actions">
        <button
          type="button"
          onClick={() => {
            setSaved(undefined);
            setEditing(editableYaml(obj, reveal));
          }}
        >
          Edit
        </button>
        {obj.kind === 'Secret' && !reveal && (
          <span className="muted">Values are left out until revealed.</span>
        )}
        {saved && (
          <span className="ok-text" role="status">
            {saved}
          </span>
        )}
      </div>
      <YamlView yaml={objectYaml(obj, reveal)} label={title} />
    </div>
  );
}
