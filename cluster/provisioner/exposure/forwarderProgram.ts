// The program a forwarder container runs (`node -e <source>`, the node image's Node.js): it
// listens on one port and relays each TCP connection, or each UDP client's datagrams, to one of
// the nodes' `ip:nodePort`, where the node's proxy takes it to a pod. A target that refuses or
// does not answer is skipped for the next one. Plain JavaScript for the Node.js in node images,
// passed as an argument so a forwarder starts with one container create and no file copy.

export interface ForwarderConfig {
  protocol: 'TCP' | 'UDP';
  /** Port listened on inside the container (published on the host at the same number). */
  listenPort: number;
  /** `ip:port` of every node, tried round-robin. */
  targets: string[];
  /** Per target connect attempt (TCP); default 3 s. */
  connectTimeoutMs?: number;
  /** A UDP client with no traffic for this long loses its relay socket; default 60 s. */
  udpIdleMs?: number;
}

export const forwarderConfigEnv = 'KUBEDESK_FORWARDER';

export const forwarderEnv = (config: ForwarderConfig): Record<string, string> => ({
  [forwarderConfigEnv]: JSON.stringify(config),
});

export const forwarderSource = String.raw`
'use strict';
const net = require('net');
const dgram = require('dgram');
const config = JSON.parse(process.env.${forwarderConfigEnv});
const targets = config.targets.map((t) => {
  const colon = t.lastIndexOf(':');
  return { host: t.slice(0, colon), port: Number(t.slice(colon + 1)) };
});
const connectTimeoutMs = config.connectTimeoutMs || 3000;
const udpIdleMs = config.udpIdleMs || 60000;
let next = 0;
const pick = () => targets[next++ % targets.length];
const log = (msg) => process.stderr.write(new Date().toISOString() + ' ' + msg + '\n');

function relayTcp(client) {
  client.pause();
  client.on('error', () => {});
  let attempts = 0;
  const attempt = () => {
    const target = pick();
    attempts += 1;
    const upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true });
    upstream.setTimeout(connectTimeoutMs, () => upstream.destroy(new Error('connect timeout')));
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      upstream.setTimeout(0);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    upstream.on('error', (err) => {
      upstream.destroy();
      if (connected) return client.destroy();
      if (attempts < targets.length && !client.destroyed) return attempt();
      log('no node answered on port ' + target.port + ': ' + err.message);
      client.destroy();
    });
  };
  attempt();
}

function relayUdp() {
  const server = dgram.createSocket('udp4');
  const clients = new Map();
  server.on('message', (msg, from) => {
    const key = from.address + ':' + from.port;
    let relay = clients.get(key);
    if (!relay) {
      const target = pick();
      const socket = dgram.createSocket('udp4');
      relay = { socket, timer: undefined };
      socket.on('message', (reply) => {
        touch(key, relay);
        server.send(reply, from.port, from.address);
      });
      socket.on('error', () => drop(key, relay));
      socket.connect(target.port, target.host);
      relay.ready = new Promise((resolve) => socket.once('connect', resolve));
      clients.set(key, relay);
    }
    touch(key, relay);
    relay.ready.then(() => relay.socket.send(msg));
  });
  const touch = (key, relay) => {
    clearTimeout(relay.timer);
    relay.timer = setTimeout(() => drop(key, relay), udpIdleMs);
  };
  const drop = (key, relay) => {
    clearTimeout(relay.timer);
    clients.delete(key);
    try { relay.socket.close(); } catch {}
  };
  server.bind(config.listenPort, '0.0.0.0', () => log('forwarding udp ' + config.listenPort));
}

if (config.protocol === 'UDP') relayUdp();
else {
  const server = net.createServer({ allowHalfOpen: true }, relayTcp);
  server.listen(config.listenPort, '0.0.0.0', () => log('forwarding tcp ' + config.listenPort));
}
process.on('SIGTERM', () => process.exit(0));
`;
