// kustomize.immutable-field: an applied change touches a field Kubernetes does not allow to change
// (Job template, Deployment/DaemonSet selector, Service clusterIP, immutable ConfigMap/Secret data,
// StatefulSet fields other than replicas/template/updateStrategy…). The object must be recreated.

import { changeInGit, describeKustomization, titled } from '../render/advice.js';
import { shq } from '../render/shell.js';
import { clip, detect, IMMUTABLE_PATTERNS, innermost, kubectlWord, nsFlag, ssaObjectOf } from './kustomize-common.js';
import type { Rule } from './types.js';
import { evidenceOf, reconcileCmd, show } from './util.js';

// fluxcd/pkg ssa: the dry-run returns the API server's Invalid error, wrapped as
//   "<Kind>/<ns>/<name> dry-run failed (Invalid): <Kind>.<group> "<name>" is invalid: <field>: Invalid value: …: field is immutable"
//   (older "dry-run failed, reason: Invalid: …" / "dry-run failed, reason: Invalid, error: …").
// With force enabled (spec.force or the kustomize.toolkit.fluxcd.io/force: enabled annotation) ssa deletes and
// recreates the object; if that fails: "<obj> immutable field detected, failed to delete object: <err>"
// or "... failed to wait for object to be deleted: <err>" (ssa/manager_apply.go).
// kustomize-controller: Ready=False ReconciliationFailed with the error.
const FIELD = /is invalid: ([\w.[\]-]+): (?:Invalid value|Forbidden)/;

export const rule: Rule = {
  meta: {
    code: 'kustomize.immutable-field',
    severity: 'error',
    title: 'An applied change touches an immutable field',
    kinds: ['Kustomization'],
    overrides: ['kustomize.validation-failed'],
    docs: {
      description:
        "The new revision changes a field that Kubernetes does not allow to change on an existing object: a Job's `spec.template`, the `spec.selector` of a Deployment/DaemonSet/StatefulSet, a Service's `clusterIP`, the data of a ConfigMap/Secret marked `immutable: true`, StatefulSet fields other than replicas/template/updateStrategy, or a field a CRD protects with CEL. The server-side dry-run fails, so nothing from the revision is applied. The object has to be deleted and recreated, which Flux does by itself when force is enabled for it.",
      detection:
        'Ready=False (reason `ReconciliationFailed`) whose message is a server-side apply error containing `field is immutable`, `immutable field`, `is immutable`, `may not change once set` or `updates to statefulset spec for fields other than …`, as written by fluxcd/pkg ssa: `<Kind>/<namespace>/<name> dry-run failed (Invalid): … field is immutable`. The object and the field are parsed from the message. When force is already on and recreating fails, the message is `<Kind>/<namespace>/<name> immutable field detected, failed to delete object: …`.',
      fix: [
        '- Let Flux recreate just this object: add the annotation `kustomize.toolkit.fluxcd.io/force: enabled` to it in Git (the usual choice for Jobs).',
        '- Or set `spec.force: true` on the Kustomization: every object with an immutable change is deleted and recreated (take care with stateful objects).',
        '- Or delete the object once by hand (`kubectl delete <kind> <name> -n <ns>`) and reconcile; Flux recreates it.',
        '- If the change was not intended (a selector label changed by a common label or a kustomize `labels`/`commonLabels` transformer), revert it instead: selectors must stay stable.',
      ].join('\n'),
      commands: [
        'kubectl get kustomization <name> -n <namespace> -o jsonpath={.status.conditions}',
        'kubectl get <kind> <object> -n <object-namespace> -o yaml',
        'flux reconcile kustomization <name> -n <namespace> --with-source',
      ],
      examples: [
        {
          message:
            'DaemonSet/jhub/eosfuse dry-run failed, reason: Invalid: DaemonSet.apps "eosfuse" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"eosfuse"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
          source: 'https://github.com/vre-hub/vre/pull/212',
        },
        {
          message:
            'Job/application/pre-deploy dry-run failed, reason: Invalid, error: Job.batch "pre-deploy" is invalid: spec.template: Invalid value: core.PodTemplateSpec{…}: field is immutable',
          source: 'https://github.com/fluxcd/flux2/issues/3032 (the Go struct dump shortened)',
        },
      ],
    },
  },
  check(obj, { graph }) {
    const d = detect(obj, graph, { patterns: IMMUTABLE_PATTERNS });
    if (!d) return undefined;
    const text = d.current[0]!.text;
    const target = ssaObjectOf(d.current);
    const targetText = target ? show(target) : 'an object';
    const field = /updates to statefulset spec/.test(text)
      ? 'spec (fields other than replicas, template, updateStrategy…)'
      : (FIELD.exec(text)?.[1] ?? /\b(spec\.[\w.[\]-]+): field is immutable/.exec(text)?.[1]);
    const forceOn = obj.spec?.force === true;
    const deleteFailed = /immutable field detected, failed to (?:delete object|wait for object to be deleted)/.test(
      text,
    );
    const del = target
      ? `kubectl delete ${shq(kubectlWord(target.kind))} ${shq(target.name)}${nsFlag(target)}`
      : undefined;
    const final = reconcileCmd(obj, true);

    if (deleteFailed) {
      return {
        summary: `${show(obj)} tried to recreate ${targetText} because of an immutable field change, but deleting it failed: ${clip(innermost(text), 200)}`,
        evidence: evidenceOf(d.all),
        fixTarget: target,
        remediation: [
          ...(target
            ? titled(
                'Find what blocks the deletion (finalizers, admission webhooks, permissions)',
                `kubectl get ${shq(kubectlWord(target.kind))} ${shq(target.name)}${nsFlag(target)} -o jsonpath={.metadata.finalizers}`,
              )
            : []),
          final,
        ],
      };
    }
    return {
      summary: `${show(obj)} cannot update ${targetText}: ${field ? `${field} is immutable` : 'the change touches an immutable field'}, so the object must be recreated${forceOn ? '' : ' (force is not enabled for it)'}`,
      evidence: evidenceOf(d.all),
      fixTarget: target,
      remediation: [
        `Add the annotation kustomize.toolkit.fluxcd.io/force: enabled to ${target ? `${target.kind} ${target.name}` : 'the object'} in Git, in the manifests of ${describeKustomization(graph, { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name })}, so Flux recreates it on immutable changes${target?.kind === 'Job' ? ' (the usual choice for Jobs)' : ''}`,
        ...changeInGit(
          graph,
          obj,
          `set spec.force: true on ${show(obj)} (recreates every object with an immutable change)`,
          {
            when: 'or',
          },
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
