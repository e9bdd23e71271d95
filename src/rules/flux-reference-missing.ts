// flux.reference-missing: a Flux object references another Flux object (sourceRef, chartRef,
// dependsOn, imageRepositoryRef, providerRef, include, inputsFrom, eventSources, resources) that
// does not exist.

import type { Edge, GraphEdgeType } from '../graph/graph.js';
import { suspendedBy } from '../kinds/status.js';
import { KINDS, kindInfo, kubectlResource } from '../kinds/table.js';
import { changeInGit } from '../render/advice.js';
import {
  bound,
  classifyText,
  evidenceOf,
  FLUX_REF_EDGES,
  failureSignals,
  knownMissing,
  logText,
  missingReferences,
  objId,
  patternsOf,
  type Signal,
  show,
} from '../signals/index.js';
import type { Evidence, K8sObject, ObjRef, Severity } from '../types.js';
import { objRef, refKey, sameRef } from '../types.js';
import type { RawFinding, Rule, RuleContext } from './types.js';
import { reconcileCmd } from './util.js';

type Graph = RuleContext['graph'];

/** References whose absence breaks nothing but the reference itself (an alert that never fires). */
const SOFT_EDGES = new Set<GraphEdgeType>(['eventSource', 'receiverResource']);

/** The cause of a missing reference, by the edge that names it. */
const CAUSE_OF_EDGE: Record<string, string> = {
  source: 'source-missing',
  chart: 'chart-missing',
  dependsOn: 'dependency-missing',
  imageRepository: 'image-repository-missing',
  provider: 'provider-missing',
  include: 'include-missing',
  inputProvider: 'input-provider-missing',
  eventSource: 'event-source-missing',
  receiverResource: 'receiver-resource-missing',
};

/**
 * The Kubernetes API's NotFound text, `<plural>.<group> "<name>" not found` (k8s.io/apimachinery
 * errors.NewNotFound), resolved to a kind through the kind table: the controllers whose catalogue does not
 * name the reference (flux-operator) wrap it as it is.
 */
const NOT_FOUND =
  /\b([a-z0-9]+)\.((?:[a-z0-9-]+\.)*fluxcd\.(?:io|controlplane\.io)) \\?"([^"\\]{1,253})\\?" not found/g;

interface Said {
  /** Names (and kinds, when the text tells) of the missing objects the controller reports. */
  names: Set<string>;
  kinds: Set<string>;
  /** The cause the catalogue gave, when it did. */
  cause?: string;
  signals: Signal[];
}

/**
 * What the controller says is not found, in any of the object's failure signals (a missing reference is
 * a fact, whichever signal tells it): the catalogue's `flux.reference-missing` patterns, and the NotFound
 * text of a Flux kind.
 */
function said(obj: K8sObject, graph: Graph): Said | undefined {
  const names = new Set<string>();
  const kinds = new Set<string>();
  const signals: Signal[] = [];
  let cause: string | undefined;
  const patterns = patternsOf(obj.kind);
  // kustomize-controller logs "Source '<ref>' not found" at info level: every log line of the object counts.
  const infoLogs: Signal[] = graph
    .logs(obj)
    .filter((l) => l.level !== 'error' && !l.error)
    .map((l) => {
      const text = logText(l);
      return {
        text,
        from: 'log',
        evidence: { kind: 'log', object: objId(obj), text: bound(`${l.ts ?? ''} ${l.level} ${text}`.trim()) },
      };
    });
  for (const s of [...failureSignals(obj, graph), ...infoLogs]) {
    let tells = false;
    const t = classifyText(s.text, patterns);
    if (t?.pattern.code === 'flux.reference-missing') {
      tells = true;
      cause ??= t.pattern.cause;
      for (const v of Object.values(t.data)) names.add(v.split('/').pop()!);
    }
    for (const m of s.text.matchAll(NOT_FOUND)) {
      const info = KINDS.find((k) => k.plural === m[1] && k.group === m[2]);
      if (!info) continue;
      tells = true;
      kinds.add(info.kind);
      names.add(m[3]!);
    }
    if (tells) signals.push(s);
  }
  if (signals.length === 0) return undefined;
  return { names, kinds, cause, signals };
}

/** Small edit distance, for "did you mean". */
function close(a: string, b: string): boolean {
  if (a === b) return false;
  if (Math.abs(a.length - b.length) > 2) return false;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]! <= 2;
}

function suggestion(target: ObjRef, graph: Graph): ObjRef | undefined {
  const same = graph.byKind(target.kind).map(objRef);
  return (
    same.find((r) => r.name === target.name && r.namespace !== target.namespace) ??
    same.find((r) => r.namespace === target.namespace && close(r.name, target.name))
  );
}

/** Is the edge the HelmChart helm-controller generates from a HelmRelease's spec.chart? */
const isGeneratedChart = (e: Edge) => e.type === 'chart' && e.to.kind === 'HelmChart' && e.field === 'spec.chart';

/** Point the reference at the look-alike when there is one ({suggestion}), else create the target. */
const REFERENCE_STEPS = [
  '{pointChange}',
  'Or create {createAfter}',
  'Create {create}',
  '{correctChange}',
  'List the existing ones:',
  'kubectl get {sh:resource} -A',
  '{reconcile}',
];

export const rule: Rule = {
  meta: {
    code: 'flux.reference-missing',
    severity: 'error',
    title: 'A referenced Flux object does not exist',
    kinds: ['*'],
    overrides: [
      'kustomize.source-not-ready',
      'kustomize.dependency-not-ready',
      'notification.provider-failed',
      'image.git-push-failed',
    ],
    messages: {
      ...Object.fromEntries(
        Object.values(CAUSE_OF_EDGE).map((cause) => [
          cause,
          { summary: '{object} references {target} in {field}, {state}, {consequence}', remediation: REFERENCE_STEPS },
        ]),
      ),
      'generated-chart-missing': {
        summary:
          '{object} is Ready but the {target} that helm-controller generates from its spec.chart does not exist; the next upgrade cannot fetch the chart until helm-controller recreates it',
        remediation: [
          'Reconcile the HelmRelease so helm-controller recreates the chart:',
          '{reconcile}',
          'Check it exists afterwards:',
          'kubectl get {sh:resource} {sh:name} -n {sh:namespace}',
        ],
      },
    },
  },
  check(obj, { graph }) {
    // A HelmChart generated from a HelmRelease's spec.chart: the HelmRelease reports the same reference.
    if (obj.kind === 'HelmChart') {
      for (const e of graph.in(obj, 'chart')) {
        const hr = graph.get(e.from);
        if (
          hr?.spec?.chart &&
          graph.out(hr, 'source').some((s) => graph.out(obj, 'source').some((x) => sameRef(x.to, s.to)))
        )
          return undefined;
      }
    }
    const told = said(obj, graph);
    const out: RawFinding[] = [];
    const seen = new Set<string>();
    const known = new Set(
      missingReferences(obj, graph, FLUX_REF_EDGES)
        .filter((m) => m.missing === 'object')
        .map((m) => m.edge),
    );
    for (const e of graph.out(obj, FLUX_REF_EDGES)) {
      if (!kindInfo(e.to.kind)?.flux || graph.has(e.to)) continue;
      const key = refKey(e.to);
      if (seen.has(key)) continue;
      if (isGeneratedChart(e)) {
        seen.add(key);
        const f = generatedChartMissing(obj, e, graph);
        if (f) out.push(f);
        continue;
      }
      // The controller names it (by name, and kind when its text tells one).
      const named = !!told && told.names.has(e.to.name) && (told.kinds.size === 0 || told.kinds.has(e.to.kind));
      if (!known.has(e) && !named) continue;
      seen.add(key);
      out.push(finding(obj, e, named ? told.signals : [], graph));
    }
    // The catalogue tells a reference is missing but names none of the edges (`referenced git repository
    // is missing`, `Source not found`): the absent target of the edge type its cause names.
    if (out.length === 0 && told?.cause && told.names.size === 0) {
      const e = graph
        .out(obj, FLUX_REF_EDGES)
        .find((x) => CAUSE_OF_EDGE[x.type] === told.cause && !graph.has(x.to) && !isGeneratedChart(x));
      if (e) out.push(finding(obj, e, told.signals, graph));
    }
    return out;
  },
};

function finding(obj: K8sObject, e: Edge, signals: Signal[], graph: Graph): RawFinding {
  const t = e.to;
  const field = e.field ?? e.type;
  const alt = suggestion(t, graph);
  const suspended = !!suspendedBy(obj);
  const severity: Severity = SOFT_EDGES.has(e.type) || suspended ? 'warning' : 'error';
  const read = knownMissing(graph, t);
  const evidence: Evidence[] = evidenceOf(signals);
  evidence.push({
    kind: 'missing',
    object: objId(t),
    text: `${field} of ${objId(obj)} names ${objId(t)}${read ? ', which is not among the objects read' : ''}`,
  });
  const consequence =
    e.type === 'eventSource'
      ? 'so the Alert never fires for it'
      : e.type === 'receiverResource'
        ? 'so webhook calls fail to reconcile it'
        : suspended
          ? 'it is suspended, but will fail when resumed'
          : 'so it cannot be reconciled';
  return {
    severity,
    cause: CAUSE_OF_EDGE[e.type] ?? 'source-missing',
    data: {
      object: show(obj),
      target: show(t),
      kind: t.kind,
      name: t.name,
      namespace: t.namespace,
      field,
      state: `which does not exist${signals.length && !read ? ' (the controller reports it not found)' : ''}`,
      consequence: `${consequence}${alt ? ` — did you mean ${show(alt)}?` : ''}`,
      suggestion: alt ? show(alt) : undefined,
      pointChange: alt
        ? changeInGit(
            graph,
            obj,
            `point ${field} of ${show(obj)} at ${show(alt)}${alt.namespace !== t.namespace ? ` (set namespace: ${alt.namespace})` : ` (name: ${alt.name})`}`,
          )[0]
        : undefined,
      createAfter: alt ? show(t) : undefined,
      create: alt ? undefined : show(t),
      correctChange: alt
        ? undefined
        : changeInGit(graph, obj, `correct ${field} of ${show(obj)} to name an existing ${t.kind}`, { when: 'or' })[0],
      resource: kubectlResource(t.kind),
      reconcile: reconcileCmd(obj),
    },
    evidence,
    fixTarget: objRef(obj),
  };
}

/**
 * The HelmChart helm-controller creates for spec.chart is missing. Only noteworthy when the
 * HelmRelease is otherwise Ready (while it is progressing or failing, the controller has not
 * created it yet, or the failure is reported by other codes) and it records no other chart.
 */
function generatedChartMissing(hr: K8sObject, e: Edge, graph: Graph): RawFinding | undefined {
  if (!graph.kindRead('HelmChart') || suspendedBy(hr)) return undefined;
  if (graph.health(hr).state !== 'Ready') return undefined;
  const recorded = hr.status?.helmChart;
  if (typeof recorded === 'string' && recorded && recorded !== `${e.to.namespace}/${e.to.name}`) return undefined;
  return {
    severity: 'warning',
    cause: 'generated-chart-missing',
    data: {
      object: show(hr),
      target: show(e.to),
      resource: kubectlResource('HelmChart'),
      name: e.to.name,
      namespace: e.to.namespace,
      reconcile: reconcileCmd(hr),
    },
    evidence: [
      {
        kind: 'missing',
        object: objId(e.to),
        text: `spec.chart of ${objId(hr)} makes helm-controller create ${objId(e.to)}, which is not among the objects read`,
      },
    ],
    fixTarget: objRef(hr),
  };
}
