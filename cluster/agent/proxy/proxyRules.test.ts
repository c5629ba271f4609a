import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from './iptablesSave';
import { builtinJumps, endpointChain, proxyRules, serviceChain } from './proxyRules';
import type { ServicePort } from './servicePorts';

const clusterCidr = '10.244.0.0/16';
const empty = parseIptablesSave('*nat\nCOMMIT\n*filter\nCOMMIT\n');

const web = (over: Partial<ServicePort> = {}): ServicePort => ({
  id: 'default/web:http',
  protocol: 'TCP',
  port: 80,
  clusterIPs: ['10.96.1.1'],
  externalIPs: [],
  endpoints: [
    { ip: '10.244.1.2', port: 8080, local: true },
    { ip: '10.244.2.2', port: 8080, local: false },
    { ip: '10.244.3.2', port: 8080, local: false },
  ],
  internalLocal: false,
  externalLocal: false,
  ...over,
});

const rulesOf = (text: string, chain: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith(`-A ${chain} `))
    .map((line) => line.slice(`-A ${chain} `.length));

const table = (text: string, name: string) => {
  const start = text.indexOf(`*${name}\n`);
  return text.slice(start, text.indexOf('COMMIT', start));
};

describe('proxyRules', () => {
  it('spreads a cluster IP over its endpoints with kube-proxy probabilities 1/n, 1/(n-1), …', () => {
    const p = web();
    const text = proxyRules([p], { clusterCidr, saved: empty });
    const svc = serviceChain(p);
    expect(rulesOf(text, 'KUBEDESK-SERVICES')).toContain(
      `-d 10.96.1.1/32 -p tcp -m tcp --dport 80 -m comment --comment "default/web:http cluster IP" -j ${svc}`,
    );
    const picks = rulesOf(text, svc).map((rule) => /--probability (\S+)/.exec(rule)?.[1] ?? 'rest');
    expect(picks).toEqual(['0.3333333333', '0.5000000000', 'rest']);
    const sep = endpointChain(p, { ip: '10.244.2.2', port: 8080, local: false });
    expect(rulesOf(text, sep)).toEqual([
      '-s 10.244.2.2/32 -j KUBEDESK-MARK-MASQ',
      '-p tcp -m tcp -j DNAT --to-destination 10.244.2.2:8080',
    ]);
  });

  it('masquerades traffic to a cluster IP that does not come from the pod network', () => {
    const text = proxyRules([web()], { clusterCidr, saved: empty });
    expect(rulesOf(text, 'KUBEDESK-SERVICES')[0]).toMatch(
      /^! -s 10\.244\.0\.0\/16 -d 10\.96\.1\.1\/32 .* -j KUBEDESK-MARK-MASQ$/,
    );
    expect(rulesOf(text, 'KUBEDESK-POSTROUTING')).toEqual([
      '-m mark ! --mark 0x4000/0x4000 -j RETURN',
      '-j MARK --xor-mark 0x4000',
      '-m comment --comment "kubedesk service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ]);
  });

  it('rejects new connections to a Service without endpoints instead of letting them hang', () => {
    const text = proxyRules([web({ endpoints: [], protocol: 'UDP', port: 53 })], {
      clusterCidr,
      saved: empty,
    });
    expect(table(text, 'nat')).not.toContain('10.96.1.1');
    expect(rulesOf(table(text, 'filter'), 'KUBEDESK-SERVICES')).toEqual([
      '-d 10.96.1.1/32 -p udp -m udp --dport 53 -m comment --comment "default/web:http has no endpoints" -j REJECT --reject-with icmp-port-unreachable',
    ]);
  });

  it('pins a client to one endpoint with the recent module under ClientIP affinity', () => {
    const p = web({ affinitySeconds: 60 });
    const text = proxyRules([p], { clusterCidr, saved: empty });
    const sep = endpointChain(p, { ip: '10.244.1.2', port: 8080, local: true });
    expect(rulesOf(text, serviceChain(p))[0]).toBe(
      `-m recent --rcheck --seconds 60 --reap --name ${sep} --mask 255.255.255.255 --rsource -j ${sep}`,
    );
    expect(rulesOf(text, sep)).toContain(
      `-p tcp -m recent --set --name ${sep} --mask 255.255.255.255 --rsource`,
    );
  });

  it('sends internalTrafficPolicy Local to local endpoints only, and drops when there are none here', () => {
    const local = proxyRules([web({ internalLocal: true })], { clusterCidr, saved: empty });
    const svl = rulesOf(local, 'KUBEDESK-SERVICES')
      .map((r) => / -j (KUBEDESK-SVL-\S+)$/.exec(r)?.[1])
      .find(Boolean);
    expect(svl).toBeDefined();
    expect(rulesOf(local, svl ?? '')).toHaveLength(1);
    expect(rulesOf(local, svl ?? '')[0]).toContain('10.244.1.2:8080');

    const remoteOnly = web({
      internalLocal: true,
      endpoints: [{ ip: '10.244.2.2', port: 8080, local: false }],
    });
    const dropped = proxyRules([remoteOnly], { clusterCidr, saved: empty });
    expect(rulesOf(table(dropped, 'filter'), 'KUBEDESK-SERVICES')).toEqual([
      '-d 10.96.1.1/32 -p tcp -m tcp --dport 80 -m comment --comment "default/web:http has no local endpoints" -j DROP',
    ]);
  });

  it('answers NodePorts on local addresses, masquerading unless externalTrafficPolicy is Local', () => {
    const cluster = proxyRules([web({ nodePort: 30080 })], { clusterCidr, saved: empty });
    const [nodePortRule] = rulesOf(cluster, 'KUBEDESK-NODEPORTS');
    const ext = / -j (\S+)$/.exec(nodePortRule ?? '')?.[1] ?? '';
    expect(nodePortRule).toMatch(/^-p tcp -m tcp --dport 30080 .*-j KUBEDESK-EXT-/);
    expect(rulesOf(cluster, ext)).toEqual(['-j KUBEDESK-MARK-MASQ', `-j ${serviceChain(web())}`]);
    expect(rulesOf(cluster, 'KUBEDESK-SERVICES').at(-1)).toBe(
      '-m comment --comment "kubedesk service nodeports" -m addrtype --dst-type LOCAL -j KUBEDESK-NODEPORTS',
    );

    const local = proxyRules([web({ nodePort: 30080, externalLocal: true })], { clusterCidr, saved: empty });
    const extLocal = rulesOf(local, ext);
    expect(extLocal[0]).toBe(`-s ${clusterCidr} -j ${serviceChain(web())}`);
    expect(extLocal.at(-1)).toMatch(/^-j KUBEDESK-SVL-/);
    expect(extLocal).not.toContain('-j KUBEDESK-MARK-MASQ');
  });

  it('drops external traffic for a Local NodePort with no endpoint on this node', () => {
    const p = web({
      nodePort: 30080,
      externalLocal: true,
      endpoints: [{ ip: '10.244.2.2', port: 8080, local: false }],
    });
    const text = proxyRules([p], { clusterCidr, saved: empty });
    expect(rulesOf(text, 'KUBEDESK-EXTERNAL-SERVICES')).toEqual([
      '-m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080 -m comment --comment "default/web:http has no local endpoints" -j DROP',
    ]);
  });

  it('deletes chains of ours that are no longer wanted and leaves other chains alone', () => {
    const saved = parseIptablesSave(
      [
        '*nat',
        ':PREROUTING ACCEPT [0:0]',
        ':DOCKER - [0:0]',
        ':KUBEDESK-SVC-OLD - [0:0]',
        ':KUBEDESK-SEP-OLD - [0:0]',
        '-A KUBEDESK-SVC-OLD -j KUBEDESK-SEP-OLD',
        'COMMIT',
      ].join('\n'),
    );
    const text = proxyRules([], { clusterCidr, saved });
    const nat = table(text, 'nat');
    expect(nat).toContain(':KUBEDESK-SVC-OLD - [0:0]\n');
    expect(nat).toContain('-X KUBEDESK-SEP-OLD\n-X KUBEDESK-SVC-OLD\n');
    expect(nat).not.toContain('DOCKER');
  });

  it('puts its jumps first in the built-in chains once, moving them back when others got ahead', () => {
    const first = proxyRules([], { clusterCidr, saved: empty });
    expect(table(first, 'nat')).toContain(`-I POSTROUTING 1 ${builtinJumps.nat?.POSTROUTING?.[0]}`);

    const [ours] = builtinJumps.nat?.POSTROUTING ?? [];
    const inPlace = parseIptablesSave(
      `*nat\n-A POSTROUTING ${ours}\n-A POSTROUTING -s 10.244.0.0/16 -d 10.244.0.0/16 -j RETURN\nCOMMIT\n`,
    );
    expect(table(proxyRules([], { clusterCidr, saved: inPlace }), 'nat')).not.toContain('POSTROUTING 1');

    const behind = parseIptablesSave(
      `*nat\n-A POSTROUTING -s 10.244.0.0/16 -d 10.244.0.0/16 -j RETURN\n-A POSTROUTING ${ours}\nCOMMIT\n`,
    );
    const moved = table(proxyRules([], { clusterCidr, saved: behind }), 'nat');
    expect(moved).toContain(`-D POSTROUTING ${ours}\n-I POSTROUTING 1 ${ours}`);
  });
});
