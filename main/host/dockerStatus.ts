import type Docker from 'dockerode';
import type { DockerStatus } from './contract';

// The Docker engine's state as the status bar shows it.

export async function readDockerStatus(docker?: Docker): Promise<DockerStatus> {
  try {
    // Loaded when first asked (a UI showing the status bar), not by every host that starts.
    const engine = docker ?? new (await import('dockerode')).default();
    const version = await engine.version();
    return { state: 'running', version: version.Version, message: `Docker Engine ${version.Version}` };
  } catch (err) {
    return { state: 'unreachable', message: `Docker Engine is not reachable: ${(err as Error).message}` };
  }
}

/** Calls `emit` with the engine state now and whenever it changes, checking every `intervalMs`. */
export function watchDockerStatus(
  emit: (status: DockerStatus) => void,
  options: { intervalMs?: number; read?: () => Promise<DockerStatus> } = {},
): () => void {
  const read = options.read ?? (() => readDockerStatus());
  let last = '';
  let stopped = false;
  const tick = async () => {
    const status = await read();
    const key = JSON.stringify(status);
    if (!stopped && key !== last) {
      last = key;
      emit(status);
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), options.intervalMs ?? 5000);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
