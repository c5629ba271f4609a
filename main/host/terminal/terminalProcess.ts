import type { FlowSource } from './outputFlow';

// What a session runs, whatever its kind: a host pty, an exec stream into a pod or a node. The
// session layer needs only this.

export interface TerminalExit {
  exitCode: number;
  signal?: number;
  /** Why the session ended, when that is not just an exit code (an exec the API server refused). */
  message?: string;
}

export interface TerminalProcess extends FlowSource {
  /** The process on this computer holding the terminal, when there is one. */
  readonly pid?: number;
  onData(listener: (data: Buffer) => void): void;
  onExit(listener: (exit: TerminalExit) => void): void;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Asks everything in the terminal to end (a hang-up). */
  hangUp(): void;
  /** Ends everything in the terminal at once. */
  kill(): void;
}

export interface SpawnedTerminal {
  process: TerminalProcess;
  title: string;
  notices: string[];
}
