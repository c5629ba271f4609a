import { useTopic } from '../data/useTopic';
import { OperationsStatus } from './OperationsStatus';

const clusterLabels = {
  stopped: 'Kubernetes stopped',
  starting: 'Kubernetes starting',
  running: 'Kubernetes running',
  stopping: 'Kubernetes stopping',
  error: 'Kubernetes error',
} as const;

export function StatusBar() {
  const cluster = useTopic('cluster.status', {});
  const docker = useTopic('docker.status', {});
  return (
    <footer className="status-bar">
      <span
        className="status-item"
        data-testid="cluster-state"
        data-state={cluster?.state ?? 'unknown'}
        title={cluster?.message}
      >
        <span className={`light light-${cluster?.state ?? 'unknown'}`} aria-hidden="true" />
        {cluster ? clusterLabels[cluster.state] : 'Kubernetes …'}
      </span>
      <span
        className="status-item"
        data-testid="docker-state"
        data-state={docker?.state ?? 'unknown'}
        title={docker?.message}
      >
        <span
          className={`light light-${docker?.state === 'running' ? 'running' : docker ? 'error' : 'unknown'}`}
          aria-hidden="true"
        />
        {docker
          ? docker.state === 'running'
            ? `Docker Engine ${docker.version ?? ''}`
            : 'Docker Engine unreachable'
          : 'Docker Engine …'}
      </span>
      <OperationsStatus />
    </footer>
  );
}
