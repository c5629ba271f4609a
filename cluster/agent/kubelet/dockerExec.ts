import type Docker from 'dockerode';

// Runs a command in a container to completion (probes, exec hooks), returning its exit code, or
// -1 when `signal` aborts it first (a probe's timeout, a hook cut short); output is discarded.
export async function execToCompletion(
  docker: Docker,
  containerId: string,
  command: string[],
  signal: AbortSignal,
): Promise<number> {
  signal.throwIfAborted();
  const exec = await docker
    .getContainer(containerId)
    .exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  stream.resume();
  const outcome = await new Promise<'ended' | 'aborted'>((resolve) => {
    const aborted = () => resolve('aborted');
    if (signal.aborted) aborted();
    signal.addEventListener('abort', aborted, { once: true });
    const ended = () => {
      signal.removeEventListener('abort', aborted);
      resolve('ended');
    };
    stream.on('end', ended);
    stream.on('close', ended);
    stream.on('error', ended);
  });
  if (outcome === 'aborted') {
    stream.destroy();
    return -1;
  }
  return (await exec.inspect()).ExitCode ?? -1;
}
