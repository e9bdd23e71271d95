// `stats`: per Flux kind, how many objects there are and how many are ready, failing, suspended,
// waiting, progressing.

import type { Graph } from '../graph/graph.js';
import { KINDS } from '../kinds/table.js';

export interface StatsRow {
  kind: string;
  total: number;
  /** Ready, and objects of kinds without status (Alerts, Providers v1beta3). */
  ready: number;
  failing: number;
  suspended: number;
  waiting: number;
  /** Progressing, and objects the controller has not reported on yet (Unknown). */
  progressing: number;
}

export interface Stats {
  kinds: StatsRow[];
  total: StatsRow;
}

const empty = (kind: string): StatsRow => ({
  kind,
  total: 0,
  ready: 0,
  failing: 0,
  suspended: 0,
  waiting: 0,
  progressing: 0,
});

/** Every Flux kind that has objects (or was read: a live read lists the kinds it read), in table order. */
export function stats(graph: Graph, opts: { namespace?: string } = {}): Stats {
  const kindsRead = new Set(graph.snapshot.info.kindsRead ?? []);
  const total = empty('total');
  const kinds: StatsRow[] = [];
  for (const k of KINDS.filter((x) => x.flux)) {
    const row = empty(k.kind);
    for (const o of graph.byKind(k.kind)) {
      if (opts.namespace !== undefined && k.namespaced && o.metadata.namespace !== opts.namespace) continue;
      row.total++;
      const s = graph.health(o).state;
      if (s === 'Ready' || s === 'Static') row.ready++;
      else if (s === 'Failed') row.failing++;
      else if (s === 'Suspended') row.suspended++;
      else if (s === 'Waiting') row.waiting++;
      else row.progressing++;
    }
    if (row.total === 0 && !kindsRead.has(k.kind)) continue;
    kinds.push(row);
    for (const key of ['total', 'ready', 'failing', 'suspended', 'waiting', 'progressing'] as const)
      total[key] += row[key];
  }
  return { kinds, total };
}
