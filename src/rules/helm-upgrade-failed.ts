// helm.upgrade-failed: the Helm upgrade of a HelmRelease failed (Released=False reason UpgradeFailed),
// the rollback remediation failed, or the upgrade retries are exhausted (Stalled RetriesExceeded).
// When the upgrade timed out waiting for the release's workloads, the engine reports the failing
// workload instead (explainedBy: applied). The check and its templates are helm.install-failed's.

import { RELEASE_ACTION_MESSAGES, releaseActionCheck } from './helm-install-failed.js';
import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'helm.upgrade-failed',
    severity: 'error',
    title: 'The Helm upgrade failed or its retries are exhausted',
    kinds: ['HelmRelease'],
    explainedBy: ['applied'],
    messages: RELEASE_ACTION_MESSAGES,
    docs: {
      description:
        "helm-controller ran `helm upgrade` for a new chart version, new values or drift correction, and it failed: the new manifests were rejected, a hook failed, an immutable field changed, or the workloads did not become ready within `spec.timeout`. With `spec.upgrade.remediation` the release is rolled back (or uninstalled) and the upgrade retried; when the retries are exhausted the HelmRelease is Stalled until the spec changes or it is reset. A failed rollback leaves the release in a failed state. When the upgrade timed out waiting for workloads, the workload's own finding is the root cause and this HelmRelease is listed as affected.",
      detection: [
        '- Which action failed is read from the conditions of every API version (src/signals/helm.ts): `Released=False` reason `UpgradeFailed`, `Ready` reason `UpgradeFailed` or a remediation reason (`RollbackSucceeded`, `RollbackFailed`, `UninstallSucceeded`) with `status.lastAttemptedReleaseAction`/`upgradeFailures`, `Remediated=False` reason `RollbackFailed`, and `Stalled=True` reason `RetriesExceeded` `Failed to upgrade after <n> attempt(s)` or `MissingRollbackTarget` (v0.37+); v2beta1 controllers (up to v0.36): `upgrade retries exhausted`, `Helm upgrade failed: <err>`.',
        '- Only when `Ready` reflects a Helm action, and `Released` is not True.',
        '- The Helm error is classified with src/signals/patterns/helm-controller.ts (`Helm upgrade failed for release <ns>/<name> with chart <chart>@<version>: <err>`, `Helm rollback to previous release … failed: <err>`), helm-sdk.ts and ssa.ts (wait errors, parsed by src/signals/wait.ts). Wait failures make the finding a symptom of the release workloads; `helm.values-invalid`, `helm.release-pending`, `helm.test-failed` and `helm.secret-missing` win on the same HelmRelease.',
      ].join('\n'),
      fix: [
        '- Read the Helm error in the `Released` condition or the `UpgradeFailed` event (`flux events --for HelmRelease/<name>`).',
        '- Timeout: fix why the new pods do not become ready (`kubectl get pods -n <target> -l helm.toolkit.fluxcd.io/name=<name>`), or raise `spec.timeout`.',
        '- Immutable field / conflict errors: change the chart values so the field keeps its value, or set `spec.upgrade.force: true` to replace the objects.',
        '- After fixing, retry: `flux reconcile helmrelease <name> -n <namespace> --reset` clears exhausted retries, `--force` runs a one-off upgrade.',
      ].join('\n'),
      commands: [
        'flux get helmreleases -A --status-selector ready=false',
        'flux events --for HelmRelease/<name> -n <namespace>',
        'helm history <release> -n <storage-namespace>',
        'flux reconcile helmrelease <name> -n <namespace> --reset',
      ],
      examples: [
        {
          message:
            "Helm upgrade failed for release podinfo/podinfo with chart podinfo@6.5.4: timeout waiting for: [Deployment/podinfo/podinfo status: 'InProgress']",
          source:
            'fluxcd/helm-controller internal/reconcile/upgrade.go fmtUpgradeFailure + fluxcd/pkg ssa/manager_wait.go',
        },
        {
          message: 'Failed to upgrade after 3 attempt(s)',
          source: 'fluxcd/helm-controller internal/reconcile/atomic_release.go MarkStalled(RetriesExceeded)',
        },
        {
          message: 'upgrade retries exhausted',
          source: 'https://github.com/fluxcd/helm-controller/issues/454 (v0.11)',
        },
      ],
    },
  },
  check: releaseActionCheck('upgrade'),
};
