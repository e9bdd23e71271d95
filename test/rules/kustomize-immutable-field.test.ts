import { rule } from '../../src/rules/kustomize-immutable-field.js';
import { obj, ruleTester, status } from '../helpers.js';

// fluxcd/pkg ssa/errors/errors.go DryRunErr: "%s dry-run failed%s: %s" (older: "%s dry-run failed, reason: %s, error: %s"
// and, earlier still, "dry-run failed, reason: Invalid: ..."); ssa/manager_apply.go:
// "%s immutable field detected, failed to delete object: %w". kustomize-controller sets Ready=False
// ReconciliationFailed with the error; internal/controller/kustomization_force_test.go expects the
// Warning event to contain "field is immutable".
const ks = (name: string, message: string, spec: Record<string, unknown> = {}) =>
  obj('Kustomization', name, {
    spec: { path: './', sourceRef: { kind: 'GitRepository', name: 'flux-system' }, ...spec },
    status: status(['False', 'ReconciliationFailed', message]),
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
      name: 'invalid field that is not about immutability (kustomize.validation-failed)',
      source:
        "fluxcd/pkg ssa/errors/errors.go DryRunErr format with the API server's field validation text (spec.template.spec.containers[0].image: Required value)",
      objects: [
        ks(
          'apps',
          'Deployment/apps/web dry-run failed (Invalid): Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value',
        ),
      ],
    },
    {
      name: 'RBAC denial (kustomize.rbac-forbidden)',
      source: 'https://github.com/fluxcd/flux2-multi-tenancy/issues/69',
      objects: [
        ks(
          'tenants',
          'Namespace/apps dry-run failed, reason: Forbidden, error: namespaces "apps" is forbidden: User "system:serviceaccount:flux-system:default" cannot patch resource "namespaces" in API group "" in the namespace "apps"',
        ),
      ],
    },
  ],
  invalid: [
    {
      name: 'DaemonSet selector changed',
      source: 'https://github.com/vre-hub/vre/pull/212',
      objects: [
        ks(
          'flux-system',
          'DaemonSet/jhub/eosfuse dry-run failed, reason: Invalid: DaemonSet.apps "eosfuse" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"eosfuse"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
        ),
      ],
      expect: [
        {
          cause: 'immutable-field',
          data: { target: 'DaemonSet jhub/eosfuse', field: 'spec.selector' },
          summary:
            'Kustomization flux-system/flux-system cannot update DaemonSet jhub/eosfuse: spec.selector is immutable, so the object must be recreated (force is not enabled for it)',
          fixTarget: { kind: 'DaemonSet', namespace: 'jhub', name: 'eosfuse' },
          evidence: [/field is immutable/],
          remediation: [
            /kustomize.toolkit.fluxcd.io\/force: enabled to DaemonSet eosfuse/,
            /spec.force: true/,
            /kubectl delete daemonset eosfuse -n jhub/,
            /revert it/,
          ],
        },
      ],
    },
    {
      name: 'Job template changed (current ssa format)',
      source:
        'https://github.com/fluxcd/flux2/issues/3032 (Job.batch "pre-deploy" is invalid: spec.template: Invalid value: …: field is immutable; struct dump shortened), wrapped as fluxcd/pkg ssa/errors/errors.go writes it today',
      objects: [
        ks(
          'application',
          'Job/application/pre-deploy dry-run failed (Invalid): Job.batch "pre-deploy" is invalid: spec.template: Invalid value: core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{Name:"", GenerateName:"", Namespace:""}, Spec:core.PodSpec{RestartPolicy:"OnFailure"}}: field is immutable\n',
        ),
      ],
      expect: [
        {
          cause: 'immutable-field',
          data: { field: 'spec.template' },
          summary: /cannot update Job application\/pre-deploy: spec.template is immutable/,
          fixTarget: { kind: 'Job', namespace: 'application', name: 'pre-deploy' },
          remediation: [/the usual choice for Jobs/, /kubectl delete job pre-deploy -n application/],
        },
      ],
    },
    {
      name: 'StatefulSet forbidden spec update',
      source: 'https://github.com/fluxcd/flux2/issues/3573',
      objects: [
        ks(
          'develop',
          "StatefulSet/develop/sandbox dry-run failed, reason: Invalid, error: StatefulSet.apps \"sandbox\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'template', 'updateStrategy' and 'minReadySeconds' are forbidden",
        ),
      ],
      expect: [
        {
          cause: 'immutable-field',
          summary:
            /cannot update StatefulSet develop\/sandbox: spec \(fields other than replicas, template, updateStrategy…\) is immutable/,
        },
      ],
    },
    {
      name: 'force enabled, recreation blocked',
      source:
        'fluxcd/pkg ssa/manager_apply.go ApplyAll ("%s immutable field detected, failed to wait for object to be deleted: %w", wait.PollUntilContextCancel returning the context error)',
      objects: [
        ks(
          'apps',
          'Job/apps/migrate immutable field detected, failed to wait for object to be deleted: context deadline exceeded',
          { force: true },
        ),
      ],
      expect: [
        {
          cause: 'recreate-failed',
          data: { target: 'Job apps/migrate' },
          summary:
            'Kustomization flux-system/apps tried to recreate Job apps/migrate because of an immutable field change, but deleting it failed: failed to wait for object to be deleted: context deadline exceeded',
          remediation: [/metadata.finalizers/],
        },
      ],
    },
    {
      name: 'v1beta2: ssa < v0.31 wording (kustomize-controller v0.2x), a webhook-enforced immutable field',
      source: 'https://github.com/fluxcd/kustomize-controller/issues/834 (v0.31)',
      objects: [
        {
          ...ks(
            'kube-system',
            'TargetGroupBinding/kube-system/haproxy-ingress-tgb dry-run failed, reason: TargetGroupBinding update may not change these fields: spec.targetGroupARN, error: admission webhook "vtargetgroupbinding.elbv2.k8s.aws" denied the request: TargetGroupBinding update may not change these fields: spec.targetGroupARN',
          ),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
        },
      ],
      expect: [
        {
          cause: 'immutable-field',
          data: { target: 'TargetGroupBinding kube-system/haproxy-ingress-tgb' },
          fixTarget: { kind: 'TargetGroupBinding', namespace: 'kube-system', name: 'haproxy-ingress-tgb' },
        },
      ],
    },
    {
      name: 'v1beta2: force on, ssa < v0.31 ", error:" wording of the failed delete',
      source:
        'github.com/fluxcd/pkg/ssa@v0.28.2 manager_apply.go "%s immutable field detected, failed to delete object, error: %w"',
      objects: [
        {
          ...ks(
            'apps',
            'Service/apps/web immutable field detected, failed to delete object, error: context deadline exceeded',
            {
              force: true,
            },
          ),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
        },
      ],
      expect: [{ cause: 'recreate-failed', data: { target: 'Service apps/web' } }],
    },
  ],
});
