// Converts a generated 100-service compose file and prints how long each stage takes.
// Run: npx tsx bench/composeConvert.bench.ts   (target: load + convert + YAML ≤ 200 ms)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { convertCompose } from '../cluster/compose/convert/convertCompose';
import { toYamlStream } from '../cluster/compose/convert/serialize';
import { loadComposeProject } from '../cluster/compose/loadComposeProject';

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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const dir = mkdtempSync(join(tmpdir(), 'kubedesk-bench-'));
try {
  writeFileSync(join(dir, 'compose.yaml'), composeFile());
  const timings = {
    load: [] as number[],
    convert: [] as number[],
    yaml: [] as number[],
    total: [] as number[],
  };
  let objects = 0;
  for (let run = 0; run <= RUNS; run++) {
    const t0 = performance.now();
    const project = loadComposeProject({
      files: ['compose.yaml'],
      interpolate: true,
      profiles: [],
      env: {},
      cwd: dir,
    });
    const t1 = performance.now();
    const result = convertCompose(project, { withKomposeAnnotation: false });
    const t2 = performance.now();
    toYamlStream(result.objects);
    const t3 = performance.now();
    objects = result.objects.length;
    if (run === 0) {
      console.log(`first run (schema compile, cold JIT): ${(t3 - t0).toFixed(1)} ms`);
      continue;
    }
    timings.load.push(t1 - t0);
    timings.convert.push(t2 - t1);
    timings.yaml.push(t3 - t2);
    timings.total.push(t3 - t0);
  }
  console.log(`${SERVICES} services → ${objects} objects, median of ${RUNS} runs:`);
  for (const [stage, values] of Object.entries(timings)) {
    console.log(`  ${stage.padEnd(8)} ${median(values).toFixed(1).padStart(7)} ms`);
  }
  console.log(`target: total ≤ 200 ms → ${median(timings.total) <= 200 ? 'met' : 'NOT met'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
