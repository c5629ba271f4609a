// The `pod-template-hash` that names a Deployment's ReplicaSets and keeps their pods apart: a
// 32-bit FNV-1a over the template (plus status.collisionCount, little-endian, once a collision was
// seen), its decimal digits mapped to a consonant/digit alphabet (rand.SafeEncodeString) — the
// scheme of Kubernetes' controller.ComputeHash. Kubernetes hashes the Go struct's printed form; we
// hash the template's canonical JSON, so values differ from a real cluster's but stay stable here.
// Which ReplicaSet is current is decided by template equality ignoring the hash label, never by
// the hash (EqualIgnoreHash), so `kubectl rollout undo` finds the old ReplicaSet again.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/controller_utils.go

import type { V1PodTemplateSpec } from '@kubernetes/client-node';

export const podTemplateHashLabel = 'pod-template-hash';

const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Maps each character to the alphabet Kubernetes uses for generated names (no vowels, no 0/1/3). */
export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += safeAlphabet[text.charCodeAt(i) % safeAlphabet.length];
  return out;
}

export function fnv1a32(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The value with keys sorted and absent, null and empty collections dropped, as semantic equality treats them. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = canonical((value as Record<string, unknown>)[key]);
      if (child !== undefined) out[key] = child;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  if (value instanceof Date) return value.toISOString();
  return value ?? undefined;
}

export function computeHash(template: V1PodTemplateSpec, collisionCount?: number): string {
  const json = JSON.stringify(canonical(template) ?? {});
  let bytes = new TextEncoder().encode(json);
  if (collisionCount !== undefined) {
    const withCount = new Uint8Array(bytes.length + 4);
    withCount.set(bytes);
    new DataView(withCount.buffer).setUint32(bytes.length, collisionCount >>> 0, true);
    bytes = withCount;
  }
  return safeEncode(String(fnv1a32(bytes)));
}

/** Canonical JSON of a template without the hash label, remembered per template object: cached
 * ReplicaSets are never modified, so each is canonicalised once, not on every sync. */
const keys = new WeakMap<object, string>();

function templateKey(template: V1PodTemplateSpec | undefined): string {
  if (!template) return '{}';
  let key = keys.get(template);
  if (key === undefined) {
    const copy = structuredClone(template);
    if (copy.metadata?.labels) delete copy.metadata.labels[podTemplateHashLabel];
    key = JSON.stringify(canonical(copy) ?? {});
    keys.set(template, key);
  }
  return key;
}

/** Templates equal once the hash label is ignored (deploymentutil.EqualIgnoreHash). Callers must
 * not modify a template after comparing it. */
export function equalIgnoreHash(a: V1PodTemplateSpec | undefined, b: V1PodTemplateSpec | undefined): boolean {
  return templateKey(a) === templateKey(b);
}
