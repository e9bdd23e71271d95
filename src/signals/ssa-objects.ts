// The objects fluxcd/pkg/ssa names in its errors: the object an apply or dry-run error is about, and the
// objects (with their kstatus) a wait error lists. One reader for kustomize-controller and helm-controller,
// which both wrap these errors. The wordings are catalogued in patterns/ssa.ts.

import type { ObjRef } from '../types.js';
import { refKey } from '../types.js';
import type { Signal } from './current.js';
import { waitObjects } from './wait.js';

/** `Kind/namespace/name` or `Kind/name` as ssa formats objects (utils.FmtObjMetadata). */
export function parseObjId(kind: string, a: string, b?: string): ObjRef {
  return b ? { kind, namespace: a, name: b } : { kind, name: a };
}

// github.com/fluxcd/pkg/ssa: "<id> dry-run failed (<Reason>): …" (before v0.31 ", reason: …, error: …"),
// "<id> not found: …", "<id> namespace not specified: …", "<id> apply failed: …",
// "<id> immutable field detected, failed to delete object: …", "<id> delete failed: …",
// "<id> failed to migrate API version: …".
const SSA_OBJECT =
  /([A-Z][A-Za-z0-9]*)\/([^\s/]+)(?:\/([^\s/]+))? (?:dry-run fa(?:il|li)ed|apply failed|immutable field detected|not found:|namespace not specified|delete failed|failed to migrate API version)/;

/** The object a server-side apply error is about, when the message names one. */
export function ssaObject(text: string): ObjRef | undefined {
  const m = SSA_OBJECT.exec(text);
  return m ? parseObjId(m[1]!, m[2]!, m[3]) : undefined;
}

/** The first object named by an ssa error in any of the signals. */
export function ssaObjectOf(signals: Signal[]): ObjRef | undefined {
  for (const s of signals) {
    const r = ssaObject(s.text);
    if (r) return r;
  }
  return undefined;
}

export interface WaitEntry {
  ref: ObjRef;
  /** The kstatus the object was left in (`InProgress`, `Failed`, `NotFound`, `Unknown`, `Current`). */
  status: string;
  error?: string;
}

// github.com/fluxcd/pkg/ssa manager_wait.go: "timeout waiting for: [<id> status: '<Status>'(: <msg>)?, …]",
// "failed early due to stalled resources: [...]", "can't determine status for <id>".
const UNKNOWN_STATUS = /can't determine status for ([A-Z][A-Za-z0-9]*)\/([^\s/\],]+)(?:\/([^\s/\],]+))?/g;

/** The objects a wait (health check) error names, each once, with the kstatus it was left in. */
export function waitEntries(text: string): WaitEntry[] {
  const out: WaitEntry[] = [];
  const seen = new Set<string>();
  const add = (ref: ObjRef, status: string, error?: string) => {
    const k = refKey(ref);
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ ref, status, ...(error ? { error } : {}) });
  };
  // The status list is read by the one wait-list parser (wait.ts); only the unknown-status form is added here.
  for (const w of waitObjects(text)) add(w.ref, w.status, w.message);
  for (const m of text.matchAll(UNKNOWN_STATUS)) add(parseObjId(m[1]!, m[2]!, m[3]), 'Unknown');
  return out;
}
