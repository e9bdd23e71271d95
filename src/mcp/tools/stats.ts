// stats: Flux objects per kind and their health (`fluxdoctor stats -o json`).

import { z } from 'zod';
import { stats } from '../../views/stats.js';
import { defineTool, loadInput, namespaceArg, READ_ONLY, source } from './common.js';

const row = z.object({
  kind: z.string(),
  total: z.number().int(),
  ready: z.number().int(),
  failing: z.number().int(),
  suspended: z.number().int(),
  waiting: z.number().int(),
  progressing: z.number().int(),
});

export const statsTool = defineTool({
  name: 'stats',
  title: 'Count Flux objects',
  description:
    'Count Flux objects per kind: total, ready, failing, suspended, waiting, progressing. A quick overview of the cluster’s Flux health.',
  input: { ...source, namespace: namespaceArg },
  output: { kinds: z.array(row), total: row },
  annotations: READ_ONLY,
  async handler(args, opts) {
    const graph = await loadInput(args, opts, { namespace: args.namespace });
    return { data: stats(graph, { namespace: args.namespace }) };
  },
});
