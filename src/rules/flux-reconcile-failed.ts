// flux.reconcile-failed: a Flux object failed for a reason no more specific rule recognises.
// A fallback: the engine drops it whenever another finding exists on the same object.

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
    messages: {
      unrecognised: {
        // {because}: the reason, or "unknown reason"; {detail}: " — " and the first line of the message
        summary: '{object} failed to reconcile: {because}{?detail}',
        remediation: [
          'Read the full status and events:',
          '{describe}',
          "Check the controller's logs for it:",
          '{logs}',
          'See the event history:',
          '{events}',
          'After fixing, trigger a reconcile:',
          '{reconcile}',
        ],
      },
    },
  },
  check(obj, { graph }) {
    const h = graph.health(obj);
    if (h.state !== 'Failed') return undefined;
    const signals = failureSignals(obj, graph);
    const message = h.message ? h.message.split('\n')[0] : undefined;
    return {
      cause: 'unrecognised',
      data: {
        object: show(obj),
        reason: h.reason,
        message,
        because: h.reason ?? 'unknown reason',
        detail: message ? ` — ${message}` : undefined,
        describe: describeCmd(obj),
        logs: logsCmd(obj, graph.fluxNamespace),
        events: eventsCmd(obj),
        reconcile: reconcileCmd(obj),
      },
      evidence: evidenceOf(signals),
    };
  },
};
