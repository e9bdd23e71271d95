// search_docs: offline search of the knowledge base (`fluxdoctor docs search -o json`).

import { z } from 'zod';
import { searchDocs } from '../../kb/search.js';
import { BUDGET_BYTES, bytes, defineTool, OFFLINE } from './common.js';

const hit = z.object({ title: z.string(), source: z.string(), score: z.number(), excerpt: z.string() });

export const searchDocsTool = defineTool({
  name: 'search_docs',
  title: 'Search the Flux knowledge base',
  description:
    'Search the knowledge base offline (troubleshooting workflows, best practices, common commands, the Flux API reference, every code page), best first, e.g. "GitRepository authentication failed".',
  input: {
    query: z.string(),
    limit: z.number().int().min(1).max(50).optional(),
  },
  output: {
    results: z.array(hit),
    truncated: z.boolean().optional(),
    leftOut: z.object({ items: z.number().int() }).optional(),
  },
  annotations: OFFLINE,
  handler(args, opts) {
    const all = searchDocs(args.query, args.limit ?? 10);
    const budget = opts.budgetBytes ?? BUDGET_BYTES;
    const results = [];
    let used = 200;
    for (const h of all) {
      used += bytes(h) + 1;
      if (results.length > 0 && used > budget) break;
      results.push(h);
    }
    return {
      data: {
        results,
        ...(results.length < all.length ? { truncated: true, leftOut: { items: all.length - results.length } } : {}),
      },
    };
  },
});
