// Control-plane benchmark: create, GET, LIST and WATCH latencies with 10,000 pods stored, and the
// memory of the process that serves them: the background host `kubedesk start --nodes 0` leaves
// running (its RSS from /proc, its V8 heap from the API server's /metrics).
// Run: npx tsx bench/apiServer.bench.ts [--pods 10000] [--store sqlite|etcd]
// Targets (SQLite): LIST of 10,000 pods ≤ 300 ms, GET p99 ≤ 5 ms, create p99 ≤ 20 ms, RSS ≤ 200 MB.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type CpuProfile, topSelfTime } from './support/cpuProfileSummary';
import { kubeClientFromKubeconfig } from './support/kubeClient';
import { percentile, pool, summary, timed } from './support/stats';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '10000' },
    store: { type: 'string', default: 'sqlite' },
    // Profiles the host (node --cpu-prof) and prints where each phase's CPU time went.
    profile: { type: 'boolean', default: false },
  },
});
const podCount = Number(values.pods);
const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-bench-api-'));
const profileDir = join(dataDir, 'cpu-profile');
const kubedesk = (...args: string[]) =>
  execFileSync(
    process.execPath,
    [join(import.meta.dirname, '..', 'bin', 'kubedesk.mjs'), ...args, '--data-dir', dataDir],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        KUBECONFIG: join(dataDir, 'user-kubeconfig'),
        ...(values.profile ? { KUBEDESK_HOST_NODE_FLAGS: `--cpu-prof --cpu-prof-dir=${profileDir}` } : {}),
      },
    },
  );

/** A /proc/<pid>/status field in MiB: VmRSS (resident now) or VmHWM (resident at its peak). */
const procMiB = (pid: number, field: 'VmRSS' | 'VmHWM') => {
  const line =
    readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`)) ?? '';
  return Number(line.replace(/\D+/g, '')) / 1024;
};
const rssMiB = (pid: number) => procMiB(pid, 'VmRSS');

/** Resolves, with the time it took, once the process has used under 5 % of a core for a second. */
async function untilIdle(pid: number, timeoutMs = 120_000): Promise<number> {
  const started = performance.now();
  let quiet = 0;
  while (quiet < 2 && performance.now() - started < timeoutMs) {
    const before = cpuMs(pid);
    await new Promise((resolve) => setTimeout(resolve, 500));
    quiet = cpuMs(pid) - before < 25 ? quiet + 1 : 0;
  }
  return performance.now() - started - 1000;
}

/** CPU time (user + system, ms) the process has used so far, from /proc/<pid>/stat. On an
 * overloaded machine wall-time latencies mostly measure waiting for a core; this does not. */
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  return (ticks * 1000) / ticksPerSecond;
};
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'bench', shard: String(name.length % 7) } },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'registry.local/bench:1',
        resources: { requests: { cpu: '10m', memory: '16Mi' } },
      },
    ],
  },
});

/** A phase's window on the monotonic clock V8 profiles use (µs), to slice the host's profile. */
interface PhaseWindow {
  name: string;
  fromUs: number;
  toUs: number;
}
const phases: PhaseWindow[] = [];
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** The samples of `profile` taken inside `window`. */
function profileSlice(profile: CpuProfile & { startTime: number }, window: PhaseWindow): CpuProfile {
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let at = profile.startTime;
  (profile.samples ?? []).forEach((id, i) => {
    const delta = profile.timeDeltas?.[i] ?? 0;
    at += delta;
    if (at < window.fromUs || at > window.toUs) return;
    samples.push(id);
    timeDeltas.push(delta);
  });
  return { nodes: profile.nodes, samples, timeDeltas };
}

kubedesk('start', '--nodes', '0', '--api-port', '0', '--store', values.store as string);
let hostPid = 0;
try {
  const status = JSON.parse(kubedesk('status', '-o', 'json'));
  hostPid = status.pid;
  const client = kubeClientFromKubeconfig(kubedesk('kubeconfig').trim());
  const memory = async (when: string) => {
    const metrics = (await client.call('GET', '/metrics')).text;
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]) / 2 ** 20;
    console.log(
      `host memory ${when}: RSS ${rssMiB(status.pid).toFixed(0)} MiB (peak ${procMiB(status.pid, 'VmHWM').toFixed(0)}), V8 heap used ${gauge('nodejs_heap_size_used_bytes').toFixed(0)} of ${gauge('nodejs_heap_size_total_bytes').toFixed(0)} MiB`,
    );
  };
  /** Runs one phase of `requests` requests and prints the host's and this client's CPU time per
   * request next to the wall time, with the machine's load average. */
  const phase = async <T>(name: string, requests: number, work: () => Promise<T>): Promise<[T, number]> => {
    const hostBefore = cpuMs(status.pid);
    const clientBefore = process.cpuUsage();
    const fromUs = monotonicUs();
    const [result, wallMs] = await timed(work);
    phases.push({ name, fromUs, toUs: monotonicUs() });
    const hostCpu = cpuMs(status.pid) - hostBefore;
    const clientUsage = process.cpuUsage(clientBefore);
    const clientCpu = (clientUsage.user + clientUsage.system) / 1000;
    console.log(
      `  ${name}: wall ${wallMs.toFixed(0)} ms, host CPU ${hostCpu.toFixed(0)} ms (${(hostCpu / requests).toFixed(3)} ms/request, ${((100 * hostCpu) / wallMs).toFixed(0)}% of one core), bench client CPU ${clientCpu.toFixed(0)} ms; load average ${loadAverage()}`,
    );
    return [result, wallMs];
  };
  const command = readFileSync(`/proc/${status.pid}/cmdline`, 'utf8').split('\0').slice(0, 3).join(' ');
  console.log(`API server ${client.server} (store: ${values.store})`);
  console.log(
    `serving process: the background host of \`kubedesk start --nodes 0\`, pid ${status.pid}: ${command}`,
  );
  console.log(`machine: ${cpus().length} cores, load average ${loadAverage()}`);
  await new Promise((resolve) => setTimeout(resolve, 2000)); // let start-up work settle
  await memory('idle');

  const creates: number[] = [];
  const [, createTotal] = await phase('create', podCount, () =>
    pool(podCount, 8, async (i) => {
      const [res, ms] = await timed(() =>
        client.call('POST', '/api/v1/namespaces/default/pods', pod(`bench-${i}`)),
      );
      if (res.status !== 201) throw new Error(`create bench-${i}: ${res.status} ${res.text}`);
      creates.push(ms);
    }),
  );
  console.log(`create: ${summary(creates)}, ${(podCount / (createTotal / 1000)).toFixed(0)} pods/s`);
  // The scheduler and the controllers work in their own turns of the event loop, after the
  // requests waiting for the host: what they still have to do once the creates are answered is
  // measured here, and the reads below run against a host at rest.
  const [settled] = await phase('settle (no requests, until the host is idle)', 1, () =>
    untilIdle(status.pid),
  );
  console.log(`scheduler and controllers caught up ${(settled / 1000).toFixed(1)} s after the last create`);
  await memory(`with ${podCount} pods`);

  const gets: number[] = [];
  const [, getTotal] = await phase('GET', 2000, () =>
    pool(2000, 4, async () => {
      const name = `bench-${Math.floor(Math.random() * podCount)}`;
      const [res, ms] = await timed(() => client.call('GET', `/api/v1/namespaces/default/pods/${name}`));
      if (res.status !== 200) throw new Error(`get ${name}: ${res.status}`);
      gets.push(ms);
    }),
  );
  console.log(`GET: ${summary(gets)}, ${(gets.length / (getTotal / 1000)).toFixed(0)} requests/s`);

  const lists: number[] = [];
  let listBytes = 0;
  await phase('LIST', 10, async () => {
    for (let i = 0; i < 10; i++) {
      const [res, ms] = await timed(() => client.call('GET', '/api/v1/namespaces/default/pods'));
      listBytes = res.text.length;
      lists.push(ms);
    }
  });
  console.log(`LIST ${podCount} pods: ${summary(lists)}, ${(listBytes / 1024 / 1024).toFixed(1)} MiB`);

  const rv = JSON.parse((await client.call('GET', '/api/v1/namespaces/default/pods?limit=1')).text).metadata
    .resourceVersion;
  const sentAt = new Map<string, number>();
  const watchDelays: number[] = [];
  const watch = client.stream(
    `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}&labelSelector=app=watched`,
    (line) => {
      const event = JSON.parse(line);
      const started = sentAt.get(event.object?.metadata?.name);
      if (event.type === 'ADDED' && started !== undefined) watchDelays.push(performance.now() - started);
    },
  );
  await phase('WATCH (200 creates)', 200, async () => {
    for (let i = 0; i < 200; i++) {
      const body = pod(`watched-${i}`);
      body.metadata.labels.app = 'watched';
      sentAt.set(body.metadata.name, performance.now());
      await client.call('POST', '/api/v1/namespaces/default/pods', body);
    }
    const deadline = Date.now() + 10_000;
    while (watchDelays.length < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  });
  watch.close();
  console.log(`WATCH create→event: ${summary(watchDelays)}`);

  await memory(`with ${podCount} pods, after the LISTs`);
  console.log(
    `targets: LIST ≤ 300 ms (${percentile(lists, 50).toFixed(0)}), GET p99 ≤ 5 ms (${percentile(gets, 99).toFixed(2)}), create p99 ≤ 20 ms (${percentile(creates, 99).toFixed(2)}), RSS ≤ 200 MB (${rssMiB(status.pid).toFixed(0)})`,
  );
} finally {
  kubedesk('stop');
}

if (values.profile) {
  // node writes the profile as the host exits; `kubedesk stop` returns once it has.
  const file = readdirSync(profileDir).find((name) => name.includes(`.${hostPid}.`));
  if (!file) throw new Error(`no CPU profile of the host (pid ${hostPid}) in ${profileDir}`);
  const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8'));
  for (const window of phases) {
    console.log(`host CPU profile, ${window.name} (self time):`);
    for (const line of topSelfTime(profileSlice(profile, window), 15)) console.log(`  ${line}`);
  }
}
