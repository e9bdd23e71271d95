import assert from 'node:assert/strict';
import { it } from 'node:test';
import { diagnose } from '../../src/diagnose/engine.js';
import { rule as installFailed } from '../../src/rules/helm-install-failed.js';
import { rule } from '../../src/rules/helm-test-failed.js';
import { cond, findingKeys, graphOf, obj, ruleTester, status } from '../helpers.js';

// fluxcd/helm-controller docs/spec/v2/helmreleases.md "Debugging a HelmRelease" (kubectl describe output):
// TestSuccess=False / Ready=False reason TestFailed with internal/reconcile/test.go fmtTestFailure
// "Helm test failed for release %s with chart %s: %s", and Stalled RetriesExceeded "Failed to install after 1 attempt(s)".
const TEST_FAILED =
  'Helm test failed for release podinfo/podinfo.v1 with chart podinfo@6.5.3: 1 error occurred:\n\t* pod podinfo-fault-test-a0tew failed';
const INSTALLED = 'Helm install succeeded for release podinfo/podinfo.v1 with chart podinfo@6.5.3';

const history = {
  history: [
    {
      chartName: 'podinfo',
      chartVersion: '6.5.3',
      name: 'podinfo',
      namespace: 'default',
      status: 'deployed',
      version: 1,
      testHooks: {
        'podinfo-fault-test-a0tew': {
          lastStarted: '2023-12-06T18:23:16Z',
          lastCompleted: '2023-12-06T18:23:21Z',
          phase: 'Failed',
        },
        'podinfo-grpc-test-rzg5v': {},
      },
    },
  ],
};

const hr = (ready: [string, string, string?], conditions: ReturnType<typeof cond>[], test = { enable: true }) =>
  obj('HelmRelease', 'podinfo/podinfo', {
    spec: {
      test,
      chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } },
    },
    status: status(ready, conditions, history),
  });

const failing = () =>
  hr(
    ['False', 'TestFailed', TEST_FAILED],
    [
      cond('Stalled', 'True', 'RetriesExceeded', 'Failed to install after 1 attempt(s)'),
      cond('Released', 'True', 'InstallSucceeded', INSTALLED),
      cond('TestSuccess', 'False', 'TestFailed', TEST_FAILED),
    ],
  );

ruleTester(rule, {
  valid: [
    {
      name: 'tests succeeded',
      source: 'helm-controller internal/reconcile/test.go fmtTestSuccess',
      objects: [
        hr(
          [
            'True',
            'TestSucceeded',
            'Helm test succeeded for release podinfo/podinfo.v1 with chart podinfo@6.5.3: 1 test hook completed successfully',
          ],
          [
            cond('Released', 'True', 'InstallSucceeded', INSTALLED),
            cond(
              'TestSuccess',
              'True',
              'TestSucceeded',
              'Helm test succeeded for release podinfo/podinfo.v1 with chart podinfo@6.5.3: 1 test hook completed successfully',
            ),
          ],
        ),
      ],
    },
    {
      name: 'awaiting tests (TestSuccess Unknown)',
      source:
        'helm-controller internal/reconcile/install.go: MarkUnknown(TestSuccess, "AwaitingTests", fmtTestPending)',
      objects: [
        hr(
          ['Unknown', 'Progressing', "Running 'test' action with timeout of 5m0s"],
          [
            cond('Released', 'True', 'InstallSucceeded', INSTALLED),
            cond(
              'TestSuccess',
              'Unknown',
              'AwaitingTests',
              'Helm release podinfo/podinfo.v1 with chart podinfo@6.5.3 is awaiting tests',
            ),
          ],
        ),
      ],
    },
    {
      name: 'install failure without tests is helm.install-failed',
      objects: [
        hr(
          [
            'False',
            'InstallFailed',
            'Helm install failed for release podinfo/podinfo with chart podinfo@6.5.3: context deadline exceeded',
          ],
          [
            cond(
              'Released',
              'False',
              'InstallFailed',
              'Helm install failed for release podinfo/podinfo with chart podinfo@6.5.3: context deadline exceeded',
            ),
          ],
        ),
      ],
    },
  ],
  invalid: [
    {
      name: 'test hook pod failed, install retries exhausted',
      source: 'fluxcd/helm-controller docs/spec/v2/helmreleases.md (Debugging a HelmRelease)',
      objects: [failing()],
      expect: [
        {
          severity: 'error',
          cause: 'test-failed',
          data: { release: 'podinfo/podinfo.v1', chart: 'podinfo@6.5.3' },
          summary:
            'Helm tests of release podinfo/podinfo.v1 (chart podinfo@6.5.3) for HelmRelease podinfo/podinfo failed: 1 error occurred: pod podinfo-fault-test-a0tew failed (failed test hooks: podinfo-fault-test-a0tew)',
          evidence: [/TestSuccess=False \(TestFailed\)/],
          remediation: [
            /kubectl logs -n podinfo podinfo-fault-test-a0tew/,
            /helm test podinfo -n podinfo --logs/,
            /--reset/,
          ],
        },
      ],
    },
    {
      name: 'failures ignored: the release stays Ready, a warning',
      source:
        'helm-controller internal/reconcile/release.go summarize: TestSuccess is not summarized when test.ignoreFailures',
      objects: [
        hr(
          ['True', 'InstallSucceeded', INSTALLED],
          [
            cond('Released', 'True', 'InstallSucceeded', INSTALLED),
            cond('TestSuccess', 'False', 'TestFailed', TEST_FAILED),
          ],
          { enable: true, ignoreFailures: true } as { enable: boolean },
        ),
      ],
      expect: [
        {
          severity: 'warning',
          cause: 'test-failed-ignored',
          summary:
            'Helm tests of release podinfo/podinfo.v1 (chart podinfo@6.5.3) for HelmRelease podinfo/podinfo failed: 1 error occurred: pod podinfo-fault-test-a0tew failed (failed test hooks: podinfo-fault-test-a0tew); failures are ignored (spec.test.ignoreFailures), the release stays deployed',
        },
      ],
    },
    {
      name: 'v2beta1: "Helm test failed: <err>" and no status.history',
      source:
        'helm-controller v0.36 controllers/helmrelease_controller.go handleHelmActionResult "Helm %s failed: %s" (test)',
      objects: [
        {
          ...obj('HelmRelease', 'apps/web', {
            spec: { test: { enable: true }, chart: { spec: { chart: 'web', version: '1.2.0' } } },
            status: status(
              ['False', 'TestFailed', 'Helm test failed: pod web-test-connection failed'],
              [
                cond('Released', 'False', 'TestFailed', 'Helm test failed: pod web-test-connection failed'),
                cond('TestSuccess', 'False', 'TestFailed', 'Helm test failed: pod web-test-connection failed'),
              ],
            ),
          }),
          apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        },
      ],
      expect: [
        {
          cause: 'test-failed',
          summary:
            'Helm tests of release apps/web (chart web) for HelmRelease apps/web failed: pod web-test-connection failed',
          remediation: [/^helm test web -n apps --logs$/, /^flux reconcile helmrelease web -n apps --force$/],
        },
      ],
    },
  ],
});

it('helm.test-failed replaces helm.install-failed (the RetriesExceeded stall comes from the tests)', () => {
  const r = diagnose(graphOf([failing()]), { rules: [rule, installFailed] });
  assert.deepEqual(findingKeys(r), ['error helm.test-failed HelmRelease/podinfo/podinfo']);
});
