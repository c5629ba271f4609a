import type { ForwarderEngine } from './forwarderEngine';
import type { ForwarderPlan } from './planExposure';

// Brings the cluster's forwarder containers to the plan: containers no longer planned, made from
// another spec, or not running are removed first (their host ports are freed before anything
// claims them), then the missing ones are created. A forwarder the engine refuses (a host port in
// use) is returned with the engine's words, for the Service's events.

export interface ForwarderFailure {
  forwarder: ForwarderPlan;
  message: string;
}

export interface SyncResult {
  /** Planned forwarders now running (created by this sync or before). */
  running: ForwarderPlan[];
  /** Created by this sync. */
  created: ForwarderPlan[];
  failed: ForwarderFailure[];
}

/** The engine's own message (dockerode puts it on `json.message`), else the error's. */
export const engineMessage = (err: unknown): string =>
  (err as { json?: { message?: string } }).json?.message ?? (err as Error).message ?? String(err);

export async function syncForwarders(
  engine: ForwarderEngine,
  cluster: string,
  planned: ForwarderPlan[],
): Promise<SyncResult> {
  const wanted = new Map(planned.map((plan) => [plan.name, plan]));
  const existing = await engine.list(cluster);
  const keep = existing.filter((c) => c.running && wanted.get(c.name)?.specHash === c.specHash);
  const kept = new Set(keep.map((c) => c.name));
  await Promise.all(existing.filter((c) => !keep.includes(c)).map((c) => engine.remove(c)));
  const result: SyncResult = { running: planned.filter((p) => kept.has(p.name)), created: [], failed: [] };
  await Promise.all(
    planned
      .filter((plan) => !kept.has(plan.name))
      .map(async (plan) => {
        try {
          await engine.create(plan);
          result.created.push(plan);
          result.running.push(plan);
        } catch (err) {
          result.failed.push({ forwarder: plan, message: engineMessage(err) });
        }
      }),
  );
  return result;
}

/** Removes every forwarder of the cluster (the cluster stops, or exposure is switched off). */
export async function removeForwarders(engine: ForwarderEngine, cluster: string): Promise<void> {
  await Promise.all((await engine.list(cluster)).map((c) => engine.remove(c)));
}
