import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { signalTaggedCommand, taggedShellCommand } from './taggedShell';

// The commands run in this machine's own `sh`, as they would inside a container.

const run = promisify(execFile);
/** Alive and not a zombie: orphans here are reaped by a PID 1 that may never do it. */
const isRunning = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

describe.runIf(process.platform === 'linux')('tagged shells', () => {
  it('ends the shell and what it started, and nothing else, when its tag is signalled', async () => {
    const tag = randomUUID();
    const [file, ...args] = taggedShellCommand(tag);
    const shell = spawn(file as string, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    const other = spawn('sleep', ['60']);
    let output = '';
    shell.stdout.on('data', (data: Buffer) => (output += data.toString()));
    const exited = new Promise<number | null>((resolve) =>
      shell.once('exit', (_code, signal) => resolve(signal ? 1 : 0)),
    );
    shell.stdin.write('sleep 60 & echo "pids $$ $!"\n');
    await expect.poll(() => output).toMatch(/pids \d+ \d+/);
    const [shellPid, jobPid] = (/pids (\d+) (\d+)/.exec(output) ?? []).slice(1).map(Number) as [
      number,
      number,
    ];
    expect(shellPid).toBe(shell.pid);
    expect(isRunning(jobPid)).toBe(true);

    const [signalFile, ...signalArgs] = signalTaggedCommand(tag, 'HUP');
    await run(signalFile as string, signalArgs);
    await exited;
    await expect.poll(() => isRunning(jobPid)).toBe(false);
    expect(isRunning(other.pid as number)).toBe(true);
    other.kill();
  });

  it('signals nothing when no process holds the tag', async () => {
    const [file, ...args] = signalTaggedCommand(randomUUID(), 'KILL');
    await expect(run(file as string, args)).resolves.toMatchObject({ stdout: '', stderr: '' });
  });
});
