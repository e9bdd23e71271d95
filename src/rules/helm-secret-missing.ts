// helm.secret-missing: a Secret or ConfigMap named in a HelmRelease's spec.valuesFrom (not marked
// optional) or its spec.kubeConfig.secretRef does not exist or lacks the key helm-controller reads.

import type { Graph } from '../graph/graph.js';
import { changeInGit, titled } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import type { K8sObject, ObjRef } from '../types.js';
import {
  hrCmds,
  KUBECONFIG_KEY_MISSING,
  KUBECONFIG_SECRET_MISSING,
  VALUES_REFERENCE,
  VALUES_REFERENCE_MISSING,
} from './helm-common.js';
import type { RawFinding, Rule } from './types.js';
import type { Signal } from './util.js';
import { evidenceOf, matchSignals, objId, show } from './util.js';

// helm-controller internal/kube/config.go: DefaultKubeConfigSecretKey / DefaultKubeConfigSecretKeyExt.
const KUBECONFIG_KEYS = ['value', 'value.yaml'];

interface Problem {
  target: ObjRef;
  /** Key that is missing; undefined when the whole object is missing. */
  key?: string;
  /** spec.valuesFrom[i] or spec.kubeConfig.secretRef */
  field: string;
  /** Keys the object has (names only), when it exists. */
  has?: string[];
  signals: Signal[];
}

function keysOf(o: K8sObject): string[] {
  if (Array.isArray(o.dataKeys)) return o.dataKeys as string[];
  return [...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {}), ...Object.keys(o.binaryData ?? {})];
}

function sameTarget(a: ObjRef, b: ObjRef): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

function problems(hr: K8sObject, graph: Graph): Problem[] {
  const out: Problem[] = [];
  const add = (p: Problem) => {
    const existing = out.find((x) => sameTarget(x.target, p.target) && x.key === p.key);
    if (existing) existing.signals.push(...p.signals);
    else out.push(p);
  };
  // What the controller said (Ready=False reason ValuesError / RESTClientError, and events).
  const valuesSignals = matchSignals(hr, graph, { patterns: [VALUES_REFERENCE], from: ['Ready', 'event', 'log'] });
  for (const s of valuesSignals) {
    const m = VALUES_REFERENCE.exec(s.text);
    if (!m || m[1] || !VALUES_REFERENCE_MISSING.test(m[6]!)) continue; // optional refs are skipped by the controller
    const target = { kind: m[2]!, namespace: m[3]!, name: m[4]! };
    const keyMissing = /key not found\s*$/.test(m[6]!);
    const o = graph.get(target);
    add({
      target,
      key: keyMissing ? (m[5] ?? 'values.yaml') : undefined,
      field: fieldFor(graph, hr, target),
      has: o ? keysOf(o) : undefined,
      signals: [s],
    });
  }
  const kcSignals = matchSignals(hr, graph, {
    patterns: [KUBECONFIG_SECRET_MISSING, KUBECONFIG_KEY_MISSING],
    from: ['Ready', 'event', 'log'],
  });
  for (const s of kcSignals) {
    const miss = KUBECONFIG_SECRET_MISSING.exec(s.text);
    const key = KUBECONFIG_KEY_MISSING.exec(s.text);
    const m = miss ?? key;
    if (!m) continue;
    const target = { kind: 'Secret', namespace: m[1]!, name: m[2]! };
    const o = graph.get(target);
    add({
      target,
      key: key ? (hr.spec?.kubeConfig?.secretRef?.key ?? key[3]) : undefined,
      field: 'spec.kubeConfig.secretRef',
      has: o ? keysOf(o) : undefined,
      signals: [s],
    });
  }
  // What the graph shows: required references whose target is absent (only when that kind was read)
  // or lacks the key. Only for a HelmRelease that is not Ready: a Ready release already resolved them.
  const h = graph.health(hr);
  if (h.state !== 'Ready' && h.state !== 'Suspended') {
    const evidenceFor = (field: string, text: string): Signal => ({
      text,
      from: 'field',
      evidence: { kind: 'missing', object: objId(hr), text: `${field}: ${text}` },
    });
    for (const e of graph.out(hr, ['secret', 'configMap'])) {
      const isValues = e.field?.startsWith('spec.valuesFrom');
      const isKubeConfig = e.field === 'spec.kubeConfig.secretRef';
      if (!isValues && !isKubeConfig) continue;
      if (e.optional) continue;
      const o = graph.get(e.to);
      if (!o) {
        if (!graph.kindRead(e.to.kind, e.to.namespace)) continue;
        add({
          target: e.to,
          field: e.field!,
          signals: [evidenceFor(e.field!, `${show(e.to)} does not exist`)],
        });
        continue;
      }
      const keys = keysOf(o);
      if (isValues) {
        const key = e.keys?.[0] ?? 'values.yaml';
        if (!keys.includes(key))
          add({
            target: e.to,
            key,
            field: e.field!,
            has: keys,
            signals: [evidenceFor(e.field!, `${show(e.to)} has no key '${key}'`)],
          });
      } else {
        const want: string | undefined = hr.spec?.kubeConfig?.secretRef?.key;
        const ok = want ? keys.includes(want) : KUBECONFIG_KEYS.some((k) => keys.includes(k));
        if (!ok)
          add({
            target: e.to,
            key: want ?? 'value',
            field: e.field!,
            has: keys,
            signals: [evidenceFor(e.field!, `${show(e.to)} has no key '${want ?? 'value'}'`)],
          });
      }
    }
  }
  return out;
}

function fieldFor(graph: Graph, hr: K8sObject, target: ObjRef): string {
  const e = graph.out(hr, ['secret', 'configMap']).find((x) => sameTarget(x.to, target));
  return e?.field ?? 'spec.valuesFrom';
}

function finding(hr: K8sObject, p: Problem, graph: Graph): RawFinding {
  const t = p.target;
  const isSecret = t.kind === 'Secret';
  const kubeconfig = p.field === 'spec.kubeConfig.secretRef';
  const key = p.key ?? (kubeconfig ? (hr.spec?.kubeConfig?.secretRef?.key ?? 'value') : 'values.yaml');
  const what = kubeconfig ? 'the kubeconfig of the remote cluster' : 'chart values';
  const summary = p.key
    ? `${show(hr)} reads ${what} from key '${p.key}' of ${show(t)} (${p.field}), which has no such key${p.has ? ` (it has: ${p.has.length ? p.has.join(', ') : 'no keys'})` : ''}`
    : `${show(hr)} reads ${what} from ${show(t)} (${p.field}), which does not exist`;
  const create = kubeconfig
    ? `kubectl create secret generic ${shq(t.name)}${nsArg(t.namespace)} --from-file=${shq(`${key}=./kubeconfig`)}`
    : isSecret
      ? `kubectl create secret generic ${shq(t.name)}${nsArg(t.namespace)} --from-file=${shq(`${key}=./values.yaml`)}`
      : `kubectl create configmap ${shq(t.name)}${nsArg(t.namespace)} --from-file=${shq(`${key}=./values.yaml`)}`;
  const steps = p.key
    ? [
        ...titled(`Add the key '${p.key}' to ${show(t)}, for example by recreating it`, create),
        ...(kubeconfig
          ? []
          : changeInGit(graph, hr, `point ${p.field}.valuesKey of ${show(hr)} at a key it has`, { when: 'or' })),
      ]
    : [
        ...titled(`Create ${show(t)} with the key '${key}', for example`, create),
        ...changeInGit(graph, hr, `fix the name in ${p.field} of ${show(hr)}`, { when: 'or' }),
      ];
  if (!kubeconfig)
    steps.push(
      ...changeInGit(graph, hr, `mark the reference optional: set ${p.field}.optional: true on ${show(hr)}`, {
        when: 'if the values are not always needed',
      }),
    );
  steps.push(hrCmds(hr).reconcile, hrCmds(hr).get);
  return {
    summary,
    evidence: evidenceOf(p.signals),
    remediation: steps,
    fixTarget: t,
  };
}

export const rule: Rule = {
  meta: {
    code: 'helm.secret-missing',
    severity: 'error',
    title: 'A valuesFrom or kubeConfig Secret/ConfigMap is missing or lacks the key',
    kinds: ['HelmRelease'],
    overrides: [
      'helm.values-invalid',
      'helm.install-failed',
      'helm.upgrade-failed',
      'helm.test-failed',
      'helm.release-pending',
    ],
    docs: {
      description:
        'helm-controller composes the release values from `spec.valuesFrom` (ConfigMaps and Secrets, merged in order) and `spec.values` before any Helm action. When a referenced object does not exist, or lacks the key it names (`valuesKey`, default `values.yaml`), and the reference is not `optional: true`, the reconciliation stops with `ValuesError` and nothing is installed or upgraded. The same applies to `spec.kubeConfig.secretRef` for releases into a remote cluster (key `value` or `value.yaml` unless `key` is set). The fix is on the Secret or ConfigMap, which is named as the fix target.',
      detection: [
        "- `Ready=False` reason `ValuesError` with fluxcd/pkg chartutil's message `could not resolve Secret chart values reference '<ns>/<name>' with key '<key>': secrets \"<name>\" not found` (or `: key not found`, or `ConfigMap`). Optional references are ignored by the controller and here.",
        "- `Ready=False` reason `RESTClientError` with `could not get KubeConfig secret '<ns>/<name>': secrets \"<name>\" not found` or `KubeConfig secret '<ns>/<name>' does not contain a 'value' or 'value.yaml' key with data`.",
        '- For a HelmRelease that is not Ready: a required `valuesFrom` / `kubeConfig.secretRef` target that is absent from what was read (when Secrets/ConfigMaps were readable), or whose key names (`dataKeys`) lack the key. Secret values are never read or shown.',
      ].join('\n'),
      fix: [
        '- Create the Secret/ConfigMap in the HelmRelease namespace with the expected key: `kubectl create secret generic <name> -n <namespace> --from-file=values.yaml=./values.yaml`.',
        '- Or fix `name` / `valuesKey` in `spec.valuesFrom`, or set `optional: true` when the values are not always present.',
        '- If the object is produced by another tool (External Secrets, SOPS in a Kustomization), fix that first and order it with `dependsOn`.',
        '- Then: `flux reconcile helmrelease <name> -n <namespace>`.',
      ].join('\n'),
      commands: [
        'flux get helmreleases -A',
        "kubectl get helmrelease <name> -n <namespace> -o jsonpath='{.spec.valuesFrom}'",
        "kubectl get secret <secret> -n <namespace> -o jsonpath='{.data}' | jq keys",
      ],
      examples: [
        {
          message:
            "could not resolve Secret chart values reference 'podinfo/podinfo-values' with key 'values.yaml': secrets \"podinfo-values\" not found",
          source:
            'fluxcd/pkg chartutil/values.go ErrValuesReference.Error (ErrResourceNotFound), set by helm-controller as Ready=False ValuesError',
        },
        {
          message:
            "could not resolve ConfigMap chart values reference 'podinfo/podinfo-values' with key 'extra.yaml': key not found",
          source: 'fluxcd/pkg chartutil/values.go (ErrKeyNotFound)',
        },
        {
          message: 'could not get KubeConfig secret \'apps/prod-kubeconfig\': secrets "prod-kubeconfig" not found',
          source:
            'fluxcd/helm-controller internal/controller/helmrelease_controller.go buildRESTClientGetter (Ready reason RESTClientError)',
        },
      ],
    },
  },
  check(obj, { graph }) {
    if (graph.health(obj).state === 'Suspended') return undefined;
    const ps = problems(obj, graph);
    if (ps.length === 0) return undefined;
    return ps.map((p) => finding(obj, p, graph));
  },
};
