// `tree KIND/NAME`: a Kustomization or HelmRelease (or FluxInstance/ResourceSet) down through what
// it applied — inventory entries and owner labels — into nested Flux objects recursively, down to
// workloads and their pods, with the health of each.

import type { Graph } from '../graph/graph.js';
import { type ObjRef, objRef, refKey } from '../types.js';
import { cleanRef, type NodeHealth, nodeHealth, ViewError } from './common.js';

export interface TreeNode extends NodeHealth {
  ref: ObjRef;
  /** `applied` (inventory or owner labels) or `pod` (a workload's pod). Absent for the root. */
  relation?: 'applied' | 'pod';
  /** Already shown elsewhere in the tree (a cycle, or applied twice): not expanded again. */
  repeated?: boolean;
  children: TreeNode[];
}

export interface Tree {
  root: TreeNode;
  /** Objects in the tree (the root excluded), how many are not ready, how many were not read. */
  objects: number;
  notReady: number;
  notRead: number;
}

const MAX_DEPTH = 30;
const BAD = new Set(['Failed', 'Waiting', 'Progressing', 'Unknown', 'Suspended']);

export function tree(graph: Graph, target: ObjRef): Tree {
  if (!graph.has(target) && graph.applied(target).length === 0)
    throw new ViewError(
      `${target.kind} ${target.namespace ? `${target.namespace}/` : ''}${target.name} is not in the snapshot and applied nothing that was read`,
    );
  const seen = new Set<string>();
  const counts = { objects: 0, notReady: 0, notRead: 0 };
  const node = (ref: ObjRef, relation: TreeNode['relation'], depth: number): TreeNode => {
    const n: TreeNode = {
      ref: cleanRef(ref),
      ...(relation ? { relation } : {}),
      ...nodeHealth(graph, ref),
      children: [],
    };
    const k = refKey(ref);
    if (seen.has(k)) {
      n.repeated = true;
      return n;
    }
    seen.add(k);
    if (depth > 0) {
      counts.objects++;
      if (!n.found) counts.notRead++;
      else if (BAD.has(n.state)) counts.notReady++;
    }
    if (depth >= MAX_DEPTH) return n;
    for (const child of graph.applied(ref)) {
      if (refKey(child) === k) continue; // the flux-system Kustomization lists itself in its inventory
      n.children.push(node(child, 'applied', depth + 1));
    }
    if (ref.kind !== 'Pod') for (const pod of graph.podsOf(ref)) n.children.push(node(objRef(pod), 'pod', depth + 1));
    return n;
  };
  const root = node(target, undefined, 0);
  return { root, ...counts };
}
