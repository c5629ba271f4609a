import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { clusterStatusSchema } from '../../main/host/contract';

// One host process owns an installation (a data directory). It records itself in `host.json`, which
// is how `kubedesk start|stop|status` find it and how a second host refuses to start beside it.

export const hostStateSchema = z.object({
  pid: z.number().int(),
  startedAt: z.string(),
  uiUrl: z.string().optional(),
  kubeconfigPath: z.string().optional(),
  cluster: clusterStatusSchema,
});
export type HostState = z.infer<typeof hostStateSchema>;

export const hostStatePath = (dataDir: string) => join(dataDir, 'host.json');

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running host of this installation, or undefined when none runs (a stale file is ignored). */
export function readHostState(dataDir: string): HostState | undefined {
  const path = hostStatePath(dataDir);
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined; // half-written by a host that died mid-write; the pid check below can't run
  }
  const state = hostStateSchema.safeParse(parsed);
  if (!state.success || !isProcessAlive(state.data.pid)) return undefined;
  return state.data;
}

export function writeHostState(dataDir: string, state: HostState): void {
  const path = hostStatePath(dataDir);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

export function removeHostState(dataDir: string, pid: number): void {
  const path = hostStatePath(dataDir);
  if (!existsSync(path)) return;
  try {
    if (JSON.parse(readFileSync(path, 'utf8')).pid !== pid) return;
  } catch {
    // unreadable: ours to clean up
  }
  rmSync(path, { force: true });
}
