import { setTimeout as sleep } from 'node:timers/promises';
import type { V1LifecycleHandler } from '@kubernetes/client-node';
import { httpGet } from './httpGetAction';
import type { ProbeTarget } from './probes';

// A container's postStart or preStop handler, run as the kubelet's handler runner does: exec in
// the container (a non-zero exit fails), an HTTP GET (only a failed request fails, the status code
// does not count), or a sleep. tcpSocket is accepted by the API for compatibility but never runs.

export interface HookTarget extends ProbeTarget {
  /** Names the hook's owner in failure messages: the container, and the pod as `name_namespace(uid)`. */
  container: string;
  pod: string;
}

/**
 * Resolves once the handler succeeded; rejects with the kubelet's message saying why it failed,
 * also when `signal` cuts it short (a preStop hook out of grace period, a postStart hook whose pod
 * is being deleted).
 */
export async function runLifecycleHandler(
  handler: V1LifecycleHandler,
  target: HookTarget,
  signal: AbortSignal,
): Promise<void> {
  const owner = `for Container "${target.container}" in Pod "${target.pod}"`;
  const fail = (hook: string, error: string): never => {
    throw new Error(`${hook} ${owner} failed - error: ${error}`);
  };
  if (handler.exec) {
    const command = (handler.exec.command ?? []).join(' ');
    const hook = `Exec lifecycle hook ([${command}])`;
    const code = await target
      .exec(handler.exec.command ?? [], signal)
      .catch((err: Error) => fail(hook, err.message));
    if (code === -1) fail(hook, `command '${command}' was stopped before it finished`);
    if (code !== 0) fail(hook, `command '${command}' exited with ${code}`);
    return;
  }
  if (handler.httpGet) {
    const hook = `HTTP lifecycle hook (${handler.httpGet.path ?? '/'})`;
    await httpGet(handler.httpGet, target, signal).catch((err: Error) => fail(hook, err.message));
    return;
  }
  if (handler.sleep) {
    const hook = `Sleep lifecycle hook (${handler.sleep.seconds})`;
    await sleep(handler.sleep.seconds * 1000, undefined, { signal }).catch(() =>
      fail(hook, 'container terminated before sleep hook finished'),
    );
    return;
  }
  throw new Error(`Cannot run handler ${owner}: invalid handler`);
}
