// reconcile (writes): ask the controller to reconcile a Flux object now, as `flux reconcile` does.

import { z } from 'zod';
import { parseTarget } from '../../core/target.js';
import { isSuspended } from '../../kinds/status.js';
import { isStatic, reconcilePatch } from '../../live/write.js';
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

export const reconcileTool = defineTool({
  name: 'reconcile',
  title: 'Reconcile a Flux object (writes)',
  description:
    'Ask the controller to reconcile a Flux object now, as `flux reconcile` does (writes only the reconcile.fluxcd.io/requestedAt annotation), wait for it, and return its health.',
  input: {
    ...writeInput,
    force: z.boolean().optional().describe('HelmRelease: force a one-off install/upgrade'),
    reset: z.boolean().optional().describe('HelmRelease: reset the failure counters'),
    ...waitArgs,
  },
  output: writeOutput,
  annotations: WRITE,
  write: true,
  async handler(args, opts) {
    if (
      (args.force || args.reset) &&
      parseTarget(args.target, { namespace: args.namespace, fluxOnly: true }).kind.kind !== 'HelmRelease'
    )
      throw new ToolError('force and reset are for HelmReleases');
    const s = await writeSession(args, opts);
    const obj = await mustGet(s);
    if (isStatic(obj)) return healthResult('nothing to reconcile for', s.ref, obj, { reconciled: false });
    if (isSuspended(obj)) throw new ToolError(`${show(s.ref)} is suspended: resume it first`);
    const requestedAt = new Date().toISOString();
    const after = await s.writer.patch(s.ref, reconcilePatch(requestedAt, { force: args.force, reset: args.reset }));
    const r = await waitFor(s, requestedAt, args);
    return healthResult('reconciled', s.ref, r?.object ?? after, {
      requestedAt,
      ...(r ? { done: r.progress.done, timedOut: r.timedOut } : { waited: false }),
    });
  },
});
