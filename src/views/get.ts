// `get [KIND] [NAME]`: the status table of `flux get`, for every kind at once (`all`).

import type { Graph } from '../graph/graph.js';
import { condition } from '../kinds/status.js';
import { KINDS, type KindInfo, resolveKind } from '../kinds/table.js';
import { cleanLine } from '../render/sanitize.js';
import type { K8sObject } from '../types.js';
import { ageSeconds, ViewError } from './common.js';

export const STATUS_FILTERS = ['failing', 'ready', 'suspended', 'waiting', 'progressing'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface GetRow {
  namespace?: string;
  kind: string;
  name: string;
  /** The health state: Ready, Failed, Waiting, Progressing, Suspended, Unknown, Static. */
  ready: string;
  /** The short reason/message (bounded, sanitised). */
  status: string;
  reason?: string;
  revision?: string;
  /** When the object was last reconciled (RFC 3339), as the controller reported it. */
  lastReconcile?: string;
  /** Seconds from lastReconcile to the snapshot time. */
  lastReconcileAge?: number;
  suspended: boolean;
}

export interface GetOptions {
  /** A kind as typed (`hr`, `kustomizations`, `all`); every Flux kind when absent or `all`. */
  kind?: string;
  name?: string;
  namespace?: string;
  status?: StatusFilter;
}

/** The kinds a KIND argument selects (every Flux kind for `all` or nothing). */
export function kindsFor(word: string | undefined): KindInfo[] {
  if (!word || word.toLowerCase() === 'all') return KINDS.filter((k) => k.flux);
  const words = word.split(',').filter(Boolean);
  return words.map((w) => {
    const info = resolveKind(w);
    if (!info || info.kind === 'Event')
      throw new ViewError(
        `unknown kind '${w}' (try one of: all, ${KINDS.filter((k) => k.flux)
          .map((k) => k.shortNames?.[0] ?? k.kind.toLowerCase())
          .join(', ')})`,
      );
    return info;
  });
}

const MATCH: Record<StatusFilter, (state: string) => boolean> = {
  failing: (s) => s === 'Failed',
  ready: (s) => s === 'Ready' || s === 'Static',
  suspended: (s) => s === 'Suspended',
  waiting: (s) => s === 'Waiting',
  progressing: (s) => s === 'Progressing' || s === 'Unknown',
};

export function matchesStatus(state: string, filter: StatusFilter): boolean {
  return MATCH[filter](state);
}

/** The newest time the controller reported handling the object. */
export function lastReconcileOf(o: K8sObject): string | undefined {
  let best: string | undefined;
  let bestT = Number.NEGATIVE_INFINITY;
  const see = (t: unknown) => {
    if (typeof t !== 'string') return;
    const v = Date.parse(t);
    if (!Number.isNaN(v) && v > bestT) {
      bestT = v;
      best = new Date(v).toISOString().replace('.000Z', 'Z');
    }
  };
  const ready = condition(o, 'Ready');
  see(ready?.lastTransitionTime);
  for (const c of Array.isArray(o.status?.conditions) ? o.status.conditions : []) see(c?.lastTransitionTime);
  see(o.status?.artifact?.lastUpdateTime);
  see(o.status?.lastHandledReconcileAt);
  see(o.status?.lastScanResult?.scanTime);
  see(o.status?.lastAutomationRunTime);
  return best;
}

export function getRows(graph: Graph, opts: GetOptions = {}): GetRow[] {
  const kinds = kindsFor(opts.kind);
  const rows: GetRow[] = [];
  for (const k of kinds) {
    const objects = [...graph.byKind(k.kind)].sort(
      (a, b) =>
        (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
    for (const o of objects) {
      if (opts.name !== undefined && o.metadata.name !== opts.name) continue;
      if (opts.namespace !== undefined && k.namespaced && o.metadata.namespace !== opts.namespace) continue;
      const h = graph.health(o);
      if (opts.status && !matchesStatus(h.state, opts.status)) continue;
      const last = lastReconcileOf(o);
      const text = h.state === 'Static' ? '' : (h.message ?? h.reason ?? '');
      const row: GetRow = {
        ...(o.metadata.namespace ? { namespace: cleanLine(o.metadata.namespace, 100) } : {}),
        kind: k.kind,
        name: cleanLine(o.metadata.name, 300),
        ready: h.state,
        status: cleanLine(text, 300),
        ...(h.reason ? { reason: cleanLine(h.reason, 100) } : {}),
        ...(h.revision ? { revision: cleanLine(h.revision, 120) } : {}),
        ...(last ? { lastReconcile: last, lastReconcileAge: ageSeconds(graph, last) } : {}),
        suspended: h.suspended,
      };
      rows.push(row);
    }
  }
  return rows;
}
