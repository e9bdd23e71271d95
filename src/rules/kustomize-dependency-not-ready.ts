// kustomize.dependency-not-ready: a dependsOn entry is not ready. A symptom code: the engine follows
// the dependsOn edges and reports the first failing object down the chain instead, when there is one.

import { titled } from '../render/advice.js';
import type { Rule } from './types.js';
import { describeCmd, evidenceOf, matchSignals, reconcileCmd, show } from './util.js';

// kustomize-controller internal/controller/kustomization_controller.go (checkDependencies):
//   "dependency '%s' is not ready", "dependency '%s' not found: %w",
//   "dependency '%s' revision is not up to date", "dependency '%s' is not ready according to readyExpr eval"
// helm-controller internal/reconcile/... (checkDependencies): "dependency '%s' is not ready"
// Both set Ready=False with reason DependencyNotReady (fluxcd/pkg apis/meta DependencyNotReadyReason).
export const DEPENDENCY_PATTERN = /dependency '([^']+)' (?:is not ready|not found|revision is not up to date)/;

export const rule: Rule = {
  meta: {
    code: 'kustomize.dependency-not-ready',
    severity: 'error',
    title: 'A dependsOn entry is not ready',
    kinds: ['Kustomization', 'HelmRelease'],
    explainedBy: ['dependsOn'],
    docs: {
      description:
        'The object lists other objects in `spec.dependsOn` and at least one of them is not Ready, so the controller does not apply anything and retries at the dependency requeue interval (30s by default). This is a symptom: fluxdoctor follows the chain and reports the first failing object at its bottom. This code is reported on its own only when the chain ends without a deeper explanation, for example because the dependency is still progressing or was not readable.',
      detection:
        "Ready=False with reason `DependencyNotReady`, and the controller's message `dependency '<namespace>/<name>' is not ready` (or `not found`, `revision is not up to date`). The dependsOn targets are looked up in the graph.",
      fix: [
        '- Look at the dependency named in the message: `fluxdoctor trace` or `flux get kustomizations -A`.',
        '- Fix what makes the dependency fail; the dependent object resumes on its next retry.',
        '- If the dependency does not exist, fix the name/namespace in `spec.dependsOn` (see `flux.reference-missing`).',
        '- If the dependency is suspended, resume it (`flux resume kustomization <name>`).',
      ].join('\n'),
      commands: [
        'flux get kustomizations -A',
        'flux tree kustomization <name> -n <namespace>',
        "kubectl get kustomization <name> -n <namespace> -o jsonpath='{.spec.dependsOn}'",
      ],
      examples: [
        {
          message: "dependency 'flux-system/infra' is not ready",
          source: 'fluxcd/kustomize-controller internal/controller/kustomization_controller.go checkDependencies',
        },
      ],
    },
  },
  check(obj, { graph }) {
    const h = graph.health(obj);
    if (h.state !== 'Waiting') return undefined;
    const signals = matchSignals(obj, graph, { reasons: ['DependencyNotReady'], from: ['Ready'] });
    if (signals.length === 0) return undefined;
    const named = DEPENDENCY_PATTERN.exec(signals[0]!.text)?.[1];
    const deps = graph.out(obj, 'dependsOn').map((e) => e.to);
    const dep =
      deps.find((d) => `${d.namespace}/${d.name}` === named || d.name === named) ??
      deps.find((d) => graph.health(d).state !== 'Ready');
    const depText = dep ? show(dep) : named ? `'${named}'` : 'a dependency';
    const depState = dep ? graph.health(dep) : undefined;
    const why = !dep
      ? ''
      : !graph.has(dep)
        ? graph.kindRead(dep.kind, dep.namespace)
          ? ' (it does not exist)'
          : ` (it was not in what fluxdoctor read, so its state is unknown)`
        : ` (it is ${depState!.state.toLowerCase()}${depState!.reason ? `: ${depState!.reason}` : ''})`;
    return {
      summary: `${show(obj)} waits for ${depText}, which is not ready${why}`,
      evidence: evidenceOf(signals),
      fixTarget: dep,
      remediation: [
        ...(dep ? titled(`Find out why ${depText} is not ready`, describeCmd(dep)) : []),
        ...(dep ? [] : [`Check the objects in spec.dependsOn of ${show(obj)}`]),
        ...(dep ? [`Once it is ready, reconcile it and then ${show(obj)}:`, reconcileCmd(dep), reconcileCmd(obj)] : []),
      ],
    };
  },
};
