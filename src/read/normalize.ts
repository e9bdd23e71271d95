// Turns raw decoded documents into the objects, events and logs of a snapshot.
// Secret values are dropped here, at read time, for every reader.

import { EVENTS_V1_GROUP, groupOf, knownKind, versionOf } from '../kinds/table.js';
import type { K8sObject, LogEntry, ObjRef } from '../types.js';
import { maskStrings } from './redact.js';
import { checkShape, epochToIso } from './shape.js';

/** A Kubernetes event, core/v1 and events.k8s.io/v1 alike. */
export interface KEvent {
  namespace?: string;
  name: string;
  involved: ObjRef;
  type: string; // Normal | Warning
  reason: string;
  message: string;
  count: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  source?: string;
}

/** What the fluxdoctor snapshot file records about the capture. */
export interface SnapshotInfo {
  capturedAt?: string;
  context?: string;
  server?: string;
  serverVersion?: string;
  /** The namespace the capture was limited to (all when absent). */
  namespace?: string;
  fluxNamespace?: string;
  /** Kinds that were listed successfully (so an absent object really is absent). */
  kindsRead?: string[];
  /** Read problems recorded at capture time (kinds that could not be listed). */
  readErrors?: { source: string; message: string }[];
  /** What a support bundle left out (`snapshot -f FILE`, see write.ts). */
  removed?: string[];
}

export const SNAPSHOT_API_VERSION = 'fluxdoctor.io/v1';

export interface Sink {
  object(o: K8sObject): void;
  event(e: KEvent): void;
  log(l: LogEntry): void;
  info(i: SnapshotInfo): void;
  unknown(apiVersion: string, kind: string): void;
  invalid(message: string): void;
  /** Something worth saying that lost no data (an API version fluxdoctor does not know, read anyway). */
  note(message: string): void;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Remove every value a Secret holds; keep its key names so rules can say which key is missing. */
export function redactSecret(o: K8sObject): K8sObject {
  const keys = new Set<string>([...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {})]);
  const { data: _d, stringData: _s, ...rest } = o;
  const annotations = { ...(o.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  return {
    ...rest,
    metadata: { ...o.metadata, annotations },
    dataKeys: [...keys].sort(),
  };
}

/** ConfigMaps keep only key names too: nothing needs their values, and they can hold sensitive text. */
function keysOnly(o: K8sObject): K8sObject {
  const keys = [...Object.keys(o.data ?? {}), ...Object.keys(o.binaryData ?? {})].sort();
  const { data: _d, binaryData: _b, ...rest } = o;
  return { ...rest, dataKeys: keys };
}

// biome-ignore lint/suspicious/noExplicitAny: decoded documents are untyped
function isObj(v: any): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// biome-ignore lint/suspicious/noExplicitAny: decoded documents are untyped
export function normalizeEvent(o: any): KEvent | undefined {
  const g = groupOf(String(o.apiVersion ?? ''));
  const md = o.metadata ?? {};
  if (g === EVENTS_V1_GROUP) {
    const r = o.regarding ?? {};
    if (!r.kind || !r.name) return undefined;
    return maskStrings({
      namespace: md.namespace,
      name: md.name,
      involved: { kind: r.kind, namespace: r.namespace, name: r.name },
      type: o.type ?? 'Normal',
      reason: o.reason ?? '',
      message: o.note ?? '',
      count: o.series?.count ?? o.deprecatedCount ?? 1,
      firstTimestamp: o.deprecatedFirstTimestamp ?? o.eventTime ?? md.creationTimestamp,
      lastTimestamp: o.series?.lastObservedTime ?? o.deprecatedLastTimestamp ?? o.eventTime ?? md.creationTimestamp,
      source: o.reportingController ?? o.deprecatedSource?.component,
    });
  }
  const io = o.involvedObject ?? {};
  if (!io.kind || !io.name) return undefined;
  return maskStrings({
    namespace: md.namespace,
    name: md.name,
    involved: { kind: io.kind, namespace: io.namespace, name: io.name },
    type: o.type ?? 'Normal',
    reason: o.reason ?? '',
    message: o.message ?? '',
    count: o.count ?? o.series?.count ?? 1,
    firstTimestamp: o.firstTimestamp ?? o.eventTime ?? md.creationTimestamp,
    lastTimestamp: o.lastTimestamp ?? o.series?.lastObservedTime ?? o.eventTime ?? md.creationTimestamp,
    source: o.source?.component ?? o.reportingComponent,
  });
}

// biome-ignore lint/suspicious/noExplicitAny: decoded log lines are untyped
export function normalizeLog(v: any, source?: string): LogEntry | undefined {
  if (!isObj(v) || typeof v.msg !== 'string') return undefined;
  // Every field of a log line is masked, not only msg/error (see redact.ts).
  const entry: LogEntry = maskStrings({ ...v, msg: v.msg, level: typeof v.level === 'string' ? v.level : 'info' });
  if (typeof entry.ts === 'number') entry.ts = epochToIso(entry.ts);
  // Flux controllers log the object both as {"GitRepository":{"name","namespace"}} and as name/namespace.
  if (!entry.name && entry.controllerKind && isObj(v[entry.controllerKind])) {
    entry.name = v[entry.controllerKind].name;
    entry.namespace = v[entry.controllerKind].namespace;
  }
  if (source) entry.source = source;
  return entry;
}

/**
 * Feed one decoded document (object, List, array) to the sink.
 * Typed lists from the API (`GitRepositoryList`) carry items without kind/apiVersion: they are filled in.
 */
// biome-ignore lint/suspicious/noExplicitAny: decoded documents are untyped
export function ingest(doc: any, sink: Sink, source?: string): void {
  if (doc === null || doc === undefined) return;
  if (Array.isArray(doc)) {
    for (const d of doc) ingest(d, sink, source);
    return;
  }
  if (!isObj(doc)) {
    sink.invalid(`expected a Kubernetes object, found ${typeof doc}`);
    return;
  }
  const kind = doc.kind;
  const apiVersion = doc.apiVersion;
  if (apiVersion === SNAPSHOT_API_VERSION) {
    if (kind === 'SnapshotInfo') sink.info(maskStrings(doc.info ?? {}));
    else if (kind === 'ControllerLogs' && Array.isArray(doc.lines)) {
      for (const l of doc.lines) {
        const e = normalizeLog(l, source);
        if (e) sink.log(e);
      }
    } else if (kind === 'Snapshot' && Array.isArray(doc.items)) {
      if (doc.info) sink.info(maskStrings(doc.info));
      ingest(doc.items, sink, source);
      for (const l of doc.logs ?? []) {
        const e = normalizeLog(l, source);
        if (e) sink.log(e);
      }
    } else sink.unknown(apiVersion, String(kind));
    return;
  }
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(doc.items)) {
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -4);
    for (const item of doc.items) {
      if (isObj(item) && itemKind && !item.kind) {
        ingest({ ...item, kind: itemKind, apiVersion: item.apiVersion ?? apiVersion }, sink, source);
      } else ingest(item, sink, source);
    }
    return;
  }
  if (typeof kind !== 'string' || typeof apiVersion !== 'string') {
    if (typeof doc.msg === 'string' && (doc.level || doc.ts)) {
      const e = normalizeLog(doc, source);
      if (e) sink.log(e);
      return;
    }
    sink.invalid('document has no apiVersion/kind');
    return;
  }
  if (kind === 'Event' || knownKind(apiVersion, kind)) checkShape(doc, (m) => sink.invalid(m)); // see shape.ts
  if (kind === 'Event') {
    const e = normalizeEvent(doc);
    if (e) sink.event(e);
    else sink.invalid('Event without an involved object');
    return;
  }
  const info = knownKind(apiVersion, kind);
  if (!info) {
    sink.unknown(apiVersion, kind);
    return;
  }
  if (!isObj(doc.metadata) || typeof doc.metadata.name !== 'string' || !doc.metadata.name) {
    sink.invalid(`${kind} without metadata.name`);
    return;
  }
  if (!info.versions.includes(versionOf(apiVersion))) {
    sink.note(
      `${kind} ${doc.metadata.namespace ? `${doc.metadata.namespace}/` : ''}${doc.metadata.name} uses ${apiVersion}, an API version fluxdoctor does not know (known: ${info.versions.join(', ')}); read as the current version`,
    );
  }
  let o = doc as K8sObject;
  if (o.metadata.managedFields) {
    const { managedFields: _m, ...md } = o.metadata;
    o = { ...o, metadata: md as K8sObject['metadata'] };
  }
  // The last-applied annotation repeats the object as the user wrote it (a ConfigMap's data, a
  // HelmRelease's values): nothing reads it, every kind loses it.
  if (isObj(o.metadata.annotations) && LAST_APPLIED in o.metadata.annotations) {
    const { [LAST_APPLIED]: _l, ...annotations } = o.metadata.annotations;
    o = { ...o, metadata: { ...o.metadata, annotations } };
  }
  if (kind === 'Secret') o = redactSecret(o);
  else if (kind === 'ConfigMap') o = keysOnly(o);
  // One masking pass over every string of the object (conditions, container messages, spec.url,
  // annotations, values…): see redact.ts.
  o = maskStrings(o);
  if (!info.namespaced && o.metadata.namespace) {
    const { namespace: _n, ...md } = o.metadata;
    o = { ...o, metadata: md as K8sObject['metadata'] };
  }
  sink.object(o);
}

/**
 * One object from the API (a watch event, a write's reply, a GET) through the same path as every
 * read: `ingest`, which drops managedFields, masks secret-looking text and removes Secret and
 * ConfigMap values. Undefined for what `ingest` would not keep as an object (a kind fluxdoctor does
 * not know, no metadata.name, an Event).
 */
// biome-ignore lint/suspicious/noExplicitAny: decoded documents are untyped
export function normalizeObject(doc: any): K8sObject | undefined {
  let out: K8sObject | undefined;
  const none = () => {};
  ingest(doc, {
    object: (o) => {
      out ??= o;
    },
    event: none,
    log: none,
    info: none,
    unknown: none,
    invalid: none,
    note: none,
  });
  return out;
}

/**
 * A raw Event or controller log line kept in its own shape (a captured fixture that must read like
 * kubectl or controller output) with every string masked as the reader masks it (a copy).
 */
export function maskRaw<T>(doc: T): T {
  return maskStrings(structuredClone(doc));
}
