// The fields each built-in kind can be filtered on with `?fieldSelector=`, with the values the real
// API server derives for them (`pkg/registry/*/strategy.go` GetAttrs / ToSelectableFields).
import type {
  CoreV1Event,
  EventsV1Event,
  V1CertificateSigningRequest,
  V1Job,
  V1Namespace,
  V1Node,
  V1ObjectMeta,
  V1ObjectReference,
  V1Pod,
  V1ReplicaSet,
  V1ReplicationController,
  V1Secret,
  V1Service,
} from '@kubernetes/client-node';
import type { FieldSelector } from './fieldSelector';
import { SelectorParseError } from './selectorParseError';

type Fields = Record<string, string>;
type FieldsOf = (obj: never) => Fields;

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

// The seven fields of an ObjectReference (`involvedObject` of core Events, `regarding` of
// events.k8s.io ones), under that field's name.
const referenceFields = (prefix: string, ref: V1ObjectReference | undefined): Fields => ({
  [`${prefix}.kind`]: str(ref?.kind),
  [`${prefix}.namespace`]: str(ref?.namespace),
  [`${prefix}.name`]: str(ref?.name),
  [`${prefix}.uid`]: str(ref?.uid),
  [`${prefix}.apiVersion`]: str(ref?.apiVersion),
  [`${prefix}.resourceVersion`]: str(ref?.resourceVersion),
  [`${prefix}.fieldPath`]: str(ref?.fieldPath),
});

const coreEvent = (e: CoreV1Event): Fields => ({
  ...referenceFields('involvedObject', e.involvedObject),
  reason: str(e.reason),
  reportingComponent: str(e.reportingComponent),
  source: str(e.source?.component),
  type: str(e.type),
});

// events.k8s.io names the same facts differently; its field labels map onto the core ones.
const eventsV1Event = (e: EventsV1Event): Fields => ({
  ...referenceFields('regarding', e.regarding),
  reason: str(e.reason),
  reportingController: str(e.reportingController),
  'deprecatedSource.component': str(e.deprecatedSource?.component),
  type: str(e.type),
});

const byKind: Record<string, FieldsOf> = {
  '/Pod': (p: V1Pod) => ({
    'spec.nodeName': str(p.spec?.nodeName),
    'spec.restartPolicy': str(p.spec?.restartPolicy),
    'spec.schedulerName': str(p.spec?.schedulerName),
    'spec.serviceAccountName': str(p.spec?.serviceAccountName),
    'spec.hostNetwork': String(p.spec?.hostNetwork === true),
    'status.phase': str(p.status?.phase),
    // Kubernetes selects on the first of podIPs, which equals podIP.
    'status.podIP': str(p.status?.podIPs?.[0]?.ip ?? p.status?.podIP),
    'status.nominatedNodeName': str(p.status?.nominatedNodeName),
  }),
  '/Event': coreEvent,
  'events.k8s.io/Event': eventsV1Event,
  '/Secret': (s: V1Secret) => ({ type: str(s.type) }),
  '/Node': (n: V1Node) => ({ 'spec.unschedulable': String(n.spec?.unschedulable === true) }),
  '/Namespace': (n: V1Namespace) => ({ 'status.phase': str(n.status?.phase) }),
  '/ReplicationController': (rc: V1ReplicationController) => ({
    'status.replicas': str(rc.status?.replicas ?? 0),
  }),
  'apps/ReplicaSet': (rs: V1ReplicaSet) => ({ 'status.replicas': str(rs.status?.replicas ?? 0) }),
  'batch/Job': (j: V1Job) => ({ 'status.successful': str(j.status?.succeeded ?? 0) }),
  '/Service': (s: V1Service) => ({
    'spec.clusterIP': str(s.spec?.clusterIP),
    'spec.type': str(s.spec?.type),
  }),
  'certificates.k8s.io/CertificateSigningRequest': (c: V1CertificateSigningRequest) => ({
    'spec.signerName': str(c.spec?.signerName),
  }),
};

/** Every field `?fieldSelector=` may name for this kind, values taken from `obj`. */
export function selectableFields(group: string, kind: string, obj: object): Record<string, string> {
  const meta: V1ObjectMeta = (obj as { metadata?: V1ObjectMeta }).metadata ?? {};
  const extra = byKind[`${group}/${kind}`];
  return {
    'metadata.name': str(meta.name),
    'metadata.namespace': str(meta.namespace),
    ...(extra ? extra(obj as never) : {}),
  };
}

/** Field labels this kind supports, for rejecting a selector before listing. */
export function supportedFieldLabels(group: string, kind: string): string[] {
  return Object.keys(selectableFields(group, kind, {}));
}

/**
 * Throws SelectorParseError (`field label not supported: x`, the API server's 400 message) if the
 * selector names a field this kind cannot be filtered on.
 */
export function assertSupportedFieldSelector(group: string, kind: string, selector: FieldSelector): void {
  const supported = new Set(supportedFieldLabels(group, kind));
  for (const r of selector.requirements()) {
    if (!supported.has(r.field)) throw new SelectorParseError(`field label not supported: ${r.field}`);
  }
}
