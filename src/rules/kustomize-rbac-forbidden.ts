// kustomize.rbac-forbidden: the account kustomize-controller or helm-controller acts as (the
// controller's own, or the one impersonated through spec.serviceAccountName / --default-service-account)
// is not allowed to apply or prune an object. The Kustomization/HelmRelease is the root cause; the
// ServiceAccount whose permissions must grow is the fix target.

import { titled } from '../render/advice.js';
import { shq } from '../render/shell.js';
import type { ObjRef } from '../types.js';
import { detect, knownMissing, RBAC_DENIED, ssaObjectOf } from './kustomize-common.js';
import type { Rule } from './types.js';
import { evidenceOf, reconcileCmd, show } from './util.js';

// The denial text is the Kubernetes RBAC authorizer's; it reaches the condition through:
//   kustomize-controller: fluxcd/pkg ssa DryRunErr "<Kind>/<ns>/<name> dry-run failed (Forbidden): <err>" → Ready=False ReconciliationFailed
//     (older "dry-run failed, reason: Forbidden, error: <err>"), prune: "delete failed, errors: <obj> delete failed: <err>" → PruneFailed
//   helm-controller internal/reconcile/install.go / upgrade.go: "Helm install failed for release <ns>/<name> with chart <c>@<v>: <err>"
//     → Ready=False InstallFailed / UpgradeFailed (Released=False)
export const rule: Rule = {
  meta: {
    code: 'kustomize.rbac-forbidden',
    severity: 'error',
    title: 'The service account may not apply or prune an object',
    kinds: ['Kustomization', 'HelmRelease'],
    overrides: ['kustomize.validation-failed', 'helm.install-failed', 'helm.upgrade-failed'],
    docs: {
      description:
        'The API server denied an apply, dry-run or delete because the account the controller acts as lacks an RBAC permission. With `spec.serviceAccountName` (or the controller flag `--default-service-account`, common in multi-tenant setups) kustomize-controller and helm-controller impersonate that ServiceAccount, so it needs a Role/RoleBinding (or ClusterRole/ClusterRoleBinding) for every kind the Kustomization or chart contains. The Kustomization or HelmRelease is the root cause; the ServiceAccount named in the denial is what must be changed.',
      detection:
        'A failing condition (Ready=False with `ReconciliationFailed`, `PruneFailed`, `InstallFailed`, `UpgradeFailed`…) whose message contains the RBAC authorizer\'s text `<resource> "<name>" is forbidden: User "system:serviceaccount:<ns>:<sa>" cannot <verb> resource "<resource>" in API group "<group>" in the namespace "<ns>"` (or `at the cluster scope`), or an RBAC escalation denial `is attempting to grant RBAC permissions not currently held`. Other `Forbidden` errors (PodSecurity, quota, missing ServiceAccount of a Pod) are `kustomize.validation-failed`. The user, verb, resource, group and namespace are parsed from the message; the ServiceAccount is looked up in the graph.',
      fix: [
        '- Grant the ServiceAccount the missing permission with a Role + RoleBinding in the target namespace (or ClusterRole + ClusterRoleBinding for cluster-scoped kinds), declared in Git next to the tenant.',
        '- Quick fix: `kubectl create rolebinding <sa>-admin -n <ns> --clusterrole=admin --serviceaccount=<sa-ns>:<sa>`.',
        '- For `attempting to grant RBAC permissions not currently held`, the account must itself hold the permissions it grants (or have `escalate`/`bind` on roles).',
        '- Confirm with `kubectl auth can-i <verb> <resource> -n <ns> --as=system:serviceaccount:<sa-ns>:<sa>`, then reconcile.',
      ].join('\n'),
      commands: [
        'kubectl auth can-i <verb> <resource>.<group> -n <namespace> --as=system:serviceaccount:<sa-namespace>:<sa>',
        'kubectl auth can-i --list -n <namespace> --as=system:serviceaccount:<sa-namespace>:<sa>',
        'kubectl get rolebindings,clusterrolebindings -A -o wide | grep <sa>',
        'flux reconcile kustomization <name> -n <namespace>',
      ],
      examples: [
        {
          message:
            'Namespace/apps dry-run failed, reason: Forbidden, error: namespaces "apps" is forbidden: User "system:serviceaccount:flux-system:default" cannot patch resource "namespaces" in API group "" in the namespace "apps"',
          source: 'https://github.com/fluxcd/flux2-multi-tenancy/issues/69',
        },
        {
          message: 'Ready=False ReconciliationFailed containing "system:serviceaccount:<ns>:default"',
          source:
            'fluxcd/kustomize-controller internal/controller/kustomization_impersonation_test.go ("fails to reconcile impersonating the default service account")',
        },
      ],
    },
  },
  check(obj, { graph }) {
    const d = detect(obj, graph, { patterns: [RBAC_DENIED] });
    if (!d) return undefined;
    const text = d.current[0]!.text;
    const m = RBAC_DENIED.exec(text)!;
    const [, user, verb, resource, group, namespace] = m;
    const escalation = /is attempting to grant RBAC permissions not currently held/.test(m[0]);
    const ns = obj.metadata.namespace;
    const sa: ObjRef | undefined = (() => {
      const sam = /^system:serviceaccount:([^:]+):(.+)$/.exec(user ?? '');
      if (sam) return { kind: 'ServiceAccount', namespace: sam[1], name: sam[2]! };
      if (typeof obj.spec?.serviceAccountName === 'string' && obj.spec.serviceAccountName)
        return { kind: 'ServiceAccount', namespace: ns, name: obj.spec.serviceAccountName };
      return undefined;
    })();
    const how =
      sa && obj.spec?.serviceAccountName === sa.name && sa.namespace === ns
        ? ' (impersonated through spec.serviceAccountName)'
        : sa && /^(kustomize|helm)-controller$/.test(sa.name)
          ? " (the controller's own account)"
          : sa
            ? ' (impersonated: set by the controller flag --default-service-account or spec.serviceAccountName)'
            : '';
    const who = sa ? `ServiceAccount ${sa.namespace}/${sa.name}${how}` : `user ${user}`;
    const saMissing = sa ? knownMissing(graph, sa) : false;
    const res = resource ? `${resource}${group ? `.${group}` : ''}` : undefined;
    const scope = namespace ? `in namespace ${namespace}` : 'at the cluster scope';
    const target = ssaObjectOf(d.current);
    const subject = sa ? `--serviceaccount=${shq(`${sa.namespace}:${sa.name}`)}` : `--user=${shq(user)}`;
    const asFlag = sa ? `--as=${shq(`system:serviceaccount:${sa.namespace}:${sa.name}`)}` : `--as=${shq(user)}`;
    const bindName = shq(sa ? `${sa.name}-${(resource ?? 'reconciler').split('/')[0]}` : 'flux-reconciler');

    const summary = escalation
      ? `${show(obj)} may not create RBAC objects${target ? ` (${show(target)})` : ''}: ${who} is trying to grant permissions it does not hold itself`
      : `${show(obj)} is forbidden to ${verb} ${res ?? 'an object'} ${scope}${target ? ` (${show(target)})` : ''}: ${who} lacks that permission${saMissing ? ', and the ServiceAccount does not exist' : ''}`;

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

    return {
      summary,
      evidence: evidenceOf(d.all),
      fixTarget: sa,
      remediation: [
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
      ],
    };
  },
};
