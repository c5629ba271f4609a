import type Docker from 'dockerode';

// Runs a command in a container to completion (probes, exec hooks), returning its exit code;
// output is discarded. A timeout counts as failure.
export async function execToCompletion(
  docker: Docker,
  containerId: string,
  command: string[],
  timeoutMs: number,
): Promise<number> {
  const exec = await docker
    .getContainer(containerId)
    .exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  stream.resume();
  const ended = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([ended, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    stream.destroy();
    return -1;
  }
  return (await exec.inspect()).ExitCode ?? -1;
}
