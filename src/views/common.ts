// What the read-only views share: resolving what the user typed to an object, health of a hop,
// ages relative to the snapshot time.

import { parseTargetWords, pickNamespace, TargetError, targetRef } from '../core/target.js';
import type { Graph } from '../graph/graph.js';
import { cleanLine } from '../render/sanitize.js';
import { objId } from '../signals/refs.js';
import { parseDuration as parseGoDuration } from '../signals/text.js';
import type { ObjRef } from '../types.js';

export class ViewError extends Error {}

/** The health of one object, as every view reports it (cluster text already sanitised). */
export interface NodeHealth {
  state: string;
  reason?: string;
  message?: string;
  revision?: string;
  suspended: boolean;
  /** False when the object is referenced (inventory, ownerReference, spec) but not in the snapshot. */
  found: boolean;
}

export function nodeHealth(graph: Graph, ref: ObjRef, maxMessage = 300): NodeHealth {
  const found = graph.has(ref);
  const h = graph.health(ref);
  const out: NodeHealth = { state: found ? h.state : 'NotRead', suspended: h.suspended, found };
  if (found && h.reason) out.reason = cleanLine(h.reason, 100);
  if (found && h.message) out.message = cleanLine(h.message, maxMessage);
  if (found && h.revision) out.revision = cleanLine(h.revision, 120);
  return out;
}

/** A reference with every field sanitised (names come from the cluster). */
export function cleanRef(r: ObjRef): ObjRef {
  return r.namespace
    ? { kind: cleanLine(r.kind, 100), namespace: cleanLine(r.namespace, 100), name: cleanLine(r.name, 300) }
    : { kind: cleanLine(r.kind, 100), name: cleanLine(r.name, 300) };
}

/** `Kind/namespace/name` (signals/refs objId). */
export const refId = (r: ObjRef): string => objId(r);

/**
 * Resolve `KIND/NAME`, `KIND/NAMESPACE/NAME` or `KIND NAME` (kind as kubectl/flux users type it:
 * `ks`, `hr`, `deploy`, `HelmRelease`) to an object reference, with the one target parser
 * (src/core/target.ts). Without a namespace, the object is looked up by kind and name in every
 * namespace: one match is taken, several are an error that names them, none is an error too.
 */
export function resolveTarget(graph: Graph, words: string[] | string, namespace?: string): ObjRef {
  const list = typeof words === 'string' ? [words] : words;
  try {
    const t = parseTargetWords(list, { namespace });
    if (t.namespace !== undefined || !t.kind.namespaced) return targetRef(t);
    const matches = graph.byKind(t.kind.kind).filter((o) => o.metadata.name === t.name);
    try {
      return pickNamespace(
        t,
        matches.map((o) => o.metadata.namespace),
        list.length === 1 ? list[0]! : list.join('/'),
      );
    } catch (e) {
      if (e instanceof TargetError && matches.length === 0 && !graph.kindRead(t.kind.kind))
        throw new TargetError(`${e.message} (no ${t.kind.kind} objects were read)`);
      throw e;
    }
  } catch (e) {
    if (e instanceof TargetError) throw new ViewError(e.message);
    throw e;
  }
}

/** Seconds from `time` to the graph's now (undefined when the time is missing or unparsable). */
export function ageSeconds(graph: Graph, time: string | undefined): number | undefined {
  if (!time) return undefined;
  const t = Date.parse(time);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, Math.round((graph.now.getTime() - t) / 1000));
}

/** `42s`, `5m`, `3h12m`, `4d2h` as kubectl prints ages. */
export function formatAge(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${seconds % 60 && m < 10 ? `${seconds % 60}s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  const d = Math.floor(h / 24);
  return `${d}d${h % 24 && d < 10 ? `${h % 24}h` : ''}`;
}

/** `--since` durations: 30s, 5m, 2h, 1d, or combinations like 1h30m (the one parser, with days). */
export const parseDuration = (v: string): number | undefined => parseGoDuration(v, { days: true });
