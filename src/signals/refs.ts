// Object references as text: one spelling per use.

import type { K8sObject, ObjRef } from '../types.js';
import { objRef, refKey } from '../types.js';

const asRef = (r: ObjRef | K8sObject): ObjRef => ('metadata' in r ? objRef(r as K8sObject) : r);

/** `Kind/namespace/name` (or `Kind/name`): the `object` field of evidence, and ids in JSON. */
export function objId(r: ObjRef | K8sObject): string {
  const ref = asRef(r);
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** `Kind namespace/name` (or `Kind name`): an object in a sentence. */
export function show(r: ObjRef | K8sObject): string {
  const ref = asRef(r);
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

/** Sort order of references (by `Kind/namespace/name`). */
export function compareRef(a: ObjRef, b: ObjRef): number {
  return refKey(a) < refKey(b) ? -1 : refKey(a) > refKey(b) ? 1 : 0;
}

/** References without repeats, sorted. */
export function uniqueRefs(refs: ObjRef[]): ObjRef[] {
  const m = new Map<string, ObjRef>();
  for (const r of refs) m.set(refKey(r), r);
  return [...m.values()].sort(compareRef);
}

/** `A, B and 3 more` for a sentence. */
export function listRefs(refs: ObjRef[], max = 3): string {
  const shown = refs.slice(0, max).map(show);
  const more = refs.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
