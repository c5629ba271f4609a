import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../../../cluster/log';
import { labelKeys, roles } from '../../../cluster/provisioner/labels';
import { createDockerProvider } from '../../../cluster/provisioner/providers/dockerProvider';
import { importBusyboxImage } from '../../../cluster/provisioner/testImages';
import { findNodeContainer, nodeShellSpawner } from './nodeShell';
import { terminalTagVariable } from './taggedShell';
import type { TerminalOpen, TerminalOutput } from './terminalContract';
import { TerminalSessions } from './terminalSessions';

// A busybox container labelled as a node of a cluster of this test's own stands in for a node
// container: the shell goes through the real engine exactly as it does into a node.

const docker = new Docker();
const cluster = `kubedesk-term-${randomBytes(4).toString('hex')}`;
const node = `${cluster}-node-1`;
const image = `kubedesk-test-busybox:${cluster}`;

async function run(argv: string[]): Promise<string> {
  const exec = await docker.getContainer(node).exec({ Cmd: argv, AttachStdout: true });
  const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream;
  const parts: Buffer[] = [];
  stream.on('data', (part: Buffer) => parts.push(part));
  await new Promise((resolve) => stream.on('end', resolve));
  return Buffer.concat(parts).toString('latin1');
}

/** The container's processes whose environment holds a terminal tag. */
const taggedProcesses = async () =>
  (await run(['sh', '-c', `grep -ls ${terminalTagVariable}= /proc/[0-9]*/environ; true`]))
    .split('\n')
    .filter((line) => line.includes('/proc/'));

beforeAll(async () => {
  await importBusyboxImage(createDockerProvider({ docker }), image);
  const container = await docker.createContainer({
    name: node,
    Image: image,
    Hostname: node,
    Cmd: ['sleep', '100000'],
    Labels: { [labelKeys.cluster]: cluster, [labelKeys.role]: roles.node },
  });
  await container.start();
}, 60_000);

afterAll(async () => {
  await docker
    .getContainer(node)
    .remove({ force: true })
    .catch(() => undefined);
  await docker
    .getImage(image)
    .remove({ force: true })
    .catch(() => undefined);
});

const nodeShell = nodeShellSpawner({ cluster, log: nullLogger, docker: async () => docker });
const nodeShells = async (request: TerminalOpen) => {
  if (request.kind !== 'node') throw new Error(`this test opens node shells, not ${request.kind} shells`);
  return nodeShell(request);
};

describe('node shells through the Docker engine', () => {
  it('finds only running node containers of its own cluster', async () => {
    expect(await findNodeContainer(docker, cluster, node)).toMatch(/^[0-9a-f]{64}$/);
    await expect(findNodeContainer(docker, cluster, `${cluster}-node-9`)).rejects.toThrow(
      `node ${cluster}-node-9 has no running container in cluster ${cluster} (running: ${node})`,
    );
    await expect(findNodeContainer(docker, `${cluster}-other`, node)).rejects.toThrow(
      /has no running container/,
    );
  });

  it('runs a shell in the node with its size, follows resizes, and ends everything on close', async () => {
    const sessions = new TerminalSessions({
      log: nullLogger,
      spawn: nodeShells,
    });
    const session = await sessions.open({ kind: 'node', node, cols: 100, rows: 30 });
    expect(session.title).toBe(node);
    let text = '';
    const ends: TerminalOutput[] = [];
    sessions.attach(session.id, (output) => {
      if (output.type === 'exit') ends.push(output);
      else {
        const bytes = Buffer.from(output.data, 'base64');
        text += bytes.toString('utf8');
        sessions.acknowledge(session.id, bytes.length);
      }
    });
    // Typed ahead of the shell's start, the line sometimes met a terminal not yet set up ("stty:
    // standard input: No child processes") on a loaded machine: wait for the prompt.
    await expect.poll(() => text, { timeout: 10_000 }).toContain('# ');
    sessions.write(session.id, 'hostname; stty size\r');
    await expect.poll(() => text, { timeout: 10_000 }).toContain(`\r\n${node}\r\n30 100\r\n`);
    sessions.resize(session.id, 90, 25);
    sessions.write(session.id, 'stty size; sleep 1000 & sleep 1001\r');
    await expect.poll(() => text, { timeout: 10_000 }).toContain('\r\n25 90\r\n');
    expect((await taggedProcesses()).length).toBeGreaterThanOrEqual(3);

    await sessions.close(session.id);
    await expect.poll(taggedProcesses, { timeout: 10_000 }).toEqual([]);
    expect(sessions.count).toBe(0);
  });

  it('reports the exit code of a shell that exits', async () => {
    const sessions = new TerminalSessions({
      log: nullLogger,
      spawn: nodeShells,
    });
    const session = await sessions.open({ kind: 'node', node, cols: 80, rows: 24 });
    const ends: TerminalOutput[] = [];
    sessions.attach(session.id, (output) => {
      if (output.type === 'exit') ends.push(output);
      else sessions.acknowledge(session.id, Buffer.from(output.data, 'base64').length);
    });
    sessions.write(session.id, 'exit 7\r');
    await expect.poll(() => ends, { timeout: 10_000 }).toEqual([{ type: 'exit', exitCode: 7 }]);
    await sessions.close(session.id);
  });
});
