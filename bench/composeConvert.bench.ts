// Converts a generated 100-service compose file and prints how long each phase takes, as wall
// time and as CPU time (process.cpuUsage: far less sensitive to other load on a shared machine).
// Run: npx tsx bench/composeConvert.bench.ts   (target: load + convert + YAML ≤ 200 ms)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { convertCompose } from '../cluster/compose/convert/convertCompose';
import { toYamlStream } from '../cluster/compose/convert/serialize';
import { loadComposeProject } from '../cluster/compose/loadComposeProject';
import type { LoadPhase } from '../cluster/compose/phaseTimer';

const SERVICES = 100;
const RUNS = 20;

function composeFile(): string {
  const lines = ['services:'];
  for (let i = 0; i < SERVICES; i++) {
    lines.push(
      `  svc${i}:`,
      `    image: "registry.example.com/app${i}:\${TAG:-1.0}"`,
      '    command: ["sh", "-c", "exec server --port 8080"]',
      `    ports: ["${10000 + i}:8080", "${20000 + i}:9090/udp"]`,
      '    environment:',
      `      NAME: svc${i}`,
      '      LOG_LEVEL: info',
      `    volumes: ["data${i}:/data", "./conf${i}:/etc/app:ro"]`,
      '    healthcheck: { test: ["CMD", "true"], interval: 10s, timeout: 2s, retries: 3 }',
      `    labels: { kompose.service.type: nodeport, team: "t${i % 7}" }`,
      '    deploy: { replicas: 2, resources: { limits: { cpus: "0.5", memory: 256M } } }',
      ...(i > 0 ? [`    depends_on: { svc${i - 1}: { condition: service_healthy } }`] : []),
    );
  }
  lines.push('volumes:', ...Array.from({ length: SERVICES }, (_, i) => `  data${i}: {}`));
  return `${lines.join('\n')}\n`;
}

type Phase = LoadPhase | 'other load' | 'convert' | 'serialise' | 'total';
const PHASES: Phase[] = ['parse', 'interpolate', 'validate', 'other load', 'convert', 'serialise', 'total'];
interface Cost {
  wall: number;
  cpu: number;
}
type RunCosts = Record<Phase, Cost>;

function measure<T>(run: () => T): [T, Cost] {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(cpu);
  return [result, { wall: performance.now() - wall, cpu: (used.user + used.system) / 1000 }];
}

function convertOnce(dir: string): { costs: RunCosts; objects: number } {
  const costs = Object.fromEntries(PHASES.map((p) => [p, { wall: 0, cpu: 0 }])) as RunCosts;
  const add = (phase: Phase, cost: Cost) => {
    costs[phase].wall += cost.wall;
    costs[phase].cpu += cost.cpu;
  };
  const [project, load] = measure(() =>
    loadComposeProject({
      files: ['compose.yaml'],
      interpolate: true,
      profiles: [],
      env: {},
      cwd: dir,
      timer: (phase, run) => {
        const [result, cost] = measure(run);
        add(phase, cost);
        return result;
      },
    }),
  );
  const inner = (['parse', 'interpolate', 'validate'] as const).map((p) => costs[p]);
  add('other load', {
    wall: load.wall - inner.reduce((sum, c) => sum + c.wall, 0),
    cpu: load.cpu - inner.reduce((sum, c) => sum + c.cpu, 0),
  });
  const [result, convert] = measure(() => convertCompose(project, { withKomposeAnnotation: false }));
  add('convert', convert);
  add('serialise', measure(() => toYamlStream(result.objects))[1]);
  add('total', {
    wall: load.wall + convert.wall + costs.serialise.wall,
    cpu: load.cpu + convert.cpu + costs.serialise.cpu,
  });
  return { costs, objects: result.objects.length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const ms = (value: number) => value.toFixed(1).padStart(7);

const dir = mkdtempSync(join(tmpdir(), 'kubedesk-bench-'));
try {
  writeFileSync(join(dir, 'compose.yaml'), composeFile());
  const loadBefore = loadAverage();
  // The first run pays what a one-shot CLI pays: schema compilation and cold JIT.
  const first = convertOnce(dir);
  const runs: RunCosts[] = [];
  for (let run = 0; run < RUNS; run++) runs.push(convertOnce(dir).costs);
  console.log(
    `load average before: ${loadBefore}, after: ${loadAverage()} (${availableParallelism()} cores)`,
  );
  console.log(`${SERVICES} services → ${first.objects} objects; ms, wall / CPU; then ${RUNS} runs`);
  console.log(
    `  ${'phase'.padEnd(12)} ${'first run'.padStart(15)}   ${'median'.padStart(15)}   ${'best'.padStart(15)}`,
  );
  for (const phase of PHASES) {
    const walls = runs.map((r) => r[phase].wall);
    const cpus = runs.map((r) => r[phase].cpu);
    console.log(
      `  ${phase.padEnd(12)} ${ms(first.costs[phase].wall)} /${ms(first.costs[phase].cpu)}` +
        `   ${ms(median(walls))} /${ms(median(cpus))}   ${ms(Math.min(...walls))} /${ms(Math.min(...cpus))}`,
    );
  }
  const total = runs.map((r) => r.total);
  const met = (value: number) => (value <= 200 ? 'met' : 'NOT met');
  console.log(
    `target: total ≤ 200 ms → median wall ${met(median(total.map((c) => c.wall)))}, ` +
      `median CPU ${met(median(total.map((c) => c.cpu)))}, first run wall ${met(first.costs.total.wall)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
