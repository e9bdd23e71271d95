// suspend (writes): suspend the reconciliation of a Flux object, as `flux suspend` does.

import { isSuspended } from '../../kinds/status.js';
import { suspendPatch } from '../../live/write.js';
import { defineTool, show, ToolError } from './common.js';
import { healthResult, mustGet, WRITE, writeInput, writeOutput, writeSession } from './write-common.js';

export const suspendTool = defineTool({
  name: 'suspend',
  title: 'Suspend a Flux object (writes)',
  description: 'Suspend the reconciliation of a Flux object, as `flux suspend` does (sets spec.suspend: true).',
  input: writeInput,
  output: writeOutput,
  annotations: WRITE,
  write: true,
  async handler(args, opts) {
    const s = await writeSession(args, opts);
    await mustGet(s);
    const after = await s.writer.patch(s.ref, suspendPatch(s.kind));
    if (!isSuspended(after)) throw new ToolError(`${show(s.ref)} is not suspended after the patch`);
    return healthResult('suspended', s.ref, after, { suspended: true });
  },
});
