import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  ComposeConversion,
  ComposeOptionsInput,
  ComposeStatusRow,
  ComposeUpResultView,
} from '../../../main/host/compose/composeContract';
import { api } from '../../api/appApi';
import { useTopic } from '../../data/useTopic';
import { ServiceCard } from './ServiceCard';
import { useComposeProgress } from './useComposeProgress';
import './compose.css';

type UploadedFile = { name: string; content: string };
type Options = {
  namespace: string;
  controller: '' | 'deployment' | 'statefulset' | 'daemonset';
  volumes: 'pvc' | 'hostPath' | 'emptyDir';
  servicesWithoutPorts: boolean;
};

const initialOptions: Options = {
  namespace: '',
  controller: '',
  volumes: 'pvc',
  servicesWithoutPorts: false,
};

const readFiles = (files: Iterable<File>): Promise<UploadedFile[]> =>
  Promise.all([...files].map(async (file) => ({ name: file.name, content: await file.text() })));

function toRequestOptions(options: Options): ComposeOptionsInput {
  return {
    volumes: options.volumes,
    servicesWithoutPorts: options.servicesWithoutPorts,
    ...(options.namespace.trim() ? { namespace: options.namespace.trim() } : {}),
    ...(options.controller ? { controller: options.controller } : {}),
  };
}

export function ComposePage() {
  const [files, setFiles] = useState<UploadedFile[]>();
  const [options, setOptions] = useState<Options>(initialOptions);
  const [conversion, setConversion] = useState<ComposeConversion>();
  const [failure, setFailure] = useState<string>();
  const [deploying, setDeploying] = useState(false);
  const [waitReady, setWaitReady] = useState(true);
  const [result, setResult] = useState<ComposeUpResultView>();
  const [deployed, setDeployed] = useState<ComposeStatusRow[]>([]);
  const [removal, setRemoval] = useState<string>();
  const cluster = useTopic('cluster.status', {});
  const { progress, track } = useComposeProgress();
  const latest = useRef(0);
  const running = cluster?.state === 'running';

  // Any option change converts again; only the newest answer is shown.
  useEffect(() => {
    if (!files) return;
    const ticket = ++latest.current;
    api.compose.convert({ source: { kind: 'upload', files }, options: toRequestOptions(options) }).then(
      (next) => {
        if (ticket !== latest.current) return;
        setConversion(next);
        setFailure(undefined);
      },
      (err: Error) => ticket === latest.current && setFailure(err.message),
    );
  }, [files, options]);

  // Whether this project is in the cluster decides whether Remove has anything to do; a deploy or a
  // removal (`result`, `removal`) changes the answer.
  const project = conversion?.error ? undefined : conversion?.project;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `result` and `removal` mark when to ask again.
  useEffect(() => {
    if (!running || !project) return setDeployed([]);
    api.compose.status({ project }).then(
      (status) => setDeployed(status.rows),
      (err: Error) => setFailure(err.message),
    );
  }, [running, project, result, removal]);

  const open = useCallback(async (list: Iterable<File>) => {
    setResult(undefined);
    setRemoval(undefined);
    setFiles(await readFiles(list));
  }, []);

  // Files dropped anywhere on the window are opened, not navigated to.
  useEffect(() => {
    const over = (e: DragEvent) => e.preventDefault();
    const drop = (e: DragEvent) => {
      e.preventDefault();
      if (e.dataTransfer?.files.length) void open(e.dataTransfer.files);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [open]);

  const deploy = async () => {
    if (!files) return;
    const opId = `ui-${Date.now().toString(36)}`;
    track(opId);
    setDeploying(true);
    setResult(undefined);
    setFailure(undefined);
    try {
      setResult(
        await api.compose.up({
          source: { kind: 'upload', files },
          options: toRequestOptions(options),
          opId,
          wait: waitReady,
        }),
      );
    } catch (err) {
      setFailure((err as Error).message);
    } finally {
      setDeploying(false);
    }
  };

  const remove = async () => {
    if (!project) return;
    setFailure(undefined);
    try {
      const down = await api.compose.down({ project, volumes: false });
      setResult(undefined);
      setRemoval(
        `Removed ${down.removed.length} objects of ${project}.` +
          (down.kept.length ? ` Kept ${down.kept.length} volume claims (the data).` : ''),
      );
    } catch (err) {
      setFailure((err as Error).message);
    }
  };

  const hasServices = Boolean(conversion && !conversion.error && conversion.services.length > 0);
  const deployBlocked = running
    ? undefined
    : `${cluster?.message ?? 'Kubernetes is not running'}: deploying needs a running cluster (start it in Settings).`;
  const set = (patch: Partial<Options>) => setOptions((o) => ({ ...o, ...patch }));

  return (
    <section className="page compose-page">
      <h1>Compose import</h1>
      <div className="compose-open">
        <label className="compose-file-button">
          Open compose file…
          <input
            type="file"
            name="composeFiles"
            multiple
            onChange={(e) => e.target.files?.length && void open(e.target.files)}
          />
        </label>
        <span className="muted">
          or drop it on the window. Add the files it refers to (.env, env_file, configs) in the same
          selection.
        </span>
      </div>
      {files && (
        <p className="muted compose-files">
          {conversion?.project && (
            <>
              Project <strong>{conversion.project}</strong> from{' '}
            </>
          )}
          {files.map((f) => f.name).join(', ')}
        </p>
      )}

      <fieldset className="compose-options" disabled={!files}>
        <label>
          Namespace
          <input
            name="namespace"
            placeholder="default"
            value={options.namespace}
            onChange={(e) => set({ namespace: e.target.value })}
          />
        </label>
        <label>
          Controller
          <select
            name="controller"
            value={options.controller}
            onChange={(e) => set({ controller: e.target.value as Options['controller'] })}
          >
            <option value="">As each service asks</option>
            <option value="deployment">Deployment</option>
            <option value="statefulset">StatefulSet</option>
            <option value="daemonset">DaemonSet</option>
          </select>
        </label>
        <label>
          Volumes
          <select
            name="volumes"
            value={options.volumes}
            onChange={(e) => set({ volumes: e.target.value as Options['volumes'] })}
          >
            <option value="pvc">Persistent volume claims</option>
            <option value="hostPath">hostPath (folders on the nodes)</option>
            <option value="emptyDir">emptyDir (lost with the pod)</option>
          </select>
        </label>
        <label className="compose-check">
          <input
            type="checkbox"
            name="servicesWithoutPorts"
            checked={options.servicesWithoutPorts}
            onChange={(e) => set({ servicesWithoutPorts: e.target.checked })}
          />
          Services for services without ports
        </label>
      </fieldset>

      <div className="compose-actions">
        <button
          type="button"
          className="primary"
          disabled={!hasServices || !running || deploying}
          onClick={() => void deploy()}
        >
          {deploying ? 'Deploying…' : 'Deploy'}
        </button>
        <label className="compose-check">
          <input
            type="checkbox"
            name="waitReady"
            checked={waitReady}
            onChange={(e) => setWaitReady(e.target.checked)}
          />
          Wait until ready
        </label>
        <button
          type="button"
          disabled={!running || deployed.length === 0 || deploying}
          onClick={() => void remove()}
        >
          Remove {project ?? 'project'}
        </button>
        {deployBlocked && hasServices && (
          <span className="muted" data-testid="deploy-blocked">
            {deployBlocked}
          </span>
        )}
        {running && deployed.length > 0 && !deploying && (
          <span className="muted">
            {deployed.length} objects of {project} are in the cluster.
          </span>
        )}
      </div>

      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      {removal && <p className="notice">{removal}</p>}
      {conversion?.error && (
        <div className="error compose-error" role="alert">
          <strong>
            {[
              conversion.error.file &&
                `${conversion.error.file}${conversion.error.line ? `:${conversion.error.line}` : ''}`,
              conversion.error.keyPath,
            ]
              .filter(Boolean)
              .join(' · ') || 'Invalid compose file'}
          </strong>
          <div>{conversion.error.message}</div>
        </div>
      )}
      {conversion?.notices.map((notice) => (
        <p className="notice compose-notice" key={notice}>
          {notice}
        </p>
      ))}
      {!files && (
        <p className="notice">Open a docker-compose file to see the Kubernetes objects it becomes.</p>
      )}

      {conversion?.services.map((view) => (
        <ServiceCard
          key={view.service}
          view={view}
          progress={progress[view.service]}
          result={result?.services.find((s) => s.service === view.service)}
        />
      ))}
    </section>
  );
}
