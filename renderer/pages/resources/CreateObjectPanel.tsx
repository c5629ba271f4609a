import { useState } from 'react';
import type { ViewResource } from '../../../main/host/clusterView/clusterViewContract';
import type { AppliedObject } from '../../../main/host/clusterView/objectDetailsContract';
import { viewResources } from '../../../main/host/clusterView/viewResources';
import { ApplyEditor } from './drawer/ApplyEditor';
import { objectTemplate } from './drawer/objectTemplates';
import type { OpenRef } from './drawer/RelatedObjects';

/** "Create": YAML (one or more documents) applied with server-side apply, starting from a
 * template of the page's kind in the page's namespace. */
export function CreateObjectPanel({
  resource,
  namespace,
  onClose,
  onOpen,
}: {
  resource: ViewResource;
  /** The namespace the page shows; empty for all. */
  namespace: string;
  onClose(): void;
  onOpen(ref: OpenRef): void;
}) {
  const [created, setCreated] = useState<AppliedObject[]>();
  const [attempt, setAttempt] = useState(0);
  const kind = viewResources[resource].kind;
  return (
    <aside className="details-drawer create-panel" aria-label="Create from YAML">
      <header>
        <h2>Create {kind}</h2>
        <button type="button" onClick={onClose} aria-label="Close create">
          ✕
        </button>
      </header>
      {created ? (
        <div role="status">
          <ul className="related-list" aria-label="Applied objects">
            {created.map((a) => {
              const label = `${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${a.name} ${a.outcome}`;
              const target = a.resource;
              return (
                <li key={`${a.document}`}>
                  {target ? (
                    <button
                      type="button"
                      className="link"
                      onClick={() =>
                        onOpen({
                          resource: target,
                          name: a.name,
                          ...(a.namespace ? { namespace: a.namespace } : {}),
                        })
                      }
                    >
                      {label}
                    </button>
                  ) : (
                    label
                  )}
                </li>
              );
            })}
          </ul>
          <button
            type="button"
            onClick={() => {
              setCreated(undefined);
              setAttempt((n) => n + 1);
            }}
          >
            Create another
          </button>
        </div>
      ) : (
        <>
          <p className="muted">
            One or more objects, separated by <code>---</code>. Nothing is written unless every one is valid.
          </p>
          <ApplyEditor
            key={attempt}
            initial={objectTemplate(resource, namespace || undefined)}
            label="New object YAML"
            {...(namespace ? { namespace } : {})}
            onApplied={setCreated}
            onCancel={onClose}
          />
        </>
      )}
    </aside>
  );
}
