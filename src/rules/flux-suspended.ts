// flux.suspended: reconciliation is suspended (spec.suspend: true, or the Flux Operator's
// `fluxcd.controlplane.io/reconcile: disabled` annotation). A warning; the engine makes it an error
// when other failing objects wait on it.

import { toRef } from '../graph/graph.js';
import { RECONCILE_ANNOTATION, suspendedBy } from '../kinds/status.js';
import { kindInfo, kubectlResource } from '../kinds/table.js';
import { applierOf, changeInGit } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import { listRefs, uniqueRefs } from '../signals/index.js';
import { type Evidence, type K8sObject, type ObjRef, objRef } from '../types.js';
import type { Rule } from './types.js';
import { conditionEvidence, evidenceOf, matchSignals, objId, readyCondition, reconcileCmd, show } from './util.js';

/** The steps for the objects that wait on a suspended one (given only when some do). */
const WAITING = [
  'If it must stay suspended, remove the references to it from {waiting}; otherwise they resume once it is reconciled:',
  '{reconcileWaiting}',
];

export const rule: Rule = {
  meta: {
    code: 'flux.suspended',
    severity: 'warning',
    title: 'Reconciliation is suspended',
    kinds: ['*'],
    messages: {
      'spec-suspend': {
        summary: '{object} is suspended (spec.suspend: true): its controller does not reconcile it{?blocked}',
        remediation: [
          '{git}',
          'Otherwise (it was suspended from the command line, not in the manifests of {applier}), resume it with {cli}:',
          '{cliResume}',
          'Resume {inCluster}:',
          '{resumeHere}',
          ...WAITING,
        ],
      },
      annotation: {
        summary: `{object} is suspended (the ${RECONCILE_ANNOTATION}: disabled annotation): its controller does not reconcile it{?blocked}`,
        remediation: [
          '{git}',
          'Otherwise (it was set from the command line, not in the manifests of {applier}), remove the annotation with {cli}:',
          '{cliResume}',
          'Re-enable reconciliation of {inCluster} by removing the annotation:',
          '{resumeHere}',
          ...WAITING,
        ],
      },
    },
  },
  check(obj, { graph }) {
    const by = suspendedBy(obj);
    if (!by) return undefined;
    const waiting = uniqueRefs(graph.in(obj, ['dependsOn', 'source', 'chart', 'healthCheck']).map((e) => e.from));
    const evidence: Evidence[] = [
      {
        kind: 'field',
        object: objId(obj),
        text:
          by === 'spec.suspend'
            ? 'spec.suspend: true'
            : `metadata.annotations[${RECONCILE_ANNOTATION}]: ${obj.metadata.annotations?.[RECONCILE_ANNOTATION]}`,
      },
    ];
    const ready = readyCondition(obj);
    if (ready) evidence.push(conditionEvidence(obj, ready));
    evidence.push(...evidenceOf(matchSignals(obj, graph, { reasons: ['ReconciliationDisabled'], from: ['event'] }), 1));
    const parents = graph.appliedBy(obj);
    const applier = applierOf(graph, obj);
    const cmd = by === 'spec.suspend' ? resumeCmd(obj) : enableAnnotationCmd(obj);
    // A kubectl patch of an applied object is reverted: no such command for it.
    const cli = parents.length > 0 && !cmd.startsWith('kubectl patch ') ? cmd.split(' ')[0] : undefined;
    return {
      cause: by === 'spec.suspend' ? 'spec-suspend' : 'annotation',
      data: {
        object: show(obj),
        by,
        waiting: waiting.length > 0 ? listRefs(waiting) : undefined,
        resume: cmd,
        // the steps of an object applied from Git, or of one made in the cluster
        git:
          parents.length > 0
            ? changeInGit(
                graph,
                obj,
                `remove ${by === 'spec.suspend' ? 'spec.suspend: true' : 'the annotation'} from ${show(obj)}`,
                { when: 'if it is in Git' },
              )[0]
            : undefined,
        applier: cli ? (applier ? show(applier) : listRefs(parents)) : undefined,
        cli,
        cliResume: cli ? cmd : undefined,
        inCluster: parents.length === 0 ? show(obj) : undefined,
        resumeHere: parents.length === 0 ? cmd : undefined,
        blocked:
          waiting.length > 0 ? `; ${listRefs(waiting)} ${waiting.length === 1 ? 'waits' : 'wait'} on it` : undefined,
        reconcileWaiting: waiting[0] ? reconcileCmd(waiting[0]) : undefined,
      },
      evidence,
      fixTarget: objRef(obj),
    };
  },
};

/** `flux` CLI words the kind table lacks (statusless kinds still have suspend/resume verbs). */
const EXTRA_FLUX_CLI: Record<string, string> = { Alert: 'alert', Provider: 'alert-provider' };
/** `flux-operator` CLI words (cmd/cli resume_instance.go, resume_resourceset.go, resume_inputprovider.go). */
const OPERATOR_CLI: Record<string, string> = {
  FluxInstance: 'instance',
  ResourceSet: 'resourceset',
  ResourceSetInputProvider: 'inputprovider',
};

const nsFlag = (r: ObjRef) => nsArg(r.namespace);

/** The command that resumes an object suspended with spec.suspend. */
export function resumeCmd(o: ObjRef | K8sObject): string {
  const r = toRef(o);
  const words = kindInfo(r.kind)?.fluxCli ?? EXTRA_FLUX_CLI[r.kind];
  if (words) return `flux resume ${words} ${shq(r.name)}${nsFlag(r)}`;
  const op = OPERATOR_CLI[r.kind];
  if (op) return `flux-operator resume ${op} ${shq(r.name)}${nsFlag(r)}`;
  return `kubectl patch ${shq(kubectlResource(r.kind))} ${shq(r.name)}${nsFlag(r)} --type=merge -p '{"spec":{"suspend":false}}'`;
}

/** The command that removes the Flux Operator's reconcile-disabled annotation. */
export function enableAnnotationCmd(o: ObjRef | K8sObject): string {
  const r = toRef(o);
  const op = OPERATOR_CLI[r.kind];
  if (op) return `flux-operator resume ${op} ${shq(r.name)}${nsFlag(r)}`;
  return `kubectl annotate ${shq(kubectlResource(r.kind))} ${shq(r.name)}${nsFlag(r)} ${RECONCILE_ANNOTATION}-`;
}
