// The structured result of a write verb (reconcile, suspend, resume), the same for every front end:
// `fluxdoctor reconcile … -o json|yaml` prints it whole, the MCP write tools return it bounded (each
// finding's affected objects and evidence capped with their totals, findings cut to a byte budget
// with a count of what was left out). One shape, built from the core's VerbResult.

import type { VerbResult } from '../core/verbs.js';
import type { Finding, ObjRef } from '../types.js';
import { contractOf } from './report.js';
import { cleanLine } from './sanitize.js';

/** A finding of the findings contract with its inner lists capped at `max` (affectedTotal always). */
export interface BoundedFinding {
  code: string;
  severity: Finding['severity'];
  rootCause: ObjRef;
  affected?: ObjRef[];
  affectedTotal: number;
  fixTarget?: ObjRef;
  summary: string;
  evidence?: Finding['evidence'];
  evidenceTotal?: number;
  remediation?: string[];
}

/** One finding, its affected objects and evidence capped at `max` (`summary`: only the facts). */
export function boundFinding(f: Finding, max = Infinity, fields: 'full' | 'summary' = 'full'): BoundedFinding {
  const head = { code: f.code, severity: f.severity, rootCause: f.rootCause };
  if (fields === 'summary')
    return {
      ...head,
      affectedTotal: f.affected.length,
      ...(f.fixTarget ? { fixTarget: f.fixTarget } : {}),
      summary: f.summary,
    };
  return {
    ...head,
    affected: f.affected.slice(0, max),
    affectedTotal: f.affected.length,
    ...(f.fixTarget ? { fixTarget: f.fixTarget } : {}),
    summary: f.summary,
    evidence: f.evidence.slice(0, max),
    ...(f.evidence.length > max ? { evidenceTotal: f.evidence.length } : {}),
    remediation: f.remediation,
  };
}

const ref = (r: ObjRef): ObjRef => ({
  kind: r.kind,
  ...(r.namespace ? { namespace: cleanLine(r.namespace, 100) } : {}),
  name: cleanLine(r.name, 300),
});

const show = (r: ObjRef) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

export interface VerbDoc {
  verb: VerbResult['verb'];
  /** The object named (resolved). */
  object: ObjRef;
  outcome: VerbResult['outcome'];
  ok: boolean;
  /** The object the health and findings are about: the target, or a source that did not become ready. */
  reported: ObjRef;
  /** Every object patched, in order (sources first with withSource). */
  steps: { object: ObjRef; patch: Record<string, unknown>; requestedAt?: string; handled?: boolean; ready?: boolean }[];
  health?: {
    state: string;
    reason?: string;
    message?: string;
    revision?: string;
    stalled: boolean;
    suspended: boolean;
  };
  /** The findings about `reported` from the read after the write (absent when the cluster was not read again). */
  findings?: BoundedFinding[];
  findingsTotal?: number;
  truncated?: boolean;
  note?: string;
  /** One line: what was done and the state it left. */
  summary: string;
}

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v) ?? '', 'utf8');

function said(r: VerbResult, object: ObjRef, reported: ObjRef): string {
  switch (r.outcome) {
    case 'reconciled':
      return `reconciled ${show(object)}`;
    case 'suspended':
      return `suspended ${show(object)}`;
    case 'not-suspended':
      return `${show(object)} is not suspended after the patch`;
    case 'resumed':
      return `resumed ${show(object)} (not waited for)`;
    case 'nothing-to-do':
      return `nothing to reconcile for ${show(object)} (it has no reconciler)`;
    case 'source-not-ready':
      return `${show(object)} was not reconciled: its source ${show(reported)} did not become ready`;
  }
}

/**
 * The result of a verb as data. `max` caps each finding's affected objects and evidence; `budgetBytes`
 * keeps the whole document within about that many bytes of JSON by leaving out findings (at least one
 * is kept), saying how many.
 */
export function verbDoc(r: VerbResult, bounds: { max?: number; budgetBytes?: number } = {}): VerbDoc {
  const h = r.health;
  const health = h
    ? {
        state: h.state,
        ...(h.reason ? { reason: cleanLine(h.reason, 100) } : {}),
        ...(h.message ? { message: cleanLine(h.message, 500) } : {}),
        ...(h.revision ? { revision: cleanLine(h.revision, 200) } : {}),
        stalled: h.stalled,
        suspended: h.suspended,
      }
    : undefined;
  const object = ref(r.target);
  const reported = ref(r.reported);
  const summary = `${said(r, object, reported)}${
    health
      ? `: ${health.state}${health.reason ? ` (${health.reason})` : ''}${health.message ? `: ${health.message}` : ''}`
      : ''
  }`;
  const doc: VerbDoc = {
    verb: r.verb,
    object,
    outcome: r.outcome,
    ok: r.ok,
    reported,
    steps: r.steps.map((s) => ({
      object: ref(s.ref),
      patch: s.patch,
      ...(s.requestedAt ? { requestedAt: s.requestedAt } : {}),
      ...(s.handled !== undefined ? { handled: s.handled } : {}),
      ...(s.ready !== undefined ? { ready: s.ready } : {}),
    })),
    ...(health ? { health } : {}),
    summary,
  };
  if (!r.report) return doc;
  // The findings contract (sanitised, documented order), then bounded.
  const all = (contractOf(r.report).findings as Finding[]).map((f) => boundFinding(f, bounds.max ?? Infinity));
  const budget = bounds.budgetBytes ?? Infinity;
  let used = bytes(doc) + 300;
  const findings: BoundedFinding[] = [];
  for (const f of all) {
    const b = bytes(f) + 1;
    if (findings.length > 0 && used + b > budget) break;
    used += b;
    findings.push(f);
  }
  doc.findings = findings;
  doc.findingsTotal = all.length;
  if (findings.length < all.length) {
    doc.truncated = true;
    doc.note = `${all.length - findings.length} of ${all.length} findings left out to stay within ${budget} bytes: call diagnose for all of them`;
  }
  return doc;
}
