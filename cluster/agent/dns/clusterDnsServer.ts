import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { createServer, type Socket as TcpSocket } from 'node:net';
import { networkInterfaces } from 'node:os';
import * as dnsPacket from 'dns-packet';
import type { Logger } from '../../log';
import type { ServiceCache } from '../proxy/serviceCache';
import { type ClusterDnsRecords, clusterDnsRecords, defaultZone } from './clusterDnsRecords';
import { type AnswerOptions, answerQuery, rcode, responseTo } from './dnsAnswer';
import type { UpstreamResolver } from './upstreamResolver';

// The node's DNS server, UDP and TCP on one port: cluster names from the records (rebuilt as soon as
// the Service cache changes), everything else relayed to the upstream resolver unchanged. Encoded
// answers are kept per query until the records change, so a repeated query costs a map lookup and
// an id patch rather than a decode, an answer and an encode.

export type RecordSource = Pick<ServiceCache, 'services' | 'endpointSlices' | 'onChange'>;

export interface ClusterDnsServerOptions extends AnswerOptions {
  source: RecordSource;
  upstream: UpstreamResolver;
  log: Logger;
  /** UDP addresses to serve (default: every IPv4 address of the node); TCP listens on all. */
  addresses?: string[];
  /** Default 53; 0 picks a free port (tests). */
  port?: number;
  zone?: string;
}

export interface ClusterDnsServer {
  port: number;
  /** Answers one raw query as the server would (used by both transports, and by tests). */
  handle(query: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

/** Plain DNS over UDP without EDNS0 carries at most 512 bytes (RFC 1035 §4.2.1). */
const plainUdpLimit = 512;

function udpLimit(query: dnsPacket.Packet): number {
  const opt = query.additionals?.find((a) => a.type === 'OPT') as dnsPacket.OptAnswer | undefined;
  return Math.max(plainUdpLimit, opt?.udpPayloadSize ?? 0);
}

function localIPv4Addresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((entry) => entry.family === 'IPv4')
    .map((entry) => entry.address);
}

/** Bounds the answer cache; it starts over when full (clients repeat a handful of names). */
const maxCachedAnswers = 4096;

/** A query's identity for the answer cache: everything but its id, and the transport. */
function answerKey(raw: Buffer, transport: 'udp' | 'tcp'): string {
  return `${transport}:${raw.toString('latin1', 2)}`;
}

export async function startClusterDnsServer(o: ClusterDnsServerOptions): Promise<ClusterDnsServer> {
  let records: ClusterDnsRecords | undefined;
  const answers = new Map<string, Buffer>();
  let rebuildQueued = false;
  const current = () => {
    records ??= clusterDnsRecords(o.source.services(), o.source.endpointSlices(), o.zone ?? defaultZone);
    return records;
  };
  o.source.onChange(() => {
    records = undefined;
    answers.clear();
    // Rebuilt off the query path, once per burst of changes.
    if (rebuildQueued) return;
    rebuildQueued = true;
    setImmediate(() => {
      rebuildQueued = false;
      current();
    });
  });

  const encode = (packet: dnsPacket.Packet, query: dnsPacket.Packet, transport: 'udp' | 'tcp') => {
    const wire = dnsPacket.encode(packet);
    if (transport === 'tcp' || wire.length <= udpLimit(query)) return wire;
    // Too big for UDP: the client retries over TCP.
    return dnsPacket.encode({
      ...packet,
      flags: (packet.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE,
      answers: [],
      authorities: [],
      additionals: [],
    });
  };

  const handle = async (raw: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> => {
    const key = raw.length > 2 ? answerKey(raw, transport) : undefined;
    const cached = key === undefined ? undefined : answers.get(key);
    if (cached) {
      const reply = Buffer.from(cached);
      reply.writeUInt16BE(raw.readUInt16BE(0), 0);
      return reply;
    }
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(raw);
    } catch {
      // Not DNS: nothing sensible to reply to.
      return undefined;
    }
    if (query.type === 'response') return undefined;
    const outcome = answerQuery(query, current(), o);
    if (outcome.kind === 'answer') {
      const wire = encode(outcome.response, query, transport);
      if (key !== undefined) {
        if (answers.size >= maxCachedAnswers) answers.clear();
        answers.set(key, wire);
      }
      return wire;
    }
    if (outcome.kind === 'forward') {
      const upstream = await o.upstream.resolve(raw, transport);
      return upstream ?? dnsPacket.encode(responseTo(query, rcode.serverFailure, false));
    }
    if (outcome.kind === 'cname') {
      const followQuery = dnsPacket.encode({
        type: 'query',
        id: query.id ?? 0,
        flags: dnsPacket.RECURSION_DESIRED,
        questions: [outcome.follow],
      });
      const followed = await o.upstream.resolve(followQuery, transport);
      if (followed) {
        const upstream = dnsPacket.decode(followed);
        outcome.response.answers?.push(...(upstream.answers ?? []));
      }
    }
    return encode(outcome.response, query, transport);
  };

  // One UDP socket per address: a reply must leave from the address the query was sent to (the
  // proxy's DNAT and the client both expect it), which a wildcard socket does not guarantee on a
  // node with several addresses (its own, the pod bridge gateway).
  const addresses = o.addresses ?? localIPv4Addresses();
  let port = o.port ?? 53;
  const udpSockets: Socket[] = [];
  for (const address of addresses) {
    const udp = createSocket({ type: 'udp4' });
    udp.on('message', (msg, rinfo) => {
      void handle(msg, 'udp').then(
        (reply) => {
          if (reply) udp.send(reply, rinfo.port, rinfo.address);
        },
        (err) => o.log.warn('dns query failed', { error: (err as Error).message }),
      );
    });
    udp.bind(port, address);
    await once(udp, 'listening');
    port = udp.address().port;
    udpSockets.push(udp);
  }

  const connections = new Set<TcpSocket>();
  const tcp = createServer((conn) => {
    connections.add(conn);
    conn.on('close', () => connections.delete(conn));
    conn.on('error', () => conn.destroy());
    conn.setTimeout(10_000, () => conn.destroy());
    let buffered = Buffer.alloc(0);
    conn.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const message = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + message.length);
        void handle(Buffer.from(message), 'tcp').then(
          (reply) => {
            if (!reply || conn.destroyed) return;
            const length = Buffer.alloc(2);
            length.writeUInt16BE(reply.length, 0);
            conn.write(Buffer.concat([length, reply]));
          },
          (err) => o.log.warn('dns query failed', { error: (err as Error).message }),
        );
      }
    });
  });
  tcp.listen(port, '0.0.0.0');
  await once(tcp, 'listening');

  return {
    port,
    handle,
    async close() {
      for (const conn of connections) conn.destroy();
      await Promise.all([
        ...udpSockets.map((udp) => new Promise<void>((resolve) => udp.close(() => resolve()))),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}
