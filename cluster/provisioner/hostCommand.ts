import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ExecError } from './execError';

/** Runs a program on the host, passing each output line to `onLine`; throws ExecError when it fails. */
export async function runHostCommand(
  argv: string[],
  options: { cwd?: string; onLine?: (line: string) => void; signal?: AbortSignal } = {},
): Promise<void> {
  const [command, ...args] = argv;
  if (!command) throw new Error('runHostCommand: empty argv');
  const child = spawn(command, args, {
    cwd: options.cwd,
    signal: options.signal,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (line: string) => {
    output = `${output}${line}\n`.slice(-4000);
    options.onLine?.(line);
  };
  createInterface({ input: child.stdout }).on('line', collect);
  createInterface({ input: child.stderr }).on('line', collect);
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  if (exitCode !== 0) throw new ExecError(argv, { exitCode, stdout: output, stderr: '' });
}
