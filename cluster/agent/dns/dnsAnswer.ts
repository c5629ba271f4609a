import * as dnsPacket from 'dns-packet';
import ipaddr from 'ipaddr.js';
import type { ClusterDnsRecords } from './clusterDnsRecords';

// Pure: the answer to one DNS query from the cluster records, or the decision to forward it.
// Names in the cluster zone, and reverse names of the Service and pod ranges, are answered here
// (authoritatively, NXDOMAIN when absent, NODATA when the name exists without that type); anything
// else goes to the node's upstream resolver. An ExternalName CNAME pointing outside the zone is
// answered with the CNAME plus whatever upstream says about its target, as CoreDNS does.

export const recordTtlSeconds = 5;
/** dns-packet keeps the RCODE in the low four bits of `flags`. */
export const rcode = { noError: 0, serverFailure: 2, nameError: 3, notImplemented: 4, refused: 5 } as const;

export interface AnswerOptions {
  /** Reverse lookups in these ranges are ours: unknown addresses there are NXDOMAIN. */
  ownedRanges: string[];
}

export type QueryOutcome =
  | { kind: 'answer'; response: dnsPacket.Packet }
  | { kind: 'forward' }
  /** Answer `cname`, then add the upstream's answers for `follow` (a name outside the zone). */
  | { kind: 'cname'; response: dnsPacket.Packet; follow: dnsPacket.Question };

const podNamePattern = /^(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})\.[a-z0-9-]+\.pod\.$/;

function inZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

function reverseIp(name: string): string | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(name);
  if (!match) return undefined;
  const ip = [match[4], match[3], match[2], match[1]].join('.');
  return ipaddr.IPv4.isValidFourPartDecimal(ip) ? ip : undefined;
}

function inRanges(ip: string, ranges: readonly string[]): boolean {
  const addr = ipaddr.IPv4.parse(ip);
  return ranges.some((range) => addr.match(ipaddr.IPv4.parseCIDR(range)));
}

function soa(zone: string): dnsPacket.Answer {
  return {
    type: 'SOA',
    name: zone,
    ttl: recordTtlSeconds,
    data: {
      mname: `ns.dns.${zone}`,
      rname: `hostmaster.${zone}`,
      serial: 1,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: recordTtlSeconds,
    },
  };
}

/** The response skeleton: same id and question, recursion desired echoed, available set. */
export function responseTo(query: dnsPacket.Packet, code: number, authoritative: boolean): dnsPacket.Packet {
  return {
    type: 'response',
    id: query.id ?? 0,
    flags:
      (authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0) |
      ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
      dnsPacket.RECURSION_AVAILABLE |
      code,
    questions: query.questions ?? [],
    answers: [],
    authorities: [],
    additionals: [],
  };
}

function addressAnswers(name: string, ips: readonly string[]): dnsPacket.Answer[] {
  return ips.map((ip) => ({ type: 'A', name, ttl: recordTtlSeconds, data: ip }));
}

function answerInZone(
  query: dnsPacket.Packet,
  question: dnsPacket.Question,
  records: ClusterDnsRecords,
): QueryOutcome {
  const name = question.name.toLowerCase().replace(/\.$/, '');
  const ok = () => responseTo(query, rcode.noError, true);
  const relative = name.slice(0, -records.zone.length);
  const pod = podNamePattern.exec(relative);
  if (pod) {
    const ip = pod.slice(1, 5).join('.');
    if (!ipaddr.IPv4.isValidFourPartDecimal(ip))
      return { kind: 'answer', response: nxdomain(query, records) };
    const response = ok();
    if (question.type === 'A') response.answers = addressAnswers(question.name, [ip]);
    else response.authorities = [soa(records.zone)];
    return { kind: 'answer', response };
  }
  const found = records.names.get(name);
  if (!found) {
    if (records.emptyNames.has(name)) return { kind: 'answer', response: nodata(query, records) };
    return { kind: 'answer', response: nxdomain(query, records) };
  }
  const response = ok();
  if (found.cname) {
    response.answers = [{ type: 'CNAME', name: question.name, ttl: recordTtlSeconds, data: found.cname }];
    if (question.type === 'CNAME') return { kind: 'answer', response };
    const target = records.names.get(found.cname);
    if (target) {
      // A CNAME to another in-zone name: its addresses come from here.
      if (question.type === 'A') response.answers.push(...addressAnswers(found.cname, target.a));
      return { kind: 'answer', response };
    }
    if (inZone(found.cname, records.zone)) return { kind: 'answer', response };
    return { kind: 'cname', response, follow: { type: question.type, name: found.cname, class: 'IN' } };
  }
  if (question.type === 'A') {
    response.answers = addressAnswers(question.name, found.a);
  } else if (question.type === 'SRV') {
    response.answers = found.srv.map((srv) => ({
      type: 'SRV',
      name: question.name,
      ttl: recordTtlSeconds,
      data: {
        priority: 0,
        weight: Math.floor(100 / Math.max(1, found.srv.length)),
        port: srv.port,
        target: srv.target,
      },
    }));
    const targets = new Set(found.srv.map((s) => s.target));
    response.additionals = [...targets].flatMap((t) => addressAnswers(t, records.names.get(t)?.a ?? []));
  }
  if (response.answers?.length === 0) response.authorities = [soa(records.zone)];
  return { kind: 'answer', response };
}

function nxdomain(query: dnsPacket.Packet, records: ClusterDnsRecords): dnsPacket.Packet {
  const response = responseTo(query, rcode.nameError, true);
  response.authorities = [soa(records.zone)];
  return response;
}

function nodata(query: dnsPacket.Packet, records: ClusterDnsRecords): dnsPacket.Packet {
  const response = responseTo(query, rcode.noError, true);
  response.authorities = [soa(records.zone)];
  return response;
}

export function answerQuery(
  query: dnsPacket.Packet,
  records: ClusterDnsRecords,
  options: AnswerOptions,
): QueryOutcome {
  const question = query.questions?.[0];
  if (!question || (query.questions?.length ?? 0) > 1) {
    return { kind: 'answer', response: responseTo(query, rcode.notImplemented, false) };
  }
  const name = question.name.toLowerCase().replace(/\.$/, '');
  if (inZone(name, records.zone)) return answerInZone(query, question, records);
  const ip = reverseIp(name);
  if (ip && question.type === 'PTR') {
    const targets = records.ptr.get(ip);
    if (targets) {
      const response = responseTo(query, rcode.noError, true);
      response.answers = targets.map((target) => ({
        type: 'PTR',
        name: question.name,
        ttl: recordTtlSeconds,
        data: target,
      }));
      return { kind: 'answer', response };
    }
    if (inRanges(ip, options.ownedRanges)) return { kind: 'answer', response: nxdomain(query, records) };
  }
  return { kind: 'forward' };
}
