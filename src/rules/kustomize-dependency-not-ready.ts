// kustomize.dependency-not-ready: a dependsOn entry is not ready. A symptom code: the engine follows
// the dependsOn edges and reports the first failing object down the chain instead, when there is one.

import { classify, current, knownMissing } from '../signals/index.js';
import type { Rule } from './types.js';
import { describeCmd, evidenceOf, reconcileCmd, show } from './util.js';

// The messages and the DependencyNotReady reason are catalogued per controller: kustomize-controller's
// ("dependency '<ns>/<name>' is not ready", "… revision is not up to date") in
// src/signals/patterns/kustomize-controller.ts, helm-controller's ("dependency '<ns>/<name>' is not ready",
// "… according to readyExpr eval") in src/signals/patterns/helm-controller.ts. A missing dependency
// (kustomize-controller "dependency '…' not found: …", helm-controller "unable to get '…' dependency: … not
// found", v0.x "'…' dependency does not exist") is classified there as flux.reference-missing, which this
// rule leaves alone.

/** Look at the dependency, then reconcile it and the waiting object. */
const FOLLOW_DEPENDENCY = [
  'Find out why {dependency} is not ready:',
  '{describe}',
  'Once it is ready, reconcile it and then {object}:',
  '{reconcileDependency}',
  '{reconcile}',
];

export const rule: Rule = {
  meta: {
    code: 'kustomize.dependency-not-ready',
    severity: 'error',
    title: 'A dependsOn entry is not ready',
    kinds: ['Kustomization', 'HelmRelease'],
    explainedBy: ['dependsOn'],
    messages: {
      'dependency-not-ready': {
        summary: '{object} waits for {dependency}, which is not ready (it is {state})',
        remediation: FOLLOW_DEPENDENCY,
      },
      'dependency-not-read': {
        summary:
          '{object} waits for {dependency}, which is not ready (it was not in what fluxdoctor read, so its state is unknown)',
        remediation: FOLLOW_DEPENDENCY,
      },
      'dependency-unknown': {
        summary: '{object} waits for {named}, which is not ready',
        remediation: ['Check the objects in spec.dependsOn of {object}', '{reconcile}'],
      },
    },
  },
  check(obj, { graph }) {
    if (graph.health(obj).state !== 'Waiting') return undefined;
    // The catalogue decides which code the message tells: a missing dependency is flux.reference-missing.
    const c = classify(obj, graph);
    if (c && c.code !== rule.meta.code) return undefined;
    // helm-controller's wording is read by its own module; until it tells, the DependencyNotReady reason does.
    const signals = c?.signals ?? current(obj, graph).deciding.filter((s) => s.reason === 'DependencyNotReady');
    if (signals.length === 0) return undefined;
    const named = c?.data.dependency;
    const deps = graph.out(obj, 'dependsOn').map((e) => e.to);
    const dep =
      deps.find((d) => `${d.namespace}/${d.name}` === named || d.name === named) ??
      deps.find((d) => graph.health(d).state !== 'Ready');
    // A dependsOn target that is known not to exist is flux.reference-missing's.
    if (dep && knownMissing(graph, dep)) return undefined;
    const evidence = evidenceOf(signals);
    const base = { object: show(obj), reconcile: reconcileCmd(obj) };
    if (!dep)
      return { cause: 'dependency-unknown', data: { ...base, named: named ? `'${named}'` : 'a dependency' }, evidence };
    const data = {
      ...base,
      dependency: show(dep),
      describe: describeCmd(dep),
      reconcileDependency: reconcileCmd(dep),
    };
    if (!graph.has(dep)) return { cause: 'dependency-not-read', data, evidence, fixTarget: dep };
    const h = graph.health(dep);
    const state = `${h.state.toLowerCase()}${h.reason ? `: ${h.reason}` : ''}`;
    return { cause: 'dependency-not-ready', data: { ...data, state }, evidence, fixTarget: dep };
  },
};
