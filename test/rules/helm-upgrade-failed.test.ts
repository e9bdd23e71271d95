import assert from 'node:assert/strict';
import { it } from 'node:test';
import { diagnose } from '../../src/diagnose/engine.js';
import { rule as installFailed } from '../../src/rules/helm-install-failed.js';
import { rule } from '../../src/rules/helm-upgrade-failed.js';
import type { Rule } from '../../src/rules/types.js';
import { cond, findingKeys, graphOf, obj, READY, ruleTester, status } from '../helpers.js';

// helm-controller internal/reconcile/upgrade.go:
//   fmtUpgradeFailure = "Helm upgrade failed for release %s/%s with chart %s@%s: %s" (Released=False UpgradeFailed)
// with the fluxcd/pkg ssa/manager_wait.go wait error ("timeout waiting for: [...]").
const TIMEOUT =
  "Helm upgrade failed for release podinfo/podinfo with chart podinfo@6.5.4: timeout waiting for: [Deployment/podinfo/podinfo status: 'InProgress']";
// internal/reconcile/rollback_remediation.go fmtRollbackRemediationSuccess / fmtRollbackRemediationFailure.
const ROLLED_BACK = 'Helm rollback to previous release podinfo/podinfo.v1 with chart podinfo@6.5.3 succeeded';
const ROLLBACK_FAILED =
  "Helm rollback to previous release podinfo/podinfo.v1 with chart podinfo@6.5.3 failed: timeout waiting for: [Deployment/podinfo/podinfo status: 'InProgress']";
// internal/reconcile/atomic_release.go MarkStalled(obj, "RetriesExceeded", "Failed to %s after %d attempt(s)").
const RETRIES = 'Failed to upgrade after 3 attempt(s)';
// A Helm error that is not a wait: an immutable selector. Helm's text `cannot patch "<name>" with kind Deployment:
// Deployment.apps "<name>" is invalid: spec.selector: Invalid value: v1.LabelSelector{...}: field is immutable` is
// widely reported (e.g. elastic/helm-charts metricbeat upgrade notes, apache/incubator-devlake docs), here wrapped by fmtUpgradeFailure.
const IMMUTABLE =
  'Helm upgrade failed for release podinfo/podinfo with chart podinfo@6.5.4: cannot patch "podinfo" with kind Deployment: Deployment.apps "podinfo" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"podinfo2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable';

// helm.sh/helm/v3 pkg/action/upgrade.go and pkg/kube/client.go, wrapped by the v2beta1 controller.
const HOOK =
  'Helm upgrade failed: pre-upgrade hooks failed: warning: Hook pre-upgrade api/templates/migrate.yaml failed: job failed: BackoffLimitExceeded';

const hr = (conditions: ReturnType<typeof cond>[], ready: [string, string, string?]) =>
  obj('HelmRelease', 'podinfo/podinfo', {
    spec: {
      interval: '10m',
      upgrade: { remediation: { retries: 3 } },
      chart: {
        spec: {
          chart: 'podinfo',
          version: '6.5.x',
          sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' },
        },
      },
    },
    status: status(ready, conditions),
  });

ruleTester(rule, {
  valid: [
    {
      name: 'upgraded and ready',
      objects: [
        hr(
          [
            cond(
              'Released',
              'True',
              'UpgradeSucceeded',
              'Helm upgrade succeeded for release podinfo/podinfo.v2 with chart podinfo@6.5.4',
            ),
          ],
          [
            'True',
            'UpgradeSucceeded',
            'Helm upgrade succeeded for release podinfo/podinfo.v2 with chart podinfo@6.5.4',
          ],
        ),
      ],
    },
    {
      name: 'upgrade running after a failure (Ready=Unknown)',
      objects: [
        hr(
          [cond('Released', 'False', 'UpgradeFailed', TIMEOUT)],
          ['Unknown', 'Progressing', "Running 'upgrade' action with timeout of 5m0s"],
        ),
      ],
    },
    {
      name: 'install failure is helm.install-failed',
      objects: [
        hr(
          [cond('Released', 'False', 'InstallFailed', TIMEOUT.replace('upgrade', 'install'))],
          ['False', 'InstallFailed', TIMEOUT.replace('upgrade', 'install')],
        ),
      ],
    },
  ],
  invalid: [
    {
      name: 'upgrade timed out, rolled back, retries exhausted',
      source: 'helm-controller upgrade.go, rollback_remediation.go, atomic_release.go',
      objects: [
        hr(
          [
            cond('Stalled', 'True', 'RetriesExceeded', RETRIES),
            cond('Released', 'False', 'UpgradeFailed', TIMEOUT),
            cond('Remediated', 'True', 'RollbackSucceeded', ROLLED_BACK),
          ],
          ['False', 'RollbackSucceeded', ROLLED_BACK],
        ),
      ],
      expect: [
        {
          cause: 'wait-timeout',
          data: { action: 'upgrade', waiting: 'Deployment podinfo/podinfo (InProgress)', attempts: 3 },
          summary:
            'Helm upgrade of release podinfo/podinfo (chart podinfo@6.5.4) for HelmRelease podinfo/podinfo failed: timed out waiting for Deployment podinfo/podinfo (InProgress) to become ready; it was rolled back to the previous release; retries are exhausted after 3 attempt(s), so the controller stopped retrying (Stalled)',
          fixTarget: { kind: 'Deployment', namespace: 'podinfo', name: 'podinfo' },
          evidence: [/Stalled=True \(RetriesExceeded\): Failed to upgrade after 3 attempt\(s\)/],
          remediation: [/--reset/],
        },
      ],
    },
    {
      name: 'immutable field, and the rollback failed too',
      source: 'helm-controller rollback_remediation.go (Remediated=False RollbackFailed)',
      objects: [
        hr(
          [
            cond('Released', 'False', 'UpgradeFailed', IMMUTABLE),
            cond('Remediated', 'False', 'RollbackFailed', ROLLBACK_FAILED),
          ],
          ['False', 'RollbackFailed', ROLLBACK_FAILED],
        ),
      ],
      expect: [
        {
          cause: 'helm-error',
          summary:
            'Helm upgrade of release podinfo/podinfo (chart podinfo@6.5.4) for HelmRelease podinfo/podinfo failed: cannot patch "podinfo" with kind Deployment: Deployment.apps "podinfo" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"podinfo2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable; the rollback failed too',
          fixTarget: { kind: 'HelmRelease', namespace: 'podinfo', name: 'podinfo' },
          evidence: [/Remediated=False \(RollbackFailed\)/],
          remediation: [/The rollback failed: Helm rollback to previous release podinfo\/podinfo\.v1/],
        },
      ],
    },
    {
      name: 'v2beta1: a pre-upgrade hook Job failed, upgrade retries exhausted',
      source:
        'helm-controller v0.36 "Helm %s failed: %s" and "upgrade retries exhausted"; helm.sh/helm/v3 pkg/action/upgrade.go "pre-upgrade hooks failed: %s", pkg/kube/client.go "job failed: %s"',
      objects: [
        {
          ...obj('HelmRelease', 'apps/api', {
            spec: { interval: '5m', chart: { spec: { chart: 'api', version: '2.1.0' } } },
            status: status(
              ['False', 'UpgradeFailed', 'upgrade retries exhausted'],
              [cond('Released', 'False', 'UpgradeFailed', HOOK)],
              {
                upgradeFailures: 4,
                lastAttemptedRevision: '2.1.0',
              },
            ),
          }),
          apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        },
      ],
      expect: [
        {
          cause: 'hook-failed',
          data: { hook: 'pre-upgrade hook api/templates/migrate.yaml' },
          summary:
            'Helm upgrade of release apps/api (chart api@2.1.0) for HelmRelease apps/api failed: pre-upgrade hook api/templates/migrate.yaml failed: job failed: BackoffLimitExceeded; retries are exhausted, so the controller stopped retrying (Stalled)',
          remediation: [/kubectl get jobs,pods -n apps/, /flux reconcile helmrelease api -n apps --reset/],
        },
      ],
    },
    {
      name: 'v2: a pre-upgrade hook Job failed (Helm v3 wording, as in helm/helm#10720): which hook, and where to read the Job',
      // https://github.com/helm/helm/issues/10720 "pre-upgrade/post-upgrade hooks failed: job failed: BackoffLimitExceeded",
      // wrapped by helm-controller internal/reconcile/upgrade.go "Helm upgrade failed for release %s/%s with chart %s@%s: %s"
      source: 'helm.sh/helm/v3@v3.13.3 pkg/action/upgrade.go "pre-upgrade hooks failed: %s"',
      objects: [
        obj('HelmRelease', 'apps/api', {
          spec: { interval: '5m', chart: { spec: { chart: 'api', version: '2.1.0' } } },
          status: status(
            [
              'False',
              'UpgradeFailed',
              'Helm upgrade failed for release apps/api with chart api@2.1.0: pre-upgrade hooks failed: job failed: BackoffLimitExceeded',
            ],
            [
              cond(
                'Released',
                'False',
                'UpgradeFailed',
                'Helm upgrade failed for release apps/api with chart api@2.1.0: pre-upgrade hooks failed: job failed: BackoffLimitExceeded',
              ),
            ],
            { lastAttemptedReleaseAction: 'upgrade', upgradeFailures: 1 },
          ),
        }),
      ],
      expect: [
        {
          cause: 'hook-failed',
          data: { hook: 'the pre-upgrade hook', error: 'job failed: BackoffLimitExceeded' },
          summary:
            'Helm upgrade of release apps/api (chart api@2.1.0) for HelmRelease apps/api failed: the pre-upgrade hook failed: job failed: BackoffLimitExceeded; helm-controller retries it on its next reconciliation',
          remediation: [/^kubectl get jobs,pods -n apps$/],
        },
      ],
    },
  ],
});

// The engine follows the release's managed objects (helm.toolkit.fluxcd.io/name labels) when the
// upgrade timed out, and reports the workload's own finding instead.
it('a wait failure is explained by the failing workload the release manages', () => {
  const workload: Rule = {
    meta: {
      code: 'workload.test-double',
      severity: 'error',
      title: 'test double',
      kinds: ['Deployment'],
      docs: { description: 'x', detection: 'x', fix: 'x', commands: ['x'] },
    },
    check: (o) => (o.status?.availableReplicas ? undefined : { summary: 'broken', evidence: [], remediation: [] }),
  };
  const deploy = (available: number) =>
    obj('Deployment', 'podinfo/podinfo', {
      labels: { 'helm.toolkit.fluxcd.io/name': 'podinfo', 'helm.toolkit.fluxcd.io/namespace': 'podinfo' },
      spec: { replicas: 1 },
      status: { replicas: 1, availableReplicas: available, updatedReplicas: 1, observedGeneration: 1 },
    });
  const failing = hr([cond('Released', 'False', 'UpgradeFailed', TIMEOUT)], ['False', 'UpgradeFailed', TIMEOUT]);
  const r1 = diagnose(graphOf([failing, deploy(0)]), { rules: [rule, installFailed, workload] });
  assert.deepEqual(findingKeys(r1), ['error workload.test-double Deployment/podinfo/podinfo']);
  assert.deepEqual(
    r1.findings[0]!.affected.map((a) => `${a.kind}/${a.namespace}/${a.name}`),
    ['HelmRelease/podinfo/podinfo'],
  );
  // A non-wait failure is not handed to the workloads.
  const immutable = hr([cond('Released', 'False', 'UpgradeFailed', IMMUTABLE)], ['False', 'UpgradeFailed', IMMUTABLE]);
  const r2 = diagnose(graphOf([immutable, deploy(0)]), { rules: [rule, workload] });
  assert.ok(findingKeys(r2).includes('error helm.upgrade-failed HelmRelease/podinfo/podinfo'));
  // With healthy workloads the release itself is the root cause.
  const r3 = diagnose(graphOf([failing, deploy(1), obj('HelmRepository', 'podinfo', { status: READY() })]), {
    rules: [rule, workload],
  });
  assert.deepEqual(findingKeys(r3), ['error helm.upgrade-failed HelmRelease/podinfo/podinfo']);
});
