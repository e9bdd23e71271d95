// kustomize.rbac-forbidden: the account kustomize-controller or helm-controller acts as (the
// controller's own, or the one impersonated through spec.serviceAccountName / --default-service-account)
// is not allowed to apply or prune an object. The Kustomization/HelmRelease is the root cause; the
// ServiceAccount whose permissions must grow is the fix target.

import { titled } from '../render/advice.js';
import { shq } from '../render/shell.js';
import { isFailing, knownMissing, signalFor, ssaObject } from '../signals/index.js';
import type { K8sObject, ObjRef } from '../types.js';
import type { FindingData, Rule } from './types.js';
import { evidenceOf, reconcileCmd, show } from './util.js';

// The denial text is the Kubernetes RBAC authorizer's; it reaches the condition through fluxcd/pkg/ssa's
// dry-run, apply and delete errors (kustomize-controller, Ready=False ReconciliationFailed / PruneFailed),
// kubectl-era "apply failed: Error from server (Forbidden): …" (v0.1–v0.14), and helm-controller's install
// and upgrade failures. The patterns live in src/signals/patterns/ssa.ts (ssa/rbac-forbidden,
// ssa/rbac-escalation) and src/signals/patterns/kustomize-controller.ts (impersonation-failed, gc-forbidden).

/** The account the denial names, or the one the object impersonates. */
function accountOf(obj: K8sObject, user: string | undefined): ObjRef | undefined {
  const sam = /^system:serviceaccount:([^:]+):(.+)$/.exec(user ?? '');
  if (sam) return { kind: 'ServiceAccount', namespace: sam[1], name: sam[2]! };
  const name = obj.spec?.serviceAccountName;
  return typeof name === 'string' && name
    ? { kind: 'ServiceAccount', namespace: obj.metadata.namespace, name }
    : undefined;
}

export const rule: Rule = {
  meta: {
    code: 'kustomize.rbac-forbidden',
    severity: 'error',
    title: 'The service account may not apply or prune an object',
    kinds: ['Kustomization', 'HelmRelease'],
    overrides: ['kustomize.validation-failed', 'helm.install-failed', 'helm.upgrade-failed'],
    messages: {
      'rbac-denied': {
        summary: '{object} is forbidden to {verb} {resource} {scope}: {who} lacks that permission',
      },
      'service-account-missing': {
        summary:
          '{object} is forbidden to {verb} {resource} {scope}: {who} lacks that permission, and the ServiceAccount does not exist',
      },
      'rbac-escalation': {
        summary:
          '{object} may not create RBAC objects{target}: {who} is trying to grant permissions it does not hold itself',
      },
      'impersonation-failed': {
        summary: '{object} cannot act as {who}: {error}',
      },
    },
  },
  check(obj, { graph }) {
    if (!isFailing(obj, graph)) return undefined;
    const c = signalFor(obj, graph, rule.meta.code);
    if (!c) return undefined;
    const evidence = evidenceOf(c.signals);
    const { user, verb, resource, group, namespace } = c.data;
    const ns = obj.metadata.namespace;
    const sa = accountOf(obj, user);
    const how =
      sa && obj.spec?.serviceAccountName === sa.name && sa.namespace === ns
        ? ' (impersonated through spec.serviceAccountName)'
        : sa && /^(kustomize|helm)-controller$/.test(sa.name)
          ? " (the controller's own account)"
          : sa
            ? ' (impersonated: set by the controller flag --default-service-account or spec.serviceAccountName)'
            : '';
    const who = sa
      ? `ServiceAccount ${sa.namespace}/${sa.name}${how}`
      : user
        ? `user ${user}`
        : 'the account it acts as';
    const saMissing = sa ? knownMissing(graph, sa) : false;
    const target = ssaObject(c.signal.text);
    const base: FindingData = { object: show(obj), who, target: target ? ` (${show(target)})` : '' };

    if (c.cause === 'impersonation-failed') {
      const error = /(?:service account impersonation failed: )?([^\n]+)$/.exec(c.signal.text)?.[1] ?? c.signal.text;
      return {
        cause: c.cause,
        data: { ...base, error },
        evidence,
        fixTarget: sa,
        remediation: [
          ...(sa
            ? titled(
                `Create ServiceAccount ${sa.namespace}/${sa.name} (in Git next to the tenant), or fix spec.serviceAccountName`,
                `kubectl create serviceaccount ${shq(sa.name)} -n ${shq(sa.namespace ?? '')} --dry-run=client -o yaml`,
              )
            : [`Check spec.serviceAccountName of ${show(obj)} and the controller flag --default-service-account`]),
          reconcileCmd(obj),
        ],
      };
    }

    const escalation = c.cause === 'rbac-escalation';
    const res = resource ? `${resource}${group ? `.${group}` : ''}` : undefined;
    const subject = sa ? `--serviceaccount=${shq(`${sa.namespace}:${sa.name}`)}` : `--user=${shq(user ?? '')}`;
    const asFlag = sa ? `--as=${shq(`system:serviceaccount:${sa.namespace}:${sa.name}`)}` : `--as=${shq(user ?? '')}`;
    const bindName = shq(sa ? `${sa.name}-${(resource ?? 'reconciler').split('/')[0]}` : 'flux-reconciler');
    // Generated with --dry-run=client -o yaml: the RBAC objects belong in Git next to the tenant.
    const yaml = '--dry-run=client -o yaml';
    const grant = escalation
      ? [
          `Give ${who} every permission the Role/ClusterRole it applies grants (or the escalate and bind verbs on roles), declared in Git; for example (narrow this down for tenants), generate a binding to commit:`,
          `kubectl create clusterrolebinding ${bindName} --clusterrole=cluster-admin ${subject} ${yaml}`,
        ]
      : namespace
        ? [
            `Grant it with a Role and RoleBinding in namespace ${namespace}, declared in Git next to the tenant; generate them to commit:`,
            `kubectl create role ${bindName} -n ${shq(namespace)} --verb=get,list,watch,create,update,patch,delete --resource=${shq(res ?? '')} ${yaml}`,
            `kubectl create rolebinding ${bindName} -n ${shq(namespace)} --role=${bindName} ${subject} ${yaml}`,
          ]
        : [
            'Grant it with a ClusterRole and ClusterRoleBinding, declared in Git; generate them to commit:',
            `kubectl create clusterrole ${bindName} --verb=get,list,watch,create,update,patch,delete --resource=${shq(res ?? '')} ${yaml}`,
            `kubectl create clusterrolebinding ${bindName} --clusterrole=${bindName} ${subject} ${yaml}`,
          ];
    const remediation = [
      ...(saMissing && sa
        ? titled(
            'Create the ServiceAccount (in Git next to the tenant, or in place)',
            `kubectl create serviceaccount ${shq(sa.name)} -n ${shq(sa.namespace ?? '')}`,
          )
        : []),
      ...grant,
      ...(escalation || !verb
        ? titled(
            'Check what it may do',
            `kubectl auth can-i --list ${namespace ? `-n ${shq(namespace)} ` : ''}${asFlag}`,
          )
        : titled(
            'Confirm it may now',
            `kubectl auth can-i ${shq(verb)} ${shq(res ?? '')} ${namespace ? `-n ${shq(namespace)}` : '--all-namespaces'} ${asFlag}`,
          )),
      reconcileCmd(obj),
    ];
    if (escalation)
      return {
        cause: c.cause,
        data: { ...base, what: target ? show(target) : 'a Role or binding' },
        evidence,
        fixTarget: sa,
        remediation,
      };
    const scope = `${namespace ? `in namespace ${namespace}` : 'at the cluster scope'}${base.target}`;
    return {
      cause: saMissing ? 'service-account-missing' : 'rbac-denied',
      data: { ...base, verb: verb ?? 'change', resource: res ?? 'an object', scope, group, namespace, user },
      evidence,
      fixTarget: sa,
      remediation,
    };
  },
};
