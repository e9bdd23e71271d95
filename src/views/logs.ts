// `logs [--for KIND/NAME] [--level] [--since]`: the Flux controllers' log lines about one object
// (or all of them), across every controller, oldest first, as `flux logs` prints them.

import type { Graph } from '../graph/graph.js';
import { kindInfo } from '../kinds/table.js';
import { cleanLine } from '../render/sanitize.js';
import type { LogEntry, ObjRef } from '../types.js';

export const LOG_LEVELS = ['error', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogRow {
  ts?: string;
  level: string;
  /** The controller that wrote it (source-controller, helm-controller…). */
  controller: string;
  /** The object the line is about, when it names one. */
  object?: ObjRef;
  msg: string;
  error?: string;
}

export interface LogsOptions {
  for?: ObjRef;
  /** error: errors only; info: info and above; debug: everything (the default). */
  level?: LogLevel;
  /** Only lines newer than this many milliseconds before the snapshot time. */
  sinceMs?: number;
  namespace?: string;
  /** `-l`: only lines about an object this accepts (a line about no object is left out). */
  match?: (about: ObjRef) => boolean;
}

/** zap levels: debug (and V-levels) 0, info 1, warn 2, error/dpanic/panic/fatal 3. */
export function levelRank(level: string | undefined): number {
  const l = (level ?? '').toLowerCase();
  if (l === 'error' || l === 'dpanic' || l === 'panic' || l === 'fatal') return 3;
  if (l === 'warn' || l === 'warning') return 2;
  if (l === 'info' || l === '') return 1;
  return 0;
}

const MIN_RANK: Record<LogLevel, number> = { error: 3, info: 1, debug: 0 };

/** The controller of a log line: from its kind, else from where it was read (pod or file name). */
export function controllerOf(l: LogEntry): string {
  const byKind = l.controllerKind ? kindInfo(l.controllerKind)?.controller : undefined;
  if (byKind) return byKind;
  const src = l.source ?? '';
  const pod = /^pod\/([^/]+)\//.exec(src);
  if (pod) return pod[1]!.replace(/-[a-z0-9]{6,10}-[a-z0-9]{5}$/, '');
  const base = src.split(/[\\/]/).pop() ?? '';
  return base.replace(/\.(log|jsonl?|txt)$/, '') || (l.controller ?? 'unknown');
}

function about(l: LogEntry): ObjRef | undefined {
  if (l.controllerKind && l.name) return { kind: l.controllerKind, namespace: l.namespace, name: l.name };
  return undefined;
}

const same = (a: ObjRef, b: ObjRef) =>
  a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');

/** A reconciler line is about its controllerKind/name/namespace; other lines may name the object in a field keyed by its kind. */
function isAbout(l: LogEntry, ref: ObjRef): boolean {
  const a = about(l);
  if (a) return same(a, ref);
  const keyed = l[ref.kind];
  return (
    !!keyed &&
    typeof keyed === 'object' &&
    typeof keyed.name === 'string' &&
    same({ kind: ref.kind, namespace: keyed.namespace, name: keyed.name }, ref)
  );
}

export function logLines(graph: Graph, opts: LogsOptions = {}): LogRow[] {
  const min = MIN_RANK[opts.level ?? 'debug'];
  const since = opts.sinceMs !== undefined ? graph.now.getTime() - opts.sinceMs : undefined;
  const rows: (LogRow & { t: number; i: number })[] = [];
  graph.snapshot.logs.forEach((l, i) => {
    if (levelRank(l.level) < min) return;
    if (opts.for && !isAbout(l, opts.for)) return;
    const t = l.ts ? Date.parse(l.ts) : Number.NaN;
    if (since !== undefined && (Number.isNaN(t) || t < since)) return;
    const a = about(l);
    if (opts.match && (!a || !opts.match(a))) return;
    if (opts.namespace !== undefined && !opts.for && (a?.namespace ?? l.namespace) !== opts.namespace) return;
    rows.push({
      ...(l.ts ? { ts: cleanLine(l.ts, 40) } : {}),
      level: cleanLine(l.level || 'info', 20),
      controller: cleanLine(controllerOf(l), 100),
      ...(a
        ? {
            object: a.namespace
              ? { kind: cleanLine(a.kind, 100), namespace: cleanLine(a.namespace, 100), name: cleanLine(a.name, 300) }
              : { kind: cleanLine(a.kind, 100), name: cleanLine(a.name, 300) },
          }
        : {}),
      msg: cleanLine(l.msg ?? '', 2000),
      ...(l.error ? { error: cleanLine(l.error, 2000) } : {}),
      t: Number.isNaN(t) ? 0 : t,
      i,
    });
  });
  rows.sort((a, b) => a.t - b.t || a.i - b.i);
  return rows.map(({ t: _t, i: _i, ...r }) => r);
}
