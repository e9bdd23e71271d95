// helm.values-invalid: the release values do not pass the chart's values.schema.json, the chart's
// templates fail to render with them, or a valuesFrom document is not valid YAML. The messages are in
// src/signals/patterns/helm-sdk.ts (schema, templates) and helm-controller.ts (values references).

import { whereToChange } from '../render/advice.js';
import { failedAction, helmError, releaseOf } from '../signals/helm.js';
import { clip, evidenceOf, firstLine, show, signalFor } from '../signals/index.js';
import type { K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';
import type { RawFinding, Rule, RuleContext } from './types.js';
import { describeCmd, reconcileCmd } from './util.js';

const CODE = 'helm.values-invalid';

/** `- <path>: <problem>` lines of Helm's schema error, up to three. */
function schemaDetails(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('- '))
    .slice(0, 3);
  return lines.length > 0 ? lines.join('; ') : firstLine(text, 300);
}

function sourcesOf(hr: K8sObject): string {
  const valuesFrom = Array.isArray(hr.spec?.valuesFrom) ? hr.spec.valuesFrom : [];
  return [
    'spec.values',
    ...valuesFrom
      .filter((v: { kind?: string; name?: string }) => v?.kind && v.name)
      .map((v: { kind: string; name: string }) => `${v.kind} ${v.name}`),
  ].join(', ');
}

const CHECK_LOCALLY = 'helm template {sh:releaseName} <chart> --version {sh:version} -f values.yaml';
const SHOW_VALUES = [
  'Inspect the merged values (this prints Secret values: run it privately):',
  'flux debug hr {sh:name} -n {sh:namespace} --show-values',
  '{reconcile}',
];

function checkDocument(hr: K8sObject, { graph }: RuleContext): RawFinding | undefined {
  const c = signalFor(hr, graph, CODE);
  if (c?.cause !== 'values-document-invalid') return undefined;
  const d = c.data;
  const target: ObjRef = { kind: d.kind!, namespace: d.namespace!, name: d.name! };
  return {
    cause: 'values-document-invalid',
    data: {
      object: show(hr),
      target: show(target),
      key: d.key || 'values.yaml',
      error: firstLine(d.error ?? c.signal.text, 300),
      describe: describeCmd(target),
      reconcile: reconcileCmd(hr),
    },
    evidence: evidenceOf(c.signals),
    fixTarget: target,
  };
}

function checkRender(hr: K8sObject, { graph }: RuleContext): RawFinding | undefined {
  if (!failedAction(hr, graph)) return undefined;
  const e = helmError(hr, graph);
  if (e?.match.pattern.code !== CODE) return undefined;
  const rel = releaseOf(hr);
  const version = e.wrapper?.version ?? hr.status?.lastAttemptedRevision ?? hr.spec?.chart?.spec?.version;
  const chartName = e.wrapper?.chart ?? hr.spec?.chart?.spec?.chart;
  const schema = e.match.pattern.cause === 'schema-invalid';
  return {
    cause: schema ? 'schema-invalid' : 'template-error',
    data: {
      object: show(hr),
      name: hr.metadata.name,
      namespace: hr.metadata.namespace,
      releaseName: rel.name,
      chart: chartName ? (version ? `${chartName}@${version}` : chartName) : 'its chart',
      version,
      details: schema ? schemaDetails(e.error) : firstLine(clip(e.error, 2000), 400),
      sources: sourcesOf(hr),
      where: whereToChange(graph, hr),
      reconcile: reconcileCmd(hr),
    },
    evidence: evidenceOf([e.signal]),
    fixTarget: objRef(hr),
  };
}

export const rule: Rule = {
  meta: {
    code: CODE,
    severity: 'error',
    title: "The values fail the chart's schema or its templates fail to render",
    kinds: ['HelmRelease'],
    overrides: ['helm.install-failed', 'helm.upgrade-failed'],
    messages: {
      'schema-invalid': {
        summary: 'The values of {object} do not meet the values.schema.json of chart {chart}: {details}',
        remediation: [
          "Fix the values named in the schema error (they come from {sources}) in {where}; the chart's values.schema.json lists the allowed types and fields",
          'Check locally (it validates against the schema):',
          CHECK_LOCALLY,
          ...SHOW_VALUES,
        ],
      },
      'template-error': {
        summary: 'Chart {chart} fails to render with the values of {object}: {details}',
        remediation: [
          'Fix the value the template dereferences (see the file, line and <.Values…> path in the error); the values come from {sources}, in {where}',
          'Render locally with the same values to see the error:',
          CHECK_LOCALLY,
          'If the values are right, the chart version itself may be broken: pin the previous version in spec.chart.spec.version, in {where}',
          ...SHOW_VALUES,
        ],
      },
      'values-document-invalid': {
        summary: "{object} cannot read the values in key '{key}' of {target}: {error}",
        remediation: [
          "Fix the YAML in key '{key}' of {target} (check indentation and quoting; with targetPath the value must be a plain value)",
          'Validate it locally (for a Secret, decode only the key you own):',
          '{describe}',
          '{reconcile}',
        ],
      },
    },
  },
  check(obj, ctx) {
    if (ctx.graph.health(obj).state !== 'Failed') return undefined;
    return checkDocument(obj, ctx) ?? checkRender(obj, ctx);
  },
};
