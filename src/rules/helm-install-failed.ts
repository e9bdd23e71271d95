// helm.install-failed: the Helm install of a HelmRelease failed (Released=False reason InstallFailed),
// possibly remediated by an uninstall and retried until the retries ran out (Stalled RetriesExceeded).
// When the install timed out waiting for the release's workloads, the engine follows the objects the
// release manages and reports the failing workload instead (explainedBy: applied).

import { actionFailure, actionFailureFinding } from './helm-common.js';
import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'helm.install-failed',
    severity: 'error',
    title: 'The Helm install failed',
    kinds: ['HelmRelease'],
    explainedBy: ['applied'],
    docs: {
      description:
        "helm-controller ran `helm install` for the release and it failed: the chart's resources could not be created (conflicts with existing objects, a missing namespace or CRD, admission webhooks), a hook failed, or — most often — the workloads did not become ready within `spec.timeout` (5m by default). With `spec.install.remediation.retries` the failed release is uninstalled and the install retried; when the retries are exhausted the HelmRelease is Stalled and waits for a spec change or a manual reset. When the install timed out waiting for workloads, the workload's own finding (image pull, crash loop, unschedulable…) is the root cause and this HelmRelease is listed as affected.",
      detection: [
        "- `Released=False` with reason `InstallFailed` and helm-controller's message `Helm install failed for release <ns>/<name> with chart <chart>@<version>: <Helm error>` (internal/reconcile/install.go), mirrored in `Ready` (or `Ready` reason `UninstallSucceeded`/`UninstallFailed` after remediation) and a Warning event `InstallFailed`.",
        '- `Stalled=True` reason `RetriesExceeded`, message `Failed to install after <n> attempt(s)` (internal/reconcile/atomic_release.go); older controllers: `install retries exhausted`.',
        '- Only when `Ready` reflects a Helm action (not `SourceNotReady`, `ValuesError`, `DependencyNotReady`…) and `Released` is not True (a release installed whose tests then failed is `helm.test-failed`).',
        "- Wait failures (`timeout waiting for: [Deployment/<ns>/<name> status: 'InProgress']`, `failed early due to stalled resources`, `context deadline exceeded`) make the finding a symptom of the release's workloads (objects labelled `helm.toolkit.fluxcd.io/name`).",
        '- More specific codes on the same HelmRelease win: `helm.values-invalid` (schema/template errors), `helm.release-pending`, `helm.test-failed`, `helm.secret-missing`.',
      ].join('\n'),
      fix: [
        '- Read the Helm error in the `Released` condition or the `InstallFailed` event (`flux events --for HelmRelease/<name>`); the event also carries the last Helm log lines.',
        '- Timeout: look at the workloads the release created (`kubectl get deploy,sts,pods -n <target> -l helm.toolkit.fluxcd.io/name=<name>`) and fix why they are not ready; raise `spec.timeout` only if they just need longer.',
        '- Conflicts (`… exists and cannot be imported into the current release`): delete or adopt the existing object.',
        '- When retries are exhausted, reset and retry after the fix: `flux reconcile helmrelease <name> -n <namespace> --reset` (or `--force`).',
      ].join('\n'),
      commands: [
        'flux get helmreleases -A --status-selector ready=false',
        'flux events --for HelmRelease/<name> -n <namespace>',
        'helm history <release> -n <storage-namespace>',
        'kubectl get deploy,sts,ds,pods -n <target-namespace> -l helm.toolkit.fluxcd.io/name=<name>',
      ],
      examples: [
        {
          message:
            'Helm install failed for release mock/release with chart hello@0.1.0: create: failed to create: namespaces "not-exist" not found',
          source:
            'fluxcd/helm-controller internal/controller/helmrelease_controller_test.go (Released/Ready InstallFailed)',
        },
        {
          message:
            "Helm install failed for release podinfo/podinfo with chart podinfo@6.5.4: timeout waiting for: [Deployment/podinfo/podinfo status: 'InProgress']",
          source:
            'fluxcd/helm-controller internal/reconcile/install.go fmtInstallFailure + fluxcd/pkg ssa/manager_wait.go',
        },
        {
          message: 'Failed to install after 1 attempt(s)',
          source:
            'fluxcd/helm-controller internal/reconcile/atomic_release.go (Stalled RetriesExceeded); docs/spec/v2/helmreleases.md',
        },
      ],
    },
  },
  check(obj, { graph }) {
    const f = actionFailure(obj, graph, 'install');
    return f ? actionFailureFinding(obj, f, graph) : undefined;
  },
};
