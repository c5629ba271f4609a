import { ApiException, KubernetesObjectApi } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../kubeconfig/loadKubeConfig';

// The official client, pointed at a kubeconfig file: compose deploys talk to the cluster exactly
// as any other Kubernetes client does.

export function openKubeClient(kubeconfigPath: string): KubernetesObjectApi {
  return KubernetesObjectApi.makeApiClient(loadKubeConfig(kubeconfigPath));
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiException && err.code === 404;
}

/** The API server's own `Status` message ("deployments.apps "web" is invalid: ..."), not the client's wrapper. */
export function apiErrorMessage(err: unknown): string {
  if (!(err instanceof ApiException)) return err instanceof Error ? err.message : String(err);
  const body: unknown = typeof err.body === 'string' ? safeJson(err.body) : err.body;
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? `${err.code}: ${message}` : `HTTP ${err.code}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

/** Client models are class instances with Date fields; callers hand plain JSON data onwards. */
export function toPlain<T>(object: T): T {
  return JSON.parse(JSON.stringify(object)) as T;
}
