// The shape of cluster/api/generated/kubernetesProto.ts, shared by its generator and its reader.
import type protobuf from 'protobufjs';

/** One field's JSON rules from ../shared/kubernetes-proto/json-mapping.json. */
export interface FieldMapping {
  /** JSON name when it differs from the proto field name. */
  json?: string;
  /** The sub-message's fields are merged into the parent JSON object (Go `json:",inline"`). */
  inline?: boolean;
  omitempty?: boolean;
  omitzero?: boolean;
  /** A Go pointer: sent only when set, so a zero value that is present is kept. */
  pointer?: boolean;
}

export interface ProtoBundle {
  /** protobufjs `Root.toJSON()` of the served group-versions (proto field names kept). */
  descriptor: protobuf.INamespace;
  /** Field rules per fully-qualified message name, for the messages in `descriptor`. */
  messages: Record<string, Record<string, FieldMapping>>;
}
