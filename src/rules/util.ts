// Helpers every rule uses: reading failure signals and building evidence and commands.

import type { Graph } from '../graph/graph.js';
import { condition, conditions } from '../kinds/status.js';
import { fluxReconcileCommand, kindInfo, kubectlResource } from '../kinds/table.js';
import { nsArg, shq } from '../render/shell.js';
import type { Condition, Evidence, K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';

export const MAX_EVIDENCE_TEXT = 2000;

export function bound(text: string, max = MAX_EVIDENCE_TEXT): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

/** `Kind/namespace/name` — the object field of Evidence. */
export function objId(r: ObjRef | K8sObject): string {
  const ref = 'metadata' in r ? objRef(r) : r;
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** `Kind namespace/name` for sentences. */
export function show(r: ObjRef | K8sObject): string {
  const ref = 'metadata' in r ? objRef(r) : r;
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

export function conditionText(c: Condition): string {
  return `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`;
}

export function conditionEvidence(o: K8sObject, c: Condition): Evidence {
  return { kind: 'condition', object: objId(o), text: bound(conditionText(c)) };
}

/** Conditions whose True status means something is wrong. */
const NEGATIVE_TRUE = new Set([
  'Stalled',
  'FetchFailed',
  'BuildFailed',
  'StorageOperationFailed',
  'IncludeUnavailable',
]);
/** Conditions whose False status means something is wrong (besides Ready). */
const POSITIVE_FALSE = new Set(['Released', 'TestSuccess', 'Healthy', 'SourceVerified', 'Remediated']);

export interface Signal {
  /** The text to match (a condition message, event message or log error). */
  text: string;
  /** The condition reason or event reason, when there is one. */
  reason?: string;
  /** Condition type, `event` or `log`. */
  from: string;
  evidence: Evidence;
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
    const text =
      !l.error || l.msg.includes(l.error) ? l.msg : l.error.includes(l.msg) ? l.error : `${l.msg}: ${l.error}`;
    out.push({
      text,
      from: 'log',
      evidence: { kind: 'log', object: objId(o), text: bound(`${l.ts ?? ''} ${l.level} ${text}`.trim()) },
    });
  }
  return out;
}

function condSignal(o: K8sObject, c: Condition): Signal {
  return { text: c.message ?? '', reason: c.reason, from: c.type, evidence: conditionEvidence(o, c) };
}

export interface MatchSpec {
  /** Condition/event reasons that alone identify the problem. */
  reasons?: string[];
  /** Message patterns (real controller messages; cite them in the tests). */
  patterns?: RegExp[];
  /** Both a reason in `reasons` and a pattern must match (reason narrows, text refines). */
  requireBoth?: boolean;
  /** Patterns that, when present in the same text, veto the match (look-alikes owned by another code). */
  exclude?: RegExp[];
  /** Only consider signals from these sources (condition types, `event`, `log`). */
  from?: string[];
}

/**
 * Find the signals that match a spec. Returns the matching signals (first is the strongest) or
 * an empty array.
 */
export function matchSignals(o: K8sObject, graph: Graph, spec: MatchSpec): Signal[] {
  const out: Signal[] = [];
  for (const s of failureSignals(o, graph)) {
    if (spec.from && !spec.from.includes(s.from)) continue;
    if (spec.exclude?.some((re) => re.test(s.text))) continue;
    const reasonOk = !!spec.reasons && !!s.reason && spec.reasons.includes(s.reason);
    const textOk = !!spec.patterns && spec.patterns.some((re) => re.test(s.text));
    const ok = spec.requireBoth ? reasonOk && textOk : reasonOk || textOk;
    if (ok) out.push(s);
  }
  return out;
}

/** The first capture group of the first pattern that matches any of the signals. */
export function capture(signals: Signal[], re: RegExp): string | undefined {
  for (const s of signals) {
    const m = re.exec(s.text);
    if (m) return m[1] ?? m[0];
  }
  return undefined;
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

export function readyCondition(o: K8sObject): Condition | undefined {
  return condition(o, 'Ready');
}

// ---------- commands for remediation ----------

export function reconcileCmd(r: ObjRef | K8sObject, withSource = false): string {
  const ref = 'metadata' in r ? objRef(r) : r;
  return (
    fluxReconcileCommand(ref, withSource) ??
    `kubectl annotate --overwrite ${shq(kubectlResource(ref.kind))} ${shq(ref.name)}${nsArg(ref.namespace)} reconcile.fluxcd.io/requestedAt="$(date +%s)"`
  );
}

export function describeCmd(r: ObjRef | K8sObject): string {
  const ref = 'metadata' in r ? objRef(r) : r;
  return `kubectl describe ${shq(kubectlResource(ref.kind))} ${shq(ref.name)}${nsArg(ref.namespace)}`;
}

export function getYamlCmd(r: ObjRef | K8sObject): string {
  const ref = 'metadata' in r ? objRef(r) : r;
  return `kubectl get ${shq(kubectlResource(ref.kind))} ${shq(ref.name)}${nsArg(ref.namespace)} -o yaml`;
}

export function eventsCmd(r: ObjRef | K8sObject): string {
  const ref = 'metadata' in r ? objRef(r) : r;
  return `flux events --for ${shq(`${ref.kind}/${ref.name}`)}${nsArg(ref.namespace)}`;
}

export function logsCmd(r: ObjRef | K8sObject, fluxNamespace = 'flux-system'): string {
  const ref = 'metadata' in r ? objRef(r) : r;
  const ctrl = kindInfo(ref.kind)?.controller ?? 'source-controller';
  return `kubectl logs -n ${shq(fluxNamespace)} deploy/${ctrl} | grep ${shq(`"name":"${ref.name}"`)}`;
}

/** The host part of a URL-ish string (https://h/x, ssh://git@h:22/x, git@h:x, oci://h/x). */
export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const scp = /^[\w.-]+@([\w.-]+):/.exec(url);
  if (scp && !url.includes('://')) return scp[1];
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(url);
  return m ? m[1] : undefined;
}

export function ns(o: K8sObject): string {
  return o.metadata.namespace ?? 'default';
}
