// helm.chart-not-found: the chart or chart version is not in the repository index, the OCI chart tag
// does not exist, or the chart path is not in the Git/Bucket source. Reported on the HelmChart (and,
// for a chart generated from a HelmRelease's spec.chart, at that HelmRelease by the engine), and on
// the HelmRelease, whose Ready condition repeats the chart's message (explained by the chart).

import type { Graph } from '../graph/graph.js';
import { changeInGit, titled } from '../render/advice.js';
import { shq, shqOr } from '../render/shell.js';
import type { K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';
import {
  chartCmds,
  chartLabel,
  chartOfRelease,
  hrCmds,
  releaseForChart,
  SOURCE_NOT_READY,
  sourceOfChart,
} from './helm-common.js';
import type { RawFinding, Rule } from './types.js';
import type { Signal } from './util.js';
import { capture, describeCmd, evidenceOf, matchSignals, ns, show } from './util.js';

// source-controller internal/helm/chart/errors.go: ErrChartReference = {Reason: "InvalidChartReference",
// Summary: "invalid chart reference"}; set on FetchFailed, Ready and (persistent) Stalled.
const REASONS = ['InvalidChartReference'];

// source-controller internal/helm/repository/chart_repository.go getChartVersion (Helm repo.ErrNoChartName,
// repo.ErrNoChartVersion, "no '%s' chart with version matching '%s' found"), oci_chart_repository.go
// ("could not locate a version matching provided version string %s", "unable to locate any tags in
// provided repository: %s") and DownloadChart ("failed to get '%s': %w" with the registry's not found).
export const CHART_NOT_FOUND_PATTERNS: RegExp[] = [
  /invalid chart reference: /,
  /\bno chart name found\b/,
  /\bno chart version found\b/,
  /no '[^']+' chart with version matching '[^']*' found/,
  /could not locate a version matching provided version string/,
  /unable to locate any tags in provided repository/,
  /failed to download chart for remote reference: failed to get 'oci:\/\/[^']+': (?:[^\s:]+(?::[^\s:]+)?: not found|chart doesn't exist|.*manifest unknown)/,
];

// Look-alikes owned by helm.chart-dependency: the same index messages for a dependency of the chart.
export const DEPENDENCY_CONTEXT = /dependency build error|failed to add (?:remote|local) dependency/;

const VERSION_MATCH = /no '([^']+)' chart with version matching '([^']*)' found/;
const OCI_REF = /failed to get '(oci:\/\/[^']+)'/;

function chartSpecText(chart: K8sObject): { name: string; version: string } {
  const name = typeof chart.spec?.chart === 'string' ? chart.spec.chart : '(unknown)';
  const version = typeof chart.spec?.version === 'string' && chart.spec.version ? chart.spec.version : '*';
  return { name, version };
}

function whatIsMissing(signals: Signal[], name: string, version: string, where: string, sourceKind?: string): string {
  const all = signals.map((s) => s.text).join('\n');
  if (sourceKind === 'GitRepository' || sourceKind === 'Bucket')
    return `chart path '${name}' is not a chart in ${where} (${firstCause(all)})`;
  if (/no chart name found/.test(all) || /unable to locate any tags/.test(all))
    return `chart '${name}' does not exist in ${where}`;
  const vm = VERSION_MATCH.exec(all);
  if (vm) return `no version of chart '${vm[1]}' matches '${vm[2]}' in ${where}`;
  const oci = capture(signals, OCI_REF);
  if (oci) return `the OCI chart ${oci} does not exist in ${where}`;
  return `chart '${name}' version '${version}' is not in ${where}`;
}

function firstCause(text: string): string {
  const m = /invalid chart reference: ([^\n]*)/.exec(text);
  return (m?.[1] ?? text.split('\n')[0] ?? '').slice(0, 200);
}

function sourceText(graph: Graph, src: ObjRef | undefined): string {
  if (!src) return 'its source';
  const o = graph.get(src);
  const url = typeof o?.spec?.url === 'string' ? ` (${o.spec.url})` : '';
  return `${show(src)}${url}`;
}

function checkChart(chart: K8sObject, graph: Graph): RawFinding | undefined {
  const h = graph.health(chart);
  if (h.state !== 'Failed') return undefined;
  const signals = matchSignals(chart, graph, {
    reasons: REASONS,
    patterns: CHART_NOT_FOUND_PATTERNS,
    exclude: [DEPENDENCY_CONTEXT],
  });
  if (signals.length === 0) return undefined;
  const { name, version } = chartSpecText(chart);
  const src = sourceOfChart(graph, chart);
  const where = sourceText(graph, src);
  const missing = whatIsMissing(signals, name, version, where, src?.kind);
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
  steps.push(hr ? `${hrCmds(hr).reconcileWithSource}` : chartCmds(chartRef).reconcile, chartCmds(chartRef).get);
  return {
    summary: `${chartLabel(graph, chart)}: ${missing}`,
    evidence: evidenceOf(signals),
    remediation: steps,
    fixTarget,
    explainedBy: ['source'],
  };
}

function checkRelease(hr: K8sObject, graph: Graph): RawFinding | undefined {
  const h = graph.health(hr);
  if (h.state !== 'Failed') return undefined;
  const signals = matchSignals(hr, graph, {
    reasons: ['SourceNotReady', 'ArtifactFailed'],
    patterns: CHART_NOT_FOUND_PATTERNS,
    requireBoth: true,
    exclude: [DEPENDENCY_CONTEXT],
    from: ['Ready', 'event'],
  });
  if (signals.length === 0) return undefined;
  const m = SOURCE_NOT_READY.exec(signals[0]!.text);
  const chart: ObjRef | undefined = m
    ? { kind: m[1]!, namespace: m[2]!, name: m[3]! }
    : (chartOfRelease(graph, hr) ?? undefined);
  const detail = m?.[4] ? firstCause(m[4]) : firstCause(signals[0]!.text);
  const c = hr.spec?.chart?.spec;
  const wanted = c?.chart ? `chart '${c.chart}'${c.version ? ` version '${c.version}'` : ''}` : 'its chart';
  return {
    summary: `${show(hr)} cannot get ${wanted}${chart ? ` (${show(chart)})` : ''}: ${detail}`,
    evidence: evidenceOf(signals),
    remediation: [
      ...changeInGit(
        graph,
        hr,
        `fix spec.chart.spec.chart / spec.chart.spec.version of ${show(hr)} to a chart and version that exist in ${c?.sourceRef?.name ? `${c.sourceRef.kind ?? 'HelmRepository'} ${c.sourceRef.namespace ?? ns(hr)}/${c.sourceRef.name}` : 'its source'}`,
      ),
      ...(chart ? titled("See the chart's own status", describeCmd(chart)) : []),
      hrCmds(hr).reconcileWithSource,
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
    docs: {
      description:
        "source-controller could not find the chart a HelmChart asks for: the chart name is not in the HelmRepository's index, no version matches `spec.version` (an exact version or a semver range), the OCI registry has no such tag, or the chart path does not exist in the GitRepository/Bucket artifact. No chart artifact is produced, so the HelmRelease using it cannot install or upgrade. A HelmChart that helm-controller generated from a HelmRelease's `spec.chart` is part of that release: the finding is reported at the HelmRelease, with the HelmChart among the affected objects. When the HelmRepository itself is failing (unreachable, authentication), the repository is the root cause instead.",
      detection: [
        '- HelmChart: `Ready=False` / `FetchFailed=True` / `Stalled=True` with reason `InvalidChartReference` (source-controller `ErrChartReference`), or a message such as',
        "  `invalid chart reference: failed to get chart version for remote reference: no 'podinfo' chart with version matching '9.*' found`,",
        '  `... no chart name found`, `could not locate a version matching provided version string <v>`, `unable to locate any tags in provided repository`,',
        "  or an OCI download `failed to get 'oci://…:<tag>': …: not found`.",
        '  The same index messages inside `dependency build error: failed to add remote dependency …` belong to `helm.chart-dependency` and are excluded.',
        "- HelmRelease: `Ready=False` reason `SourceNotReady` (or `ArtifactFailed`) whose message is helm-controller's `HelmChart '<ns>/<name>' is not ready: <chart message>` with one of the messages above. It is explained by the HelmChart finding when the HelmChart was read.",
      ].join('\n'),
      fix: [
        '- List what the repository offers: `helm search repo <repo>/<chart> --versions` (HTTP repository) or `crane ls <registry>/<path>/<chart>` (OCI).',
        '- Fix `spec.chart.spec.chart` / `spec.chart.spec.version` in the HelmRelease (or `spec.chart` / `spec.version` of a standalone HelmChart). A semver range such as `6.x` avoids pinning a version that is later removed.',
        '- If the chart moved to another repository, fix the `url` of the HelmRepository.',
        '- For a chart in Git, `spec.chart` is the path of the chart directory in the repository (e.g. `./charts/podinfo`).',
        '- Then reconcile: `flux reconcile helmrelease <name> -n <namespace> --with-source`.',
      ].join('\n'),
      commands: [
        'flux get sources chart -A',
        'kubectl describe helmchart <namespace>-<helmrelease> -n <source-namespace>',
        'flux events --for HelmChart/<name> -n <namespace>',
        'helm search repo <repo>/<chart> --versions',
      ],
      examples: [
        {
          message:
            "invalid chart reference: failed to get chart version for remote reference: no 'podinfo' chart with version matching '9.*' found",
          source: 'fluxcd/source-controller docs/spec/v1/helmcharts.md (Debugging a HelmChart)',
        },
        {
          message: 'invalid chart reference: failed to get chart version for remote reference: no chart name found',
          source:
            'fluxcd/source-controller internal/helm/repository/chart_repository.go getChartVersion (repo.ErrNoChartName) wrapped by internal/helm/chart/builder_remote.go',
        },
        {
          message:
            "HelmChart 'podinfo/podinfo-podinfo' is not ready: invalid chart reference: failed to get chart version for remote reference: no 'podinfo' chart with version matching '9.*' found",
          source:
            "fluxcd/helm-controller internal/controller/helmrelease_controller.go isReady (\"%s '%s/%s' is not ready: %s\" with the chart's Stalled message), Ready reason SourceNotReady; see https://github.com/fluxcd/helm-controller/issues/1252",
        },
      ],
    },
  },
  check(obj, { graph }) {
    if (obj.kind === 'HelmChart') return checkChart(obj, graph);
    if (obj.kind === 'HelmRelease') return checkRelease(obj, graph);
    return undefined;
  },
};
