// resume (writes): resume a suspended Flux object, as `flux resume` does, wait for the reconcile and
// read the cluster again, through the core verb the CLI's `resume` calls.

import { defineTool } from './common.js';
import { runVerb, WRITE, waitArgs, writeInput, writeOutput } from './write-common.js';

export const resumeTool = defineTool({
  name: 'resume',
  title: 'Resume a Flux object (writes)',
  description:
    'Resume a suspended Flux object, as `flux resume` does (removes spec.suspend and requests a reconcile), wait for the reconcile, and return its fresh health and the findings about it.',
  input: { ...writeInput, ...waitArgs },
  output: writeOutput,
  annotations: WRITE,
  write: true,
  handler: ({ wait, ...args }, opts, ctx) => runVerb('resume', args, opts, { wait }, ctx),
});
