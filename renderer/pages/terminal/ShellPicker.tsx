import { useState } from 'react';
import type { TerminalTargets } from '../../../main/host/terminal/terminalContract';
import { api } from '../../api/appApi';
import type { ShellTarget } from './shellTarget';
import { terminalStore } from './terminalStore';

// "New shell: host | pod… | node…": a host shell at once, or a pod (and one of its containers) or a
// node chosen from what the host lists when the choice opens.

type Choosing = 'pod' | 'node' | undefined;

export function ShellPicker({ disabled }: { disabled: boolean }) {
  const [choosing, setChoosing] = useState<Choosing>();
  const [targets, setTargets] = useState<TerminalTargets>();
  const [loadError, setLoadError] = useState<string>();
  const [pod, setPod] = useState('');
  const [container, setContainer] = useState('');
  const [node, setNode] = useState('');

  const choose = (kind: Choosing) => {
    setChoosing(kind === choosing ? undefined : kind);
    setTargets(undefined);
    setLoadError(undefined);
    if (kind === undefined || kind === choosing) return;
    api.terminal.targets({}).then(
      (found) => {
        setTargets(found);
        const first = found.pods[0];
        setPod(first ? `${first.namespace}/${first.name}` : '');
        setContainer(first?.defaultContainer ?? '');
        setNode(found.nodes[0] ?? '');
      },
      (err: unknown) => setLoadError(err instanceof Error ? err.message : String(err)),
    );
  };
  const chosenPod = targets?.pods.find((p) => `${p.namespace}/${p.name}` === pod);
  const openShell = (target?: ShellTarget) => {
    setChoosing(undefined);
    void terminalStore.open(target);
  };

  return (
    <div className="shell-picker">
      <div className="shell-picker-kinds">
        <span className="muted">New shell:</span>
        <button type="button" className="control" disabled={disabled} onClick={() => openShell()}>
          host
        </button>
        <button
          type="button"
          className="control"
          aria-pressed={choosing === 'pod'}
          onClick={() => choose('pod')}
        >
          pod…
        </button>
        <button
          type="button"
          className="control"
          aria-pressed={choosing === 'node'}
          onClick={() => choose('node')}
        >
          node…
        </button>
      </div>
      {choosing && (
        <form
          className="shell-picker-choice"
          aria-label={choosing === 'pod' ? 'Pod shell' : 'Node shell'}
          onSubmit={(event) => {
            event.preventDefault();
            if (choosing === 'pod' && chosenPod) {
              openShell({
                kind: 'pod',
                namespace: chosenPod.namespace,
                pod: chosenPod.name,
                ...(container ? { container } : {}),
              });
            } else if (choosing === 'node' && node) openShell({ kind: 'node', node });
          }}
        >
          {loadError && <span className="error">{loadError}</span>}
          {!targets && !loadError && <span className="muted">Loading…</span>}
          {targets && choosing === 'pod' && (
            <>
              <label>
                Pod{' '}
                <select
                  className="control"
                  name="pod"
                  value={pod}
                  onChange={(event) => {
                    setPod(event.target.value);
                    const next = targets.pods.find((p) => `${p.namespace}/${p.name}` === event.target.value);
                    setContainer(next?.defaultContainer ?? '');
                  }}
                >
                  {targets.pods.map((p) => (
                    <option key={`${p.namespace}/${p.name}`} value={`${p.namespace}/${p.name}`}>
                      {p.namespace}/{p.name} ({p.phase})
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Container{' '}
                <select
                  className="control"
                  name="container"
                  value={container}
                  onChange={(event) => setContainer(event.target.value)}
                >
                  {chosenPod?.containers.map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </select>
              </label>
            </>
          )}
          {targets && choosing === 'node' && (
            <label>
              Node{' '}
              <select
                className="control"
                name="node"
                value={node}
                onChange={(event) => setNode(event.target.value)}
              >
                {targets.nodes.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {targets && (
            <button type="submit" className="control" disabled={choosing === 'pod' ? !chosenPod : !node}>
              Open shell
            </button>
          )}
          {targets && (choosing === 'pod' ? targets.pods.length === 0 : targets.nodes.length === 0) && (
            <span className="muted">
              {choosing === 'pod' ? 'No pods.' : 'No node containers.'} {targets.problems.join('; ')}
            </span>
          )}
        </form>
      )}
    </div>
  );
}
