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
    docs: {
      description:
        "Helm rejected the release values before creating anything: they do not validate against the chart's `values.schema.json`, or a template fails to render with them (a nil value dereferenced, `required`/`fail` called, a type mismatch), or a `valuesFrom` document is not valid YAML. The install or upgrade fails immediately, and retrying does not help until the values (or the chart version) change. This code replaces `helm.install-failed` / `helm.upgrade-failed` on the same HelmRelease.",
      detection: [
        "- `Released=False` / `Ready=False` reason `InstallFailed` or `UpgradeFailed` (and their Warning events) whose Helm error is a schema failure: `values don't meet the specifications of the schema(s) in the following chart(s):` followed by the chart and `- <path>: <problem>` lines;",
        '  or a template error: `template: <chart>/templates/<file>:<line>:<col>: executing "<template>" at <.Values…>: nil pointer evaluating …`, `execution error at (<file>:<line>:<col>): <message>`, `error calling include`, `YAML parse error on <file>`.',
        "- `Ready=False` reason `ValuesError` with `could not resolve <Kind> chart values reference '<ns>/<name>' with key '<key>': <YAML error>` (fluxcd/pkg chartutil ErrValuesDataRead / ErrValueMerge): the referenced document is not valid YAML.",
        '- The patterns live in src/signals/patterns/helm-sdk.ts (schema and template errors, Helm v3 and v4) and helm-controller.ts (the values reference, fluxcd/pkg chartutil); the Helm error is the one of the failed action (src/signals/helm.ts: the Released condition first, then events).',
        '- Only when `Ready` reflects the Helm action (or `ValuesError`), so an old failure does not count after the chart changed.',
      ].join('\n'),
      fix: [
        '- Read the schema or template error: it names the value path (`/replicaCount`, `.Values.ingress.hosts`) and the template file and line.',
        '- Fix `spec.values` or the `valuesFrom` ConfigMap/Secret; `flux debug hr <name> -n <namespace> --show-values` prints the merged values (it prints Secret values too).',
        '- Reproduce locally with `helm template <release> <chart> --version <v> -f values.yaml`.',
        '- If a new chart version changed its values layout, follow its upgrade notes or pin the previous version.',
      ].join('\n'),
      commands: [
        'flux events --for HelmRelease/<name> -n <namespace>',
        'flux debug hr <name> -n <namespace> --show-values',
        'helm template <release> <chart> --version <version> -f values.yaml',
      ],
      examples: [
        {
          message:
            "Helm install failed for release storage/harbor with chart app-template@4.1.2: values don't meet the specifications of the schema(s) in the following chart(s):\napp-template:\n- configMaps.registry-config: Additional property advancedMounts is not allowed",
          source: 'https://github.com/rafaribe/home-ops/issues/4049 (helm-controller install.go fmtInstallFailure)',
        },
        {
          message:
            'Helm upgrade failed for release monitoring/grafana-k8s-monitoring with chart k8s-monitoring@0.2.0: template: k8s-monitoring/templates/tests/test.yaml:85:27: executing "k8s-monitoring/templates/tests/test.yaml" at <.Values.test.image.registry>: nil pointer evaluating interface {}.image',
          source:
            'helm-controller internal/reconcile/upgrade.go fmtUpgradeFailure wrapping the Helm error quoted in https://github.com/grafana/k8s-monitoring-helm/issues/192 (Flux report of the same form: https://github.com/actions/actions-runner-controller/issues/4045)',
        },
      ],
    },
  },
  check(obj, ctx) {
    if (ctx.graph.health(obj).state !== 'Failed') return undefined;
    return checkDocument(obj, ctx) ?? checkRender(obj, ctx);
  },
};
