// helm.secret-missing: a Secret or ConfigMap named in a HelmRelease's spec.valuesFrom (not marked
// optional) or its spec.kubeConfig.secretRef does not exist or lacks the key helm-controller reads.
// What the controller said is classified with src/signals/patterns/helm-controller.ts; what the graph
// shows comes from src/signals/missing.ts.

import type { Graph } from '../graph/graph.js';
import { whereToChange } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import {
  catalogueFor,
  classifyText,
  current,
  dataKeys,
  evidenceOf,
  missingReferences,
  objId,
  type Signal,
  show,
} from '../signals/index.js';
import type { K8sObject, ObjRef } from '../types.js';
import { refKey } from '../types.js';
import type { RawFinding, Rule } from './types.js';
import { reconcileCmd } from './util.js';

const CODE = 'helm.secret-missing';
const KUBECONFIG_FIELD = 'spec.kubeConfig.secretRef';
// helm-controller internal/kube/config.go: DefaultKubeConfigSecretKey / DefaultKubeConfigSecretKeyExt.
const KUBECONFIG_KEYS = ['value', 'value.yaml'];

type Cause = 'values-object-missing' | 'values-key-missing' | 'kubeconfig-secret-missing' | 'kubeconfig-key-missing';

interface Problem {
  cause: Cause;
  target: ObjRef;
  key?: string;
  field: string;
  signals: Signal[];
}

function fieldFor(graph: Graph, hr: K8sObject, target: ObjRef): string {
  const e = graph.out(hr, ['secret', 'configMap']).find((x) => refKey(x.to) === refKey(target));
  return e?.field ?? 'spec.valuesFrom';
}

function problems(hr: K8sObject, graph: Graph): Problem[] {
  const out = new Map<string, Problem>();
  // A Ready release resolved its references (an old ValuesError event does not count).
  const h = graph.health(hr);
  if (h.state === 'Ready' || h.state === 'Suspended') return [];
  const add = (p: Problem) => {
    const k = `${p.cause.startsWith('kubeconfig') ? 'kc' : 'v'}|${refKey(p.target)}|${p.key ?? ''}`;
    const had = out.get(k);
    if (had) had.signals.push(...p.signals);
    else out.set(k, p);
  };
  // What the controller said (Ready=False ValuesError / RESTClientError / v2beta1 InitFailed, events, logs).
  const cat = catalogueFor(hr.kind);
  for (const s of current(hr, graph).all) {
    const m = classifyText(s.text, cat.patterns);
    if (m?.pattern.code !== CODE) continue;
    const d = m.data;
    const kubeconfig = m.pattern.cause.startsWith('kubeconfig');
    const target: ObjRef = { kind: kubeconfig ? 'Secret' : d.kind!, namespace: d.namespace!, name: d.name! };
    add({
      cause: m.pattern.cause as Cause,
      target,
      key: m.pattern.cause.endsWith('key-missing')
        ? kubeconfig
          ? (hr.spec?.kubeConfig?.secretRef?.key ?? d.key)
          : d.key || 'values.yaml'
        : undefined,
      field: kubeconfig ? KUBECONFIG_FIELD : fieldFor(graph, hr, target),
      signals: [s],
    });
  }
  // What the graph shows.
  const missing = (field: string, text: string): Signal => ({
    text,
    from: 'field',
    evidence: { kind: 'missing', object: objId(hr), text: `${field}: ${text}` },
  });
  for (const r of missingReferences(hr, graph, ['secret', 'configMap'])) {
    const field = r.edge.field ?? '';
    const kubeconfig = field === KUBECONFIG_FIELD;
    if (!kubeconfig && !field.startsWith('spec.valuesFrom')) continue;
    if (r.missing === 'object')
      add({
        cause: kubeconfig ? 'kubeconfig-secret-missing' : 'values-object-missing',
        target: r.edge.to,
        field,
        signals: [missing(field, `${show(r.edge.to)} does not exist`)],
      });
    else
      for (const key of r.keys)
        add({
          cause: 'values-key-missing',
          target: r.edge.to,
          key,
          field,
          signals: [missing(field, `${show(r.edge.to)} has no key '${key}'`)],
        });
  }
  // kubeConfig.secretRef names no key by default: either of helm-controller's two default keys will do.
  for (const e of graph.out(hr, ['secret'])) {
    if (e.field !== KUBECONFIG_FIELD) continue;
    const o = graph.get(e.to);
    if (!o) continue;
    const keys = dataKeys(o);
    const want: string | undefined = hr.spec?.kubeConfig?.secretRef?.key;
    if (want ? keys.includes(want) : KUBECONFIG_KEYS.some((k) => keys.includes(k))) continue;
    add({
      cause: 'kubeconfig-key-missing',
      target: e.to,
      key: want ?? 'value',
      field: KUBECONFIG_FIELD,
      signals: [missing(KUBECONFIG_FIELD, `${show(e.to)} has no key '${want ?? 'value'}'`)],
    });
  }
  return [...out.values()];
}

function finding(hr: K8sObject, p: Problem, graph: Graph): RawFinding {
  const t = p.target;
  const o = graph.get(t);
  const kubeconfig = p.cause.startsWith('kubeconfig');
  const key = p.key ?? (kubeconfig ? (hr.spec?.kubeConfig?.secretRef?.key ?? 'value') : 'values.yaml');
  const keys = o ? dataKeys(o) : undefined;
  const file = kubeconfig ? './kubeconfig' : './values.yaml';
  const kind = t.kind === 'Secret' ? 'secret generic' : 'configmap';
  return {
    cause: p.cause,
    data: {
      object: show(hr),
      target: show(t),
      field: p.field,
      key,
      keysNote: keys ? `it has: ${keys.length > 0 ? keys.join(', ') : 'no keys'}` : 'its keys were not read',
      create: `kubectl create ${kind} ${shq(t.name)}${nsArg(t.namespace)} --from-file=${shq(`${key}=${file}`)}`,
      where: whereToChange(graph, hr),
      reconcile: reconcileCmd(hr),
      get: `flux get helmreleases ${shq(hr.metadata.name)}${nsArg(hr.metadata.namespace)}`,
    },
    evidence: evidenceOf(p.signals),
    fixTarget: t,
  };
}

const OPTIONAL =
  'If the values are not always needed, mark the reference optional: set {field}.optional: true on {object} in {where}';

export const rule: Rule = {
  meta: {
    code: CODE,
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
    messages: {
      'values-object-missing': {
        summary: '{object} reads chart values from {target} ({field}), which does not exist',
        remediation: [
          "Create {target} with the key '{key}', for example:",
          '{create}',
          'Or fix the name in {field} of {object} in {where}',
          OPTIONAL,
          '{reconcile}',
          '{get}',
        ],
      },
      'values-key-missing': {
        summary:
          "{object} reads chart values from key '{key}' of {target} ({field}), which has no such key ({keysNote})",
        remediation: [
          "Add the key '{key}' to {target}, for example by recreating it:",
          '{create}',
          'Or point {field}.valuesKey of {object} at a key it has, in {where}',
          OPTIONAL,
          '{reconcile}',
          '{get}',
        ],
      },
      'kubeconfig-secret-missing': {
        summary: '{object} reads the kubeconfig of the remote cluster from {target} ({field}), which does not exist',
        remediation: [
          "Create {target} with the key '{key}', for example:",
          '{create}',
          'Or fix the name in {field} of {object} in {where}',
          '{reconcile}',
          '{get}',
        ],
      },
      'kubeconfig-key-missing': {
        summary:
          "{object} reads the kubeconfig of the remote cluster from key '{key}' of {target} ({field}), which has no such key ({keysNote})",
        remediation: [
          "Add the key '{key}' to {target}, for example by recreating it:",
          '{create}',
          '{reconcile}',
          '{get}',
        ],
      },
    },
  },
  check(obj, { graph }) {
    if (graph.health(obj).state === 'Suspended') return undefined;
    const ps = problems(obj, graph);
    if (ps.length === 0) return undefined;
    return ps.map((p) => finding(obj, p, graph));
  },
};
