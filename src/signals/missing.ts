// "The referenced object or key is missing", answered once for every edge of the graph.

import type { Edge, Graph, GraphEdgeType } from '../graph/graph.js';
import type { K8sObject, ObjRef } from '../types.js';

/** The graph edges by which a Flux object names another Flux object (sourceRef, chartRef, dependsOn, …). */
export const FLUX_REF_EDGES: GraphEdgeType[] = [
  'source',
  'chart',
  'dependsOn',
  'imageRepository',
  'provider',
  'include',
  'inputProvider',
  'eventSource',
  'receiverResource',
];

export interface MissingReference {
  edge: Edge;
  /** `object`: the target does not exist; `keys`: it exists but lacks `keys`. */
  missing: 'object' | 'keys';
  keys: string[];
  /** The target, when it exists. */
  target?: K8sObject;
}

/** Keys of a Secret or ConfigMap as read (values are never read: normalize keeps key names only). */
export function dataKeys(o: K8sObject | undefined): string[] {
  if (!o) return [];
  if (Array.isArray(o.dataKeys)) return o.dataKeys as string[];
  const keys = new Set<string>();
  for (const f of ['data', 'stringData', 'binaryData']) {
    const v = o[f];
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const k of Object.keys(v)) keys.add(k);
  }
  return [...keys];
}

/** Whether an object absent from the graph is known not to exist (its kind was read in its namespace). */
export function knownMissing(graph: Graph, ref: ObjRef): boolean {
  return !graph.has(ref) && graph.kindRead(ref.kind, ref.namespace);
}

/**
 * Every required reference of `o` (along `types`, all edge types by default) whose target is known to
 * be missing, or whose target lacks a key the reference names. Optional references (valuesFrom
 * `optional: true`, …) and label-selector references are never missing.
 */
export function missingReferences(o: K8sObject | ObjRef, graph: Graph, types?: GraphEdgeType[]): MissingReference[] {
  const out: MissingReference[] = [];
  for (const edge of graph.out(o, types)) {
    if (edge.optional || edge.wildcard) continue;
    const target = graph.get(edge.to);
    if (!target) {
      if (knownMissing(graph, edge.to)) out.push({ edge, missing: 'object', keys: edge.keys ?? [] });
      continue;
    }
    if (edge.keys?.length) {
      const have = new Set(dataKeys(target));
      const lacking = edge.keys.filter((k) => !have.has(k));
      if (lacking.length > 0) out.push({ edge, missing: 'keys', keys: lacking, target });
    }
  }
  return out;
}
