// tree: what a Kustomization or HelmRelease applied, down to pods (`fluxdoctor tree -o json`), pruned
// to the node and byte budget.

import { z } from 'zod';
import { resolveTarget } from '../../views/common.js';
import type { TreeNode } from '../../views/tree.js';
import { tree } from '../../views/tree.js';
import {
  BUDGET_BYTES,
  defineTool,
  loadInput,
  MAX_NODES,
  objRef,
  pruneTree,
  READ_ONLY,
  show,
  source,
  targetArg,
  WRAPPER_BYTES,
} from './common.js';

export const health = {
  state: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  revision: z.string().optional(),
  suspended: z.boolean(),
  found: z.boolean(),
};

const node: z.ZodType<TreeNode> = z.lazy(() =>
  z.object({
    ...health,
    ref: objRef,
    relation: z.enum(['applied', 'pod']).optional(),
    repeated: z.boolean().optional(),
    children: z.array(node),
  }),
);

export const treeTool = defineTool({
  name: 'tree',
  title: 'Tree of what an object applied',
  description:
    'What a Kustomization or HelmRelease (or FluxInstance, ResourceSet) applied, down through nested Flux objects to workloads and pods, with the health of each node.',
  input: { ...source, target: targetArg, namespace: z.string().optional().describe("the object's namespace") },
  output: {
    root: node,
    objects: z.number().int(),
    notReady: z.number().int(),
    notRead: z.number().int(),
    truncatedNodes: z.number().int().optional(),
    note: z.string().optional(),
  },
  annotations: READ_ONLY,
  async handler(args, opts) {
    const graph = await loadInput(args, opts);
    const t = tree(graph, resolveTarget(graph, [args.target], args.namespace));
    const cut = pruneTree(
      t.root as unknown as Record<string, unknown>,
      'children',
      MAX_NODES,
      (opts.budgetBytes ?? BUDGET_BYTES) - WRAPPER_BYTES,
    );
    return {
      data: {
        ...t,
        ...(cut
          ? {
              truncatedNodes: cut,
              note: `${cut} nodes left out to stay within the budget: call tree with a deeper target than ${show(t.root.ref)} to see below`,
            }
          : {}),
      },
    };
  },
});
