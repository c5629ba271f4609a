// `/metrics`: the process figures kube-apiserver exports (process_resident_memory_bytes, ...) plus
// the V8 heap's, in the Prometheus text format, so benchmarks and people can watch the memory of
// the process that really serves. Non-public: like kube-apiserver's, it needs an authenticated user.

const gauges: [name: string, help: string, read: (m: NodeJS.MemoryUsage) => number][] = [
  ['process_resident_memory_bytes', 'Resident memory size in bytes.', (m) => m.rss],
  ['nodejs_heap_size_total_bytes', 'V8 heap size in bytes.', (m) => m.heapTotal],
  ['nodejs_heap_size_used_bytes', 'V8 heap in use in bytes.', (m) => m.heapUsed],
  ['nodejs_external_memory_bytes', 'Memory of C++ objects bound to JavaScript objects.', (m) => m.external],
];

export function processMetricsText(): string {
  const usage = process.memoryUsage();
  return gauges
    .map(([name, help, read]) => `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${read(usage)}\n`)
    .join('');
}
