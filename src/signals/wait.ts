// The objects named in fluxcd/pkg/ssa's wait errors, read once for every controller that carries them
// (helm-controller v0.37+ waits with kstatus through fluxcd/pkg/ssa; kustomize-controller health checks).
//
//   ssa manager_wait.go  "timeout waiting for: [<id> status: '<Status>'(: <message>)?, ...]"
//                        "failed early due to stalled resources: [<id> status: '<Status>'(: <message>)?, ...]"
//   <id> is utils.FmtObjMetadata: `Kind/namespace/name`, or `Kind/name` for a cluster-scoped object.
//
// Note to the fks helper (owner of src/signals/patterns/ssa.ts and the kustomize rules): this is the one
// parser of the wait-object list; kustomize.health-check-failed should use `waitObjects` here instead of
// its own after the merge (the helm family already does).

import type { ObjRef } from '../types.js';

export interface WaitObject {
  ref: ObjRef;
  /** kstatus status: `InProgress`, `Failed`, `Current`, `Unknown`, `NotFound`, `Terminating`. */
  status: string;
  /** The status message that follows (`: Progress deadline exceeded`), when ssa wrote one. */
  message?: string;
}

/**
 * One `Kind/ns/name status: 'Status'` entry and its optional `: message` (up to the next entry or `]`). The
 * literal ` status: '` is found first and the object id is read backwards (a lookbehind), so a long run of
 * identifier characters costs one pass.
 */
const ENTRY =
  / status: '(?<status>[A-Za-z]+)'(?<=(?<kind>[A-Z][A-Za-z0-9]*)\/(?:(?<namespace>[^\s/]+)\/)?(?<name>[^\s/,\]]+) status: '[A-Za-z]+')(?::[ ]?(?<message>[^\],\n]{1,300}))?/g;

/** Every object of an ssa wait error, in the order written (each object once). */
export function waitObjects(text: string, max = 50): WaitObject[] {
  const out: WaitObject[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(ENTRY)) {
    const g = m.groups!;
    const key = `${g.kind}/${g.namespace ?? ''}/${g.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const ref: ObjRef = g.namespace
      ? { kind: g.kind!, namespace: g.namespace, name: g.name! }
      : { kind: g.kind!, name: g.name! };
    out.push({ ref, status: g.status!, ...(g.message?.trim() ? { message: g.message.trim() } : {}) });
    if (out.length >= max) break;
  }
  return out;
}

/** The objects that are not `Current` (the ones the wait is stuck on), or all when every one is. */
export function pendingWaitObjects(text: string): WaitObject[] {
  const all = waitObjects(text);
  const pending = all.filter((w) => w.status !== 'Current');
  return pending.length > 0 ? pending : all;
}
