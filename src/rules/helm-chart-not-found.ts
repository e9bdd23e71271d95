// helm.chart-not-found: the chart or chart version is not in the repository index, the OCI chart tag
// does not exist, or the chart path is not in the Git/Bucket source. Reported on the HelmChart (and,
// for a chart generated from a HelmRelease's spec.chart, at that HelmRelease by the engine), and on
// the HelmRelease, whose Ready condition repeats the chart's message (explained by the chart).

import type { Graph } from '../graph/graph.js';
import { conditions } from '../kinds/status.js';
import { changeInGit, titled } from '../render/advice.js';
import { nsArg, shq, shqOr } from '../render/shell.js';
import { chartLabel, isDependencyBuild, releaseForChart } from '../signals/helm.js';
import { type Classified, current, evidenceOf, firstLine, type Signal, show, signalFor } from '../signals/index.js';
import type { K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';
import type { RawFinding, Rule } from './types.js';
import { describeCmd, ns, reconcileCmd } from './util.js';

const CODE = 'helm.chart-not-found';

// source-controller internal/helm/chart/errors.go: ErrChartReference = {Reason: "InvalidChartReference",
// Summary: "invalid chart reference"}; set on FetchFailed, Ready and (persistent) Stalled. The reason alone
// tells the cause when no message pattern (src/signals/patterns/source-controller.ts) matches.
const REASON = 'InvalidChartReference';

/** The chart's classification when it tells this code (a dependency's index message is helm.chart-dependency). */
function chartSignal(o: K8sObject, graph: Graph): Classified | Signal[] | undefined {
  const c = signalFor(o, graph, CODE);
  if (c) return isDependencyBuild(c) ? undefined : c;
  // no pattern matched: the reason alone (a redacted or unknown wording)
  const byReason = current(o, graph).deciding.filter((s) => s.reason === REASON);
  return byReason.length > 0 ? byReason : undefined;
}

const chartCmds = (chart: ObjRef) => ({
  reconcile: reconcileCmd(chart),
  get: `flux get sources chart ${shq(chart.name)}${nsArg(chart.namespace)}`,
});

function chartSpecText(chart: K8sObject): { name: string; version: string } {
  const name = typeof chart.spec?.chart === 'string' ? chart.spec.chart : '(unknown)';
  const version = typeof chart.spec?.version === 'string' && chart.spec.version ? chart.spec.version : '*';
  return { name, version };
}

/** What is missing, by the catalogue's cause (source-controller.ts), as a phrase and a cause of this rule. */
function whatIsMissing(
  c: Classified | Signal[],
  name: string,
  version: string,
  where: string,
  sourceKind?: string,
): { cause: string; missing: string } {
  const text = Array.isArray(c) ? (c[0]?.text ?? '') : c.signal.text;
  const detail = firstLine(text.replace(/^[\s\S]*?invalid chart reference: /, ''), 200);
  if (sourceKind === 'GitRepository' || sourceKind === 'Bucket')
    return { cause: 'chart-path-missing', missing: `chart path '${name}' is not a chart in ${where} (${detail})` };
  if (Array.isArray(c))
    return { cause: 'chart-reference-invalid', missing: `chart '${name}' version '${version}' is not in ${where}` };
  if (c.cause === 'chart-not-in-index' || c.data.repository)
    return { cause: 'chart-not-in-index', missing: `chart '${name}' does not exist in ${where}` };
  if (c.cause === 'version-not-found')
    return {
      cause: 'version-not-found',
      missing: `no version of chart '${c.data.chart ?? name}' matches '${c.data.version ?? version}' in ${where}`,
    };
  if (c.cause === 'chart-path-missing')
    return { cause: 'chart-path-missing', missing: `chart path '${name}' is not a chart in ${where} (${detail})` };
  return { cause: 'version-not-found', missing: `chart '${name}' version '${version}' is not in ${where}` };
}

function sourceText(graph: Graph, src: ObjRef | undefined): string {
  if (!src) return 'its source';
  const o = graph.get(src);
  const url = typeof o?.spec?.url === 'string' ? ` (${o.spec.url})` : '';
  return `${show(src)}${url}`;
}

const signalsOf = (c: Classified | Signal[]): Signal[] => (Array.isArray(c) ? c : c.signals);

function checkChart(chart: K8sObject, graph: Graph): RawFinding | undefined {
  if (graph.health(chart).state !== 'Failed') return undefined;
  const c = chartSignal(chart, graph);
  if (!c) return undefined;
  const { name, version } = chartSpecText(chart);
  const src = graph.out(chart, 'source')[0]?.to;
  const where = sourceText(graph, src);
  const { cause, missing } = whatIsMissing(c, name, version, where, src?.kind);
  const hr = releaseForChart(graph, chart);
  const fixTarget = hr ? objRef(hr) : objRef(chart);
  const chartRef = objRef(chart);
  const field = hr ? `spec.chart.spec.${src?.kind === 'HelmRepository' ? 'version' : 'chart'}` : 'spec.version';
  const steps: string[] = [];
  if (src?.kind === 'HelmRepository') {
    const repo = graph.get(src);
    const url: string | undefined = repo?.spec?.url;
    const oci = repo?.spec?.type === 'oci' || url?.startsWith('oci://');
    steps.push(
      ...(oci && url
        ? titled(
            'List the tags the registry has for the chart',
            `crane ls ${shq(`${url.replace(/^oci:\/\//, '').replace(/\/$/, '')}/${name}`)}`,
          )
        : [
            'List the versions the repository offers:',
            `helm repo add tmp ${shqOr(url, '<repository URL>')}`,
            `helm search repo ${shq(`tmp/${name}`)} --versions`,
          ]),
      ...changeInGit(
        graph,
        fixTarget,
        `set ${field} of ${show(fixTarget)} to a chart name and version that exist (now chart '${name}', version '${version}')`,
      ),
      ...changeInGit(graph, src, `fix the URL of ${show(src)}`, { when: 'if the chart moved' }),
    );
  } else {
    steps.push(
      `Check that '${name}' is the path of a chart directory (with a Chart.yaml) or packaged chart in the artifact of ${where}`,
      ...changeInGit(graph, fixTarget, `fix ${hr ? 'spec.chart.spec.chart' : 'spec.chart'} of ${show(fixTarget)}`),
    );
  }
  steps.push(hr ? reconcileCmd(hr, true) : chartCmds(chartRef).reconcile, chartCmds(chartRef).get);
  return {
    cause,
    data: { chart: name, version, source: where, object: chartLabel(graph, chart), missing },
    summary: `${chartLabel(graph, chart)}: ${missing}`,
    evidence: evidenceOf(signalsOf(c)),
    remediation: steps,
    fixTarget,
    explainedBy: ['source'],
  };
}

function checkRelease(hr: K8sObject, graph: Graph): RawFinding | undefined {
  if (graph.health(hr).state !== 'Failed') return undefined;
  // helm-controller repeats the chart's message ("HelmChart '<ns>/<name>' is not ready: <message>",
  // Ready reason SourceNotReady or ArtifactFailed); a message alone of an older attempt does not count.
  const c = signalFor(hr, graph, CODE);
  if (!c || isDependencyBuild(c)) return undefined;
  const readyReason = conditions(hr).find((x) => x.type === 'Ready')?.reason;
  if (c.signal.from === 'Ready' && readyReason !== 'SourceNotReady' && readyReason !== 'ArtifactFailed')
    return undefined;
  const chart: ObjRef | undefined = graph.out(hr, 'chart')[0]?.to;
  const detail = firstLine(
    c.signal.text.replace(/^[\s\S]*?is not ready: /, '').replace(/^invalid chart reference: /, ''),
    200,
  );
  const spec = hr.spec?.chart?.spec;
  const wanted = spec?.chart ? `chart '${spec.chart}'${spec.version ? ` version '${spec.version}'` : ''}` : 'its chart';
  const srcName = spec?.sourceRef?.name
    ? `${spec.sourceRef.kind ?? 'HelmRepository'} ${spec.sourceRef.namespace ?? ns(hr)}/${spec.sourceRef.name}`
    : 'its source';
  return {
    cause: 'release-chart-missing',
    data: { object: show(hr), wanted, chart: chart ? show(chart) : undefined, detail },
    summary: `${show(hr)} cannot get ${wanted}${chart ? ` (${show(chart)})` : ''}: ${detail}`,
    evidence: evidenceOf(c.signals),
    remediation: [
      ...changeInGit(
        graph,
        hr,
        `fix spec.chart.spec.chart / spec.chart.spec.version of ${show(hr)} to a chart and version that exist in ${srcName}`,
      ),
      ...(chart ? titled("See the chart's own status", describeCmd(chart)) : []),
      reconcileCmd(hr, true),
    ],
    fixTarget: objRef(hr),
    explainedBy: ['chart'],
  };
}

export const rule: Rule = {
  meta: {
    code: 'helm.chart-not-found',
    severity: 'error',
    title: 'The chart or chart version is not in the repository',
    kinds: ['HelmChart', 'HelmRelease'],
    explainedBy: ['source'],
    messages: {
      'version-not-found': { summary: '{object}: {missing}' },
      'chart-not-in-index': { summary: '{object}: {missing}' },
      'chart-path-missing': { summary: '{object}: {missing}' },
      'chart-reference-invalid': { summary: '{object}: {missing}' },
      'release-chart-missing': { summary: '{object} cannot get {wanted}: {detail}' },
    },
  },
  check(obj, { graph }) {
    if (obj.kind === 'HelmChart') return checkChart(obj, graph);
    if (obj.kind === 'HelmRelease') return checkRelease(obj, graph);
    return undefined;
  },
};
