// flux.reference-missing: a Flux object references another Flux object (sourceRef, chartRef,
// dependsOn, imageRepositoryRef, providerRef, include, inputsFrom, eventSources, resources) that
// does not exist.

import type { Edge, GraphEdgeType } from '../graph/graph.js';
import { suspendedBy } from '../kinds/status.js';
import { KINDS, kindInfo, kubectlResource } from '../kinds/table.js';
import { changeInGit, titled } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import { FLUX_REF_EDGES as REF_EDGES } from '../signals/index.js';
import type { Evidence, K8sObject, ObjRef, Severity } from '../types.js';
import { objRef, sameRef } from '../types.js';
import type { RawFinding, Rule, RuleContext } from './types.js';
import { bound, evidenceOf, failureSignals, objId, reconcileCmd, type Signal, show } from './util.js';

type Graph = RuleContext['graph'];

/** References whose absence breaks nothing but the reference itself (an alert that never fires). */
const SOFT_EDGES = new Set<GraphEdgeType>(['eventSource', 'receiverResource']);

/**
 * The Kubernetes NotFound error every controller wraps: `<plural>.<group> "<name>" not found`
 * (k8s.io/apimachinery errors.NewNotFound). Only Flux groups are considered.
 */
const NOT_FOUND = /\b([a-z0-9]+)\.((?:[a-z0-9-]+\.)*fluxcd\.(?:io|controlplane\.io)) "([^"]+)" not found/g;

/** kustomize-controller's own log line: log.Info(fmt.Sprintf("Source '%s' not found", sourceRef.String())). */
const SOURCE_NOT_FOUND_LOG = /^Source '([A-Za-z]+)\/(?:([^/']+)\/)?([^/']+)' not found$/;

interface Mention {
  kind: string;
  name: string;
  namespace?: string;
  signal: Signal;
}

function mentions(obj: K8sObject, graph: Graph): Mention[] {
  const out: Mention[] = [];
  for (const s of failureSignals(obj, graph)) {
    for (const m of s.text.matchAll(NOT_FOUND)) {
      const info = KINDS.find((k) => k.plural === m[1] && k.group === m[2]);
      if (info) out.push({ kind: info.kind, name: m[3]!, signal: s });
    }
  }
  for (const l of graph.logs(obj)) {
    const m = SOURCE_NOT_FOUND_LOG.exec(l.msg);
    if (!m) continue;
    out.push({
      kind: m[1]!,
      namespace: m[2],
      name: m[3]!,
      signal: {
        text: l.msg,
        from: 'log',
        evidence: { kind: 'log', object: objId(obj), text: bound(`${l.ts ?? ''} ${l.level} ${l.msg}`.trim()) },
      },
    });
  }
  return out;
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

export const rule: Rule = {
  meta: {
    code: 'flux.reference-missing',
    severity: 'error',
    title: 'A referenced Flux object does not exist',
    kinds: ['*'],
    overrides: ['kustomize.source-not-ready', 'kustomize.dependency-not-ready', 'notification.provider-failed'],
    docs: {
      description:
        'The object names another Flux object that does not exist: a Kustomization `spec.sourceRef`, a HelmRelease `spec.chartRef` or `spec.chart.spec.sourceRef`, a `spec.dependsOn` entry, an ImagePolicy `spec.imageRepositoryRef`, an ImageUpdateAutomation `spec.sourceRef`, an Alert `spec.providerRef` or a named `spec.eventSources` entry, a Receiver `spec.resources` entry, a GitRepository `spec.include` repository, or a ResourceSet `spec.inputsFrom`/`spec.dependsOn` entry. The controller retries forever and nothing is applied. Usually a typo in the name, a missing `namespace` on a cross-namespace reference, or an object that was renamed or deleted.',
      detection: [
        '- Structural: a reference edge of the graph whose target is not in the snapshot, only when that kind was read (a snapshot without any GitRepository says nothing about which ones exist). Wildcard references (`name: "*"`, label selectors) are ignored. The HelmChart that helm-controller generates from `spec.chart` is not a user reference: its absence is reported (as a warning) only when the HelmRelease is otherwise Ready.',
        "- The controllers' own not-found errors, which also count when the kind was not read: the Kubernetes NotFound text `<plural>.<group> \"<name>\" not found` for a Flux kind, as wrapped by kustomize-controller (Ready=False `ArtifactFailed`, and `dependency '<ns>/<name>' not found: …` with `DependencyNotReady`), helm-controller (`could not get Source object: …`, `unable to get '<ns>/<name>' dependency: …`), source-controller (HelmChart `failed to get source: …`, GitRepository IncludeUnavailable `could not get resource for include '<name>': …`), image-reflector-controller (`failed to get the referred ImageRepository: referenced ImageRepository does not exist: …`), image-automation-controller (`referenced git repository does not exist: …`), notification-controller (`failed to read provider: …`) and flux-operator (`dependency <apiVersion>/<Kind>/<ns>/<name> not found: …`, `failed to get provider <ns>/<name>: …`); and kustomize-controller's log line `Source '<Kind>/<name>' not found`.",
        '- A missing Alert event source or Receiver resource breaks nothing else and is a warning; so is a reference held by a suspended object.',
      ].join('\n'),
      fix: [
        '- Check the name and namespace in the field named in the finding; cross-namespace references need an explicit `namespace` (and are refused when the controller runs with `--no-cross-namespace-refs`).',
        '- If the referenced object should exist, create it (or find out why the Kustomization that applies it has not applied it yet).',
        '- Then reconcile the referencing object: `flux reconcile <kind> <name> -n <namespace>`.',
      ].join('\n'),
      commands: [
        'flux get sources all -A',
        'flux get kustomizations -A',
        "kubectl get kustomization <name> -n <namespace> -o jsonpath='{.spec.sourceRef}'",
      ],
      examples: [
        {
          message: 'gitrepositories.source.toolkit.fluxcd.io "podinfo" not found',
          source:
            'fluxcd/kustomize-controller internal/controller/kustomization_controller.go (getSource, Ready=False ArtifactFailed)',
        },
        {
          message:
            'dependency \'flux-system/infra\' not found: kustomizations.kustomize.toolkit.fluxcd.io "infra" not found',
          source: 'fluxcd/kustomize-controller internal/controller/kustomization_controller.go (checkDependencies)',
        },
        {
          message:
            'unable to get \'apps/postgres\' dependency: helmreleases.helm.toolkit.fluxcd.io "postgres" not found',
          source: 'fluxcd/helm-controller internal/controller/helmrelease_controller.go (checkDependencies)',
        },
        {
          message: 'failed to get source: helmrepositories.source.toolkit.fluxcd.io "podinfo" not found',
          source:
            'fluxcd/source-controller internal/controller/helmchart_controller.go (reconcileSource, FetchFailed SourceUnavailable)',
        },
        {
          message:
            'failed to get the referred ImageRepository: referenced ImageRepository does not exist: imagerepositories.image.toolkit.fluxcd.io "podinfo" not found',
          source: 'fluxcd/image-reflector-controller internal/controller/imagepolicy_controller.go',
        },
      ],
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
    const found = mentions(obj, graph);
    const out: RawFinding[] = [];
    const seen = new Set<string>();
    for (const e of graph.out(obj, REF_EDGES)) {
      if (!kindInfo(e.to.kind)?.flux || graph.has(e.to)) continue;
      const key = `${e.to.kind}/${e.to.namespace}/${e.to.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (isGeneratedChart(e)) {
        const f = generatedChartMissing(obj, e, graph);
        if (f) out.push(f);
        continue;
      }
      const said = found.filter(
        (m) => m.kind === e.to.kind && m.name === e.to.name && (!m.namespace || m.namespace === e.to.namespace),
      );
      if (!graph.kindRead(e.to.kind, e.to.namespace) && said.length === 0) continue;
      out.push(finding(obj, e, said, graph));
    }
    return out;
  },
};

function finding(obj: K8sObject, e: Edge, said: Mention[], graph: Graph): RawFinding {
  const t = e.to;
  const field = e.field ?? e.type;
  const alt = suggestion(t, graph);
  const suspended = !!suspendedBy(obj);
  const severity: Severity = SOFT_EDGES.has(e.type) || suspended ? 'warning' : 'error';
  const evidence: Evidence[] = evidenceOf(said.map((m) => m.signal));
  evidence.push({
    kind: 'missing',
    object: objId(t),
    text: `${field} of ${objId(obj)} names ${objId(t)}${graph.kindRead(t.kind, t.namespace) ? ', which is not among the objects read' : ''}`,
  });
  const consequence =
    e.type === 'eventSource'
      ? 'so the Alert never fires for it'
      : e.type === 'receiverResource'
        ? 'so webhook calls fail to reconcile it'
        : suspended
          ? 'it is suspended, but will fail when resumed'
          : 'so it cannot be reconciled';
  const didYouMean = alt ? ` — did you mean ${show(alt)}?` : '';
  const list = `kubectl get ${shq(kubectlResource(t.kind))} -A`;
  return {
    severity,
    summary: `${show(obj)} references ${show(t)} in ${field}, which does not exist${said.length && !graph.kindRead(t.kind, t.namespace) ? ' (the controller reports it not found)' : ''}, ${consequence}${didYouMean}`,
    evidence,
    remediation: [
      ...(alt
        ? [
            ...changeInGit(
              graph,
              obj,
              `point ${field} of ${show(obj)} at ${show(alt)}${alt.namespace !== t.namespace ? ` (set namespace: ${alt.namespace})` : ` (name: ${alt.name})`}`,
            ),
            `Or create ${show(t)}`,
          ]
        : [
            `Create ${show(t)}`,
            ...changeInGit(graph, obj, `correct ${field} of ${show(obj)} to name an existing ${t.kind}`, {
              when: 'or',
            }),
          ]),
      ...titled('List the existing ones', list),
      reconcileCmd(obj),
    ],
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
    summary: `${show(hr)} is Ready but the ${show(e.to)} that helm-controller generates from its spec.chart does not exist; the next upgrade cannot fetch the chart until helm-controller recreates it`,
    evidence: [
      {
        kind: 'missing',
        object: objId(e.to),
        text: `spec.chart of ${objId(hr)} makes helm-controller create ${objId(e.to)}, which is not among the objects read`,
      },
    ],
    remediation: [
      ...titled('Reconcile the HelmRelease so helm-controller recreates the chart', reconcileCmd(hr)),
      ...titled(
        'Check it exists afterwards',
        `kubectl get ${kubectlResource('HelmChart')} ${shq(e.to.name)}${nsArg(e.to.namespace)}`,
      ),
    ],
    fixTarget: objRef(hr),
  };
}
