import { rule } from '../../src/rules/kustomize-rbac-forbidden.js';
import { event, obj, ruleTester, status } from '../helpers.js';

// Kustomization: fluxcd/pkg ssa/errors/errors.go DryRunErr ("%s dry-run failed%s: %s", older
// "%s dry-run failed, reason: %s, error: %s") → kustomize-controller Ready=False ReconciliationFailed.
// HelmRelease: helm-controller internal/reconcile/install.go
//   fmtInstallFailure = "Helm install failed for release %s/%s with chart %s@%s: %s"
// wrapping Helm's pkg/action/validate.go existingResourceConflict:
//   errors.Wrapf(err, "could not get information about the resource %s", resourceString(info))
// and install.go errors.Wrap(err, "Unable to continue with install"). The denial text is the
// Kubernetes RBAC authorizer's.
const MULTI_TENANCY =
  'Namespace/apps dry-run failed, reason: Forbidden, error: namespaces "apps" is forbidden: User "system:serviceaccount:flux-system:default" cannot patch resource "namespaces" in API group "" in the namespace "apps"';

ruleTester(rule, {
  valid: [
    {
      name: 'ready Kustomization with serviceAccountName',
      objects: [
        obj('Kustomization', 'apps/apps', {
          spec: { serviceAccountName: 'flux' },
          status: status(['True', 'ReconciliationSucceeded', 'Applied revision: main@sha1:01234567']),
        }),
      ],
    },
    {
      name: 'Forbidden from admission, not RBAC (kustomize.validation-failed)',
      source: 'https://github.com/fluxcd/kustomize-controller/issues/531',
      objects: [
        obj('Kustomization', 'kube-prometheus', {
          status: status([
            'False',
            'ReconciliationFailed',
            'Pod/monitoring/kube-prometheus-grafana-test dry-run failed, reason: Forbidden, error: pods "kube-prometheus-grafana-test" is forbidden: error looking up service account monitoring/kube-prometheus-grafana-test: serviceaccount "kube-prometheus-grafana-test" not found',
          ]),
        }),
      ],
    },
    {
      name: 'old forbidden Warning event on a Kustomization that is Ready now',
      source: 'https://github.com/fluxcd/flux2-multi-tenancy/issues/69',
      objects: [
        obj('Kustomization', 'tenants', {
          status: status(['True', 'ReconciliationSucceeded', 'Applied revision: main@sha1:01234567']),
        }),
        event(
          { kind: 'Kustomization', namespace: 'flux-system', name: 'tenants' },
          'ReconciliationFailed',
          MULTI_TENANCY,
        ),
      ],
    },
  ],
  invalid: [
    {
      name: 'default service account may not patch a namespace (multi-tenancy)',
      source: 'https://github.com/fluxcd/flux2-multi-tenancy/issues/69',
      objects: [
        obj('Kustomization', 'tenants', {
          spec: { path: './tenants/staging', sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
          status: status(['False', 'ReconciliationFailed', MULTI_TENANCY]),
        }),
        obj('ServiceAccount', 'default'),
      ],
      expect: [
        {
          object: 'Kustomization/flux-system/tenants',
          cause: 'rbac-denied',
          data: {
            user: 'system:serviceaccount:flux-system:default',
            verb: 'patch',
            resource: 'namespaces',
            namespace: 'apps',
          },
          summary:
            'Kustomization flux-system/tenants is forbidden to patch namespaces in namespace apps (Namespace apps): ServiceAccount flux-system/default (impersonated: set by the controller flag --default-service-account or spec.serviceAccountName) lacks that permission',
          fixTarget: { kind: 'ServiceAccount', namespace: 'flux-system', name: 'default' },
          evidence: [/cannot patch resource "namespaces"/],
          remediation: [
            /kubectl create rolebinding default-namespaces -n apps --role=default-namespaces --serviceaccount=flux-system:default/,
            /kubectl auth can-i patch namespaces -n apps --as=system:serviceaccount:flux-system:default/,
            /flux reconcile kustomization tenants -n flux-system/,
          ],
        },
      ],
    },
    {
      name: 'tenant service account missing, cluster-scoped kind (current ssa format)',
      source:
        'fluxcd/pkg ssa/errors/errors.go DryRunErr ("%s dry-run failed%s: %s" with " (Forbidden)"); authorizer text as in https://github.com/fluxcd/flux2-multi-tenancy/issues/69',
      objects: [
        obj('Kustomization', 'team-a/apps', {
          spec: {
            serviceAccountName: 'team-a-reconciler',
            path: './',
            sourceRef: { kind: 'GitRepository', name: 'team-a' },
          },
          status: status([
            'False',
            'ReconciliationFailed',
            'ClusterRole/team-a-view dry-run failed (Forbidden): clusterroles.rbac.authorization.k8s.io "team-a-view" is forbidden: User "system:serviceaccount:team-a:team-a-reconciler" cannot patch resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope\n',
          ]),
        }),
        obj('ServiceAccount', 'team-a/default'),
      ],
      expect: [
        {
          cause: 'service-account-missing',
          data: { verb: 'patch', resource: 'clusterroles.rbac.authorization.k8s.io' },
          summary:
            /forbidden to patch clusterroles.rbac.authorization.k8s.io at the cluster scope \(ClusterRole team-a-view\): ServiceAccount team-a\/team-a-reconciler \(impersonated through spec.serviceAccountName\) lacks that permission, and the ServiceAccount does not exist/,
          fixTarget: { kind: 'ServiceAccount', namespace: 'team-a', name: 'team-a-reconciler' },
          remediation: [
            /kubectl create serviceaccount team-a-reconciler -n team-a/,
            /kubectl create clusterrolebinding/,
            /--all-namespaces --as=system:serviceaccount:team-a:team-a-reconciler/,
          ],
        },
      ],
    },
    {
      name: 'HelmRelease install denied to the impersonated account',
      source:
        'fluxcd/helm-controller internal/reconcile/install.go fmtInstallFailure + helm pkg/action/validate.go existingResourceConflict',
      objects: [
        obj('HelmRelease', 'apps/podinfo', {
          spec: {
            serviceAccountName: 'helm-deployer',
            chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } },
          },
          status: status([
            'False',
            'InstallFailed',
            'Helm install failed for release apps/podinfo with chart podinfo@6.5.4: Unable to continue with install: could not get information about the resource ServiceAccount "podinfo" in namespace "apps": serviceaccounts "podinfo" is forbidden: User "system:serviceaccount:apps:helm-deployer" cannot get resource "serviceaccounts" in API group "" in the namespace "apps"',
          ]),
        }),
      ],
      expect: [
        {
          object: 'HelmRelease/apps/podinfo',
          cause: 'rbac-denied',
          data: { verb: 'get', resource: 'serviceaccounts' },
          summary:
            /HelmRelease apps\/podinfo is forbidden to get serviceaccounts in namespace apps: ServiceAccount apps\/helm-deployer/,
          fixTarget: { kind: 'ServiceAccount', namespace: 'apps', name: 'helm-deployer' },
          remediation: [/flux reconcile helmrelease podinfo -n apps/],
        },
      ],
    },
    {
      name: 'v1beta1: kubectl-era apply denied (kustomize-controller v0.1–v0.14)',
      source:
        'kustomize-controller v0.14 controllers/kustomization_controller.go "apply failed: %s" with kubectl\'s "Error from server (Forbidden)"',
      objects: [
        {
          ...obj('Kustomization', 'apps/apps', {
            spec: { serviceAccountName: 'reconciler', path: './', sourceRef: { kind: 'GitRepository', name: 'apps' } },
            status: status([
              'False',
              'ReconciliationFailed',
              'apply failed: Error from server (Forbidden): error when creating "8117172a.yaml": namespaces is forbidden: User "system:serviceaccount:apps:reconciler" cannot create resource "namespaces" in API group "" at the cluster scope',
            ]),
          }),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1',
        },
        obj('ServiceAccount', 'apps/reconciler'),
      ],
      expect: [
        {
          cause: 'rbac-denied',
          data: { verb: 'create', resource: 'namespaces', scope: 'at the cluster scope' },
          fixTarget: { kind: 'ServiceAccount', namespace: 'apps', name: 'reconciler' },
        },
      ],
    },
    {
      name: 'v1beta1: garbage collection denied (v0.5, escaped quotes as in a log)',
      source: 'https://github.com/fluxcd/kustomize-controller/issues/217',
      objects: [
        {
          ...obj('Kustomization', 'kafka', {
            status: status([
              'False',
              'PruneFailed',
              'gc query failed for DestinationRule: destinationrules.networking.istio.io is forbidden: User \\"system:serviceaccount:flux-system:flux-deployer\\" cannot list resource \\"destinationrules\\" in API group \\"networking.istio.io\\" in the namespace \\"kafka\\"',
            ]),
          }),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [
        {
          cause: 'rbac-denied',
          data: { verb: 'list', resource: 'destinationrules.networking.istio.io', namespace: 'kafka' },
          fixTarget: { kind: 'ServiceAccount', namespace: 'flux-system', name: 'flux-deployer' },
        },
      ],
    },
    {
      name: 'RBAC escalation: the account grants what it does not hold',
      source: 'k8s.io/kubernetes pkg/registry/rbac/validation/rule.go ConfirmNoEscalation, wrapped by ssa < v0.31',
      objects: [
        obj('Kustomization', 'tenant-a/apps', {
          spec: { serviceAccountName: 'reconciler' },
          status: status([
            'False',
            'ReconciliationFailed',
            'ClusterRole/tenant-admin dry-run failed, reason: Forbidden, error: clusterroles.rbac.authorization.k8s.io "tenant-admin" is forbidden: user "system:serviceaccount:tenant-a:reconciler" (groups=["system:serviceaccounts" "system:serviceaccounts:tenant-a" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:["*"], Resources:["*"], Verbs:["*"]}',
          ]),
        }),
        obj('ServiceAccount', 'tenant-a/reconciler'),
      ],
      expect: [
        {
          cause: 'rbac-escalation',
          summary:
            'Kustomization tenant-a/apps may not create RBAC objects (ClusterRole tenant-admin): ServiceAccount tenant-a/reconciler (impersonated through spec.serviceAccountName) is trying to grant permissions it does not hold itself',
        },
      ],
    },
    {
      name: 'impersonation failed: the ServiceAccount does not exist',
      source:
        'kustomize-controller v0.14 controllers/kustomization_controller.go "service account impersonation failed: %w"',
      objects: [
        obj('Kustomization', 'apps/apps', {
          spec: { serviceAccountName: 'reconciler' },
          status: status([
            'False',
            'ReconciliationFailed',
            'service account impersonation failed: serviceaccounts "reconciler" not found',
          ]),
        }),
      ],
      expect: [
        {
          cause: 'impersonation-failed',
          summary:
            'Kustomization apps/apps cannot act as ServiceAccount apps/reconciler (impersonated through spec.serviceAccountName): serviceaccounts "reconciler" not found',
          fixTarget: { kind: 'ServiceAccount', namespace: 'apps', name: 'reconciler' },
        },
      ],
    },
  ],
});
