import type { ExecResult } from './providers/nodeProvider';

const tail = (text: string, max = 800) => (text.length > max ? `…${text.slice(-max)}` : text).trim();

/** A command (inside a node or on the host) that exited non-zero: its argv, exit code and output tail. */
export class ExecError extends Error {
  readonly argv: string[];
  readonly exitCode: number;
  readonly output: string;

  constructor(argv: string[], result: Pick<ExecResult, 'exitCode' | 'stdout' | 'stderr'>) {
    const output = tail(`${result.stdout}\n${result.stderr}`);
    super(`${argv.join(' ')} exited with ${result.exitCode}${output ? `: ${output}` : ''}`);
    this.name = 'ExecError';
    this.argv = argv;
    this.exitCode = result.exitCode;
    this.output = output;
  }
}

/** Returns the result when the command succeeded, else throws ExecError. */
export function checkExec(argv: string[], result: ExecResult): ExecResult {
  if (result.exitCode !== 0) throw new ExecError(argv, result);
  return result;
}
