// trace: any object up its chain to the top (`fluxdoctor trace -o json`), pruned to the node and byte budget.

import { z } from 'zod';
import { resolveTarget } from '../../views/common.js';
import type { TraceNode } from '../../views/trace.js';
import { trace } from '../../views/trace.js';
import {
  BUDGET_BYTES,
  defineTool,
  loadInput,
  MAX_NODES,
  objRef,
  pruneTree,
  READ_ONLY,
  source,
  targetArg,
  WRAPPER_BYTES,
} from './common.js';
import { health } from './tree.js';

const node: z.ZodType<TraceNode> = z.lazy(() =>
  z.object({
    ...health,
    ref: objRef,
    relation: z.string().optional(),
    field: z.string().optional(),
    repeated: z.boolean().optional(),
    up: z.array(node),
  }),
);

export const traceTool = defineTool({
  name: 'trace',
  title: 'Trace an object up its chain',
  description:
    'Trace any object (Deployment, Pod, ConfigMap, HelmRelease…) up its chain: what applied or owns it, its source and revision, its dependencies, up to the top, with the health of every hop.',
  input: { ...source, target: targetArg, namespace: z.string().optional().describe("the object's namespace") },
  output: {
    target: objRef,
    root: node,
    hops: z.number().int(),
    notReady: z.number().int(),
    truncatedNodes: z.number().int().optional(),
  },
  annotations: READ_ONLY,
  async handler(args, opts) {
    const graph = await loadInput(args, opts);
    const t = trace(graph, resolveTarget(graph, [args.target], args.namespace));
    const cut = pruneTree(
      t.root as unknown as Record<string, unknown>,
      'up',
      MAX_NODES,
      (opts.budgetBytes ?? BUDGET_BYTES) - WRAPPER_BYTES,
    );
    return { data: { ...t, ...(cut ? { truncatedNodes: cut } : {}) } };
  },
});
