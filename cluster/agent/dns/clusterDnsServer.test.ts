import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { connect } from 'node:net';
import type { V1Service } from '@kubernetes/client-node';
import * as dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../../log';
import { type ClusterDnsServer, startClusterDnsServer } from './clusterDnsServer';
import { createUpstreamResolver, parseResolvConf, type UpstreamResolver } from './upstreamResolver';

// The server over real loopback sockets, with a stand-in upstream resolver that answers every
// name with 192.0.2.1.

const services: V1Service[] = [
  {
    metadata: { name: 'web', namespace: 'default' },
    spec: { clusterIP: '10.96.1.1', ports: [{ port: 80 }] },
  },
];
let listener: () => void = () => undefined;
const source = {
  services: () => services,
  endpointSlices: () => [],
  onChange: (fn: () => void) => {
    listener = fn;
  },
};

const upstreamSocket = createSocket('udp4');
let upstream: UpstreamResolver;
let server: ClusterDnsServer;

beforeAll(async () => {
  upstreamSocket.on('message', (msg, rinfo) => {
    const query = dnsPacket.decode(msg);
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      flags: dnsPacket.RECURSION_AVAILABLE,
      questions: query.questions ?? [],
      answers: (query.questions ?? []).map((q) => ({ type: 'A', name: q.name, ttl: 60, data: '192.0.2.1' })),
    });
    upstreamSocket.send(reply, rinfo.port, rinfo.address);
  });
  upstreamSocket.bind(0, '127.0.0.1');
  await once(upstreamSocket, 'listening');
  upstream = createUpstreamResolver(['127.0.0.1'], { port: upstreamSocket.address().port, timeoutMs: 500 });
  server = await startClusterDnsServer({
    source,
    upstream,
    ownedRanges: ['10.96.0.0/12'],
    log: nullLogger,
    addresses: ['127.0.0.1'],
    port: 0,
  });
});

afterAll(async () => {
  await server.close();
  upstream.close();
  upstreamSocket.close();
});

const query = (name: string, id = 42) =>
  dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: 'A', name }],
  });

async function overUdp(name: string, id = 42): Promise<dnsPacket.DecodedPacket> {
  const client = createSocket('udp4');
  const reply = once(client, 'message');
  client.send(query(name, id), server.port, '127.0.0.1');
  const [msg] = (await reply) as [Buffer];
  client.close();
  return dnsPacket.decode(msg);
}

async function overTcp(names: string[]): Promise<dnsPacket.DecodedPacket[]> {
  const conn = connect({ host: '127.0.0.1', port: server.port });
  await once(conn, 'connect');
  for (const [i, name] of names.entries())
    conn.write(dnsPacket.streamEncode(dnsPacket.decode(query(name, i))));
  let data = Buffer.alloc(0);
  const replies: dnsPacket.DecodedPacket[] = [];
  for await (const chunk of conn) {
    data = Buffer.concat([data, chunk as Buffer]);
    while (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
      replies.push(dnsPacket.decode(data.subarray(2, 2 + data.readUInt16BE(0))));
      data = data.subarray(2 + data.readUInt16BE(0));
    }
    if (replies.length === names.length) break;
  }
  conn.destroy();
  return replies.sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
}

/** dns-packet decodes the RCODE name, which its type definitions leave out. */
const rcodeOf = (p: dnsPacket.DecodedPacket | undefined) => (p as { rcode?: string } | undefined)?.rcode;
const addresses = (p: dnsPacket.DecodedPacket) => (p.answers ?? []).map((a) => (a as { data: unknown }).data);

describe('cluster DNS server', () => {
  it('answers cluster names over UDP and relays other names to the upstream with the client’s id', async () => {
    const cluster = await overUdp('web.default.svc.cluster.local');
    expect([cluster.id, cluster.flag_aa, addresses(cluster)]).toEqual([42, true, ['10.96.1.1']]);
    const outside = await overUdp('example.org');
    expect([outside.id, outside.flag_aa, addresses(outside)]).toEqual([42, false, ['192.0.2.1']]);
  });

  it('answers a repeated query (from its stored answer) with the id of each asker', async () => {
    const first = await overUdp('web.default.svc.cluster.local', 1);
    const second = await overUdp('web.default.svc.cluster.local', 2);
    expect([first.id, addresses(first)]).toEqual([1, ['10.96.1.1']]);
    expect([second.id, addresses(second)]).toEqual([2, ['10.96.1.1']]);
  });

  it('answers several length-prefixed queries on one TCP connection', async () => {
    const replies = await overTcp(['web.default.svc.cluster.local', 'missing.default.svc.cluster.local']);
    expect(addresses(replies[0] as dnsPacket.DecodedPacket)).toEqual(['10.96.1.1']);
    expect(rcodeOf(replies[1])).toBe('NXDOMAIN');
  });

  it('rebuilds its records after the Service cache changes', async () => {
    services.push({
      metadata: { name: 'api', namespace: 'default' },
      spec: { clusterIP: '10.96.2.2', ports: [{ port: 80 }] },
    });
    expect(rcodeOf(await overUdp('api.default.svc.cluster.local'))).toBe('NXDOMAIN');
    listener();
    expect(addresses(await overUdp('api.default.svc.cluster.local'))).toEqual(['10.96.2.2']);
  });
});

describe('parseResolvConf', () => {
  it('reads nameservers, the search list and options, ignoring comments', () => {
    expect(
      parseResolvConf(
        '# generated\nnameserver 127.0.0.11\nsearch corp.example\noptions ndots:0 edns0 ; tail\n',
      ),
    ).toEqual({ nameservers: ['127.0.0.11'], search: ['corp.example'], options: ['ndots:0', 'edns0'] });
  });
});
