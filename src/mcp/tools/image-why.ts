// image_why: which tag an ImagePolicy selects and why (`fluxdoctor image why -o json`), the same
// core function; tag lists inside the funnel are capped so the result stays within the budget.

import { z } from 'zod';
import { imageWhyView } from '../../core/views.js';
import { type ImageWhy, LATEST_TAGS_COUNT } from '../../views/image-why.js';
import { BUDGET_BYTES, bytes, defineTool, loadInput, objRef, READ_ONLY, source } from './common.js';

const tagValue = z.object({ tag: z.string(), value: z.string() });
const STEPS = [
  'not-scanned',
  'unknown',
  'excluded',
  'filtered-out',
  'replaced',
  'rejected',
  'loses',
  'tie',
  'selected',
  'policy-error',
] as const;

/** Lists of the funnel cut to this many entries each when the result is over the budget. */
const FUNNEL_CAP = 50;

export const imageWhyTool = defineTool({
  name: 'image_why',
  title: 'Why an ImagePolicy selects its tag',
  description: `Evaluate an ImagePolicy as image-reflector-controller does: the tag funnel (excluded, filtered out, extracted, rejected), the winner \`selected\` (null if none), and with \`tag\` the step that drops it. Status holds ${LATEST_TAGS_COUNT} tags (\`tags.partial\`): pass \`tags\` for all.`,
  input: {
    ...source,
    target: z.string().describe('ImagePolicy NAME'),
    namespace: z.string().optional(),
    tag: z.string().optional().describe('explain this tag'),
    tags: z.array(z.string()).max(100_000).optional().describe('full tag list'),
  },
  output: {
    policy: objRef,
    repository: objRef.optional(),
    rule: z.string().optional(),
    filterTags: z.object({ pattern: z.string(), extract: z.string().optional() }).optional(),
    tags: z.object({
      source: z.enum(['status.lastScanResult.latestTags', 'tag list', 'none']),
      partial: z.boolean(),
      read: z.number().int(),
      tagCount: z.number().int().optional(),
      scanTime: z.string().optional(),
    }),
    exclusionList: z.object({ patterns: z.array(z.string()), defaulted: z.boolean() }),
    funnel: z.object({
      scanned: z.number().int(),
      excluded: z.array(z.object({ tag: z.string(), by: z.string() })),
      filteredOut: z.array(z.string()),
      replaced: z.array(z.object({ tag: z.string(), value: z.string(), by: z.string() })),
      candidates: z.array(tagValue),
      rejected: z.array(z.object({ tag: z.string(), value: z.string(), why: z.string() })),
      ranked: z.array(tagValue),
    }),
    selected: z.string().nullable(),
    ties: z.array(z.string()),
    error: z.object({ reason: z.enum(['InvalidPolicy', 'Failure']), message: z.string() }).optional(),
    unsupported: z.string().optional(),
    controller: z.object({
      state: z.string(),
      message: z.string().optional(),
      latestTag: z.string().optional(),
      latestImage: z.string().optional(),
      digest: z.string().optional(),
      agrees: z.boolean().optional(),
    }),
    tag: z
      .object({ tag: z.string(), step: z.enum(STEPS), detail: z.string(), winner: z.string().optional() })
      .optional(),
    notes: z.array(z.string()),
    /** Entries left out of each funnel list to stay within the budget. */
    funnelCut: z.number().int().optional(),
  },
  annotations: READ_ONLY,
  async handler(args, opts) {
    const graph = await loadInput(args, opts);
    const w: ImageWhy & { funnelCut?: number } = imageWhyView(graph, [args.target], args.namespace, {
      tag: args.tag,
      tags: args.tags,
    });
    if (bytes(w) > (opts.budgetBytes ?? BUDGET_BYTES)) {
      let cut = 0;
      const f = w.funnel as unknown as Record<string, unknown>;
      for (const k of ['excluded', 'filteredOut', 'replaced', 'candidates', 'rejected', 'ranked']) {
        const l = f[k] as unknown[];
        if (l.length > FUNNEL_CAP) {
          cut += l.length - FUNNEL_CAP;
          f[k] = l.slice(0, FUNNEL_CAP);
        }
      }
      w.funnelCut = cut;
    }
    return { data: w };
  },
});
