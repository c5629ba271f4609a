import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import type * as dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { clusterDnsRecords } from './clusterDnsRecords';
import { answerQuery, rcode } from './dnsAnswer';

const services: V1Service[] = [
  {
    metadata: { name: 'web', namespace: 'default' },
    spec: { clusterIP: '10.96.1.1', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  },
  {
    metadata: { name: 'db', namespace: 'data' },
    spec: {
      clusterIP: 'None',
      ports: [
        { name: 'pg', port: 5432 },
        { name: 'metrics', port: 9187 },
      ],
    },
  },
  {
    metadata: { name: 'search', namespace: 'default' },
    spec: { type: 'ExternalName', externalName: 'example.org' },
  },
  {
    metadata: { name: 'alias', namespace: 'default' },
    spec: { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' },
  },
];

const slices: V1EndpointSlice[] = [
  {
    metadata: { name: 'web-x', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: [
      { addresses: ['10.244.1.8'], conditions: { ready: true } },
      { addresses: ['10.244.1.9'], conditions: { ready: false } },
    ],
  },
  {
    metadata: { name: 'db-x', namespace: 'data', labels: { 'kubernetes.io/service-name': 'db' } },
    addressType: 'IPv4',
    ports: [
      { name: 'pg', port: 5432, protocol: 'TCP' },
      { name: 'metrics', port: 9187, protocol: 'TCP' },
    ],
    endpoints: [
      { addresses: ['10.244.1.5'], hostname: 'db-0', conditions: { ready: true } },
      { addresses: ['10.244.2.6'], conditions: { ready: true } },
      { addresses: ['10.244.2.7'], hostname: 'db-2', conditions: { ready: false } },
    ],
  },
];

const records = clusterDnsRecords(services, slices);
const options = { ownedRanges: ['10.96.0.0/12', '10.244.0.0/16'] };

function ask(name: string, type: dnsPacket.RecordType) {
  return answerQuery(
    { id: 7, type: 'query', flags: 0x0100, questions: [{ name, type, class: 'IN' }] },
    records,
    options,
  );
}

function answered(name: string, type: dnsPacket.RecordType) {
  const outcome = ask(name, type);
  if (outcome.kind !== 'answer') throw new Error(`${name} ${type} was not answered here: ${outcome.kind}`);
  return { ...outcome.response, code: (outcome.response.flags ?? 0) & 0xf };
}

const data = (answers: dnsPacket.Answer[] | undefined) =>
  (answers ?? []).map((a) => (a as { data: unknown }).data);

describe('answerQuery', () => {
  it('answers a Service name with its cluster IP, case-insensitively, as an authoritative answer', () => {
    const response = answered('WEB.default.svc.cluster.local', 'A');
    expect(response.code).toBe(rcode.noError);
    expect(response.id).toBe(7);
    expect(response.answers).toEqual([
      { type: 'A', name: 'WEB.default.svc.cluster.local', ttl: 5, data: '10.96.1.1' },
    ]);
  });

  it('answers a headless Service with its ready endpoints, and each endpoint by hostname or dashed IP', () => {
    expect(data(answered('db.data.svc.cluster.local', 'A').answers).sort()).toEqual([
      '10.244.1.5',
      '10.244.2.6',
    ]);
    expect(data(answered('db-0.db.data.svc.cluster.local', 'A').answers)).toEqual(['10.244.1.5']);
    expect(data(answered('10-244-2-6.db.data.svc.cluster.local', 'A').answers)).toEqual(['10.244.2.6']);
    expect(answered('db-2.db.data.svc.cluster.local', 'A').code).toBe(rcode.nameError);
  });

  it('lists SRV records per named port, with the targets’ addresses as additionals', () => {
    const pg = answered('_pg._tcp.db.data.svc.cluster.local', 'SRV');
    expect(data(pg.answers)).toEqual([
      { priority: 0, weight: 50, port: 5432, target: 'db-0.db.data.svc.cluster.local' },
      { priority: 0, weight: 50, port: 5432, target: '10-244-2-6.db.data.svc.cluster.local' },
    ]);
    expect(data(pg.additionals).sort()).toEqual(['10.244.1.5', '10.244.2.6']);
    const all = answered('db.data.svc.cluster.local', 'SRV');
    expect(new Set(data(all.answers).map((d) => (d as { port: number }).port))).toEqual(
      new Set([5432, 9187]),
    );
    expect(data(answered('_http._tcp.web.default.svc.cluster.local', 'SRV').answers)).toEqual([
      { priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' },
    ]);
  });

  it('answers NXDOMAIN for names that do not exist and NODATA for existing names without that type', () => {
    const missing = answered('nope.default.svc.cluster.local', 'A');
    expect(missing.code).toBe(rcode.nameError);
    expect(missing.authorities?.[0]?.type).toBe('SOA');
    // What a search-path expansion of an already qualified name asks.
    expect(answered('web.default.svc.cluster.local.default.svc.cluster.local', 'A').code).toBe(
      rcode.nameError,
    );
    const aaaa = answered('web.default.svc.cluster.local', 'AAAA');
    expect([aaaa.code, aaaa.answers]).toEqual([rcode.noError, []]);
    expect(answered('default.svc.cluster.local', 'A').code).toBe(rcode.noError);
  });

  it('answers an ExternalName Service with a CNAME, following it upstream when it leaves the zone', () => {
    const outcome = ask('search.default.svc.cluster.local', 'A');
    expect(outcome.kind).toBe('cname');
    if (outcome.kind !== 'cname') return;
    expect(outcome.response.answers).toEqual([
      { type: 'CNAME', name: 'search.default.svc.cluster.local', ttl: 5, data: 'example.org' },
    ]);
    expect(outcome.follow).toEqual({ type: 'A', name: 'example.org', class: 'IN' });
    expect(data(answered('alias.default.svc.cluster.local', 'A').answers)).toEqual([
      'web.default.svc.cluster.local',
      '10.96.1.1',
    ]);
  });

  it('answers PTR for Service and endpoint IPs, NXDOMAIN for unknown cluster addresses, forwards the rest', () => {
    expect(data(answered('1.1.96.10.in-addr.arpa', 'PTR').answers)).toEqual([
      'web.default.svc.cluster.local',
    ]);
    expect(data(answered('5.1.244.10.in-addr.arpa', 'PTR').answers)).toEqual([
      'db-0.db.data.svc.cluster.local',
    ]);
    // A ClusterIP Service's ready endpoints too (CoreDNS indexes every Service's endpoints).
    expect(data(answered('8.1.244.10.in-addr.arpa', 'PTR').answers)).toEqual([
      '10-244-1-8.web.default.svc.cluster.local',
    ]);
    expect(answered('9.1.244.10.in-addr.arpa', 'PTR').code).toBe(rcode.nameError);
    expect(answered('9.9.96.10.in-addr.arpa', 'PTR').code).toBe(rcode.nameError);
    expect(ask('8.8.8.8.in-addr.arpa', 'PTR').kind).toBe('forward');
  });

  it('answers pod A records by dashed IP and forwards names outside the zone', () => {
    expect(data(answered('10-244-1-9.default.pod.cluster.local', 'A').answers)).toEqual(['10.244.1.9']);
    expect(ask('example.org', 'A').kind).toBe('forward');
    expect(ask('kubedesk-node-1', 'A').kind).toBe('forward');
  });
});
