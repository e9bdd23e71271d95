// get_resources: Flux objects with their status, like `flux get` (`fluxdoctor get -o json`), paged.

import { z } from 'zod';
import { getRows, STATUS_FILTERS } from '../../views/get.js';
import { defineTool, input, loadInput, namespaceArg, pageOf, pageOutput, paging, READ_ONLY, source } from './common.js';

const row = z.object({
  namespace: z.string().optional(),
  kind: z.string(),
  name: z.string(),
  ready: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  revision: z.string().optional(),
  lastReconcile: z.string().optional(),
  lastReconcileAge: z.number().optional(),
  suspended: z.boolean(),
});

export const getResourcesTool = defineTool({
  name: 'get_resources',
  title: 'Get Flux objects',
  description:
    'List Flux objects with their status, like `flux get`: kind, namespace, name, ready state, message, revision, last reconcile, suspended.',
  input: {
    ...source,
    now: input.now,
    kind: z.string().optional().describe('kinds, comma-separated (ks,hr,gitrepo…) or "all" (default)'),
    name: z.string().optional().describe('only objects with this name'),
    namespace: namespaceArg,
    status: z.enum(STATUS_FILTERS).optional().describe('only objects in this state'),
    ...paging,
  },
  output: {
    items: z.array(row),
    notReady: z.number().int(),
    ...pageOutput,
  },
  annotations: READ_ONLY,
  async handler(args, opts) {
    const graph = await loadInput(args, opts, { namespace: args.namespace });
    const rows = getRows(graph, {
      kind: args.kind ?? 'all',
      name: args.name,
      namespace: args.namespace,
      status: args.status,
    });
    const notReady = rows.filter((r) => !['Ready', 'Static'].includes(r.ready)).length;
    const { items, ...p } = pageOf(rows, args, opts, { notReady }, 'objects');
    return { data: { items, notReady, ...p } };
  },
});
