// helm.values-invalid: the release values do not pass the chart's values.schema.json, the chart's
// templates fail to render with them, or a valuesFrom document is not valid YAML.

import type { Graph } from '../graph/graph.js';
import { titled } from '../render/advice.js';
import { nsArg, shq, shqOr } from '../render/shell.js';
import type { K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';
import {
  cond,
  firstLine,
  hrCmds,
  RELEASE_FAILURE,
  releaseOf,
  releasePhaseFailed,
  SCHEMA_INVALID,
  TEMPLATE_ERRORS,
  VALUES_REFERENCE,
  VALUES_REFERENCE_MISSING,
} from './helm-common.js';
import type { RawFinding, Rule } from './types.js';
import type { Signal } from './util.js';
import { evidenceOf, matchSignals, show } from './util.js';

/** A valuesFrom document that could not be read or merged (chartutil ErrValuesDataRead / ErrValueMerge). */
const PARSE_ERROR = /yaml|json|unmarshal|parse|failed to read values data|failed to merge value/i;

function schemaDetails(text: string): string {
  // "values don't meet the specifications of the schema(s) in the following chart(s):\n<chart>:\n- <error>\n- ..."
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('- '))
    .slice(0, 3);
  return lines.length > 0 ? lines.join('; ') : firstLine(text.replace(/^.*?schema\(s\)[^:]*:\s*/s, ''), 300);
}

function templateDetails(text: string): string {
  const m = RELEASE_FAILURE.exec(text);
  const cause = (m?.[6] ?? text).split('\n\nLast Helm logs:')[0]!;
  return firstLine(cause.replace(/\s*\n\s*/g, ' '), 400);
}

function checkRender(hr: K8sObject, graph: Graph): RawFinding | undefined {
  if (!releasePhaseFailed(hr)) return undefined;
  // The conditions describe the current failure; events only when no Released condition says otherwise
  // (an old event must not relabel a newer, different failure).
  const patterns = [SCHEMA_INVALID, ...TEMPLATE_ERRORS];
  let signals = matchSignals(hr, graph, { patterns, from: ['Ready', 'Released'] });
  if (signals.length === 0 && !cond(hr, 'Released')) signals = matchSignals(hr, graph, { patterns, from: ['event'] });
  if (signals.length === 0) return undefined;
  const text = signals[0]!.text;
  const m = signals.map((s) => RELEASE_FAILURE.exec(s.text)).find(Boolean);
  const chart = m?.[4] && m[5] ? `${m[4]}@${m[5]}` : (hr.spec?.chart?.spec?.chart ?? 'its chart');
  const schema = signals.some((s) => SCHEMA_INVALID.test(s.text));
  const rel = releaseOf(hr);
  const valuesFrom = Array.isArray(hr.spec?.valuesFrom) ? hr.spec.valuesFrom : [];
  const sources = [
    'spec.values',
    ...valuesFrom
      .filter((v: { kind?: string; name?: string }) => v?.kind && v.name)
      .map((v: { kind: string; name: string }) => `${v.kind} ${v.name}`),
  ].join(', ');
  const summary = schema
    ? `The values of ${show(hr)} do not meet the values.schema.json of chart ${chart}: ${schemaDetails(signals.find((s) => SCHEMA_INVALID.test(s.text))!.text)}`
    : `Chart ${chart} fails to render with the values of ${show(hr)}: ${templateDetails(text)}`;
  const steps = schema
    ? [
        `Fix the values named in the schema error (they come from ${sources}); the chart's values.schema.json lists the allowed types and fields`,
        ...titled(
          'Check locally (it validates against the schema)',
          `helm template ${shq(rel.name)} <chart> --version ${shqOr(m?.[5], '<version>')} -f values.yaml`,
        ),
      ]
    : [
        `Fix the value the template dereferences (see the file, line and <.Values…> path in the error); the values come from ${sources}`,
        ...titled(
          'Render locally with the same values to see the error',
          `helm template ${shq(rel.name)} <chart> --version ${shqOr(m?.[5], '<version>')} -f values.yaml`,
        ),
        'If the values are right, the chart version itself may be broken: pin the previous version in spec.chart.spec.version, in Git',
      ];
  steps.push(
    ...titled(
      'Inspect the merged values (this prints Secret values: run it privately)',
      `flux debug hr ${shq(hr.metadata.name)}${nsArg(hr.metadata.namespace)} --show-values`,
    ),
    hrCmds(hr).reconcile,
  );
  return { summary, evidence: evidenceOf(signals), remediation: steps, fixTarget: objRef(hr) };
}

function checkValuesDocument(hr: K8sObject, graph: Graph): RawFinding | undefined {
  const signals: Signal[] = matchSignals(hr, graph, {
    reasons: ['ValuesError'],
    patterns: [VALUES_REFERENCE],
    requireBoth: true,
    from: ['Ready', 'event'],
  }).filter((s) => {
    const m = VALUES_REFERENCE.exec(s.text);
    return !!m && !VALUES_REFERENCE_MISSING.test(m[6]!) && PARSE_ERROR.test(m[6]!) && !/forbidden/.test(m[6]!);
  });
  if (signals.length === 0) return undefined;
  const m = VALUES_REFERENCE.exec(signals[0]!.text)!;
  const target: ObjRef = { kind: m[2]!, namespace: m[3]!, name: m[4]! };
  const key = m[5] ?? 'values.yaml';
  return {
    summary: `${show(hr)} cannot read the values in key '${key}' of ${show(target)}: ${firstLine(m[6]!, 300)}`,
    evidence: evidenceOf(signals),
    remediation: [
      `Fix the YAML in key '${key}' of ${show(target)} (check indentation and quoting; with targetPath the value must be a plain value)`,
      ...titled(
        'Validate it locally (for a Secret, decode only the key you own)',
        `kubectl get ${shq(target.kind.toLowerCase())} ${shq(target.name)}${nsArg(target.namespace)} -o yaml`,
      ),
      hrCmds(hr).reconcile,
    ],
    fixTarget: target,
  };
}

export const rule: Rule = {
  meta: {
    code: 'helm.values-invalid',
    severity: 'error',
    title: "The values fail the chart's schema or its templates fail to render",
    kinds: ['HelmRelease'],
    overrides: ['helm.install-failed', 'helm.upgrade-failed'],
    docs: {
      description:
        "Helm rejected the release values before creating anything: they do not validate against the chart's `values.schema.json`, or a template fails to render with them (a nil value dereferenced, `required`/`fail` called, a type mismatch), or a `valuesFrom` document is not valid YAML. The install or upgrade fails immediately, and retrying does not help until the values (or the chart version) change. This code replaces `helm.install-failed` / `helm.upgrade-failed` on the same HelmRelease.",
      detection: [
        "- `Released=False` / `Ready=False` reason `InstallFailed` or `UpgradeFailed` (and their Warning events) whose Helm error is a schema failure: `values don't meet the specifications of the schema(s) in the following chart(s):` followed by the chart and `- <path>: <problem>` lines;",
        '  or a template error: `template: <chart>/templates/<file>:<line>:<col>: executing "<template>" at <.Values…>: nil pointer evaluating …`, `execution error at (<file>:<line>:<col>): <message>`, `error calling include`, `YAML parse error on <file>`.',
        "- `Ready=False` reason `ValuesError` with `could not resolve <Kind> chart values reference '<ns>/<name>' with key '<key>': <YAML error>` (fluxcd/pkg chartutil ErrValuesDataRead / ErrValueMerge): the referenced document is not valid YAML.",
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
  check(obj, { graph }) {
    const h = graph.health(obj);
    if (h.state !== 'Failed') return undefined;
    return checkValuesDocument(obj, graph) ?? checkRender(obj, graph);
  },
};
