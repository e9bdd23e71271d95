// The diagnosis and the read-only views, as every front end calls them: thin wrappers over
// src/diagnose and src/views/* that resolve what the user named and decide what a view reads.

import { type Report, diagnose as runEngine } from '../diagnose/engine.js';
import { filterReport, type ReportFilter } from '../diagnose/filter.js';
import type { Graph } from '../graph/graph.js';
import { cleanLine } from '../render/sanitize.js';
import type { ObjRef } from '../types.js';
import { resolveTarget, ViewError } from '../views/common.js';
import { type EventGroup, eventGroups } from '../views/events.js';
import { type GetOptions, type GetRow, getRows, kindsFor } from '../views/get.js';
import { type LogLevel, type LogRow, logLines } from '../views/logs.js';
import { type Stats, stats } from '../views/stats.js';
import { type Trace, trace } from '../views/trace.js';
import { type Tree, tree } from '../views/tree.js';

export type { ReportFilter } from '../diagnose/filter.js';
export { ViewError } from '../views/common.js';
export type { EventGroup } from '../views/events.js';
export { type GetRow, kindsFor, STATUS_FILTERS, type StatusFilter } from '../views/get.js';
export { LOG_LEVELS, type LogLevel, type LogRow } from '../views/logs.js';
export type { Stats } from '../views/stats.js';
export type { Trace, TraceNode } from '../views/trace.js';
export type { Tree, TreeNode } from '../views/tree.js';

/** Every finding, each root cause once; the filters only choose which findings to show. */
export function diagnose(graph: Graph, filters: ReportFilter = {}): Report {
  return filterReport(runEngine(graph), filters, graph);
}

export type ViewName = 'diagnose' | 'check' | 'get' | 'stats' | 'events' | 'logs' | 'trace' | 'tree';

/**
 * The namespace a view's read is limited to (undefined: every namespace). Trace and tree, and
 * events or logs about one object, read every namespace: a chain, and what an object applied,
 * cross namespaces; the namespace then only names the object's namespace.
 */
export function readNamespace(view: ViewName, opts: { namespace?: string; for?: string }): string | undefined {
  if (view === 'trace' || view === 'tree') return undefined;
  if ((view === 'events' || view === 'logs') && opts.for !== undefined) return undefined;
  return opts.namespace;
}

/** The `flux get` rows. A name that matches no object is an error (ViewError) unless a status filter is set. */
export function getView(graph: Graph, opts: GetOptions = {}): GetRow[] {
  const kind = opts.kind ?? 'all';
  kindsFor(kind);
  const rows = getRows(graph, { ...opts, kind });
  if (opts.name !== undefined && rows.length === 0 && !opts.status) {
    const any = getRows(graph, { kind, name: opts.name });
    throw new ViewError(
      cleanLine(
        any.length > 0
          ? `no ${kind === 'all' ? 'object' : kind} named '${opts.name}' in namespace ${opts.namespace}`
          : `no ${kind === 'all' ? 'Flux object' : kind} named '${opts.name}' was found`,
        600,
      ),
    );
  }
  return rows;
}

export function statsView(graph: Graph, opts: { namespace?: string } = {}): Stats {
  return stats(graph, opts);
}

const target = (graph: Graph, words: string | string[] | undefined, namespace?: string): ObjRef | undefined =>
  words === undefined ? undefined : resolveTarget(graph, words, namespace);

export interface EventsView {
  for?: ObjRef;
  groups: EventGroup[];
}

/** Events, grouped by object; with `for`, that object and what it applied (`namespace` names its namespace). */
export function eventsView(
  graph: Graph,
  opts: { for?: string; namespace?: string; warningsOnly?: boolean } = {},
): EventsView {
  const t = target(graph, opts.for, opts.namespace);
  const groups = eventGroups(graph, {
    for: t,
    namespace: t ? undefined : opts.namespace,
    warningsOnly: opts.warningsOnly,
  });
  return { ...(t ? { for: t } : {}), groups };
}

export interface LogsView {
  for?: ObjRef;
  lines: LogRow[];
  /** No controller log line was read at all (live: pods/log not readable; files: no --logs). */
  noLogsRead: boolean;
}

export function logsView(
  graph: Graph,
  opts: { for?: string; namespace?: string; level?: LogLevel; sinceMs?: number } = {},
): LogsView {
  const t = target(graph, opts.for, opts.namespace);
  const lines = logLines(graph, {
    for: t,
    level: opts.level,
    sinceMs: opts.sinceMs,
    namespace: t ? undefined : opts.namespace,
  });
  return { ...(t ? { for: t } : {}), lines, noLogsRead: graph.snapshot.logs.length === 0 };
}

/** The object up its chain (`namespace` names the object's namespace; without it every namespace is searched). */
export function traceView(graph: Graph, words: string | string[], namespace?: string): Trace {
  return trace(graph, resolveTarget(graph, words, namespace));
}

/** What the object applied, down to workloads and pods. */
export function treeView(graph: Graph, words: string | string[], namespace?: string): Tree {
  return tree(graph, resolveTarget(graph, words, namespace));
}
