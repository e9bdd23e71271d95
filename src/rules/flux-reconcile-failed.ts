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
    docs: {
      description:
        "The object reports Ready=False (or Stalled=True), and none of fluxdoctor's specific diagnosis codes matches the reason or message. The condition message is the best evidence there is; it is quoted in full.",
      detection:
        'Health is Failed (Ready=False with a reason other than DependencyNotReady, or Stalled=True) and no other rule produced a finding for the object. When a source, dependency or applied object is failing, the engine reports that deeper cause instead.',
      fix: [
        '- Read the condition message and the Warning events quoted in the evidence.',
        '- Check the controller logs for the object (`flux logs --kind=<Kind> --name=<name> -n <namespace>`).',
        '- If the message is one Flux writes for a known problem, please report it so a specific code can cover it.',
      ].join('\n'),
      commands: ['flux get all -A --status-selector ready=false', 'kubectl describe <kind> <name> -n <namespace>'],
    },
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
