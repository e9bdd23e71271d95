import { rule } from '../../src/rules/kustomize-validation-failed.js';
import { obj, ruleTester, status } from '../helpers.js';

// fluxcd/pkg ssa/errors/errors.go DryRunErr.Error():
//   fmt.Sprintf("%s dry-run failed%s: %s", utils.FmtUnstructured(obj), " (<Reason>)" or "", err)
//   fmt.Sprintf("%s not found: %s", ...) when the dry-run returns NotFound
// kustomize-controller internal/controller/kustomization_controller.go: apply error →
//   conditions.MarkFalse(obj, meta.ReadyCondition, meta.ReconciliationFailedReason, "%s", err)
//   where err = fmt.Errorf("%w\n%s", err, changeSetLog.String()) (hence the trailing newline).
const ks = (name: string, message: string, reason = 'ReconciliationFailed') =>
  obj('Kustomization', name, {
    spec: { path: './', sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    status: status(['False', reason, message]),
  });

const crd = (name: string, group: string, kind: string, versions: string[]) =>
  obj('CustomResourceDefinition', name, {
    spec: {
      group,
      names: { kind, plural: name.split('.')[0] },
      versions: versions.map((v) => ({ name: v, served: true })),
    },
    status: { conditions: [{ type: 'Established', status: 'True' }] },
  });

ruleTester(rule, {
  valid: [
    {
      name: 'ready Kustomization',
      objects: [
        obj('Kustomization', 'apps', { status: status(['True', 'ReconciliationSucceeded', 'Applied revision: x']) }),
      ],
    },
    {
      name: 'RBAC denial in the dry-run (kustomize.rbac-forbidden)',
      source: 'https://github.com/fluxcd/flux2-multi-tenancy/issues/69',
      objects: [
        ks(
          'tenants',
          'Namespace/apps dry-run failed, reason: Forbidden, error: namespaces "apps" is forbidden: User "system:serviceaccount:flux-system:default" cannot patch resource "namespaces" in API group "" in the namespace "apps"',
        ),
      ],
    },
    {
      name: 'immutable selector (kustomize.immutable-field)',
      source: 'https://github.com/vre-hub/vre/pull/212',
      objects: [
        ks(
          'flux-system',
          'DaemonSet/jhub/eosfuse dry-run failed, reason: Invalid: DaemonSet.apps "eosfuse" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"eosfuse"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
        ),
      ],
    },
    {
      name: 'health check timeout (kustomize.health-check-failed)',
      source: 'fluxcd/pkg ssa/manager_wait.go',
      objects: [ks('apps', "timeout waiting for: [Deployment/apps/web status: 'InProgress']", 'HealthCheckFailed')],
    },
  ],
  invalid: [
    {
      name: 'unknown kind: CRD not installed yet',
      source: 'https://github.com/fluxcd/flux2-kustomize-helm-example/issues/125',
      objects: [
        ks(
          'flux-system',
          'ArtifactGenerator/flux-system/flux-system dry-run failed: no matches for kind "ArtifactGenerator" in version "source.extensions.fluxcd.io/v1beta1"\n',
        ),
        crd('gitrepositories.source.toolkit.fluxcd.io', 'source.toolkit.fluxcd.io', 'GitRepository', ['v1']),
      ],
      expect: [
        {
          cause: 'kind-not-registered',
          data: { kind: 'ArtifactGenerator', version: 'source.extensions.fluxcd.io/v1beta1' },
          summary:
            'Kustomization flux-system/flux-system cannot apply ArtifactGenerator flux-system/flux-system: the API server rejected it in the server-side dry-run — kind ArtifactGenerator (source.extensions.fluxcd.io/v1beta1) is unknown to the API server: its CustomResourceDefinition is not installed. Nothing from this revision is applied',
          fixTarget: { kind: 'ArtifactGenerator', namespace: 'flux-system', name: 'flux-system' },
          remediation: [/spec.dependsOn/, /kubectl api-resources --api-group=source.extensions.fluxcd.io/],
        },
      ],
    },
    {
      name: 'wrong API version: CRD serves another version',
      source: 'https://github.com/fluxcd/flux2/issues/3874 (dry-run failed, error: no matches for kind ...)',
      objects: [
        ks(
          'capi',
          'ClusterClass/default/quick-start dry-run failed, error: no matches for kind "ClusterClass" in version "cluster.x-k8s.io/v1beta1"',
        ),
        crd('clusterclasses.cluster.x-k8s.io', 'cluster.x-k8s.io', 'ClusterClass', ['v1beta2']),
      ],
      expect: [
        {
          cause: 'kind-not-registered',
          summary:
            /API version cluster.x-k8s.io\/v1beta1 of ClusterClass is not served: CustomResourceDefinition clusterclasses.cluster.x-k8s.io serves v1beta2/,
          remediation: [/cluster.x-k8s.io\/v1beta2/],
        },
      ],
    },
    {
      name: 'admission rejects a Pod (non-RBAC Forbidden)',
      source: 'https://github.com/fluxcd/kustomize-controller/issues/531',
      objects: [
        ks(
          'kube-prometheus',
          'Pod/monitoring/kube-prometheus-grafana-test dry-run failed, reason: Forbidden, error: pods "kube-prometheus-grafana-test" is forbidden: error looking up service account monitoring/kube-prometheus-grafana-test: serviceaccount "kube-prometheus-grafana-test" not found',
        ),
      ],
      expect: [
        {
          cause: 'dry-run-rejected',
          summary: /cannot apply Pod monitoring\/kube-prometheus-grafana-test: the API server rejected it/,
          fixTarget: { kind: 'Pod', namespace: 'monitoring', name: 'kube-prometheus-grafana-test' },
          evidence: [/error looking up service account/],
        },
      ],
    },
    {
      name: 'target namespace does not exist',
      source:
        'fluxcd/pkg ssa/errors/errors.go ("%s not found: %s"); format tested in fluxcd/kustomize-controller internal/controller/kustomization_rbac_test.go',
      objects: [ks('podinfo', 'Deployment/podinfo/podinfo not found: namespaces "podinfo" not found\n')],
      expect: [
        {
          cause: 'namespace-missing',
          data: { namespace: 'podinfo' },
          summary: /namespace podinfo does not exist/,
          remediation: [/Namespace manifest for podinfo/],
        },
      ],
    },
    {
      name: 'RoleBinding refers to a Role that does not exist yet',
      source:
        'fluxcd/kustomize-controller internal/controller/kustomization_rbac_test.go ("RoleBinding/%[1]s/%[1]s-rolebinding not found: rolebindings.rbac.authorization.k8s.io %q not found")',
      objects: [
        ks(
          'tenant',
          'RoleBinding/tenant-a/tenant-a-rolebinding not found: rolebindings.rbac.authorization.k8s.io "tenant-a-role" not found\n',
        ),
      ],
      expect: [
        {
          cause: 'referenced-object-missing',
          summary:
            /cannot apply RoleBinding tenant-a\/tenant-a-rolebinding: .*something it refers to does not exist \(rolebindings.rbac.authorization.k8s.io "tenant-a-role" not found\)/,
          fixTarget: { kind: 'RoleBinding', namespace: 'tenant-a', name: 'tenant-a-rolebinding' },
        },
      ],
    },
    {
      name: 'v1beta1: kubectl-era validation, CRD not installed (kustomize-controller v0.1–v0.14)',
      source:
        'kustomize-controller v0.14 controllers/kustomization_controller.go "validation failed: %s" with kubectl\'s "unable to recognize" (Ready=False ValidationFailed)',
      objects: [
        {
          ...ks(
            'monitoring',
            'validation failed: error: unable to recognize "8117172a-dd83-422a-9a54-1db02f6a0601.yaml": no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v1"',
            'ValidationFailed',
          ),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [
        {
          cause: 'kind-not-registered',
          data: { kind: 'ServiceMonitor', version: 'monitoring.coreos.com/v1' },
          summary: /kind ServiceMonitor \(monitoring.coreos.com\/v1\) is unknown to the API server/,
          remediation: [/spec.dependsOn/],
        },
      ],
    },
    {
      name: 'v1beta1: kubectl-era validation output the catalogue reads only by its wrapper',
      source: 'https://github.com/fluxcd/kustomize-controller/issues/244 (v0.6, kubectl output in the message)',
      objects: [
        {
          ...ks(
            'apps',
            'validation failed: error: error validating "a1b2.yaml": error validating data: ValidationError(Deployment.spec): unknown field "replica" in io.k8s.api.apps.v1.DeploymentSpec',
            'ValidationFailed',
          ),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [{ cause: 'kubectl-rejected', summary: /field replica does not exist in the schema/ }],
    },
    {
      name: 'v1beta1: the ValidationFailed reason alone (message cut)',
      objects: [
        {
          ...ks('apps', 'validati', 'ValidationFailed'),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [{ cause: 'validation-error', summary: /cannot apply an object: the API server rejected it/ }],
    },
    {
      name: 'v1beta2: ssa < v0.31 ", error:" wording, a missing namespace',
      source: 'github.com/fluxcd/pkg/ssa@v0.28.2 manager_diff.go "%s dry-run failed, reason: %s, error: %w"',
      objects: [
        {
          ...ks(
            'monitoring',
            'ConfigMap/monitoring/dashboards dry-run failed, reason: NotFound, error: namespaces "monitoring" not found',
          ),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
        },
      ],
      expect: [
        {
          cause: 'namespace-missing',
          data: { namespace: 'monitoring', target: 'ConfigMap monitoring/dashboards' },
          summary: /— namespace monitoring does not exist\./,
          fixTarget: { kind: 'ConfigMap', namespace: 'monitoring', name: 'dashboards' },
        },
      ],
    },
    {
      name: 'an admission webhook denies the object (escaped quotes as in an event)',
      source:
        'k8s.io/apiserver pkg/admission/plugin/webhook/errors/statuserror.go "admission webhook %q denied the request: %s" through ssa DryRunErr',
      objects: [
        ks(
          'apps',
          'Pod/apps/debug dry-run failed (Forbidden): admission webhook \\"validation.gatekeeper.sh\\" denied the request: [psp-privileged] Privileged container is not allowed',
        ),
      ],
      expect: [
        {
          cause: 'admission-denied',
          data: { webhook: 'validation.gatekeeper.sh' },
          summary:
            /— admission webhook validation.gatekeeper.sh denied it: \[psp-privileged\] Privileged container is not allowed\. Nothing/,
          remediation: [/policy enforced by webhook validation.gatekeeper.sh/],
        },
      ],
    },
  ],
});
