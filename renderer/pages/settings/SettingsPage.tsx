import { useEffect, useState } from 'react';
import type { Settings, SettingsPatch } from '../../../main/host/settings';
import { api } from '../../api/appApi';
import { useTopic } from '../../data/useTopic';

type BooleanKey = { [K in keyof Settings]: Settings[K] extends boolean ? K : never }[keyof Settings];
type NumberKey = { [K in keyof Settings]: Settings[K] extends number ? K : never }[keyof Settings];

const toggles: { key: BooleanKey; label: string; help: string }[] = [
  {
    key: 'kubernetesEnabled',
    label: 'Enable Kubernetes',
    help: 'Run the local cluster. Turning it off stops the cluster and keeps its nodes and workloads.',
  },
  {
    key: 'showSystemContainers',
    label: 'Show system containers',
    help: 'List kube-system workloads and node containers.',
  },
  {
    key: 'exposeLoadBalancers',
    label: 'Expose LoadBalancer services on localhost',
    help: 'Reach LoadBalancer and NodePort services at localhost:<port>.',
  },
  {
    key: 'autoLoadHostImages',
    label: 'Load host images automatically',
    help: 'Copy images built with your Docker Engine into nodes when a pod needs them.',
  },
];

// The cluster manager adds nodes only as a start brings them up (removing one would mean draining
// it), so a changed count waits for the next start.
const numbers: {
  key: NumberKey;
  label: string;
  min: number;
  max: number;
  step: number;
  unit?: string;
  help?: string;
}[] = [
  {
    key: 'nodeCount',
    label: 'Nodes',
    min: 1,
    max: 10,
    step: 1,
    help: 'Applies the next time Kubernetes is turned on: missing nodes are added, existing ones are kept (Reset on the Dashboard removes them).',
  },
  { key: 'nodeCpus', label: 'CPUs per node', min: 0.5, max: 64, step: 0.5 },
  { key: 'nodeMemoryMiB', label: 'Memory per node', min: 512, max: 262_144, step: 256, unit: 'MiB' },
];

export function SettingsPage() {
  const [settings, setSettings] = useState<Settings>();
  const [error, setError] = useState<string>();
  const changed = useTopic('settings.changed', {});

  useEffect(() => {
    api.settings.get({}).then(setSettings, (err: Error) => setError(err.message));
  }, []);
  useEffect(() => {
    if (changed) setSettings(changed);
  }, [changed]);

  const save = (patch: SettingsPatch) => {
    setError(undefined);
    // Shown at once, so quick flips of a toggle alternate; the host's answer then confirms it.
    const before = settings;
    setSettings((current) => current && { ...current, ...patch });
    api.settings.update(patch).then(setSettings, (err: Error) => {
      setError(err.message);
      setSettings(before);
    });
  };

  return (
    <section className="page">
      <h1>Settings</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!settings ? (
        <p className="muted">Loading settings…</p>
      ) : (
        <>
          <h2>Kubernetes</h2>
          {toggles.map(({ key, label, help }) => (
            <label className="setting toggle" key={key}>
              <input
                type="checkbox"
                name={key}
                checked={settings[key]}
                onChange={(e) => save({ [key]: e.target.checked })}
              />
              <span className="switch" aria-hidden="true" />
              <span>
                <strong>{label}</strong>
                <small className="muted">{help}</small>
              </span>
            </label>
          ))}
          <label className="setting number">
            <span>
              <strong>Make kubedesk kubectl's current context</strong>
              <small className="muted">The kubedesk context is always added to your kubeconfig.</small>
            </span>
            <select
              name="switchKubeContext"
              value={settings.switchKubeContext}
              onChange={(e) => save({ switchKubeContext: e.target.value as Settings['switchKubeContext'] })}
            >
              <option value="ifUnset">When no context is set</option>
              <option value="always">Always</option>
              <option value="never">Never</option>
            </select>
          </label>
          <h2>Nodes</h2>
          {numbers.map(({ key, label, min, max, step, unit, help }) => (
            <NumberSetting
              key={key}
              name={key}
              label={label}
              help={help}
              unit={unit}
              min={min}
              max={max}
              step={step}
              value={settings[key]}
              onCommit={(value) => save({ [key]: value })}
            />
          ))}
        </>
      )}
    </section>
  );
}

function NumberSetting(props: {
  name: string;
  label: string;
  help?: string;
  unit?: string;
  min: number;
  max: number;
  step: number;
  value: number;
  onCommit: (value: number) => void;
}) {
  const [draft, setDraft] = useState(String(props.value));
  useEffect(() => setDraft(String(props.value)), [props.value]);
  const commit = () => {
    const value = Number(draft);
    if (draft.trim() !== '' && Number.isFinite(value) && value !== props.value) props.onCommit(value);
  };
  return (
    <label className="setting number">
      <span>
        <strong>{props.label}</strong>
        {props.help && <small className="muted">{props.help}</small>}
      </span>
      <input
        type="number"
        name={props.name}
        min={props.min}
        max={props.max}
        step={props.step}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      {props.unit && <span className="muted">{props.unit}</span>}
    </label>
  );
}
