// The diagnosis and the read-only views, as every front end calls them: thin wrappers over
// src/diagnose and src/views/* that resolve what the user named and decide what a view reads.

import { type Report, diagnose as runEngine } from '../diagnose/engine.js';
import { filterReport, type ReportFilter } from '../diagnose/filter.js';
import type { Graph } from '../graph/graph.js';
import { cleanLine, stripControl } from '../render/sanitize.js';
import { type K8sObject, type ObjRef, objRef } from '../types.js';
import { type AlertTest, type AlertTestOptions, alertTest } from '../views/alert-test.js';
import { resolveTarget, ViewError } from '../views/common.js';
import { type EventGroup, eventGroups, relatedObjects } from '../views/events.js';
import { type GetOptions, type GetRow, getRows, kindsFor, selectObjects } from '../views/get.js';
import { type ImageWhy, type ImageWhyOptions, imageWhy } from '../views/image-why.js';
import { type LogLevel, type LogRow, logLines } from '../views/logs.js';
import { visibleObject } from '../views/object.js';
import { type LabelSelector, matchesLabels } from '../views/selector.js';
import { type Stats, stats } from '../views/stats.js';
import { type Trace, trace } from '../views/trace.js';
import { type Tree, tree } from '../views/tree.js';

export type { ReportFilter } from '../diagnose/filter.js';
export type { AlertEventVerdict, AlertStep, AlertTest, AlertTestOptions, ProviderCheck } from '../views/alert-test.js';
export { ViewError } from '../views/common.js';
export type { EventGroup } from '../views/events.js';
export { type GetOptions, type GetRow, getArgs, kindsFor, STATUS_FILTERS, type StatusFilter } from '../views/get.js';
export type { ImageWhy, ImageWhyOptions, TagStep, TagVerdict } from '../views/image-why.js';
export { LOG_LEVELS, type LogLevel, type LogRow } from '../views/logs.js';
export {
  type LabelSelector,
  matchesLabels,
  parseLabelSelector,
  parseStatusSelector,
  SelectorError,
  type StatusSelector,
} from '../views/selector.js';
export type { Stats } from '../views/stats.js';
export type { Trace, TraceNode } from '../views/trace.js';
export type { Tree, TreeNode } from '../views/tree.js';

/** Every finding, each root cause once; the filters only choose which findings to show. */
export function diagnose(graph: Graph, filters: ReportFilter = {}): Report {
  return filterReport(runEngine(graph), filters, graph);
}

export type ViewName =
  | 'diagnose'
  | 'check'
  | 'get'
  | 'stats'
  | 'events'
  | 'logs'
  | 'trace'
  | 'tree'
  | 'image-why'
  | 'alert-test';

/**
 * The namespace a view's read is limited to (undefined: every namespace). Trace and tree, and
 * events or logs about one object, read every namespace: a chain, and what an object applied,
 * cross namespaces; the namespace then only names the object's namespace.
 */
export function readNamespace(view: ViewName, opts: { namespace?: string; for?: string }): string | undefined {
  // An ImagePolicy's ImageRepository may live in another namespace.
  if (view === 'trace' || view === 'tree' || view === 'image-why' || view === 'alert-test') return undefined;
  if ((view === 'events' || view === 'logs') && opts.for !== undefined) return undefined;
  return opts.namespace;
}

/** A name that matches no object is an error (ViewError) unless a filter (status, selectors) is set. */
function checkNamed(graph: Graph, opts: GetOptions & { kind: string }, found: number): void {
  if (opts.name === undefined || found > 0 || opts.status || opts.labels || opts.conditions) return;
  const any = getRows(graph, { kind: opts.kind, name: opts.name });
  const kind = opts.kind;
  throw new ViewError(
    cleanLine(
      any.length > 0
        ? `no ${kind === 'all' ? 'object' : kind} named '${opts.name}' in namespace ${opts.namespace}`
        : `no ${kind === 'all' ? 'Flux object' : kind} named '${opts.name}' was found`,
      600,
    ),
  );
}

/** The `flux get` rows. A name that matches no object is an error (ViewError) unless a filter is set. */
export function getView(graph: Graph, opts: GetOptions = {}): GetRow[] {
  const kind = opts.kind ?? 'all';
  kindsFor(kind);
  const rows = getRows(graph, { ...opts, kind });
  checkNamed(graph, { ...opts, kind }, rows.length);
  return rows;
}

/**
 * The objects `get` selects, themselves, as `kubectl get -o yaml` prints them: normalized, no
 * managedFields or last-applied copy, Secret and ConfigMap values removed (key names in dataKeys),
 * and the support bundle's value removal (spec.values leaves, postBuild.substitute, env values).
 * The same function shows the object of MCP get_object (src/views/object.ts visibleObject).
 */
export function getObjectsView(graph: Graph, opts: GetOptions = {}): K8sObject[] {
  const kind = opts.kind ?? 'all';
  const objects = selectObjects(graph, { ...opts, kind }).map(({ object }) => cleanStrings(visibleObject(object)));
  checkNamed(graph, { ...opts, kind }, objects.length);
  return objects;
}

/**
 * Every key and string with terminal escapes and control characters removed and invisible characters
 * shown (stripControl; newlines kept): a JSON consumer (`jq -r`) must not print raw escapes from the cluster.
 */
function cleanStrings<T>(v: T): T {
  if (typeof v === 'string') return stripControl(v) as T;
  if (Array.isArray(v)) return v.map(cleanStrings) as T;
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [stripControl(k), cleanStrings(x)])) as T;
  return v;
}

/** Objects as kubectl prints them: one named object as itself, else a `List` (apiVersion v1). */
export function objectList(objects: K8sObject[], single: boolean): unknown {
  if (single && objects.length === 1) return objects[0];
  return { apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } };
}

export function statsView(graph: Graph, opts: { namespace?: string } = {}): Stats {
  return stats(graph, opts);
}

const target = (graph: Graph, words: string | string[] | undefined, namespace?: string): ObjRef | undefined =>
  words === undefined ? undefined : resolveTarget(graph, words, namespace);

/** `-l`: accepts a reference when the snapshot holds that object and its labels match (an object not read has none). */
const labelled =
  (graph: Graph, sel: LabelSelector) =>
  (ref: ObjRef): boolean => {
    const o = graph.get(ref);
    return o !== undefined && matchesLabels(o, sel);
  };

/** How many objects of the snapshot (in `namespace` when given) a label selector matches. */
function selectedCount(graph: Graph, sel: LabelSelector, namespace?: string): number {
  return graph
    .all()
    .filter((o) => (namespace === undefined || o.metadata?.namespace === namespace) && matchesLabels(o, sel)).length;
}

export interface EventsView {
  /** The object of `--for` (MCP `target`), resolved: one name for it in every front end's output. */
  target?: ObjRef;
  groups: EventGroup[];
  /**
   * With `labels`: how many objects the selector matched (in the namespace; with `for`, among that
   * object and its related objects), whether they had events or not.
   */
  selected?: number;
}

/**
 * Events, grouped by object; with `for`, that object and what it applied (`namespace` names its
 * namespace); with `labels` (`-l`), only the groups of objects whose labels match.
 */
export function eventsView(
  graph: Graph,
  opts: { for?: string; namespace?: string; warningsOnly?: boolean; labels?: LabelSelector } = {},
): EventsView {
  const t = target(graph, opts.for, opts.namespace);
  const groups = eventGroups(graph, {
    for: t,
    namespace: t ? undefined : opts.namespace,
    warningsOnly: opts.warningsOnly,
    ...(opts.labels ? { match: labelled(graph, opts.labels) } : {}),
  });
  return {
    ...(t ? { target: t } : {}),
    groups,
    ...(opts.labels
      ? {
          selected: t
            ? relatedObjects(graph, t).filter(labelled(graph, opts.labels)).length
            : selectedCount(graph, opts.labels, opts.namespace),
        }
      : {}),
  };
}

export interface LogsView {
  /** The object of `--for` (MCP `target`), resolved. */
  target?: ObjRef;
  lines: LogRow[];
  /** No controller log line was read at all (live: pods/log not readable; files: no --logs). */
  noLogsRead: boolean;
  /** With `labels`: how many objects the selector matched (in the namespace; with `for`, 0 or 1: the object). */
  selected?: number;
}

/** Controller log lines; with `labels` (`-l`, as kubectl logs -l), only lines about objects whose labels match. */
export function logsView(
  graph: Graph,
  opts: { for?: string; namespace?: string; level?: LogLevel; sinceMs?: number; labels?: LabelSelector } = {},
): LogsView {
  const t = target(graph, opts.for, opts.namespace);
  const lines = logLines(graph, {
    for: t,
    level: opts.level,
    sinceMs: opts.sinceMs,
    namespace: t ? undefined : opts.namespace,
    ...(opts.labels ? { match: labelled(graph, opts.labels) } : {}),
  });
  return {
    ...(t ? { target: t } : {}),
    lines,
    noLogsRead: graph.snapshot.logs.length === 0,
    ...(opts.labels
      ? {
          selected: t ? Number(labelled(graph, opts.labels)(t)) : selectedCount(graph, opts.labels, opts.namespace),
        }
      : {}),
  };
}

/** The object up its chain (`namespace` names the object's namespace; without it every namespace is searched). */
export function traceView(graph: Graph, words: string | string[], namespace?: string): Trace {
  return trace(graph, resolveTarget(graph, words, namespace));
}

/** What the object applied, down to workloads and pods. */
export function treeView(graph: Graph, words: string | string[], namespace?: string): Tree {
  return tree(graph, resolveTarget(graph, words, namespace));
}

/** The kinds `tree -l` starts from when no KIND is given: the ones that apply objects. */
export const TREE_ROOT_KINDS = ['Kustomization', 'HelmRelease', 'FluxInstance', 'ResourceSet'];

/**
 * `tree [KIND] -l SELECTOR`: the tree of every object of KIND (default TREE_ROOT_KINDS) whose labels
 * match, in `namespace` when given, ordered by namespace and name. An unknown KIND is a ViewError.
 */
export function treesView(
  graph: Graph,
  opts: { labels: LabelSelector; kind?: string; namespace?: string },
): { items: Tree[] } {
  const kinds = opts.kind === undefined ? TREE_ROOT_KINDS : kindsFor(opts.kind).map((k) => k.kind);
  const roots = kinds
    .flatMap((k) => graph.byKind(k))
    .filter(
      (o) =>
        (opts.namespace === undefined || o.metadata?.namespace === opts.namespace) && matchesLabels(o, opts.labels),
    )
    .map(objRef)
    .sort(
      (a, b) =>
        (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
        a.kind.localeCompare(b.kind) ||
        a.name.localeCompare(b.name),
    );
  return { items: roots.map((r) => tree(graph, r)) };
}

/**
 * Which tag an ImagePolicy selects and why (`image why`): a bare name is an ImagePolicy name;
 * `namespace` names the policy's namespace (without it every namespace is searched).
 */
export function imageWhyView(
  graph: Graph,
  words: string | string[],
  namespace?: string,
  opts: ImageWhyOptions = {},
): ImageWhy {
  const list = (typeof words === 'string' ? [words] : words).filter((w) => w !== '');
  const named = list.length === 1 && !list[0]!.includes('/') ? [`ImagePolicy/${list[0]}`] : list;
  return imageWhy(graph, resolveTarget(graph, named, namespace), opts);
}

/**
 * Which recent events an Alert forwards or drops and why, and its Provider check (`alert test`): a
 * bare name is an Alert name; `namespace` names the Alert's namespace.
 */
export function alertTestView(
  graph: Graph,
  words: string | string[],
  namespace?: string,
  opts: AlertTestOptions = {},
): AlertTest {
  const list = (typeof words === 'string' ? [words] : words).filter((w) => w !== '');
  const named = list.length === 1 && !list[0]!.includes('/') ? [`Alert/${list[0]}`] : list;
  const ref = resolveTarget(graph, named, namespace);
  if (ref.kind !== 'Alert') throw new ViewError(`alert test takes an Alert, not a ${cleanLine(ref.kind, 60)}`);
  if (!graph.get(ref))
    throw new ViewError(`Alert ${cleanLine(ref.namespace ?? '', 100)}/${cleanLine(ref.name, 300)} not found`);
  return alertTest(graph, ref, opts);
}
