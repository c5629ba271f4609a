// Turns a V8 CPU profile (Chrome DevTools' Profiler.stop, or node --cpu-prof) into the few
// functions that took the most time, so a benchmark can say where time goes, not only how much.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/** The `top` functions by self time, as "12.3% name (file:line)" lines; idle and GC included. */
export function topSelfTime(profile: CpuProfile, top = 12): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const file = frame.url.split('/').at(-1) ?? '';
    const name = `${frame.functionName || '(anonymous)'}${file ? ` (${file}:${frame.lineNumber + 1})` : ''}`;
    const us = deltas[i] ?? 0;
    selfUs.set(name, (selfUs.get(name) ?? 0) + us);
    total += us;
  });
  return [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => `${((100 * us) / Math.max(total, 1)).toFixed(1).padStart(5)}% ${name}`);
}
