// suspend (writes): suspend the reconciliation of a Flux object, as `flux suspend` does, through the
// core verb the CLI's `suspend` calls.

import { defineTool } from './common.js';
import { runVerb, WRITE, writeInput, writeOutput } from './write-common.js';

export const suspendTool = defineTool({
  name: 'suspend',
  title: 'Suspend a Flux object (writes)',
  description:
    'Suspend the reconciliation of a Flux object, as `flux suspend` does (sets spec.suspend: true); returns the patch, the outcome and its health.',
  input: writeInput,
  output: writeOutput,
  annotations: WRITE,
  write: true,
  handler: (args, opts) => runVerb('suspend', args, opts),
});
