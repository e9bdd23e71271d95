import { rule } from '../../src/rules/helm-install-failed.js';
import { cond, event, obj, READY, ruleTester, status } from '../helpers.js';

// helm-controller internal/reconcile/install.go:
//   fmtInstallFailure = "Helm install failed for release %s/%s with chart %s@%s: %s"
// set on Released=False reason InstallFailed, summarized into Ready (internal/reconcile/release.go summarize).
// Exact form from internal/controller/helmrelease_controller_test.go ("sets last attempted values" suite):
const NS_MISSING =
  'Helm install failed for release mock/release with chart hello@0.1.0: create: failed to create: namespaces "not-exist" not found';
// The wait error is fluxcd/pkg ssa/manager_wait.go WaitForSetWithContext:
//   fmt.Errorf("%s: [%s]", "timeout waiting for", "<Kind>/<ns>/<name> status: '<status>'"),
// returned by helm-controller internal/action/wait.go and wrapped by fmtInstallFailure.
const TIMEOUT =
  "Helm install failed for release podinfo/podinfo with chart podinfo@6.5.4: timeout waiting for: [Deployment/podinfo/podinfo status: 'InProgress']";
// internal/reconcile/atomic_release.go: MarkStalled(obj, "RetriesExceeded", "Failed to %s after %d attempt(s)", ...)
// and uninstall_remediation.go fmtUninstallRemediationSuccess.
const RETRIES = 'Failed to install after 1 attempt(s)';
const UNINSTALLED = 'Helm uninstall remediation for release podinfo/podinfo.v1 with chart podinfo@6.5.4 succeeded';

const hr = (name: string, conditions: ReturnType<typeof cond>[], readyMsg: [string, string, string?], spec = {}) =>
  obj('HelmRelease', name, {
    spec: {
      interval: '10m',
      chart: {
        spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' } },
      },
      ...spec,
    },
    status: status(readyMsg, conditions, { lastAttemptedRevision: '6.5.4' }),
  });

ruleTester(rule, {
  valid: [
    {
      name: 'installed and ready',
      objects: [
        hr(
          'podinfo/podinfo',
          [
            cond(
              'Released',
              'True',
              'InstallSucceeded',
              'Helm install succeeded for release podinfo/podinfo.v1 with chart podinfo@6.5.4',
            ),
          ],
          [
            'True',
            'InstallSucceeded',
            'Helm install succeeded for release podinfo/podinfo.v1 with chart podinfo@6.5.4',
          ],
        ),
      ],
    },
    {
      name: 'install in progress (Ready=Unknown)',
      source: 'internal/reconcile/atomic_release.go: "Running \'%s\' action with timeout of %s"',
      objects: [hr('podinfo/podinfo', [], ['Unknown', 'Progressing', "Running 'install' action with timeout of 5m0s"])],
    },
    {
      name: 'installed but tests failed: Stalled "Failed to install" belongs to helm.test-failed',
      source: 'fluxcd/helm-controller docs/spec/v2/helmreleases.md "Debugging a HelmRelease"',
      objects: [
        hr(
          'podinfo/podinfo',
          [
            cond('Stalled', 'True', 'RetriesExceeded', RETRIES),
            cond(
              'Released',
              'True',
              'InstallSucceeded',
              'Helm install succeeded for release podinfo/podinfo.v1 with chart podinfo@6.5.3',
            ),
            cond(
              'TestSuccess',
              'False',
              'TestFailed',
              'Helm test failed for release podinfo/podinfo.v1 with chart podinfo@6.5.3: 1 error occurred:\n\t* pod podinfo-fault-test-a0tew failed',
            ),
          ],
          [
            'False',
            'TestFailed',
            'Helm test failed for release podinfo/podinfo.v1 with chart podinfo@6.5.3: 1 error occurred:\n\t* pod podinfo-fault-test-a0tew failed',
          ],
        ),
      ],
    },
    {
      name: 'an old InstallFailed while Ready now waits for the chart (SourceNotReady)',
      objects: [
        hr(
          'podinfo/podinfo',
          [cond('Released', 'False', 'InstallFailed', TIMEOUT)],
          [
            'False',
            'SourceNotReady',
            "HelmChart 'flux-system/podinfo-podinfo' is not ready: latest generation of object has not been reconciled",
          ],
        ),
      ],
    },
    {
      name: 'an upgrade failure is helm.upgrade-failed',
      objects: [
        hr(
          'podinfo/podinfo',
          [cond('Released', 'False', 'UpgradeFailed', TIMEOUT.replace('install', 'upgrade'))],
          ['False', 'UpgradeFailed', TIMEOUT.replace('install', 'upgrade')],
        ),
      ],
    },
  ],
  invalid: [
    {
      name: 'install failed because the target namespace does not exist (not a wait: not explained by workloads)',
      source: 'fluxcd/helm-controller internal/controller/helmrelease_controller_test.go',
      objects: [
        hr(
          'mock/release',
          [
            cond('Released', 'False', 'InstallFailed', NS_MISSING),
            cond('Reconciling', 'True', 'ProgressingWithRetry', 'retrying after 1m0s'),
          ],
          ['False', 'InstallFailed', NS_MISSING],
        ),
      ],
      expect: [
        {
          summary:
            /Helm install of release mock\/release \(chart hello@0\.1\.0\) for HelmRelease mock\/release failed: create: failed to create: namespaces "not-exist" not found/,
          fixTarget: { kind: 'HelmRelease', namespace: 'mock', name: 'release' },
          evidence: [/Released=False \(InstallFailed\)/],
          remediation: [
            /Fix what Helm reports for the install \(in Git\): create: failed to create/,
            /helm history release -n mock/,
          ],
        },
      ],
    },
    {
      name: 'timed out waiting for the Deployment, uninstalled, retries exhausted',
      source: 'helm-controller install.go + fluxcd/pkg ssa/manager_wait.go + atomic_release.go RetriesExceeded',
      objects: [
        hr(
          'podinfo/podinfo',
          [
            cond('Stalled', 'True', 'RetriesExceeded', RETRIES),
            cond('Released', 'False', 'InstallFailed', TIMEOUT),
            cond('Remediated', 'True', 'UninstallSucceeded', UNINSTALLED),
          ],
          ['False', 'UninstallSucceeded', UNINSTALLED],
          { install: { remediation: { retries: 1 } }, timeout: '3m' },
        ),
        event(
          { kind: 'HelmRelease', namespace: 'podinfo', name: 'podinfo' },
          'InstallFailed',
          `${TIMEOUT}\n\nLast Helm logs:\n\nwaiting for resources`,
        ),
        obj('HelmRepository', 'podinfo', { spec: { url: 'https://stefanprodan.github.io/podinfo' }, status: READY() }),
      ],
      expect: [
        {
          summary:
            /Helm install of release podinfo\/podinfo \(chart podinfo@6\.5\.4\) for HelmRelease podinfo\/podinfo failed: timed out waiting for Deployment podinfo\/podinfo \(InProgress\) to become ready; the failed release was uninstalled; retries are exhausted after 1 attempt\(s\)/,
          fixTarget: { kind: 'Deployment', namespace: 'podinfo', name: 'podinfo' },
          evidence: [/Stalled=True \(RetriesExceeded\): Failed to install after 1 attempt\(s\)/, /InstallFailed/],
          remediation: [
            /kubectl get deploy,sts,ds,pods -n podinfo -l helm\.toolkit\.fluxcd\.io\/name=podinfo/,
            /kubectl describe deployment podinfo -n podinfo/,
            /raise spec\.timeout .* \(now 3m\)/,
            /flux reconcile helmrelease podinfo -n podinfo --reset/,
          ],
        },
      ],
    },
    {
      name: 'v2beta1 controller format',
      source:
        'fluxcd/helm-controller v0.x internal/controller/helmrelease_controller.go: fmt.Errorf("Helm %s failed: %w", action, err)',
      objects: [
        hr(
          'podinfo/podinfo',
          [cond('Released', 'False', 'InstallFailed', 'Helm install failed: context deadline exceeded')],
          ['False', 'InstallFailed', 'Helm install failed: context deadline exceeded'],
        ),
      ],
      expect: [
        { summary: /failed: context deadline exceeded/, remediation: [/helm\.toolkit\.fluxcd\.io\/name=podinfo/] },
      ],
    },
  ],
});
