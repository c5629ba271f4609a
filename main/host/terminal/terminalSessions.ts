import { randomUUID } from 'node:crypto';
import type { Logger } from '../../../cluster/log';
import { ContractError } from '../dispatcher';
import { OutputFlow, type OutputFlowOptions } from './outputFlow';
import type { TerminalOpen, TerminalOutput, TerminalSession, TerminalTargets } from './terminalContract';
import type { SpawnedTerminal, TerminalExit, TerminalProcess } from './terminalProcess';

// The open terminal sessions of the host. A session lives until its tab closes it, its one output
// consumer goes away (the renderer reloaded or quit), or the host stops: none outlives the app.

export type SpawnTerminal = (request: TerminalOpen) => Promise<SpawnedTerminal>;

export interface TerminalSessionsOptions {
  /** Starts the process of a session; rejects kinds it cannot open. */
  spawn: SpawnTerminal;
  log: Logger;
  flow?: OutputFlowOptions;
  /** How long a hung-up session gets to exit before it is killed. */
  closeGraceMs?: number;
  /** The pods and nodes shells can be opened in, for the Terminal page's picker. */
  targets?: () => Promise<TerminalTargets>;
}

interface Session {
  info: TerminalSession;
  process: TerminalProcess;
  flow: OutputFlow;
  exit?: TerminalExit;
  exited: Promise<void>;
}

export class UnsupportedTerminalError extends Error {
  override name = 'UnsupportedTerminalError';
  readonly code = 'NotSupported';
}

const waitFor = (done: Promise<void>, ms: number) =>
  new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void done.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });

export class TerminalSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly options: TerminalSessionsOptions) {}

  get count(): number {
    return this.sessions.size;
  }

  async targets(): Promise<TerminalTargets> {
    if (!this.options.targets) throw new UnsupportedTerminalError('this host opens host shells only');
    return this.options.targets();
  }

  async open(request: TerminalOpen): Promise<TerminalSession> {
    const spawned = await this.options.spawn(request);
    const { process } = spawned;
    const info: TerminalSession = {
      id: randomUUID(),
      kind: request.kind,
      title: spawned.title,
      ...(process.pid !== undefined ? { pid: process.pid } : {}),
      notices: spawned.notices,
    };
    const flow = new OutputFlow(process, this.options.flow);
    let markExited = () => {};
    const session: Session = {
      info,
      process,
      flow,
      exited: new Promise((resolve) => (markExited = resolve)),
    };
    process.onData((data) => flow.push(data));
    process.onExit((exit) => {
      session.exit = exit;
      markExited();
      flow.finish();
    });
    this.sessions.set(info.id, session);
    this.options.log.info('terminal opened', { session: info.id, kind: info.kind, pid: info.pid });
    return info;
  }

  /** Streams the session's output to `emit`; the returned function detaches and closes the session. */
  attach(id: string, emit: (output: TerminalOutput) => void): () => void {
    const session = this.get(id);
    if (session.flow.attached) throw new ContractError(`terminal ${id} is already attached`);
    session.flow.attach({
      data: (chunk) => emit({ type: 'data', data: chunk.toString('base64') }),
      end: () => emit({ type: 'exit', ...(session.exit ?? { exitCode: 0 }) }),
    });
    return () => {
      session.flow.detach();
      void this.close(id);
    };
  }

  write(id: string, data: string): void {
    const session = this.get(id);
    if (!session.exit) session.process.write(data);
  }

  resize(id: string, cols: number, rows: number): void {
    const session = this.get(id);
    if (!session.exit) session.process.resize(cols, rows);
  }

  acknowledge(id: string, bytes: number): void {
    this.get(id).flow.acknowledge(bytes);
  }

  /** Hangs up the session and resolves once its process has exited (killed after a grace period). */
  async close(id: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    if (!session.exit) {
      session.flow.discard();
      session.process.hangUp();
      await waitFor(session.exited, this.options.closeGraceMs ?? 1000);
    }
    // Whatever ignored the hang-up (or outlived the shell) ends now.
    session.process.kill();
    await waitFor(session.exited, 2000);
    this.options.log.info('terminal closed', { session: id, pid: session.info.pid });
  }

  /** Ends every session; the host calls this when it stops. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }

  private get(id: string): Session {
    const session = this.sessions.get(id);
    if (!session) throw new ContractError(`terminal ${id} does not exist (it was closed)`, 'NotFound');
    return session;
  }
}
