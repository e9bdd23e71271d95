// kustomize.immutable-field: an applied change touches a field Kubernetes does not allow to change
// (Job template, Deployment/DaemonSet selector, Service clusterIP, immutable ConfigMap/Secret data,
// StatefulSet fields other than replicas/template/updateStrategy…). The object must be recreated.

import { kubectlResource } from '../kinds/table.js';
import { changeInGit, describeKustomization, titled } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import { clip, innermostCause, isFailing, signalFor, ssaObject } from '../signals/index.js';
import type { Rule } from './types.js';
import { evidenceOf, reconcileCmd, show } from './util.js';

// The texts (fluxcd/pkg/ssa dry-run errors carrying the Kubernetes immutability texts, and
// "<id> immutable field detected, failed to delete object: …" when force is on) are catalogued in
// src/signals/patterns/ssa.ts (ssa/immutable-field, ssa/immutable-recreate-failed).

/** `failed to delete object: <err>` from ssa's recreate error (either wording), else the innermost cause. */
function deleteError(text: string): string {
  const m = /immutable field detected, (failed to [^:,\n]+)(?:, error)?: ([^\n]+)/.exec(text);
  return m ? `${m[1]}: ${m[2]}` : innermostCause(text);
}

export const rule: Rule = {
  meta: {
    code: 'kustomize.immutable-field',
    severity: 'error',
    title: 'An applied change touches an immutable field',
    kinds: ['Kustomization'],
    overrides: ['kustomize.validation-failed'],
    messages: {
      'immutable-field': {
        summary: '{object} cannot update {target}: {field} is immutable, so the object must be recreated ({force})',
      },
      'recreate-failed': {
        summary:
          '{object} tried to recreate {target} because of an immutable field change, but deleting it failed: {error}',
      },
    },
  },
  check(obj, { graph }) {
    if (!isFailing(obj, graph)) return undefined;
    const c = signalFor(obj, graph, rule.meta.code);
    if (!c) return undefined;
    const text = c.signal.text;
    const target = ssaObject(text);
    const evidence = evidenceOf(c.signals);
    const final = reconcileCmd(obj, true);
    const base = { object: show(obj), target: target ? show(target) : 'an object' };

    if (c.cause === 'recreate-failed') {
      return {
        cause: c.cause,
        data: { ...base, error: clip(deleteError(text), 200) },
        evidence,
        fixTarget: target,
        remediation: [
          ...(target
            ? titled(
                'Find what blocks the deletion (finalizers, admission webhooks, permissions)',
                `kubectl get ${shq(kubectlResource(target.kind))} ${shq(target.name)}${nsArg(target.namespace)} -o jsonpath={.metadata.finalizers}`,
              )
            : []),
          final,
        ],
      };
    }
    const field = /updates to statefulset spec/.test(text)
      ? 'spec (fields other than replicas, template, updateStrategy…)'
      : (c.data.field ?? /\b(spec\.[\w.[\]-]+): field is immutable/.exec(text)?.[1]);
    const del = target
      ? `kubectl delete ${shq(kubectlResource(target.kind))} ${shq(target.name)}${nsArg(target.namespace)}`
      : undefined;
    return {
      cause: 'immutable-field',
      data: {
        ...base,
        field: field ?? 'a field the change touches',
        force:
          obj.spec?.force === true ? 'force is enabled, yet the dry-run rejects it' : 'force is not enabled for it',
      },
      evidence,
      fixTarget: target,
      remediation: [
        `Add the annotation kustomize.toolkit.fluxcd.io/force: enabled to ${target ? `${target.kind} ${target.name}` : 'the object'} in Git, in the manifests of ${describeKustomization(graph, { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name })}, so Flux recreates it on immutable changes${target?.kind === 'Job' ? ' (the usual choice for Jobs)' : ''}`,
        ...changeInGit(
          graph,
          obj,
          `set spec.force: true on ${show(obj)} (recreates every object with an immutable change)`,
          { when: 'or' },
        ),
        ...(del ? titled('Or delete it once and let Flux recreate it', del) : []),
        ...(field && /selector/.test(field)
          ? [
              'If the selector change was not intended (e.g. a labels transformer), revert it: selectors must stay stable',
            ]
          : []),
        final,
      ],
    };
  },
};
