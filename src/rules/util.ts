// Helpers every rule uses: reading failure signals and building evidence and commands.

import { DEFAULT_FLUX_NAMESPACE } from '../graph/flux-namespace.js';
import type { Graph } from '../graph/graph.js';
import { condition } from '../kinds/status.js';
import { fluxReconcileCommand, kindInfo, kubectlResource } from '../kinds/table.js';
import { whereToChange } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import { failureSignals, type Signal, show } from '../signals/index.js';
import type { Condition, K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';

export {
  bound,
  conditionEvidence,
  conditionText,
  evidenceOf,
  failureSignals,
  hostOf,
  MAX_EVIDENCE_TEXT,
  objId,
  type Signal,
  show,
} from '../signals/index.js';

export interface MatchSpec {
  /** Condition/event reasons that alone identify the problem. */
  reasons?: string[];
  /** Message patterns (real controller messages; cite them in the tests). */
  patterns?: RegExp[];
  /** Both a reason in `reasons` and a pattern must match (reason narrows, text refines). */
  requireBoth?: boolean;
  /** Patterns that, when present in the same text, veto the match (look-alikes owned by another code). */
  exclude?: RegExp[];
  /** Only consider signals from these sources (condition types, `event`, `log`). */
  from?: string[];
}

/**
 * Find the signals that match a spec. Returns the matching signals (first is the strongest) or
 * an empty array.
 */
export function matchSignals(o: K8sObject, graph: Graph, spec: MatchSpec): Signal[] {
  const out: Signal[] = [];
  for (const s of failureSignals(o, graph)) {
    if (spec.from && !spec.from.includes(s.from)) continue;
    if (spec.exclude?.some((re) => re.test(s.text))) continue;
    const reasonOk = !!spec.reasons && !!s.reason && spec.reasons.includes(s.reason);
    const textOk = !!spec.patterns && spec.patterns.some((re) => re.test(s.text));
    const ok = spec.requireBoth ? reasonOk && textOk : reasonOk || textOk;
    if (ok) out.push(s);
  }
  return out;
}

/** The first capture group of the first pattern that matches any of the signals. */
export function capture(signals: Signal[], re: RegExp): string | undefined {
  for (const s of signals) {
    const m = re.exec(s.text);
    if (m) return m[1] ?? m[0];
  }
  return undefined;
}

export function readyCondition(o: K8sObject): Condition | undefined {
  return condition(o, 'Ready');
}

// ---------- commands for remediation ----------

export function reconcileCmd(r: ObjRef | K8sObject, withSource = false): string {
  const ref = 'metadata' in r ? objRef(r) : r;
  return (
    fluxReconcileCommand(ref, withSource) ??
    `kubectl annotate --overwrite ${shq(kubectlResource(ref.kind))} ${shq(ref.name)}${nsArg(ref.namespace)} reconcile.fluxcd.io/requestedAt="$(date +%s)"`
  );
}

export function describeCmd(r: ObjRef | K8sObject): string {
  const ref = 'metadata' in r ? objRef(r) : r;
  return `kubectl describe ${shq(kubectlResource(ref.kind))} ${shq(ref.name)}${nsArg(ref.namespace)}`;
}

export function getYamlCmd(r: ObjRef | K8sObject): string {
  const ref = 'metadata' in r ? objRef(r) : r;
  return `kubectl get ${shq(kubectlResource(ref.kind))} ${shq(ref.name)}${nsArg(ref.namespace)} -o yaml`;
}

export function eventsCmd(r: ObjRef | K8sObject): string {
  const ref = 'metadata' in r ? objRef(r) : r;
  return `flux events --for ${shq(`${ref.kind}/${ref.name}`)}${nsArg(ref.namespace)}`;
}

export function logsCmd(r: ObjRef | K8sObject, fluxNamespace = DEFAULT_FLUX_NAMESPACE): string {
  const ref = 'metadata' in r ? objRef(r) : r;
  const ctrl = kindInfo(ref.kind)?.controller ?? 'source-controller';
  return `kubectl logs -n ${shq(fluxNamespace)} deploy/${ctrl} | grep ${shq(`"name":"${ref.name}"`)}`;
}

/** The `--namespace` flag of `flux install` and `flux bootstrap` (which default to flux-system), or nothing. */
export function namespaceFlag(fluxNamespace: string): string {
  return fluxNamespace === DEFAULT_FLUX_NAMESPACE ? '' : ` --namespace=${shq(fluxNamespace)}`;
}

export function ns(o: K8sObject): string {
  return o.metadata.namespace ?? 'default';
}

/**
 * Template values every workload finding uses (workload.* rules): the object, where its definition
 * lives (`where`), the Flux object that applies it and the command that reconciles it (`owner`,
 * `reconcile`), and the command that confirms it is healthy again (`confirm`).
 */
export function workloadData(o: K8sObject, graph: Graph): Record<string, string | undefined> {
  const namespace = ns(o);
  const name = o.metadata.name;
  const by = graph.appliedBy(o);
  const owner = by.find((r) => r.kind === 'HelmRelease') ?? by.find((r) => r.kind === 'Kustomization');
  const resource = `${o.kind.toLowerCase()}/${shq(name)}`;
  const confirm =
    o.kind === 'Pod'
      ? `kubectl -n ${shq(namespace)} get pod ${shq(name)} -w`
      : o.kind === 'Job'
        ? `kubectl -n ${shq(namespace)} wait --for=condition=complete job/${shq(name)} --timeout=5m`
        : ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind)
          ? `kubectl -n ${shq(namespace)} rollout status ${resource} --timeout=5m`
          : `kubectl -n ${shq(namespace)} get ${o.kind.toLowerCase()} ${shq(name)} -w`;
  return {
    kind: o.kind,
    namespace,
    name,
    object: show(o),
    lkind: o.kind.toLowerCase(),
    where: whereToChange(graph, o),
    owner: owner ? show(owner) : undefined,
    reconcile: owner ? reconcileCmd(owner, true) : undefined,
    confirm,
  };
}
