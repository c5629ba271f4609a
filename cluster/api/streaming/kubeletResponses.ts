import type { IncomingMessage } from 'node:http';
import { ApiError, badRequest, internalError, serviceUnavailable } from '../status';

// A kubelet's refusal becomes the Status the apiserver gives for it (apiserver
// pkg/registry/generic/rest/response_checker.go): 400 → BadRequest, 500 → InternalError, others
// keep their code, each carrying the kubelet's message. Failing to reach the kubelet is a 503.

const reasons: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  503: 'ServiceUnavailable',
};

export function kubeletRefusal(code: number, body: string): ApiError {
  const message = body.trim() || `the kubelet answered ${code}`;
  if (code === 400) return badRequest(message);
  if (code === 500) return internalError(new Error(message));
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: reasons[code] ?? 'InternalError',
    code,
  });
}

export function kubeletUnreachable(err: Error): ApiError {
  return serviceUnavailable(`error dialing backend: ${err.message}`);
}

const maxErrorBody = 64 * 1024;

export async function readRefusal(res: IncomingMessage): Promise<ApiError> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    if (size < maxErrorBody) chunks.push(chunk);
    size += chunk.length;
  }
  return kubeletRefusal(res.statusCode ?? 502, Buffer.concat(chunks).toString('utf8').slice(0, maxErrorBody));
}
