// check: the Flux installation, like `flux check` (`fluxdoctor check -o json`).

import { z } from 'zod';
import { check } from '../../core/check.js';
import { BUDGET_BYTES, bytes, defineTool, input, inputOf, objectCounts, READ_ONLY, source } from './common.js';

const item = z.object({
  section: z.enum(['cluster', 'controllers', 'crds', 'apiVersions', 'storage']),
  status: z.enum(['ok', 'fail', 'warn', 'skip']),
  title: z.string(),
  detail: z.string().optional(),
  data: z.record(z.unknown()).optional(),
});

export const checkTool = defineTool({
  name: 'check',
  title: 'Check the Flux installation',
  description:
    'Check the Flux installation like `flux check`: API server and Kubernetes version, controllers and images, CRDs and API versions in use, artifact storage; each check ok/fail/warn/skip.',
  input: {
    ...source,
    fluxNamespace: input.fluxNamespace,
    now: input.now,
    probe: z.boolean().optional().describe('live: fetch an artifact from source-controller (default true)'),
  },
  output: {
    ok: z.boolean(),
    input: z.enum(['live', 'snapshot']),
    context: z.string().optional(),
    server: z.string().optional(),
    serverVersion: z.string().optional(),
    capturedAt: z.string().optional(),
    fluxNamespace: z.string(),
    counts: z.object({ ok: z.number(), fail: z.number(), warn: z.number(), skip: z.number() }),
    items: z.array(item),
    objects: objectCounts,
    truncated: z.boolean().optional(),
    leftOut: z.object({ items: z.number().int() }).optional(),
    unreachable: z.boolean().optional().describe('the API server could not be read'),
  },
  annotations: READ_ONLY,
  async handler(args, opts) {
    // The same check as the CLI (src/core/check.ts): an API server that cannot be reached is a
    // report with one failed check, not a tool error.
    const { report: r, unreachable } = await check({ ...inputOf(args, opts), probe: args.probe !== false });
    if (unreachable) return { data: { ...r, unreachable: true } };
    // Bounded like every result: failures first when the items do not fit.
    const budget = opts.budgetBytes ?? BUDGET_BYTES;
    if (bytes(r) <= budget) return { data: r };
    const rank = { fail: 0, warn: 1, skip: 2, ok: 3 } as const;
    const sorted = [...r.items].sort((a, b) => rank[a.status] - rank[b.status]);
    let used = bytes({ ...r, items: [] }) + 200;
    const kept = [];
    for (const i of sorted) {
      used += bytes(i) + 1;
      if (kept.length > 0 && used > budget) break;
      kept.push(i);
    }
    return { data: { ...r, items: kept, truncated: true, leftOut: { items: r.items.length - kept.length } } };
  },
});
