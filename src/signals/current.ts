// Which of an object's signals count: its failing conditions, then its Warning events, then its
// controller's error log lines. One policy for every rule (`current`), so that a stale Warning event
// of an older failure never produces a second diagnosis beside the condition the controller wrote last.

import type { Graph } from '../graph/graph.js';
import { conditions } from '../kinds/status.js';
import type { Condition, Evidence, K8sObject } from '../types.js';
import { objRef } from '../types.js';
import { objId } from './refs.js';
import { bound } from './text.js';

export interface Signal {
  /** The text to match (a condition message, event message or log error). */
  text: string;
  /** The condition reason or event reason, when there is one. */
  reason?: string;
  /** Condition type, `event` or `log`. */
  from: string;
  evidence: Evidence;
}

/** Conditions whose True status means something is wrong. */
const NEGATIVE_TRUE = new Set([
  'Stalled',
  'FetchFailed',
  'BuildFailed',
  'StorageOperationFailed',
  'IncludeUnavailable',
  'ReplicaFailure', // Deployment/ReplicaSet: pods cannot be created
  'Failed', // Job
]);
/** Conditions whose False status means something is wrong (besides Ready). */
const POSITIVE_FALSE = new Set(['Released', 'TestSuccess', 'Healthy', 'SourceVerified', 'Remediated']);

/** `Ready=False (Reason): message`. */
export function conditionText(c: Condition): string {
  return `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`;
}

export function conditionEvidence(o: K8sObject, c: Condition): Evidence {
  return { kind: 'condition', object: objId(o), text: bound(conditionText(c)) };
}

function condSignal(o: K8sObject, c: Condition): Signal {
  return { text: c.message ?? '', reason: c.reason, from: c.type, evidence: conditionEvidence(o, c) };
}

/** The text of a controller log line: its message and its error, once each. */
export function logText(l: { msg: string; error?: string }): string {
  if (!l.error || l.msg.includes(l.error)) return l.msg;
  if (l.error.includes(l.msg)) return l.error;
  return `${l.msg}: ${l.error}`;
}

/**
 * Every failure signal of an object, strongest first: failing conditions, then Warning events
 * (newest first), then error log lines of its controller.
 */
export function failureSignals(o: K8sObject, graph: Graph): Signal[] {
  const out: Signal[] = [];
  const ref = objRef(o);
  const conds = conditions(o);
  const ready = conds.find((c) => c.type === 'Ready');
  if (ready && ready.status === 'False') out.push(condSignal(o, ready));
  for (const c of conds) {
    if (c.type === 'Ready') continue;
    if ((NEGATIVE_TRUE.has(c.type) && c.status === 'True') || (POSITIVE_FALSE.has(c.type) && c.status === 'False'))
      out.push(condSignal(o, c));
  }
  const events = graph
    .events(ref)
    .filter((e) => e.type === 'Warning')
    .sort((a, b) => (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''));
  for (const e of events) {
    out.push({
      text: e.message,
      reason: e.reason,
      from: 'event',
      evidence: {
        kind: 'event',
        object: objId(o),
        text: bound(`${e.type} ${e.reason}${e.count > 1 ? ` (x${e.count})` : ''}: ${e.message}`),
      },
    });
  }
  for (const l of graph.logs(ref)) {
    if (l.level !== 'error' && !l.error) continue;
    const text = logText(l);
    out.push({
      text,
      from: 'log',
      evidence: { kind: 'log', object: objId(o), text: bound(`${l.ts ?? ''} ${l.level} ${text}`.trim()) },
    });
  }
  return out;
}

const NOT_CONDITION = new Set(['event', 'log']);

/** Whether a signal comes from a condition (not an event or a log line). */
export const fromCondition = (s: Signal): boolean => !NOT_CONDITION.has(s.from);

/**
 * The signals that decide what is wrong now, strongest first: the failing conditions when any of them
 * carries a message (the controller's latest word); otherwise the Warning events and error log lines.
 * `all` keeps every failure signal, for evidence.
 */
export function current(o: K8sObject, graph: Graph): { deciding: Signal[]; all: Signal[] } {
  const all = failureSignals(o, graph);
  const conds = all.filter(fromCondition);
  const deciding = conds.some((s) => s.text.trim() !== '') ? conds : all.filter((s) => !fromCondition(s));
  return { deciding, all };
}

/** The object's last reconcile failed (Ready=False or Stalled=True), not suspended or progressing. */
export function isFailing(o: K8sObject, graph: Graph): boolean {
  return graph.health(o).state === 'Failed';
}

/**
 * The object's status shows a failure the user must fix: it is failing, or it is suspended and its
 * Ready condition still says False (written before the suspension; resuming it will fail the same way).
 */
export function showsFailure(o: K8sObject, graph: Graph): boolean {
  if (isFailing(o, graph)) return true;
  return graph.health(o).suspended && conditions(o).some((c) => c.type === 'Ready' && c.status === 'False');
}

/**
 * De-duplicated evidence list from signals (at most `max`). Conditions that repeat the same message
 * (Ready=False and FetchFailed=True usually do) are shown once.
 */
export function evidenceOf(signals: Signal[], max = 4): Evidence[] {
  const seen = new Map<string, number>();
  const out: Evidence[] = [];
  for (const s of signals) {
    if (s.evidence.kind === 'condition') {
      // Ready=False and FetchFailed=True usually carry the same message: one line naming both.
      const k = `condition|${s.evidence.object}|${s.text}`;
      const at = seen.get(k);
      if (at !== undefined) {
        const e = out[at]!;
        const head = s.evidence.text.slice(0, s.evidence.text.length - s.text.length).replace(/: $/, '');
        // The same condition given twice (the current signals and all of them) adds nothing.
        if (e.text.slice(0, e.text.length - s.text.length).includes(head)) continue;
        const cut = e.text.length - s.text.length;
        if (s.text && cut > 0)
          out[at] = { ...e, text: `${e.text.slice(0, cut).replace(/: $/, '')}, ${head}: ${s.text}` };
        continue;
      }
      if (out.length >= max) continue;
      seen.set(k, out.length);
      out.push(s.evidence);
      continue;
    }
    const k = `${s.evidence.kind}|${s.evidence.text}`;
    if (seen.has(k) || out.length >= max) continue;
    seen.set(k, out.length);
    out.push(s.evidence);
  }
  return out;
}
