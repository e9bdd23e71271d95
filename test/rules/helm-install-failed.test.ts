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
// https://github.com/cozystack/cozystack/issues/3 (v2beta1 Released condition, verbatim up to the reporter's cut)
const CONFLICT =
  'Helm install failed: rendered manifests contain a resource that already exists. Unable to continue with install: CustomResourceDefinition "certificaterequests.cert-manager.io" in namespace "" exists and cannot be imported into the current release: invalid ownership metadata';
// helm.sh/helm/v3 pkg/action/action.go renderResources, wrapped by install.go fmtInstallFailure
const KUBE_VERSION =
  'Helm install failed for release kube-system/traefik with chart traefik@26.0.0: chart requires kubeVersion: >=1.22.0-0 which is incompatible with Kubernetes v1.21.14';
// helm.sh/helm/v3@v3.13.3 pkg/action/install.go "failed post-install: %s" around pkg/kube/client.go
// WatchUntilReady (go-multierror "1 error occurred:\n\t* %s") and waitForJob "job failed: %s", wrapped by fmtInstallFailure.
const HOOK_V3 =
  'Helm install failed for release apps/web with chart web@1.0.0: failed post-install: 1 error occurred:\n\t* job failed: BackoffLimitExceeded';
// helm.sh/helm/v4@v4.0.0 pkg/kube/wait.go waitForJob "job %s failed: %s" (helm-controller v1.4+ embeds Helm v4).
const HOOK_V4 =
  'Helm install failed for release apps/web with chart web@1.0.0: failed post-install: job web-migrate failed: BackoffLimitExceeded';
const webHr = (message: string) =>
  obj('HelmRelease', 'apps/web', {
    spec: { interval: '10m', chart: { spec: { chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'acme' } } } },
    status: status(['False', 'InstallFailed', message], [cond('Released', 'False', 'InstallFailed', message)]),
  });
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
          cause: 'helm-error',
          data: { release: 'mock/release', chart: 'hello@0.1.0', action: 'install' },
          summary:
            'Helm install of release mock/release (chart hello@0.1.0) for HelmRelease mock/release failed: create: failed to create: namespaces "not-exist" not found; helm-controller retries it on its next reconciliation',
          fixTarget: { kind: 'HelmRelease', namespace: 'mock', name: 'release' },
          evidence: [/Released=False \(InstallFailed\)/],
          remediation: [
            /Fix what Helm reports for the install in .*: create: failed to create/,
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
          cause: 'wait-timeout',
          data: { waiting: 'Deployment podinfo/podinfo (InProgress)', attempts: 1, timeout: '3m' },
          summary:
            'Helm install of release podinfo/podinfo (chart podinfo@6.5.4) for HelmRelease podinfo/podinfo failed: timed out waiting for Deployment podinfo/podinfo (InProgress) to become ready; the failed release was uninstalled; retries are exhausted after 1 attempt(s), so the controller stopped retrying (Stalled)',
          fixTarget: { kind: 'Deployment', namespace: 'podinfo', name: 'podinfo' },
          evidence: [/Stalled=True \(RetriesExceeded\): Failed to install after 1 attempt\(s\)/, /InstallFailed/],
          remediation: [
            /kubectl get deploy,sts,ds,pods -n podinfo -l helm\.toolkit\.fluxcd\.io\/name=podinfo,helm\.toolkit\.fluxcd\.io\/namespace=podinfo/,
            /kubectl describe deployment podinfo -n podinfo/,
            /raise spec\.timeout .* \(now 3m\)/,
            /flux reconcile helmrelease podinfo -n podinfo --reset/,
          ],
        },
      ],
    },
    {
      name: 'v2beta1 controller format: Helm waiter deadline',
      source:
        'fluxcd/helm-controller v0.36 controllers/helmrelease_controller.go handleHelmActionResult "Helm %s failed: %s"',
      objects: [
        hr(
          'podinfo/podinfo',
          [cond('Released', 'False', 'InstallFailed', 'Helm install failed: context deadline exceeded')],
          ['False', 'InstallFailed', 'Helm install failed: context deadline exceeded'],
        ),
      ],
      expect: [
        {
          cause: 'wait-timeout',
          summary:
            "Helm install of release podinfo/podinfo (chart podinfo@6.5.4) for HelmRelease podinfo/podinfo failed: timed out waiting for the release's resources (context deadline exceeded) to become ready; helm-controller retries it on its next reconciliation",
          remediation: [/helm\.toolkit\.fluxcd\.io\/name=podinfo/],
        },
      ],
    },
    {
      name: 'v2beta1 HelmRelease: "install retries exhausted" on Ready, the Helm error on Released',
      source: 'https://github.com/cozystack/cozystack/issues/3 (helm.toolkit.fluxcd.io/v2beta1)',
      objects: [
        {
          ...hr(
            'cozy-cert-manager/cert-manager',
            [cond('Released', 'False', 'InstallFailed', CONFLICT)],
            ['False', 'InstallFailed', 'install retries exhausted'],
            { releaseName: 'cert-manager' },
          ),
          apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        },
      ],
      expect: [
        {
          cause: 'resource-conflict',
          data: { conflict: 'CustomResourceDefinition certificaterequests.cert-manager.io' },
          summary:
            'Helm install of release cozy-cert-manager/cert-manager (chart podinfo@6.5.4) for HelmRelease cozy-cert-manager/cert-manager failed: CustomResourceDefinition certificaterequests.cert-manager.io already exists and does not belong to the release (Helm will not adopt it); retries are exhausted, so the controller stopped retrying (Stalled)',
          fixTarget: { kind: 'CustomResourceDefinition', name: 'certificaterequests.cert-manager.io' },
          remediation: [
            /^kubectl label customresourcedefinition certificaterequests\.cert-manager\.io app\.kubernetes\.io\/managed-by=Helm$/,
            /meta\.helm\.sh\/release-name=cert-manager meta\.helm\.sh\/release-namespace=cozy-cert-manager/,
          ],
        },
      ],
    },
    {
      name: 'v0.x: only "install retries exhausted" is left (the Helm error is in older events)',
      source: 'https://github.com/fluxcd/helm-controller/issues/142',
      objects: [
        {
          ...hr('cert-manager/cert-manager', [], ['False', 'InstallFailed', 'install retries exhausted']),
          apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        },
      ],
      expect: [
        {
          cause: 'retries-exhausted',
          summary:
            'Helm install of release cert-manager/cert-manager (chart podinfo@6.5.4) for HelmRelease cert-manager/cert-manager failed and helm-controller stopped retrying: retries are exhausted, so the controller stopped retrying (Stalled)',
          remediation: [/flux events --for HelmRelease\/cert-manager -n cert-manager/, /--reset$/],
        },
      ],
    },
    {
      name: 'v2beta2: chart requires a newer Kubernetes (Ready shows the uninstall, lastAttemptedReleaseAction install)',
      source:
        'helm.sh/helm/v3 pkg/action/action.go "chart requires kubeVersion: %s which is incompatible with Kubernetes %s"',
      objects: [
        {
          ...obj('HelmRelease', 'kube-system/traefik', {
            spec: { interval: '10m', chart: { spec: { chart: 'traefik', version: '26.0.0' } } },
            status: status(
              [
                'False',
                'UninstallSucceeded',
                'Helm uninstall remediation for release kube-system/traefik.v1 with chart traefik@26.0.0 succeeded',
              ],
              [cond('Released', 'False', 'InstallFailed', KUBE_VERSION)],
              { lastAttemptedReleaseAction: 'install', installFailures: 1 },
            ),
          }),
          apiVersion: 'helm.toolkit.fluxcd.io/v2beta2',
        },
      ],
      expect: [
        {
          cause: 'kube-version-incompatible',
          data: { constraint: '>=1.22.0-0', kubeVersion: 'v1.21.14' },
          summary:
            'Helm install of release kube-system/traefik (chart traefik@26.0.0) for HelmRelease kube-system/traefik failed: the chart requires Kubernetes >=1.22.0-0 and the cluster runs v1.21.14; the failed release was uninstalled',
          remediation: [/Pin a chart version that supports Kubernetes v1\.21\.14/],
        },
      ],
    },
    {
      name: 'a post-install hook Job failed (Helm v3 wording), the Job was not read: the release says which hook',
      source:
        'helm.sh/helm/v3@v3.13.3 pkg/action/install.go "failed post-install: %s", pkg/kube/client.go "job failed: %s"',
      objects: [webHr(HOOK_V3)],
      expect: [
        {
          cause: 'hook-failed',
          data: { hook: 'the post-install hook', error: 'job failed: BackoffLimitExceeded' },
          summary:
            'Helm install of release apps/web (chart web@1.0.0) for HelmRelease apps/web failed: the post-install hook failed: job failed: BackoffLimitExceeded; helm-controller retries it on its next reconciliation',
          fixTarget: { kind: 'HelmRelease', namespace: 'apps', name: 'web' },
          remediation: [/^kubectl get jobs,pods -n apps$/],
        },
      ],
    },
    {
      name: "Helm v4 names the hook Job; not read: the release names it and the command for its pods' logs",
      source: 'helm.sh/helm/v4@v4.0.0 pkg/kube/wait.go waitForJob "job %s failed: %s"',
      objects: [webHr(HOOK_V4)],
      expect: [
        {
          cause: 'hook-failed',
          data: { job: 'Job apps/web-migrate', hook: 'the post-install hook (Job apps/web-migrate)' },
          summary:
            'Helm install of release apps/web (chart web@1.0.0) for HelmRelease apps/web failed: the post-install hook (Job apps/web-migrate) failed: job web-migrate failed: BackoffLimitExceeded; helm-controller retries it on its next reconciliation',
          fixTarget: { kind: 'Job', namespace: 'apps', name: 'web-migrate' },
          remediation: [/^kubectl logs -n apps -l '?job-name=web-migrate'? --all-containers --prefix$/],
        },
      ],
    },
    {
      name: 'Helm v3 does not post-render hooks: an unlabelled failed hook Job of the namespace is named, the release stays a finding',
      source:
        'helm.sh/helm/v3@v3.13.3 pkg/action/action.go renderResources (the post-renderer sees the manifests, not the hooks)',
      objects: [
        webHr(HOOK_V3),
        obj('Job', 'apps/web-init', {
          annotations: { 'helm.sh/hook': 'post-install,post-upgrade' },
          spec: { backoffLimit: 1 },
          status: {
            failed: 2,
            conditions: [cond('Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')],
          },
        }),
        obj('Job', 'apps/web-pre', { annotations: { 'helm.sh/hook': 'pre-install' }, status: { succeeded: 1 } }),
        // another release's failed hook in the same namespace is not this release's
        obj('Job', 'apps/cache-init', {
          labels: { 'app.kubernetes.io/instance': 'cache' },
          annotations: { 'helm.sh/hook': 'post-install' },
          status: {
            failed: 7,
            conditions: [cond('Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')],
          },
        }),
      ],
      expect: [
        {
          cause: 'hook-failed',
          data: { job: 'Job apps/web-init' },
          fixTarget: { kind: 'Job', namespace: 'apps', name: 'web-init' },
          remediation: [/^kubectl logs -n apps -l '?job-name=web-init'? --all-containers --prefix$/],
        },
      ],
    },
  ],
});
