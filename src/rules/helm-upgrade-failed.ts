// helm.upgrade-failed: the Helm upgrade of a HelmRelease failed (Released=False reason UpgradeFailed),
// the rollback remediation failed, or the upgrade retries are exhausted (Stalled RetriesExceeded).
// When the upgrade timed out waiting for the release's workloads, the engine reports the failing
// workload instead (explainedBy: applied).

import { actionFailure, actionFailureFinding } from './helm-common.js';
import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'helm.upgrade-failed',
    severity: 'error',
    title: 'The Helm upgrade failed or its retries are exhausted',
    kinds: ['HelmRelease'],
    explainedBy: ['applied'],
    docs: {
      description:
        "helm-controller ran `helm upgrade` for a new chart version, new values or drift correction, and it failed: the new manifests were rejected, a hook failed, an immutable field changed, or the workloads did not become ready within `spec.timeout`. With `spec.upgrade.remediation` the release is rolled back (or uninstalled) and the upgrade retried; when the retries are exhausted the HelmRelease is Stalled until the spec changes or it is reset. A failed rollback leaves the release in a failed state. When the upgrade timed out waiting for workloads, the workload's own finding is the root cause and this HelmRelease is listed as affected.",
      detection: [
        '- `Released=False` with reason `UpgradeFailed` and `Helm upgrade failed for release <ns>/<name> with chart <chart>@<version>: <Helm error>` (internal/reconcile/upgrade.go), with `Ready` showing it or the remediation (`RollbackSucceeded`, `RollbackFailed`, `UninstallSucceeded`), and a Warning event `UpgradeFailed`.',
        '- `Remediated=False` reason `RollbackFailed`: `Helm rollback to previous release <ns>/<name>.v<n> with chart <chart>@<v> failed: <error>` (internal/reconcile/rollback_remediation.go).',
        '- `Stalled=True` reason `RetriesExceeded`, `Failed to upgrade after <n> attempt(s)`, or reason `MissingRollbackTarget` (internal/reconcile/atomic_release.go); older controllers: `upgrade retries exhausted`, `Helm upgrade failed: <error>`.',
        '- Only when `Ready` reflects a Helm action, and `Released` is not True.',
        '- Wait failures make the finding a symptom of the release workloads; `helm.values-invalid`, `helm.release-pending`, `helm.test-failed` and `helm.secret-missing` win on the same HelmRelease.',
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
          message: 'Helm upgrade failed: another operation (install/upgrade/rollback) is in progress',
          source:
            'https://github.com/fluxcd/helm-controller/issues/149 (old format; that message itself is helm.release-pending)',
        },
      ],
    },
  },
  check(obj, { graph }) {
    const f = actionFailure(obj, graph, 'upgrade');
    return f ? actionFailureFinding(obj, f, graph) : undefined;
  },
};
