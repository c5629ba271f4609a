import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../../../cluster/log';
import { spawnPty } from './hostShell';
import type { TerminalOutput, TerminalSession } from './terminalContract';
import { TerminalSessions } from './terminalSessions';

// Real `sh` processes in real pseudo-terminals; only the choice of shell is fixed for the test.

const KiB = 1024;

function shSessions(flow?: { maxChunkBytes: number; highWaterBytes: number }) {
  return new TerminalSessions({
    log: nullLogger,
    flow,
    spawn: async (request) => ({
      process: spawnPty('/bin/sh', [], {
        cols: request.cols,
        rows: request.rows,
        cwd: tmpdir(),
        env: { PATH: process.env.PATH, HOME: tmpdir(), PS1: '$ ', TERM: 'xterm-256color' },
      }),
      title: 'sh',
      notices: [],
    }),
  });
}

/** Attaches to a session, acknowledging everything at once, and keeps the decoded text. */
function reader(sessions: TerminalSessions, session: TerminalSession) {
  const state = { text: '', exit: undefined as TerminalOutput | undefined };
  const detach = sessions.attach(session.id, (output) => {
    if (output.type === 'exit') {
      state.exit = output;
      return;
    }
    const bytes = Buffer.from(output.data, 'base64');
    state.text += bytes.toString('utf8');
    sessions.acknowledge(session.id, bytes.length);
  });
  return { state, detach };
}

/** Whether `pid` still runs. A killed orphan is re-parented to pid 1, which may leave it a zombie for
 * a while (here it does), so a zombie counts as ended. */
const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
};

describe('terminal sessions (real sh in a pty)', () => {
  let sessions: TerminalSessions;
  afterEach(async () => {
    await sessions.closeAll();
  });

  it('runs what is typed and streams the output', async () => {
    sessions = shSessions();
    const session = await sessions.open({ kind: 'host', cols: 80, rows: 24 });
    expect(session.pid).toBeGreaterThan(0);
    const { state } = reader(sessions, session);
    sessions.write(session.id, 'echo kd-$((40+2))\r');
    await expect.poll(() => state.text).toContain('kd-42\r\n');
  });

  it('passes a resize to the terminal', async () => {
    sessions = shSessions();
    const session = await sessions.open({ kind: 'host', cols: 80, rows: 24 });
    const { state } = reader(sessions, session);
    sessions.resize(session.id, 132, 40);
    sessions.write(session.id, 'stty size\r');
    await expect.poll(() => state.text).toContain('40 132\r\n');
  });

  it('reports the exit status after the last output', async () => {
    sessions = shSessions();
    const session = await sessions.open({ kind: 'host', cols: 80, rows: 24 });
    const { state } = reader(sessions, session);
    sessions.write(session.id, 'echo bye; exit 3\r');
    await expect.poll(() => state.exit).toEqual({ type: 'exit', exitCode: 3 });
    expect(state.text).toContain('bye\r\n');
  });

  it('ends the shell and the jobs it started when the session closes', async () => {
    sessions = shSessions();
    const session = await sessions.open({ kind: 'host', cols: 80, rows: 24 });
    const { state } = reader(sessions, session);
    sessions.write(session.id, 'sleep 1000 & echo "bg=$!"\r');
    await expect.poll(() => /bg=(\d+)/.exec(state.text)?.[1]).toBeDefined();
    const background = Number(/bg=(\d+)/.exec(state.text)?.[1]);
    const shell = session.pid as number;
    expect(isRunning(shell)).toBe(true);
    expect(isRunning(background)).toBe(true);

    await sessions.close(session.id);
    expect(sessions.count).toBe(0);
    await expect.poll(() => isRunning(shell)).toBe(false);
    await expect.poll(() => isRunning(background)).toBe(false);
    expect(() => sessions.write(session.id, 'x')).toThrow(/does not exist/);
  });

  it('closes the session when its output consumer goes away', async () => {
    sessions = shSessions();
    const session = await sessions.open({ kind: 'host', cols: 80, rows: 24 });
    const { detach } = reader(sessions, session);
    detach();
    await expect.poll(() => isRunning(session.pid as number)).toBe(false);
    expect(sessions.count).toBe(0);
  });

  it('pauses a flooding program while output is unacknowledged and resumes it on acknowledgement', async () => {
    const highWater = 256 * KiB;
    sessions = shSessions({ maxChunkBytes: 64 * KiB, highWaterBytes: highWater });
    const session = await sessions.open({ kind: 'host', cols: 80, rows: 24 });
    let unacked = 0;
    let maxUnacked = 0;
    let received = 0;
    // Only the end of the output matters; keeping all 20 MB as text would make the test slow.
    let tail = '';
    sessions.attach(session.id, (output) => {
      if (output.type !== 'data') return;
      const bytes = Buffer.from(output.data, 'base64');
      expect(bytes.length).toBeLessThanOrEqual(64 * KiB);
      unacked += bytes.length;
      received += bytes.length;
      maxUnacked = Math.max(maxUnacked, unacked);
      tail = (tail + bytes.toString('latin1')).slice(-200);
    });
    // About 20 MB, far more than the bound: without acknowledgements it must stall.
    sessions.write(session.id, 'yes flood | head -c 20000000; echo flood-$((1+1))-done\r');
    await expect.poll(() => unacked).toBeGreaterThan(highWater - 64 * KiB);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(maxUnacked).toBeLessThanOrEqual(highWater);
    expect(received).toBeLessThan(2 * highWater);

    // Acknowledge as a renderer would, a little behind, until the program finishes.
    while (!tail.includes('flood-2-done\r\n')) {
      const bytes = unacked;
      unacked = 0;
      if (bytes > 0) sessions.acknowledge(session.id, bytes);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(maxUnacked).toBeLessThanOrEqual(highWater);
    // The tty turns each \n into \r\n, so 20 MB of lines arrive as a little more.
    expect(received).toBeGreaterThan(20_000_000);
  });

  it('refuses kinds the spawner cannot open, and unknown sessions', async () => {
    sessions = shSessions();
    expect(() => sessions.acknowledge('nope', 1)).toThrow(/does not exist/);
    await expect(sessions.close('nope')).resolves.toBeUndefined();
  });
});
