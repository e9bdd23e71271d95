// Index of a Snapshot and the Graph of references between its objects.

import { type Health, health } from '../kinds/status.js';
import { type EdgeType, groupOf, KINDS, kindInfo, referencesOf } from '../kinds/table.js';
import type { KEvent } from '../read/normalize.js';
import type { Snapshot } from '../read/snapshot.js';
import { type K8sObject, type LogEntry, type ObjRef, objRef, refKey } from '../types.js';
import { fluxNamespaceOf } from './flux-namespace.js';

export type GraphEdgeType =
  | EdgeType
  | 'inventory' // Kustomization → object in status.inventory
  | 'managed' // HelmRelease/Kustomization → object carrying its owner labels
  | 'owner' // owner → child (ownerReferences, e.g. Deployment → ReplicaSet → Pod)
  | 'controller'; // Flux object → its controller's Deployment

export interface Edge {
  from: ObjRef;
  to: ObjRef;
  type: GraphEdgeType;
  field?: string;
  optional?: boolean;
  keys?: string[];
  wildcard?: boolean;
}

export { DEFAULT_FLUX_NAMESPACE } from './flux-namespace.js';

const KS_LABEL = 'kustomize.toolkit.fluxcd.io';
const HELM_LABEL = 'helm.toolkit.fluxcd.io';

/** Parse a Kustomization inventory id: `<namespace>_<name>_<group>_<kind>`. */
export function parseInventoryId(id: string): (ObjRef & { group: string }) | undefined {
  const parts = id.split('_');
  if (parts.length < 4) return undefined;
  const kind = parts.pop()!;
  const group = parts.pop()!;
  const namespace = parts.shift()!;
  const name = parts.join('_');
  if (!name || !kind) return undefined;
  return namespace ? { kind, namespace, name, group } : { kind, name, group };
}

export class Graph {
  readonly snapshot: Snapshot;
  readonly fluxNamespace: string;
  /** The time the snapshot describes: capture time, or the newest timestamp in it. */
  readonly now: Date;
  private objs = new Map<string, K8sObject>();
  private kinds = new Map<string, K8sObject[]>();
  private healthCache = new Map<string, Health>();
  private outEdges = new Map<string, Edge[]>();
  private inEdges = new Map<string, Edge[]>();
  private eventsBy = new Map<string, KEvent[]>();
  private logsBy = new Map<string, LogEntry[]>();
  private explicitKinds: Set<string>;
  private kindNamespaces = new Map<string, Set<string>>();

  constructor(snapshot: Snapshot, opts: { fluxNamespace?: string; now?: Date } = {}) {
    this.snapshot = snapshot;
    this.fluxNamespace = fluxNamespaceOf(snapshot.objects, opts.fluxNamespace, snapshot.info.fluxNamespace);
    for (const o of snapshot.objects) {
      this.objs.set(refKey(objRef(o)), o);
      const list = this.kinds.get(o.kind) ?? [];
      list.push(o);
      this.kinds.set(o.kind, list);
    }
    this.explicitKinds = new Set(Array.isArray(snapshot.info.kindsRead) ? snapshot.info.kindsRead : []);
    for (const o of snapshot.objects) {
      const set = this.kindNamespaces.get(o.kind) ?? new Set<string>();
      set.add(o.metadata.namespace ?? '');
      this.kindNamespaces.set(o.kind, set);
    }
    for (const e of snapshot.events) {
      const k = refKey({ ...e.involved, namespace: e.involved.namespace || e.namespace });
      const l = this.eventsBy.get(k) ?? [];
      l.push(e);
      this.eventsBy.set(k, l);
    }
    for (const l of snapshot.logs) {
      // Reconciler lines name their object with controllerKind/name/namespace; notification-controller's
      // event server names the Alert it dispatched for in an `alert` field instead.
      const about =
        l.controllerKind && l.name
          ? { kind: l.controllerKind, namespace: l.namespace, name: l.name }
          : l.alert && typeof l.alert === 'object' && typeof l.alert.name === 'string'
            ? { kind: 'Alert', namespace: l.alert.namespace, name: l.alert.name }
            : undefined;
      if (!about) continue;
      const k = refKey(about);
      const list = this.logsBy.get(k) ?? [];
      list.push(l);
      this.logsBy.set(k, list);
    }
    this.now = opts.now ?? (snapshot.info.capturedAt ? new Date(snapshot.info.capturedAt) : newestTimestamp(snapshot));
    this.buildEdges();
  }

  // ---------- index ----------

  get(ref: ObjRef | K8sObject): K8sObject | undefined {
    return this.objs.get(refKey(toRef(ref)));
  }

  has(ref: ObjRef | K8sObject): boolean {
    return this.objs.has(refKey(toRef(ref)));
  }

  byKind(kind: string): K8sObject[] {
    return this.kinds.get(kind) ?? [];
  }

  all(): K8sObject[] {
    return this.snapshot.objects;
  }

  /**
   * Whether objects of this kind were read (in this namespace, when given): only then does an absent
   * object really not exist. A live read or a fluxdoctor snapshot lists the kinds it read; for other
   * snapshot files, a kind counts as read in a namespace when at least one object of that kind from
   * that namespace is in the file (a dump of `-n flux-system` says nothing about other namespaces).
   */
  kindRead(kind: string, namespace?: string): boolean {
    // A capture limited to one namespace (-n) read the namespaced kinds there only.
    const scope = this.snapshot.info.namespace;
    const inScope =
      scope === undefined || namespace === undefined || namespace === scope || kindInfo(kind)?.namespaced === false;
    if (this.explicitKinds.has(kind) && inScope) return true;
    if (namespace === undefined || kindInfo(kind)?.namespaced === false) return this.kinds.has(kind);
    return this.kindNamespaces.get(kind)?.has(namespace) === true;
  }

  health(ref: ObjRef | K8sObject): Health {
    const r = toRef(ref);
    const k = refKey(r);
    let h = this.healthCache.get(k);
    if (!h) {
      const o = this.get(r);
      h = o ? health(o) : { state: 'Unknown', reason: 'NotFound', stalled: false, stale: false, suspended: false };
      this.healthCache.set(k, h);
    }
    return h;
  }

  events(ref: ObjRef | K8sObject): KEvent[] {
    return this.eventsBy.get(refKey(toRef(ref))) ?? [];
  }

  logs(ref: ObjRef | K8sObject): LogEntry[] {
    return this.logsBy.get(refKey(toRef(ref))) ?? [];
  }

  // ---------- edges ----------

  out(ref: ObjRef | K8sObject, type?: GraphEdgeType | GraphEdgeType[]): Edge[] {
    return filterType(this.outEdges.get(refKey(toRef(ref))) ?? [], type);
  }

  in(ref: ObjRef | K8sObject, type?: GraphEdgeType | GraphEdgeType[]): Edge[] {
    return filterType(this.inEdges.get(refKey(toRef(ref))) ?? [], type);
  }

  /** The Kustomization(s) or HelmRelease(s) that applied this object. */
  appliedBy(ref: ObjRef | K8sObject): ObjRef[] {
    const seen = new Set<string>();
    const out: ObjRef[] = [];
    for (const e of this.in(ref, ['inventory', 'managed'])) {
      const k = refKey(e.from);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(e.from);
      }
    }
    return out;
  }

  /** Objects a Kustomization or HelmRelease applied (inventory and owner labels). */
  applied(ref: ObjRef | K8sObject): ObjRef[] {
    const seen = new Set<string>();
    const out: ObjRef[] = [];
    for (const e of this.out(ref, ['inventory', 'managed'])) {
      const k = refKey(e.to);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(e.to);
      }
    }
    return out;
  }

  /** Pods (transitively through ReplicaSets, Jobs) owned by a workload. */
  podsOf(ref: ObjRef | K8sObject): K8sObject[] {
    const out: K8sObject[] = [];
    const walk = (r: ObjRef, depth: number) => {
      if (depth > 4) return;
      for (const e of this.out(r, 'owner')) {
        const child = this.get(e.to);
        if (!child) continue;
        if (child.kind === 'Pod') out.push(child);
        else if (child.kind === 'ReplicaSet' && child.spec?.replicas === 0) continue;
        else walk(e.to, depth + 1);
      }
    };
    walk(toRef(ref), 0);
    return out;
  }

  /** The top-most controller owner of an object (Pod → ReplicaSet → Deployment), itself when none. */
  topOwner(ref: ObjRef | K8sObject): ObjRef {
    let cur = toRef(ref);
    for (let i = 0; i < 5; i++) {
      const owner = this.in(cur, 'owner')[0];
      if (!owner) break;
      cur = owner.from;
    }
    return cur;
  }

  private addEdge(e: Edge): void {
    const fk = refKey(e.from);
    const tk = refKey(e.to);
    const o = this.outEdges.get(fk) ?? [];
    o.push(e);
    this.outEdges.set(fk, o);
    const i = this.inEdges.get(tk) ?? [];
    i.push(e);
    this.inEdges.set(tk, i);
  }

  private buildEdges(): void {
    const byUid = new Map<string, K8sObject>();
    for (const o of this.snapshot.objects) if (o.metadata.uid) byUid.set(o.metadata.uid, o);
    const controllerDeploys = new Map<string, ObjRef>();
    for (const d of this.byKind('Deployment')) {
      if (d.metadata.namespace === this.fluxNamespace) controllerDeploys.set(d.metadata.name, objRef(d));
    }
    for (const o of this.snapshot.objects) {
      const from = objRef(o);
      for (const r of referencesOf(o)) {
        if (r.wildcard) continue;
        this.addEdge({ from, to: r.target, type: r.type, field: r.field, optional: r.optional, keys: r.keys });
      }
      // Inventory (Kustomization, and the Flux Operator's FluxInstance and ResourceSet use the same format).
      const entries = kindInfo(o.kind)?.flux ? o.status?.inventory?.entries : undefined;
      if (Array.isArray(entries)) {
        for (const en of entries) {
          const id = typeof en?.id === 'string' ? parseInventoryId(en.id) : undefined;
          if (id)
            this.addEdge({ from, to: { kind: id.kind, namespace: id.namespace, name: id.name }, type: 'inventory' });
        }
      }
      // Owner labels set by kustomize-controller and helm-controller.
      const labels = o.metadata.labels ?? {};
      const ksName = labels[`${KS_LABEL}/name`];
      if (ksName) {
        const owner = { kind: 'Kustomization', namespace: labels[`${KS_LABEL}/namespace`], name: ksName };
        const self = from.kind === 'Kustomization' && owner.name === from.name && owner.namespace === from.namespace;
        if (!self) this.addEdge({ from: owner, to: from, type: 'managed' });
      }
      const hrName = labels[`${HELM_LABEL}/name`];
      if (hrName) {
        this.addEdge({
          from: { kind: 'HelmRelease', namespace: labels[`${HELM_LABEL}/namespace`], name: hrName },
          to: from,
          type: 'managed',
        });
      }
      // ownerReferences.
      for (const or of listOf(o.metadata.ownerReferences)) {
        if (!or || typeof or.kind !== 'string' || typeof or.name !== 'string') continue;
        const owner = (or.uid && byUid.get(or.uid)) || undefined;
        const ownerRef: ObjRef = owner
          ? objRef(owner)
          : {
              kind: or.kind,
              namespace: kindInfo(or.kind)?.namespaced === false ? undefined : o.metadata.namespace,
              name: or.name,
            };
        this.addEdge({ from: ownerRef, to: from, type: 'owner' });
      }
      // Flux object → the Deployment of its controller (a shard's, when the object carries a shard key).
      const info = kindInfo(o.kind);
      if (info?.flux && info.controller) {
        const shard = o.metadata.labels?.['sharding.fluxcd.io/key'];
        const d =
          (shard && controllerDeploys.get(`${info.controller}-${shard}`)) || controllerDeploys.get(info.controller);
        if (d) this.addEdge({ from, to: d, type: 'controller' });
      }
    }
    // A label edge that duplicates an inventory edge is redundant: keep the inventory one.
    for (const [k, list] of this.outEdges) {
      const inv = new Set(list.filter((e) => e.type === 'inventory').map((e) => refKey(e.to)));
      if (inv.size === 0) continue;
      const keep = list.filter((e) => !(e.type === 'managed' && inv.has(refKey(e.to))));
      if (keep.length !== list.length) {
        this.outEdges.set(k, keep);
        for (const e of list) {
          if (e.type === 'managed' && inv.has(refKey(e.to))) {
            const tk = refKey(e.to);
            this.inEdges.set(
              tk,
              (this.inEdges.get(tk) ?? []).filter((x) => x !== e),
            );
          }
        }
      }
    }
  }
}

/** A list field as read; anything else (a wrongly typed field that slipped past read/shape.ts) is empty. */
// biome-ignore lint/suspicious/noExplicitAny: fields of decoded objects are untyped
const listOf = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** Accept an object or a reference wherever a reference is wanted. */
export function toRef(r: ObjRef | K8sObject): ObjRef {
  return 'metadata' in r ? objRef(r as K8sObject) : r;
}

function filterType(list: Edge[], type?: GraphEdgeType | GraphEdgeType[]): Edge[] {
  if (!type) return list;
  const set = Array.isArray(type) ? type : [type];
  return list.filter((e) => set.includes(e.type));
}

function newestTimestamp(s: Snapshot): Date {
  let max = 0;
  const see = (t: unknown) => {
    if (typeof t !== 'string') return;
    const v = Date.parse(t);
    if (!Number.isNaN(v) && v > max) max = v;
  };
  for (const o of s.objects) {
    see(o.metadata.creationTimestamp);
    for (const c of listOf(o.status?.conditions)) see(c?.lastTransitionTime);
    see(o.status?.lastHandledReconcileAt);
  }
  for (const e of s.events) see(e.lastTimestamp);
  for (const l of s.logs) see(l.ts);
  return max > 0 ? new Date(max) : new Date(0);
}

/** All kinds in the kind table that have a group (for the API reference and listings). */
export const FLUX_KINDS = KINDS.filter((k) => k.flux).map((k) => k.kind);
export { groupOf };
