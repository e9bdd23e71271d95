// `events [--for KIND/NAME]`: the events of Flux objects and of what they manage, grouped by the
// object they are about; warnings first, then newest first.

import type { Graph } from '../graph/graph.js';
import { isFluxKind } from '../kinds/table.js';
import type { KEvent } from '../read/normalize.js';
import { cleanLine } from '../render/sanitize.js';
import { type ObjRef, refKey } from '../types.js';
import { ageSeconds, cleanRef } from './common.js';

export interface EventRow {
  type: string;
  reason: string;
  object: ObjRef;
  count: number;
  message: string;
  /** RFC 3339 time the event was last seen. */
  lastSeen?: string;
  /** Seconds from lastSeen to the snapshot time. */
  age?: number;
  /** The component that reported it (kubelet, kustomize-controller…). */
  source?: string;
  /** The names of the Event objects this row merges (for `-o name`), sorted. */
  names: string[];
}

export interface EventGroup {
  object: ObjRef;
  warnings: number;
  events: EventRow[];
}

export interface EventsOptions {
  /** Only this object, its source and chart chain, what it applied, and the ReplicaSets/Pods of those. */
  for?: ObjRef;
  namespace?: string;
  /** Only Warning events. */
  warningsOnly?: boolean;
  /** `-l`: only events about objects this accepts (their labels match; given the raw reference). */
  match?: (about: ObjRef) => boolean;
}

/**
 * The objects `events --for ref` shows, as `flux events --for` does: the object, its source chain
 * (its source; a HelmRelease's HelmChart or chartRef and that chart's source; a source's own
 * source, e.g. an ImageUpdateAutomation's GitRepository), then what it applied and their owned
 * descendants (ReplicaSets, Pods).
 */
export function relatedObjects(graph: Graph, ref: ObjRef): ObjRef[] {
  const seen = new Map<string, ObjRef>();
  const add = (r: ObjRef) => {
    if (!seen.has(refKey(r))) seen.set(refKey(r), r);
  };
  const owned = (r: ObjRef, depth: number) => {
    if (depth > 4) return;
    for (const e of graph.out(r, 'owner')) {
      if (seen.has(refKey(e.to))) continue;
      add(e.to);
      owned(e.to, depth + 1);
    }
  };
  add(ref);
  owned(ref, 0);
  // Upstream: source and chart edges, transitively (bounded: a chain is at most a few hops).
  const upstream = (r: ObjRef, depth: number) => {
    if (depth > 4) return;
    for (const e of [...graph.out(r, 'source'), ...graph.out(r, 'chart')]) {
      if (seen.has(refKey(e.to))) continue;
      add(e.to);
      upstream(e.to, depth + 1);
    }
  };
  upstream(ref, 0);
  for (const r of graph.applied(ref)) {
    add(r);
    owned(r, 0);
  }
  return [...seen.values()];
}

/** Is this event about a Flux object or something a Flux object manages? */
function managedByFlux(graph: Graph, about: ObjRef): boolean {
  if (isFluxKind(about.kind)) return true;
  if (graph.appliedBy(about).length > 0) return true;
  const top = graph.topOwner(about);
  return refKey(top) !== refKey(about) && graph.appliedBy(top).length > 0;
}

const time = (e: KEvent) => e.lastTimestamp ?? e.firstTimestamp;
const tnum = (t?: string) => {
  const v = t ? Date.parse(t) : Number.NaN;
  return Number.isNaN(v) ? 0 : v;
};

function compareEvents(a: EventRow, b: EventRow): number {
  const wa = a.type === 'Warning' ? 0 : 1;
  const wb = b.type === 'Warning' ? 0 : 1;
  return wa - wb || tnum(b.lastSeen) - tnum(a.lastSeen) || a.reason.localeCompare(b.reason);
}

export function eventGroups(graph: Graph, opts: EventsOptions = {}): EventGroup[] {
  const byObject = new Map<string, { object: ObjRef; events: KEvent[] }>();
  const add = (about: ObjRef, e: KEvent) => {
    const k = refKey(about);
    const g = byObject.get(k) ?? { object: about, events: [] };
    g.events.push(e);
    byObject.set(k, g);
  };
  if (opts.for) {
    for (const r of relatedObjects(graph, opts.for)) for (const e of graph.events(r)) add(r, e);
  } else {
    for (const e of graph.snapshot.events) {
      const about = { ...e.involved, namespace: e.involved.namespace || e.namespace };
      if (managedByFlux(graph, about)) add(about, e);
    }
  }
  const groups: EventGroup[] = [];
  for (const g of byObject.values()) {
    if (opts.namespace !== undefined && g.object.namespace !== undefined && g.object.namespace !== opts.namespace)
      continue;
    if (opts.match && !opts.match(g.object)) continue;
    const object = cleanRef(g.object);
    // Controllers record a new Event for every retry: one row per (type, reason, message), counts added.
    const merged = new Map<string, EventRow>();
    for (const e of g.events) {
      if (opts.warningsOnly && e.type !== 'Warning') continue;
      const last = time(e);
      const row: EventRow = {
        type: cleanLine(e.type || 'Normal', 40),
        reason: cleanLine(e.reason ?? '', 100),
        object,
        count: typeof e.count === 'number' && e.count > 0 ? e.count : 1,
        message: cleanLine(e.message ?? '', 1000),
        ...(last ? { lastSeen: last, age: ageSeconds(graph, last) } : {}),
        ...(e.source ? { source: cleanLine(e.source, 100) } : {}),
        names: e.name ? [cleanLine(e.name, 253)] : [],
      };
      const k = `${row.type}\u0000${row.reason}\u0000${row.message}`;
      const prev = merged.get(k);
      if (!prev) merged.set(k, row);
      else {
        const count = prev.count + row.count;
        const names = [...new Set([...prev.names, ...row.names])].sort();
        merged.set(k, tnum(row.lastSeen) > tnum(prev.lastSeen) ? { ...row, count, names } : { ...prev, count, names });
      }
    }
    const events = [...merged.values()].sort(compareEvents);
    if (events.length === 0) continue;
    groups.push({ object, warnings: events.filter((e) => e.type === 'Warning').length, events });
  }
  groups.sort(
    (a, b) =>
      (b.warnings > 0 ? 1 : 0) - (a.warnings > 0 ? 1 : 0) ||
      tnum(b.events[0]!.lastSeen) - tnum(a.events[0]!.lastSeen) ||
      refKey(a.object).localeCompare(refKey(b.object)),
  );
  return groups;
}
