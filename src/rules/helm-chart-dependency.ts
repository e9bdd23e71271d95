// helm.chart-dependency: source-controller could not resolve a dependency listed in the chart's
// Chart.yaml (or requirements.yaml / Chart.lock) while building the chart from a Git/Bucket source.

import type { Graph } from '../graph/graph.js';
import { titled } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import { chartLabel, isDependencyBuild, releaseForChart } from '../signals/helm.js';
import { type Classified, classify, evidenceOf, type Signal, show } from '../signals/index.js';
import type { K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';
import type { RawFinding, Rule } from './types.js';
import { describeCmd, reconcileCmd } from './util.js';

/**
 * The object's classification when it is a dependency build failure: the catalogue says so
 * (src/signals/patterns/source-controller.ts chart-dependency, helm-sdk.ts repository errors), or an index
 * message (helm.chart-not-found's) sits inside the dependency wrapper or carries DependencyBuildError.
 */
function dependencySignal(o: K8sObject, graph: Graph): Classified | undefined {
  const c = classify(o, graph);
  if (!c) return undefined;
  if (c.code === 'helm.chart-dependency') return c;
  return c.code === 'helm.chart-not-found' && isDependencyBuild(c) ? c : undefined;
}

const chartCmds = (chart: ObjRef) => ({
  reconcile: reconcileCmd(chart),
  get: `flux get sources chart ${shq(chart.name)}${nsArg(chart.namespace)}`,
});

// Refinements of the dependency message for the summary (source-controller internal/helm/chart/dependency_manager.go).
const DEP_NAME = /failed to add (?:remote|local) dependency '([^']+)'/;
const DEP_REMOTE = /failed to get chart '([^']+)' version '([^']*)' from '([^']+)': ([^\n]*)/;
const DEP_LOCAL_PATH = /no chart found at '([^']*)' \(reference '([^']*)'\)/;
const DEP_CONSTRAINT = /can't get a valid version for constraint '([^']*)'/;
const DEP_REPO = /(?:no chart repository|failed to get chart repository) for URL '([^']*)'/;

function describeDependency(text: string): string {
  const name = DEP_NAME.exec(text)?.[1];
  const remote = DEP_REMOTE.exec(text);
  if (remote)
    return `dependency '${remote[1]}' version '${remote[2]}' cannot be resolved from ${remote[3]}: ${remote[4]!.slice(0, 200)}`;
  const local = DEP_LOCAL_PATH.exec(text);
  if (local) return `local dependency '${name ?? local[2]}' is not at '${local[1]}' (repository '${local[2]}')`;
  const constraint = DEP_CONSTRAINT.exec(text);
  if (constraint) return `local dependency '${name ?? '?'}' does not satisfy the version constraint '${constraint[1]}'`;
  const repoUrl = DEP_REPO.exec(text);
  if (repoUrl) return `the repository ${repoUrl[1]} of dependency '${name ?? '?'}' cannot be used`;
  const m = /dependency build error: ([^\n]*)/.exec(text);
  return name
    ? `dependency '${name}' cannot be resolved`
    : `a dependency cannot be resolved: ${(m?.[1] ?? text).slice(0, 200)}`;
}

function steps(graph: Graph, chart: K8sObject | undefined, hr: K8sObject | undefined, text: string): string[] {
  const src = chart ? graph.out(chart, 'source')[0]?.to : undefined;
  const chartPath = typeof chart?.spec?.chart === 'string' ? chart.spec.chart : '<chart path>';
  const out = [
    `Check the dependencies in ${chartPath}/Chart.yaml (and Chart.lock)${src ? ` in ${show(src)}` : ''}, in Git: names, versions and repository URLs must exist`,
    ...titled(
      'Reproduce the resolution locally, in a checkout',
      `helm dependency update ${chart && typeof chart.spec?.chart === 'string' ? shq(chartPath) : chartPath}`,
    ),
  ];
  if (DEP_REMOTE.test(text))
    out.push(
      'For a remote dependency, list its versions and fix the version constraint; a private dependency repository needs a HelmRepository with that URL (and its secretRef) in the HelmChart namespace:',
      'helm repo add dep <repository>',
      'helm search repo dep/<name> --versions',
    );
  if (DEP_LOCAL_PATH.test(text) || DEP_CONSTRAINT.test(text))
    out.push(
      'For a local dependency (file://…), make sure the path exists in the source and its Chart.yaml version satisfies the constraint',
    );
  if (hr) out.push(reconcileCmd(hr, true));
  else if (chart) out.push(chartCmds(objRef(chart)).reconcile);
  if (chart) out.push(chartCmds(objRef(chart)).get);
  return out;
}

function checkChart(chart: K8sObject, graph: Graph): RawFinding | undefined {
  if (graph.health(chart).state !== 'Failed') return undefined;
  const c = dependencySignal(chart, graph);
  if (!c) return undefined;
  const text = signalText(c.signals);
  const hr = releaseForChart(graph, chart);
  const src = graph.out(chart, 'source')[0]?.to;
  const dependency = describeDependency(text);
  return {
    cause: 'dependency-unresolved',
    data: { object: chartLabel(graph, chart), dependency },
    evidence: evidenceOf(c.signals),
    remediation: steps(graph, chart, hr, text),
    // Chart.yaml lives in the chart's source (Git/Bucket); the dependency list is changed there.
    fixTarget: src && src.kind !== 'HelmRepository' ? src : hr ? objRef(hr) : objRef(chart),
    explainedBy: ['source'],
  };
}

function signalText(signals: Signal[]): string {
  return signals.map((s) => s.text).join('\n');
}

function checkRelease(hr: K8sObject, graph: Graph): RawFinding | undefined {
  if (graph.health(hr).state !== 'Failed') return undefined;
  const c = dependencySignal(hr, graph);
  if (!c) return undefined;
  const text = signalText(c.signals);
  const chartRef: ObjRef | undefined = graph.out(hr, 'chart')[0]?.to;
  const chart = chartRef ? graph.get(chartRef) : undefined;
  return {
    cause: 'release-dependency-unresolved',
    data: { object: show(hr), dependency: describeDependency(text) },
    summary: `${show(hr)} cannot build its chart${chartRef ? ` (${show(chartRef)})` : ''}: ${describeDependency(text)}`,
    evidence: evidenceOf(c.signals),
    remediation: [
      ...steps(graph, chart, hr, text),
      ...(chartRef && !chart ? titled("See the chart's own status", describeCmd(chartRef)) : []),
    ],
    fixTarget: objRef(hr),
    explainedBy: ['chart'],
  };
}

export const rule: Rule = {
  meta: {
    code: 'helm.chart-dependency',
    severity: 'error',
    title: 'A chart dependency is missing or cannot be resolved',
    kinds: ['HelmChart', 'HelmRelease'],
    explainedBy: ['source'],
    messages: {
      'dependency-unresolved': { summary: '{object}: {dependency}' },
      'release-dependency-unresolved': { summary: '{object} cannot build its chart: {dependency}' },
    },
  },
  check(obj, { graph }) {
    if (obj.kind === 'HelmChart') return checkChart(obj, graph);
    if (obj.kind === 'HelmRelease') return checkRelease(obj, graph);
    return undefined;
  },
};
