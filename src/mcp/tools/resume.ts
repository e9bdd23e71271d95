// resume (writes): resume a suspended Flux object, as `flux resume` does, and wait for the reconcile.

import { isSuspended } from '../../kinds/status.js';
import { isStatic, resumePatch } from '../../live/write.js';
import { defineTool, show, ToolError } from './common.js';
import {
  healthResult,
  mustGet,
  WRITE,
  waitArgs,
  waitFor,
  writeInput,
  writeOutput,
  writeSession,
} from './write-common.js';

export const resumeTool = defineTool({
  name: 'resume',
  title: 'Resume a Flux object (writes)',
  description:
    'Resume a suspended Flux object, as `flux resume` does (removes spec.suspend and requests a reconcile), wait for the reconcile, and return its health.',
  input: { ...writeInput, ...waitArgs },
  output: writeOutput,
  annotations: WRITE,
  write: true,
  async handler(args, opts) {
    const s = await writeSession(args, opts);
    const obj = await mustGet(s);
    const requestedAt = new Date().toISOString();
    const after = await s.writer.patch(s.ref, resumePatch(s.kind, requestedAt));
    if (isSuspended(after)) throw new ToolError(`${show(s.ref)} is still suspended after the patch`);
    const r = isStatic(obj) ? undefined : await waitFor(s, requestedAt, args);
    return healthResult('resumed', s.ref, r?.object ?? after, {
      suspended: false,
      ...(r ? { done: r.progress.done, timedOut: r.timedOut } : {}),
    });
  },
});
