import type { ComposeService } from '../types';
import type { WarningSink } from './warnings';

// Compose keys with no Kubernetes counterpart in this conversion. kompose drops most of them
// silently; we name each one so a person knows what did not make it.

const NOT_CARRIED_OVER = new Set([
  'blkio_config',
  'cgroup',
  'cgroup_parent',
  'cpu_count',
  'cpu_percent',
  'cpu_period',
  'cpu_quota',
  'cpu_rt_period',
  'cpu_rt_runtime',
  'cpu_shares',
  'cpuset',
  'credential_spec',
  'develop',
  'device_cgroup_rules',
  'devices',
  'dns',
  'dns_opt',
  'dns_search',
  'external_links',
  'gpus',
  'init',
  'ipc',
  'isolation',
  'logging',
  'mac_address',
  'mem_swappiness',
  'memswap_limit',
  'oom_kill_disable',
  'oom_score_adj',
  'pids_limit',
  'platform',
  'post_start',
  'pre_stop',
  'pull_policy',
  'runtime',
  'security_opt',
  'shm_size',
  'stop_signal',
  'storage_opt',
  'sysctls',
  'ulimits',
  'userns_mode',
  'uts',
  'volumes_from',
]);

export function reportDroppedKeys(
  service: ComposeService,
  warnings: WarningSink,
  waitForHealthy: boolean,
): void {
  for (const key of service.keys) {
    if (NOT_CARRIED_OVER.has(key)) warnings.dropped(service.name, key);
  }
  if (service.build) {
    warnings.dropped(
      service.name,
      'build',
      `is not carried over: the image ${JSON.stringify(service.image ?? service.name)} must exist in a registry or on the nodes`,
    );
  }
  if (service.keys.includes('scale') && service.deploy?.replicas === undefined)
    warnings.dropped(service.name, 'scale', 'is not carried over: use deploy.replicas');
  if (service.network_mode && !service.network_mode.startsWith('service:'))
    warnings.dropped(service.name, 'network_mode');
  if (service.pid === 'host') warnings.dropped(service.name, 'pid');
  for (const [dep, spec] of Object.entries(service.depends_on)) {
    if (spec.condition !== 'service_healthy' || !waitForHealthy) {
      warnings.dropped(
        service.name,
        `depends_on.${dep}`,
        'is not carried over: Kubernetes starts all workloads at once',
      );
    }
  }
  if (service.ports.some((p) => p.host_ip))
    warnings.dropped(service.name, 'ports', 'host_ip is not carried over');
}
