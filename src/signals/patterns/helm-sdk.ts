// Helm SDK errors (helm.sh/helm/v3 pkg/action, pkg/chartutil, pkg/engine, pkg/kube, pkg/downloader,
// pkg/repo; v4 keeps the same texts) as helm-controller wraps them in its install/upgrade/test messages
// and source-controller in its HelmChart messages. `versions` is the Helm SDK range: helm-controller
// v0.1+ embeds Helm v3.x (v3.3 of 2020 to v3.19), helm-controller v1.4+ and source-controller v1.7+ Helm v4.
//
// Helm errors raised by both `install` and `upgrade` (timeouts, hooks, conflicts, kubeVersion, manifests
// the API rejects) carry code helm.install-failed: the helm.install-failed and helm.upgrade-failed rules
// both accept it and read the action from the HelmRelease's condition reason and helm-controller's wrapper.
// Texts only `upgrade` writes carry helm.upgrade-failed.
//
// Order matters: within this file, more specific patterns come first.

import type { MessagePattern } from './types.js';

/** Release errors only reach HelmRelease messages (the HelmChart reads the dependency and repository ones). */
const HR = ['HelmRelease'];

export const PATTERNS: MessagePattern[] = [
  // ---------------------------------------------------------------- the release is locked
  {
    id: 'helm-sdk/operation-in-progress',
    emitter: 'helm-sdk',
    kinds: HR,
    code: 'helm.release-pending',
    cause: 'operation-in-progress',
    re: /another operation \(install\/upgrade\/rollback\) is in progress/,
    versions: '>=3.0.0',
    cite: 'helm.sh/helm/v3@v3.13.3 pkg/action/action.go errPending "another operation (install/upgrade/rollback) is in progress"',
    reasons: ['UpgradeFailed', 'InstallFailed', 'ReconciliationFailed'],
    samples: [
      // fluxcd/helm-controller#149 (v0.x event)
      'reconciliation failed: Helm upgrade failed: another operation (install/upgrade/rollback) is in progress',
      'Helm upgrade failed for release apps/web with chart web@2.0.0: another operation (install/upgrade/rollback) is in progress',
    ],
  },

  // ---------------------------------------------------------------- values and templates
  {
    id: 'helm-sdk/values-schema-invalid',
    emitter: 'helm-sdk',
    kinds: HR,
    code: 'helm.values-invalid',
    cause: 'schema-invalid',
    re: /values don't meet the specifications of the schema\(s\) in the following chart\(s\)/,
    versions: '>=3.0.0',
    cite: 'helm.sh/helm/v3@v3.13.3 pkg/chartutil/values.go ValidateAgainstSchema "values don\'t meet the specifications of the schema(s) in the following chart(s):\\n%s"',
    reasons: ['InstallFailed', 'UpgradeFailed'],
    samples: [
      // https://github.com/rafaribe/home-ops/issues/4049 (helm-controller v1.x)
      "Helm install failed for release storage/harbor with chart app-template@4.1.2: values don't meet the specifications of the schema(s) in the following chart(s):\napp-template:\n- configMaps.registry-config: Additional property advancedMounts is not allowed",
    ],
  },
  {
    id: 'helm-sdk/template-nil-pointer',
    emitter: 'helm-sdk',
    kinds: HR,
    code: 'helm.values-invalid',
    cause: 'template-error',
    re: /template: (?<file>[^\s:]+):(?<line>\d+):(?<col>\d+): executing \\?"(?<template>[^"\\\n]+)\\?" at <(?<value>[^>\n]{0,300})>: /,
    versions: '>=3.0.0',
    cite: 'go@1.21.0 src/text/template/exec.go state.errorf "template: %s: executing %q at <%s>: %s" via helm.sh/helm/v3@v3.13.3 pkg/engine/engine.go',
    reasons: ['InstallFailed', 'UpgradeFailed'],
    samples: [
      // https://github.com/grafana/k8s-monitoring-helm/issues/192 wrapped by helm-controller
      'Helm upgrade failed for release monitoring/grafana-k8s-monitoring with chart k8s-monitoring@0.2.0: template: k8s-monitoring/templates/tests/test.yaml:85:27: executing "k8s-monitoring/templates/tests/test.yaml" at <.Values.test.image.registry>: nil pointer evaluating interface {}.image',
    ],
  },
  {
    id: 'helm-sdk/template-execution-error',
    emitter: 'helm-sdk',
    kinds: HR,
    code: 'helm.values-invalid',
    cause: 'template-failed',
    re: /execution error at \((?<file>[^\s:)]+):(?:(?<line>\d+):(?<col>\d+)|\*\*\*)\): (?<error>[^\n]{0,400})/,
    versions: '>=3.0.0',
    cite: 'helm.sh/helm/v3@v3.13.3 pkg/engine/engine.go cleanupExecError "execution error at (%s): %s" (the `required` and `fail` functions)',
    reasons: ['InstallFailed', 'UpgradeFailed'],
    samples: [
      'Helm install failed for release apps/db with chart postgresql@12.1.0: execution error at (postgresql/templates/secrets.yaml:17:24): PASSWORDS ERROR: You must provide your current passwords when upgrading the release.',
      // the same after fluxdoctor's reader masked the secret-looking `secrets.yaml:17:24`
      'Helm upgrade failed: execution error at (postgresql/templates/secrets.yaml:***): PASSWORDS ERROR: You must provide your current passwords when upgrading the release.',
    ],
  },
  {
    id: 'helm-sdk/template-parse-error',
    emitter: 'helm-sdk',
    kinds: HR,
    code: 'helm.values-invalid',
    cause: 'template-parse-error',
    re: /parse error at \((?<file>[^\s:)]+):(?<line>\d+)\): (?<error>[^\n]{0,300})/,
    versions: '>=3.0.0',
    cite: 'helm.sh/helm/v3@v3.13.3 pkg/engine/engine.go cleanupParseError "parse error at (%s): %s"',
    reasons: ['InstallFailed', 'UpgradeFailed'],
    samples: ['Helm install failed: parse error at (web/templates/deployment.yaml:12): function "toYml" not defined'],
  },
  {
    id: 'helm-sdk/manifest-yaml-invalid',
    emitter: 'helm-sdk',
    kinds: HR,
    code: 'helm.values-invalid',
    cause: 'manifest-yaml-invalid',
    re: /YAML parse error on (?<file>[^\s:]+): (?<error>[^\n]{0,300})/,
    versions: '>=3.0.0',
    cite: 'helm.sh/helm/v3@v3.13.3 pkg/releaseutil/manifest_sorter.go "YAML parse error on %s"',
    reasons: ['InstallFailed', 'UpgradeFailed'],
    samples: [
      'Helm upgrade failed: YAML parse error on web/templates/configmap.yaml: error converting YAML to JSON: yaml: line 7: did not find expected key',
    ],
  },

  // ---------------------------------------------------------------- install and upgrade (either action)
  {
    id: 'helm-sdk/resource-exists',
    emitter: 'helm-sdk',
    kinds: HR,
    code: 'helm.install-failed',
    cause: 'resource-conflict',
    re: / exists and cannot be imported into the current release(?<=(?<kind>[A-Z][A-Za-z0-9]*) \\?"(?<name>[^"\\\s]+)\\?" in namespace \\?"(?<namespace>[^"\\\s]*)\\?" exists and cannot be imported into the current release)/,
    versions: '>=3.2.0',
    cite: 'helm.sh/helm/v3@v3.13.3 pkg/action/validate.go existingResourceConflict "%s exists and cannot be imported into the current release: %s" with resourceString "%s %q in namespace %q"',
    reasons: ['InstallFailed', 'UpgradeFailed'],
    samples: [
      // https://github.com/cozystack/cozystack/issues/3 (helm-controller v0.x, v2beta1)
      'Helm install failed: rendered manifests contain a resource that already exists. Unable to continue with install: CustomResourceDefinition "certificaterequests.cert-manager.io" in namespace "" exists and cannot be imported into the current release: invalid ownership metadata; label validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm"',
    ],
  },
  {
    id: 'helm-sdk/name-in-use',
    emitter: 'helm-sdk',
    kinds: HR,
    code: 'helm.install-failed',
    cause: 'name-in-use',
    re: /cannot re-use a name that is still in use/,
    versions: '>=3.0.0',
    cite: 'helm.sh/helm/v3@v3.13.3 pkg/action/install.go availableName "cannot re-use a name that is still in use"',
    reasons: ['InstallFailed'],
    samples: ['Helm install failed: cannot re-use a name that is still in use'],
  },
  {
    id: 'helm-sdk/kube-version-incompatible',
    emitter: 'helm-sdk',
    kinds: HR,
    code: 'helm.install-failed',
    cause: 'kube-version-incompatible',
    re: /chart requires kubeVersion: (?<constraint>[^\n]{1,100}?) which is incompatible with Kubernetes (?<kubeVersion>v?\d[^\s]*)/,
    versions: '>=3.0.0',
    cite: 'helm.sh/helm/v3@v3.13.3 pkg/action/action.go renderResources "chart requires kubeVersion: %s which is incompatible with Kubernetes %s"',
    reasons: ['InstallFailed', 'UpgradeFailed'],
    samples: [
      'Helm install failed for release kube-system/traefik with chart traefik@26.0.0: chart requires kubeVersion: >=1.22.0-0 which is incompatible with Kubernetes v1.21.14',
    ],
  },
  {
    id: 'helm-sdk/hook-failed',
    emitter: 'helm-sdk',
    kinds: HR,
    code: 'helm.install-failed',
    cause: 'hook-failed',
    re: /(?:(?<phase>(?:pre|post)-(?:install|upgrade|rollback|delete)) hooks failed|failed (?<installPhase>(?:pre|post)-install)): (?:warning: )?(?:Hook (?<hook>[a-z-]+) (?<path>\S+) failed)?/,
    versions: '>=3.0.0',
    cite: 'helm.sh/helm/v3@v3.13.3 pkg/action/upgrade.go "pre-upgrade hooks failed: %s", pkg/action/install.go "failed pre-install: %s", pkg/action/hooks.go "warning: Hook %s %s failed" (when the hook cannot be created; a failed wait is returned unwrapped); helm.sh/helm/v4@v4.0.0 the same texts, hooks.go "warning: Hook %s %s failed: %w"',
    reasons: ['InstallFailed', 'UpgradeFailed'],
    samples: [
      'Helm upgrade failed for release apps/web with chart web@2.0.0: pre-upgrade hooks failed: warning: Hook pre-upgrade web/templates/migrate-job.yaml failed: 1 error occurred:\n\t* pod web-migrate failed',
      'Helm install failed: failed post-install: warning: Hook post-install web/templates/init.yaml failed: jobs.batch "init" already exists',
    ],
  },
  {
    id: 'helm-sdk/job-failed',
    emitter: 'helm-sdk',
    kinds: HR,
    code: 'helm.install-failed',
    cause: 'hook-job-failed',
    re: /job (?:(?<job>[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?) )?failed: (?<reason>BackoffLimitExceeded|DeadlineExceeded|[A-Z][A-Za-z]+)/,
    versions: '>=3.0.0',
    cite: 'helm.sh/helm/v3@v3.13.3 pkg/kube/client.go waitForJob "job failed: %s" (the Job condition reason; v3 before 3.18 does not name the Job, and WatchUntilReady gathers the errors with go-multierror "1 error occurred:\n\t* %s"); helm.sh/helm/v3@v3.18.0 pkg/kube/client.go and helm.sh/helm/v4@v4.0.0 pkg/kube/wait.go waitForJob "job %s failed: %s" (the Job name, then the reason)',
    reasons: ['InstallFailed', 'UpgradeFailed'],
    samples: [
      'Helm upgrade failed: pre-upgrade hooks failed: warning: Hook pre-upgrade app/templates/db-migrate.yaml failed: job failed: BackoffLimitExceeded',
      // https://github.com/helm/helm/issues/10720 (Helm v3.7.2, the same error helm-controller wraps)
      'post-upgrade hooks failed: job failed: BackoffLimitExceeded',
      // source-filled: helm-controller "Helm install failed for release %s/%s with chart %s@%s: %s" around v3.13 install.go + multierror
      'Helm install failed for release apps/web with chart web@1.0.0: failed post-install: 1 error occurred:\n\t* job failed: BackoffLimitExceeded',
      // source-filled: Helm v3.18+/v4 names the Job
      'Helm upgrade failed for release apps/web with chart web@2.0.0: pre-upgrade hooks failed: job web-migrate failed: BackoffLimitExceeded',
    ],
  },
  {
    id: 'helm-sdk/manifest-invalid',
    emitter: 'helm-sdk',
    kinds: HR,
    code: 'helm.install-failed',
    cause: 'manifest-invalid',
    re: /unable to build kubernetes objects from (?:current |new )?release manifest: /,
    versions: '>=3.0.0',
    cite: 'helm.sh/helm/v3@v3.13.3 pkg/action/install.go "unable to build kubernetes objects from release manifest"; pkg/action/upgrade.go "... from new release manifest"',
    reasons: ['InstallFailed', 'UpgradeFailed'],
    samples: [
      // vmware-tanzu/kubeapps plugin comments quoting helm-controller v0.x (InstallFailed)
      'Helm install failed: unable to build kubernetes objects from release manifest: error validating "": error validating data: ValidationError(Deployment.spec.replicas): invalid type for io.k8s.api.apps.v1.DeploymentSpec.replicas: got "string", expected "integer"',
    ],
  },
  {
    id: 'helm-sdk/wait-timeout',
    emitter: 'helm-sdk',
    kinds: HR,
    code: 'helm.install-failed',
    cause: 'wait-timeout',
    re: /timed out waiting for the condition|context deadline exceeded/,
    versions: '>=3.0.0',
    cite: 'k8s.io/apimachinery@v0.28.4 pkg/util/wait/wait.go ErrWaitTimeout "timed out waiting for the condition" returned by helm.sh/helm/v3@v3.13.3 pkg/kube/wait.go; context.DeadlineExceeded "context deadline exceeded"',
    reasons: ['InstallFailed', 'UpgradeFailed'],
    samples: [
      // fluxcd/helm-controller#149 (v0.x event)
      'reconciliation failed: Helm upgrade failed: timed out waiting for the condition',
      'Helm install failed for release apps/web with chart web@1.0.0: context deadline exceeded',
    ],
  },

  // ---------------------------------------------------------------- upgrade only
  {
    id: 'helm-sdk/no-deployed-releases',
    emitter: 'helm-sdk',
    kinds: HR,
    code: 'helm.upgrade-failed',
    cause: 'no-deployed-release',
    re: /has no deployed releases/,
    versions: '>=3.0.0',
    cite: 'helm.sh/helm/v3@v3.13.3 pkg/storage/driver/driver.go ErrNoDeployedReleases "has no deployed releases"',
    reasons: ['UpgradeFailed'],
    samples: ['Helm upgrade failed: "web" has no deployed releases'],
  },

  // ---------------------------------------------------------------- chart dependencies and repositories (HelmChart)
  {
    id: 'helm-sdk/no-repository-definition',
    emitter: 'helm-sdk',
    code: 'helm.chart-dependency',
    cause: 'repository-not-defined',
    re: /no repository definition for (?<repositories>[^\n.]{1,300})/,
    versions: '>=3.0.0',
    cite: 'helm.sh/helm/v3@v3.13.3 pkg/downloader/manager.go ErrRepoNotFound "no repository definition for %s"',
    reasons: ['DependencyBuildError'],
    samples: ['dependency build error: no repository definition for https://charts.bitnami.com/bitnami'],
  },
  {
    id: 'helm-sdk/protocol-handler-missing',
    emitter: 'helm-sdk',
    code: 'helm.chart-dependency',
    cause: 'repository-scheme-unsupported',
    re: /could not find protocol handler for: (?<scheme>\S+)/,
    versions: '>=3.0.0',
    cite: 'helm.sh/helm/v3@v3.13.3 pkg/repo/chartrepo.go NewChartRepository "could not find protocol handler for: %s"',
    reasons: ['DependencyBuildError'],
    samples: [
      "dependency build error: failed to add remote dependency 'common': could not find protocol handler for: s3",
    ],
  },
];
