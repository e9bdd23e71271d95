// reconcile (writes): ask the controller to reconcile a Flux object now, as `flux reconcile` does
// (with withSource, its sources first), wait, and read the cluster again, through the core verb the
// CLI's `reconcile` calls.

import { z } from 'zod';
import { defineTool } from './common.js';
import { runVerb, timeoutArg, WRITE, writeInput, writeOutput } from './write-common.js';

export const reconcileTool = defineTool({
  name: 'reconcile',
  title: 'Reconcile a Flux object (writes)',
  description:
    'Ask the controller to reconcile a Flux object now, as `flux reconcile` does (writes only the reconcile.fluxcd.io/requestedAt annotation), wait for it, and return what was patched, its fresh health and the findings about it.',
  input: {
    ...writeInput,
    withSource: z
      .boolean()
      .optional()
      .describe('reconcile the source first (Kustomization, HelmRelease, HelmChart), as flux --with-source'),
    force: z.boolean().optional().describe('HelmRelease: force a one-off install/upgrade'),
    reset: z.boolean().optional().describe('HelmRelease: reset the failure counters'),
    ...timeoutArg,
  },
  output: writeOutput,
  annotations: WRITE,
  write: true,
  handler: ({ withSource, force, reset, ...args }, opts, ctx) =>
    runVerb('reconcile', args, opts, { withSource, force, reset }, ctx),
});
