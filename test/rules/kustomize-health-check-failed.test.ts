import { rule } from '../../src/rules/kustomize-health-check-failed.js';
import { cond, event, obj, ruleTester, status } from '../helpers.js';

// fluxcd/pkg ssa/manager_wait.go: fmt.Errorf("%s: [%s]", "timeout waiting for" | "failed early due to stalled resources", ...)
// with entries fmt.Sprintf("%s status: '%s'", utils.FmtObjMetadata(id), status) (+ ": <error>").
// kustomize-controller internal/controller/kustomization_controller.go checkHealth:
//   conditions.MarkFalse(obj, meta.ReadyCondition, meta.HealthCheckFailedReason, "%s", err)
//   conditions.MarkFalse(obj, meta.HealthyCondition, meta.HealthCheckFailedReason, "%s", err)
//   return fmt.Errorf("health check failed after %s: %w", time.Since(checkStart).String(), err)  → Warning event
const failedKs = (name: string, msg: string, spec: Record<string, unknown> = {}) =>
  obj('Kustomization', name, {
    spec: {
      path: './apps',
      wait: true,
      timeout: '5m',
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      ...spec,
    },
    status: {
      ...status(['False', 'HealthCheckFailed', msg], [cond('Healthy', 'False', 'HealthCheckFailed', msg)]),
      lastAttemptedRevision: 'main@sha1:5f9f7e4f',
    },
  });

const deploy = (nsName: string, ready: boolean) =>
  obj('Deployment', nsName, {
    spec: { replicas: 2 },
    status: ready
      ? { observedGeneration: 1, replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2 }
      : {
          observedGeneration: 1,
          replicas: 2,
          updatedReplicas: 2,
          availableReplicas: 0,
          conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }],
        },
  });

ruleTester(rule, {
  valid: [
    {
      name: 'healthy Kustomization',
      objects: [
        obj('Kustomization', 'apps', {
          status: status(
            ['True', 'ReconciliationSucceeded', 'Applied revision: main@sha1:5f9f7e4f'],
            [cond('Healthy', 'True', 'Succeeded', 'Health check passed in 12.5s')],
          ),
        }),
      ],
    },
    {
      name: 'health checks running (Ready=Unknown, Progressing)',
      source: 'kustomize-controller checkHealth: "Running health checks for revision %s with a timeout of %s"',
      objects: [
        obj('Kustomization', 'apps', {
          status: status(
            ['Unknown', 'Progressing', 'Reconciliation in progress'],
            [
              cond(
                'Healthy',
                'Unknown',
                'Progressing',
                'Running health checks for revision main@sha1:5f9f7e4f with a timeout of 5m0s',
              ),
            ],
          ),
        }),
      ],
    },
    {
      name: 'health checks canceled by a new revision (HealthCheckCanceled, not a failure of the workloads)',
      source: 'kustomize-controller Reconcile: "New reconciliation triggered by %s/%s/%s"',
      objects: [
        obj('Kustomization', 'apps', {
          status: status([
            'False',
            'HealthCheckCanceled',
            'New reconciliation triggered by GitRepository/flux-system/flux-system',
          ]),
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'Deployment never became available',
      source: 'fluxcd/pkg ssa/manager_wait.go + kustomize-controller checkHealth',
      objects: [
        failedKs('apps', "timeout waiting for: [Deployment/apps/web status: 'InProgress']"),
        deploy('apps/web', false),
        event(
          { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
          'HealthCheckFailed',
          "health check failed after 5m0.036s: timeout waiting for: [Deployment/apps/web status: 'InProgress']",
        ),
      ],
      expect: [
        {
          cause: 'timeout',
          data: { failing: 'Deployment apps/web', status: 'InProgress', after: '5m0.036s' },
          summary:
            'Kustomization flux-system/apps applied revision main@sha1:5f9f7e4f, but health checks failed: they did not become ready within 5m0.036s: Deployment apps/web (InProgress), which is progressing (ReplicaSetUpdated: 0/2 replicas available, 2 updated)',
          fixTarget: { kind: 'Deployment', namespace: 'apps', name: 'web' },
          evidence: [
            /timeout waiting for: \[Deployment\/apps\/web status: 'InProgress'\]/,
            /health check failed after 5m0.036s/,
          ],
          remediation: [
            /kubectl describe deployment web -n apps/,
            /raise spec.timeout/,
            /flux reconcile kustomization apps -n flux-system/,
          ],
        },
      ],
    },
    {
      name: 'health check names an object that does not exist',
      source:
        'fluxcd/pkg ssa/manager_wait_test.go: "timeout waiting for: [Deployment/id/does-not-exist status: \'NotFound\']"',
      objects: [
        failedKs('apps', "timeout waiting for: [Deployment/apps/does-not-exist status: 'NotFound']", {
          wait: false,
          healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'does-not-exist', namespace: 'apps' }],
        }),
        deploy('apps/web', true),
      ],
      expect: [
        {
          cause: 'timeout',
          data: { status: 'NotFound' },
          summary:
            /Deployment apps\/does-not-exist \(NotFound\), not found in what was read|Deployment apps\/does-not-exist \(NotFound\) does not exist/,
          fixTarget: { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
          remediation: [/does not exist: fix spec.healthChecks of Kustomization flux-system\/apps/],
        },
      ],
    },
    {
      name: 'fail fast: HelmRelease stalled, ConfigMap unknown',
      source:
        'fluxcd/pkg ssa/manager_wait.go ("failed early due to stalled resources"); manager_wait_test.go ("error reading status")',
      objects: [
        failedKs(
          'infra',
          "failed early due to stalled resources: [HelmRelease/monitoring/kube-prometheus-stack status: 'Failed', ConfigMap/default/test status: 'Unknown': error reading status]",
        ),
        obj('HelmRelease', 'monitoring/kube-prometheus-stack', {
          status: status(['False', 'UpgradeFailed', 'upgrade retries exhausted']),
        }),
      ],
      expect: [
        {
          cause: 'stalled',
          summary:
            'Kustomization flux-system/infra applied revision main@sha1:5f9f7e4f, but health checks failed: an object reached a failed state: HelmRelease monitoring/kube-prometheus-stack (Failed), which is failed (UpgradeFailed: upgrade retries exhausted); ConfigMap default/test (Unknown: error reading status)',

          fixTarget: { kind: 'HelmRelease', namespace: 'monitoring', name: 'kube-prometheus-stack' },
        },
      ],
    },
    {
      name: 'v1beta2: kustomize-controller v0.26 wording ("Health check failed after <d>, timeout waiting for: …")',
      source: 'https://github.com/fluxcd/kustomize-controller/issues/709 (v0.26.3)',
      objects: [
        {
          ...failedKs(
            'apps',
            "Health check failed after 2m0.013489487s, timeout waiting for: [HelmRelease/wpb-services/httpbin status: 'InProgress']",
          ),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
        },
      ],
      expect: [
        {
          cause: 'timeout',
          data: { failing: 'HelmRelease wpb-services/httpbin', status: 'InProgress', after: '2m0.013489487s' },
          fixTarget: { kind: 'HelmRelease', namespace: 'wpb-services', name: 'httpbin' },
        },
      ],
    },
    {
      name: 'v1beta1: kstatus-era "Health check timed out for [...]" (kustomize-controller v0.1–v0.13)',
      source: 'https://github.com/fluxcd/flux2/issues/1193 (Flux v0.7.7)',
      objects: [
        {
          ...failedKs(
            'keycloak',
            "Health check timed out for [deployments.apps 'keycloak-operator/keycloak-operator']",
          ),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1',
        },
        deploy('keycloak-operator/keycloak-operator', false),
      ],
      expect: [
        {
          cause: 'timeout',
          data: { failing: 'Deployment keycloak-operator/keycloak-operator' },
          fixTarget: { kind: 'Deployment', namespace: 'keycloak-operator', name: 'keycloak-operator' },
          remediation: [/kubectl describe .*keycloak-operator/],
        },
      ],
    },
    {
      name: 'v1beta1: kstatus-era v0.14 "Health check failed for [...]" with the status',
      source: 'kustomize-controller v0.14 controllers/kustomization_healthcheck.go "Health check failed for [%s]"',
      objects: [
        {
          ...failedKs(
            'apps',
            "Health check failed for [Deployment 'apps/podinfo' (status 'Failed'): Progress deadline exceeded]",
          ),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [{ cause: 'timeout', data: { failing: 'Deployment apps/podinfo', status: 'Failed' } }],
    },
  ],
});
