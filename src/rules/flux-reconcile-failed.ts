// flux.reconcile-failed: a Flux object failed for a reason no more specific rule recognises.
// A fallback: the engine drops it whenever another finding exists on the same object.

import { titled } from '../render/advice.js';
import type { Rule } from './types.js';
import { describeCmd, eventsCmd, evidenceOf, failureSignals, logsCmd, reconcileCmd, show } from './util.js';

export const rule: Rule = {
  meta: {
    code: 'flux.reconcile-failed',
    fallback: true,
    severity: 'error',
    title: 'Reconciliation failed for a reason fluxdoctor does not recognise',
    kinds: ['*'],
    // A failure we cannot classify may still be explained by a failing source or dependency.
    explainedBy: ['source', 'chart', 'dependsOn', 'applied', 'controller', 'imageRepository', 'provider'],
  },
  check(obj, { graph }) {
    const h = graph.health(obj);
    if (h.state !== 'Failed') return undefined;
    const signals = failureSignals(obj, graph);
    return {
      cause: 'unrecognised',
      data: { object: show(obj), reason: h.reason, message: h.message ? h.message.split('\n')[0] : undefined },
      summary: `${show(obj)} failed to reconcile: ${h.reason ?? 'unknown reason'}${h.message ? ` — ${h.message.split('\n')[0]}` : ''}`,
      evidence: evidenceOf(signals),
      remediation: [
        ...titled('Read the full status and events', describeCmd(obj)),
        ...titled("Check the controller's logs for it", logsCmd(obj, graph.fluxNamespace)),
        ...titled('See the event history', eventsCmd(obj)),
        ...titled('After fixing, trigger a reconcile', reconcileCmd(obj)),
      ],
    };
  },
};
