// Server-side apply and wait errors of fluxcd/pkg/ssa (kustomize-controller v0.15+, helm-controller's drift
// correction, flux CLI) and the Kubernetes API texts they carry (validation, immutability, RBAC, admission,
// missing kinds and namespaces). `versions` is the fluxcd/pkg/ssa range (ssa/v0.0.1 of 2021 to v0.77+);
// the Kubernetes texts are stable across Kubernetes 1.16+ and are cited with their package.
//
// Wording by era (read from the ssa/ tags of fluxcd/pkg):
//   ssa v0.0.1–v0.30  "<Kind>/<ns>/<name> dry-run failed, reason: <Reason>, error: <err>" (v0.0.1: "falied"),
//                     "<id> apply failed, error: <err>", "<id> namespace not specified, error: <err>",
//                     "<id> immutable field detected, failed to delete object, error: <err>"
//   ssa v0.31+        ", error:" became ":": "<id> apply failed: <err>", "<id> dry-run failed (<Reason>): <err>"
//                     (v0.36+ errors.DryRunErr, also "<id> not found: <err>", "<id> namespace not specified: <err>")
//   every version     "timeout waiting for: [<id> status: '<Status>'(: <msg>)?, ...]"; v0.31+ also
//                     "failed early due to stalled resources: [...]"
// kustomize-controller v0.15–v1.0 carries ssa < v0.31 (kc v1.0.0 → ssa v0.28.2), so both wordings are live.
// The object id is `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects (utils.FmtObjMetadata).
//
// Order matters: within this file, more specific patterns come first.

import type { MessagePattern } from './types.js';

const rx = (...parts: string[]) => new RegExp(parts.join(''));

/** `Kind/ns/name` or `Kind/name`, as ssa formats an object (named groups kind, namespace, name). */
const OBJ = String.raw`(?<kind>[A-Z][A-Za-z0-9]*)/(?:(?<namespace>[^\s/]+)/)?(?<name>[^\s/,\]]+)`;
/**
 * `literal` preceded by an object id: the literal is matched first and the id is read backwards by a
 * lookbehind, so a long run of identifier characters costs one pass, not one pass per start position.
 */
const afterObj = (literal: string) => `${literal}(?<=${OBJ}${literal})`;
/** A double-quoted value, tolerating JSON/event escaping (`\"`). */
const q = (name: string) => String.raw`\\?"(?<${name}>[^"\\]*)\\?"`;

export const PATTERNS: MessagePattern[] = [
  // ---------------------------------------------------------------- immutability (before the generic dry-run)
  {
    id: 'ssa/immutable-field',
    emitter: 'ssa',
    code: 'kustomize.immutable-field',
    cause: 'immutable-field',
    re: /(?:is invalid: (?<field>[\w.[\]/-]+): (?:Invalid value|Forbidden)[^\n]{0,4000}?)?(?:field is immutable|updates to statefulset spec for fields other than [^\n]{0,200}? are forbidden|may not change once set|update may not change these fields|\bis immutable\b)/,
    versions: '>=0.0.1',
    cite: 'github.com/fluxcd/pkg/ssa@v0.77.0 utils/utils.go IsImmutableError (matches the Kubernetes validation texts "field is immutable" from k8s.io/apimachinery@v0.30.0 pkg/api/validation/generic.go FieldImmutableErrorMsg)',
    reasons: ['ReconciliationFailed'],
    samples: [
      // fluxcd/flux2#3573 (flux v0.35, StatefulSet)
      "StatefulSet/develop/sandbox dry-run failed, reason: Invalid, error: StatefulSet.apps \"sandbox\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'template', 'updateStrategy' and 'minReadySeconds' are forbidden",
      // fluxcd/flux2#3032 (flux diff v0.32, Job template; the reporter cut the middle)
      'Job/application/pre-deploy dry-run failed, reason: Invalid, error: Job.batch "pre-deploy" is invalid: spec.template: Invalid value: \n...\n TopologySpreadConstraints:[]core.TopologySpreadConstraint(nil)}}: field is immutable',
      // fluxcd/kustomize-controller#834 (v0.31, a webhook-enforced immutable field)
      'TargetGroupBinding/kube-system/haproxy-ingress-tgb dry-run failed, reason: TargetGroupBinding update may not change these fields: spec.targetGroupARN, error: admission webhook "vtargetgroupbinding.elbv2.k8s.aws" denied the request: TargetGroupBinding update may not change these fields: spec.targetGroupARN',
      // source-filled: ssa v0.36+ wording
      'Deployment/apps/podinfo dry-run failed (Invalid): Deployment.apps "podinfo" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"podinfo-v2"}}: field is immutable',
    ],
  },
  {
    id: 'ssa/immutable-recreate-failed',
    emitter: 'ssa',
    code: 'kustomize.immutable-field',
    cause: 'recreate-failed',
    re: rx(afterObj(` immutable field detected`), `, failed to (?:delete object|wait for object to be deleted)`),
    versions: '>=0.0.1',
    cite: 'github.com/fluxcd/pkg/ssa@v0.77.0 manager_apply.go "%s immutable field detected, failed to delete object: %w" (before v0.31: ", error: %w")',
    reasons: ['ReconciliationFailed'],
    samples: [
      'Job/apps/db-migrate immutable field detected, failed to delete object: jobs.batch "db-migrate" is forbidden: User "system:serviceaccount:apps:deployer" cannot delete resource "jobs" in API group "batch" in the namespace "apps"',
      'Service/apps/web immutable field detected, failed to delete object, error: context deadline exceeded',
    ],
  },

  // ---------------------------------------------------------------- RBAC (Kubernetes authorizer texts)
  {
    id: 'ssa/rbac-escalation',
    emitter: 'ssa',
    code: 'kustomize.rbac-forbidden',
    cause: 'rbac-escalation',
    re: rx(
      `is forbidden: [Uu]ser `,
      q('user'),
      String.raw` \(groups=[^)]*\) is attempting to grant RBAC permissions not currently held`,
    ),
    versions: '>=0.0.1',
    cite: 'k8s.io/kubernetes@v1.30.0 pkg/registry/rbac/validation/rule.go ConfirmNoEscalation "user %q (groups=%q) is attempting to grant RBAC permissions not currently held:\\n%s"',
    reasons: ['ReconciliationFailed'],
    samples: [
      'ClusterRole/tenant-admin dry-run failed, reason: Forbidden, error: clusterroles.rbac.authorization.k8s.io "tenant-admin" is forbidden: user "system:serviceaccount:tenant-a:reconciler" (groups=["system:serviceaccounts" "system:serviceaccounts:tenant-a" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:["*"], Resources:["*"], Verbs:["*"]}',
    ],
  },
  {
    id: 'ssa/rbac-forbidden',
    emitter: 'ssa',
    code: 'kustomize.rbac-forbidden',
    cause: 'rbac-denied',
    re: rx(
      `is forbidden: [Uu]ser `,
      q('user'),
      String.raw` cannot (?<verb>[\w-]+) resource `,
      q('resource'),
      `(?: in API group `,
      q('group'),
      String.raw`)?(?: in the namespace \\?"(?<namespace>[^"\\]+)\\?"| at the cluster scope)?`,
    ),
    versions: '>=0.0.1',
    cite: 'k8s.io/apiserver@v0.30.0 pkg/endpoints/handlers/responsewriters/errors.go forbiddenMessage "User %q cannot %s resource %q in API group %q in the namespace %q"',
    reasons: ['ReconciliationFailed', 'PruneFailed'],
    samples: [
      // fluxcd/flux2-multi-tenancy#69 (kustomize-controller v0.22)
      'Namespace/apps dry-run failed, reason: Forbidden, error: namespaces "apps" is forbidden: User "system:serviceaccount:flux-system:default" cannot patch resource "namespaces" in API group "" in the namespace "apps"',
      // fluxcd/kustomize-controller#217 (v0.5, garbage collection)
      'gc query failed for DestinationRule: destinationrules.networking.istio.io is forbidden: User \\"system:serviceaccount:flux-system:flux-deployer\\" cannot list resource \\"destinationrules\\" in API group \\"networking.istio.io\\" in the namespace \\"kafka\\"',
      // source-filled: ssa v0.36+ wording, cluster-scoped
      'ClusterRoleBinding/tenant-a-admin dry-run failed (Forbidden): clusterrolebindings.rbac.authorization.k8s.io "tenant-a-admin" is forbidden: User "system:serviceaccount:tenant-a:reconciler" cannot patch resource "clusterrolebindings" in API group "rbac.authorization.k8s.io" at the cluster scope',
    ],
  },

  // ---------------------------------------------------------------- what the API server rejects at dry-run
  {
    id: 'ssa/no-matches-for-kind',
    emitter: 'ssa',
    code: 'kustomize.validation-failed',
    cause: 'kind-not-registered',
    re: rx(`no matches for kind `, q('kind'), ` in version `, q('version')),
    versions: '>=0.0.1',
    cite: 'k8s.io/apimachinery@v0.30.0 pkg/api/meta/errors.go NoKindMatchError "no matches for kind %q in version %q" as returned through github.com/fluxcd/pkg/ssa@v0.77.0 manager_apply.go',
    reasons: ['ReconciliationFailed', 'ValidationFailed'],
    samples: [
      // source-filled: ssa, a CRD not installed yet
      'ServiceMonitor/monitoring/podinfo dry-run failed: no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v1"',
      // the kubectl-era (kustomize-controller < v0.15) rendering of the same error
      'validation failed: error: unable to recognize "8117172a.yaml": no matches for kind \\"Certificate\\" in version \\"cert-manager.io/v1alpha2\\"',
    ],
  },
  {
    id: 'ssa/api-not-served',
    emitter: 'ssa',
    code: 'kustomize.validation-failed',
    cause: 'api-not-served',
    re: rx(afterObj(` dry-run failed`), String.raw`[^\n]{0,60}?: the server could not find the requested resource`),
    versions: '>=0.0.1',
    cite: 'github.com/fluxcd/pkg/ssa@v0.77.0 errors/errors.go DryRunErr with k8s.io/apimachinery@v0.30.0 pkg/api/errors "the server could not find the requested resource"',
    reasons: ['ReconciliationFailed'],
    samples: [
      'HorizontalPodAutoscaler/apps/web dry-run failed (NotFound): the server could not find the requested resource',
      'PodSecurityPolicy/restricted dry-run failed, reason: NotFound, error: the server could not find the requested resource',
    ],
  },
  {
    id: 'ssa/namespace-missing',
    emitter: 'ssa',
    code: 'kustomize.validation-failed',
    cause: 'namespace-missing',
    re: rx(`namespaces? `, q('namespace'), ` not found`),
    versions: '>=0.0.1',
    cite: 'github.com/fluxcd/pkg/ssa@v0.77.0 errors/errors.go "%s not found: %s" (v0.36+; before: "%s dry-run failed, reason: NotFound, error: %w") with the Kubernetes NotFound text for the namespace',
    reasons: ['ReconciliationFailed'],
    samples: [
      'Deployment/apps/podinfo not found: namespaces "apps" not found',
      'ConfigMap/monitoring/dashboards dry-run failed, reason: NotFound, error: namespaces "monitoring" not found',
    ],
  },
  {
    id: 'ssa/object-not-found',
    emitter: 'ssa',
    code: 'kustomize.validation-failed',
    cause: 'referenced-object-missing',
    // The dry-run's NotFound for something the object needs (a missing namespace is ssa/namespace-missing).
    re: rx(afterObj(` not found: `), String.raw`[^\n]{0,300}? not found`),
    versions: '>=0.36.0',
    cite: 'github.com/fluxcd/pkg/ssa@v0.76.1 errors/errors.go DryRunErr "%s not found: %s"',
    reasons: ['ReconciliationFailed'],
    samples: [
      // source-filled: kustomize-controller internal/controller/kustomization_rbac_test.go expects this shape
      'RoleBinding/tenant-a/tenant-a-rolebinding not found: rolebindings.rbac.authorization.k8s.io "tenant-a-role" not found',
    ],
  },
  {
    id: 'ssa/namespace-not-specified',
    emitter: 'ssa',
    code: 'kustomize.validation-failed',
    cause: 'namespace-not-specified',
    re: rx(afterObj(` namespace not specified`)),
    versions: '>=0.0.1',
    cite: 'github.com/fluxcd/pkg/ssa@v0.77.0 errors/errors.go "%s namespace not specified: %s" (before v0.31: manager_diff.go "%s namespace not specified, error: %w")',
    reasons: ['ReconciliationFailed'],
    samples: [
      'Deployment/podinfo namespace not specified: the server could not find the requested resource',
      'ConfigMap/settings namespace not specified, error: an empty namespace may not be set when a resource name is provided',
    ],
  },
  {
    id: 'ssa/admission-webhook-denied',
    emitter: 'ssa',
    code: 'kustomize.validation-failed',
    cause: 'admission-denied',
    // A webhook that enforces immutability is ssa/immutable-field.
    re: rx(
      `admission webhook `,
      q('webhook'),
      String.raw` denied the request(?![^\n]{0,300}?(?:may not change|is immutable))`,
    ),
    versions: '>=0.0.1',
    cite: 'k8s.io/apiserver@v0.30.0 pkg/admission/plugin/webhook/errors/statuserror.go "admission webhook %q denied the request: %s" as returned through github.com/fluxcd/pkg/ssa dry-run',
    reasons: ['ReconciliationFailed'],
    samples: [
      'Ingress/apps/web dry-run failed, reason: BadRequest, error: admission webhook "validate.nginx.ingress.kubernetes.io" denied the request: host "web.example.com" and path "/" is already defined in ingress apps/legacy',
      'Pod/apps/debug dry-run failed (Forbidden): admission webhook \\"validation.gatekeeper.sh\\" denied the request: [psp-privileged] Privileged container is not allowed',
    ],
  },
  {
    id: 'ssa/webhook-unreachable',
    emitter: 'ssa',
    code: 'kustomize.validation-failed',
    cause: 'webhook-unavailable',
    re: rx(`failed calling webhook `, q('webhook')),
    versions: '>=0.0.1',
    cite: 'k8s.io/apiserver@v0.30.0 pkg/admission/plugin/webhook/errors/errors.go "failed calling webhook %q: %v"',
    reasons: ['ReconciliationFailed'],
    samples: [
      'Certificate/apps/web dry-run failed (InternalError): Internal error occurred: failed calling webhook "webhook.cert-manager.io": failed to call webhook: Post "https://cert-manager-webhook.cert-manager.svc:443/validate?timeout=30s": dial tcp 10.96.31.2:443: connect: connection refused',
    ],
  },
  {
    id: 'ssa/invalid-object',
    emitter: 'ssa',
    code: 'kustomize.validation-failed',
    cause: 'invalid-object',
    re: /\\?" is invalid: (?<=(?<kind>[A-Z][\w.]*) \\?"(?<name>[^"\\]+)\\?" is invalid: )(?<field>[\w.[\]/-]+)?/,
    versions: '>=0.0.1',
    cite: 'k8s.io/apimachinery@v0.30.0 pkg/api/errors/errors.go NewInvalid "%s %q is invalid: %v" as returned through github.com/fluxcd/pkg/ssa dry-run',
    reasons: ['ReconciliationFailed'],
    samples: [
      'Deployment/apps/web dry-run failed, reason: Invalid, error: Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value',
      'HelmRelease/apps/web dry-run failed (Invalid): HelmRelease.helm.toolkit.fluxcd.io "web" is invalid: spec.chart.spec.sourceRef.kind: Unsupported value: "GitRepo": supported values: "HelmRepository", "GitRepository", "Bucket"',
    ],
  },
  {
    id: 'ssa/migrate-api-version-failed',
    emitter: 'ssa',
    code: 'kustomize.validation-failed',
    cause: 'api-migration-failed',
    re: rx(afterObj(` failed to migrate API version`)),
    versions: '>=0.75.0',
    cite: 'github.com/fluxcd/pkg/ssa@v0.77.0 manager_apply.go "%s failed to migrate API version: %w"',
    reasons: ['ReconciliationFailed'],
    samples: [
      'HelmRelease/apps/web failed to migrate API version: failed to migrate managed fields API version to v2: empty pointer',
    ],
  },
  {
    id: 'ssa/dry-run-failed-v0',
    emitter: 'ssa',
    code: 'kustomize.validation-failed',
    cause: 'dry-run-rejected',
    re: rx(afterObj(` dry-run fa(?:il|li)ed`), String.raw`(?:, reason: (?<reason>[^\n]+?))?, error: `),
    versions: '>=0.0.1 <0.31.0',
    cite: 'github.com/fluxcd/pkg/ssa@v0.28.2 manager_diff.go "%s dry-run failed%s, error: %w" with ", reason: %s" (ssa v0.0.1: "%s dry-run falied, reason: %s, error: %w")',
    reasons: ['ReconciliationFailed'],
    samples: [
      // fluxcd/flux2#3573
      "StatefulSet/develop/sandbox dry-run failed, reason: Invalid, error: StatefulSet.apps \"sandbox\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'template', 'updateStrategy' and 'minReadySeconds' are forbidden",
      // fluxcd/kustomize-controller#834 (a reason with spaces and a colon)
      'TargetGroupBinding/kube-system/haproxy-ingress-tgb dry-run failed, reason: TargetGroupBinding update may not change these fields: spec.targetGroupARN, error: admission webhook "vtargetgroupbinding.elbv2.k8s.aws" denied the request: TargetGroupBinding update may not change these fields: spec.targetGroupARN',
      // source-filled: the same format from the source, verbs filled in
      'Deployment/apps/web dry-run falied, reason: Invalid, error: Deployment.apps "web" is invalid',
    ],
  },
  {
    id: 'ssa/dry-run-failed',
    emitter: 'ssa',
    code: 'kustomize.validation-failed',
    cause: 'dry-run-rejected',
    re: rx(afterObj(` dry-run failed`), String.raw`(?: \((?<reason>[A-Za-z]+)\))?: `),
    versions: '>=0.31.0',
    cite: 'github.com/fluxcd/pkg/ssa@v0.77.0 errors/errors.go DryRunErr "%s dry-run failed%s: %s" with " (%s)" the API reason',
    reasons: ['ReconciliationFailed'],
    samples: [
      'Deployment/apps/podinfo dry-run failed (Invalid): Deployment.apps "podinfo" is invalid: spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      'Kustomization/flux-system/apps dry-run failed: failed to create typed patch object (flux-system/apps; kustomize.toolkit.fluxcd.io/v1, Kind=Kustomization): .spec.prune: expected boolean, got &value.valueString{Value:"yes"}',
    ],
  },
  {
    id: 'ssa/apply-failed',
    emitter: 'ssa',
    code: 'kustomize.validation-failed',
    cause: 'apply-failed',
    re: rx(afterObj(` (?:apply failed|validation error)`), `(?:, error)?: `),
    versions: '>=0.0.1',
    cite: 'github.com/fluxcd/pkg/ssa@v0.77.0 manager_apply.go "%s apply failed: %w" (before v0.31: "%s apply failed, error: %w"); ssa v0.0.7–v0.31 utils.go "%s validation error: %w"',
    reasons: ['ReconciliationFailed'],
    samples: [
      'Secret/apps/tls apply failed: Secret "tls" is invalid: data[tls.crt]: Invalid value: "<secret contents redacted>": must be valid PEM',
      'ConfigMap/apps/big apply failed, error: etcdserver: request is too large',
    ],
  },

  // ---------------------------------------------------------------- wait (kstatus)
  {
    id: 'ssa/wait-stalled',
    emitter: 'ssa',
    code: 'kustomize.health-check-failed',
    cause: 'stalled',
    re: rx(String.raw`failed early due to stalled resources: \[`, OBJ, String.raw` status: '(?<status>\w+)'`),
    versions: '>=0.31.0',
    cite: 'github.com/fluxcd/pkg/ssa@v0.77.0 manager_wait.go "failed early due to stalled resources" and "%s status: \'%s\'"',
    reasons: ['HealthCheckFailed'],
    samples: [
      "health check failed after 9.3s: failed early due to stalled resources: [HelmRelease/apps/podinfo status: 'Failed']",
      "health check failed after 1m0s: failed early due to stalled resources: [Deployment/apps/podinfo status: 'Failed': Progress deadline exceeded]",
    ],
  },
  {
    id: 'ssa/wait-timeout',
    emitter: 'ssa',
    code: 'kustomize.health-check-failed',
    cause: 'wait-timeout',
    re: rx(String.raw`timeout waiting for: \[`, OBJ, String.raw` status: '(?<status>\w+)'`),
    versions: '>=0.0.1',
    cite: 'github.com/fluxcd/pkg/ssa@v0.77.0 manager_wait.go "timeout waiting for" ": [%s]" and "%s status: \'%s\'" (before v0.31: "timeout waiting for: [%s]")',
    reasons: ['HealthCheckFailed'],
    samples: [
      // fluxcd/kustomize-controller#709 (v0.26.3)
      "Health check failed after 2m0.013489487s, timeout waiting for: [HelmRelease/wpb-services/httpbin status: 'InProgress']",
      // source-filled: the same format from the source, verbs filled in
      "health check failed after 5m0.04s: timeout waiting for: [Deployment/apps/web status: 'InProgress', Deployment/apps/api status: 'Current']",
      "timeout waiting for: [ClusterIssuer/letsencrypt status: 'InProgress': Issuer is not ready]",
    ],
  },
  {
    id: 'ssa/status-unknown',
    emitter: 'ssa',
    code: 'kustomize.health-check-failed',
    cause: 'status-unknown',
    re: rx(`can't determine status for `, OBJ),
    versions: '>=0.0.1',
    cite: 'github.com/fluxcd/pkg/ssa@v0.77.0 manager_wait.go "can\'t determine status for %s"',
    reasons: ['HealthCheckFailed'],
    samples: ["health check failed after 30s: can't determine status for Widget/apps/w1"],
  },
  {
    id: 'ssa/termination-timeout',
    emitter: 'ssa',
    code: 'kustomize.health-check-failed',
    cause: 'termination-timeout',
    re: rx(afterObj(` termination timeout`)),
    versions: '>=0.0.1',
    cite: 'github.com/fluxcd/pkg/ssa@v0.77.0 manager_wait.go "%s termination timeout: %w" (before v0.31: ", error: %w")',
    reasons: ['ReconciliationFailed', 'PruneFailed'],
    samples: ['Namespace/legacy termination timeout: timed out waiting for the condition'],
  },
];
