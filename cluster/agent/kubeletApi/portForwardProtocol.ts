// Kubedesk's internal port-forward protocol between the API server and a kubelet. The API server
// speaks kubectl's SPDY on its side and opens one of these per forwarded TCP connection:
//
//   GET /portForward/<namespace>/<pod>?port=<N>   (WebSocket upgrade, subprotocol below)
//
// * One WebSocket carries exactly one TCP connection to <pod IP>:<N>, opened by the kubelet when
//   the upgrade is accepted.
// * Binary messages carry raw TCP bytes, in both directions, without any framing of ours. An empty
//   message from the API server is a half-close: the kubelet ends its writing side of the TCP
//   connection (kubectl closed the data stream) and keeps relaying what the pod still sends.
// * Either side ends the connection by closing the WebSocket: 1000 when the TCP stream ended
//   normally; 1011 with a reason (e.g. "connect ECONNREFUSED 10.244.1.5:8080") when the kubelet
//   could not reach the port or the TCP connection failed. The API server reports that reason on
//   kubectl's error stream.
// * Errors before the upgrade (unknown pod, no pod IP, bad port) are plain HTTP replies (404, 400).

export const portForwardProtocol = 'portforward.kubedesk.io';

export const closeCodes = { normal: 1000, failed: 1011 } as const;

export function parsePort(value: string | null): number | undefined {
  if (!value || !/^\d+$/.test(value)) return undefined;
  const port = Number(value);
  return port > 0 && port < 65536 ? port : undefined;
}
