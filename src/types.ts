// Core data types shared by every layer: objects as read, references, findings.

/** A Kubernetes object as read from the API or a snapshot file (Secret values already removed). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
    // biome-ignore lint/suspicious/noExplicitAny: arbitrary metadata fields
    [key: string]: any;
  };
  // biome-ignore lint/suspicious/noExplicitAny: spec is kind specific
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: status is kind specific
  status?: any;
  // biome-ignore lint/suspicious/noExplicitAny: any other top-level field (data, involvedObject, ...)
  [key: string]: any;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

/** Identifies one object. Namespace is absent for cluster-scoped objects. */
export interface ObjRef {
  kind: string;
  namespace?: string;
  name: string;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

/** One line of a Flux controller's JSON log. */
export interface LogEntry {
  level: string;
  ts?: string;
  msg: string;
  controller?: string;
  controllerKind?: string;
  name?: string;
  namespace?: string;
  reconcileID?: string;
  error?: string;
  /** Which file or pod it came from. */
  source?: string;
  // biome-ignore lint/suspicious/noExplicitAny: other structured fields
  [key: string]: any;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Evidence {
  kind: 'condition' | 'event' | 'log' | 'field' | 'status' | 'missing';
  /** `Kind/namespace/name` of the object the evidence is about. */
  object: string;
  text: string;
}

/** A finding as the JSON contract (diagnosis-codes.md) defines it. */
export interface Finding {
  code: string;
  severity: Severity;
  rootCause: ObjRef;
  affected: ObjRef[];
  fixTarget?: ObjRef;
  summary: string;
  evidence: Evidence[];
  remediation: string[];
}

/** A reading problem that makes the report partial. */
export interface ReadProblem {
  /** File path, or `Kind` for a kind the live reader could not list. */
  source: string;
  line?: number;
  message: string;
  /** True when data was lost (report is partial); false for notes such as unknown kinds. */
  partial: boolean;
}

export const refKey = (r: ObjRef): string => `${r.kind}/${r.namespace ?? ''}/${r.name}`;

export const refString = (r: ObjRef): string =>
  r.namespace ? `${r.kind} ${r.namespace}/${r.name}` : `${r.kind} ${r.name}`;

export const objRef = (o: K8sObject): ObjRef =>
  o.metadata.namespace
    ? { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name }
    : { kind: o.kind, name: o.metadata.name };

export const sameRef = (a: ObjRef, b: ObjRef): boolean =>
  a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
