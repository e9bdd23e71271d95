import { rule } from '../../src/rules/helm-chart-dependency.js';
import { cond, obj, READY, ruleTester, status } from '../helpers.js';

// source-controller internal/helm/chart/builder_local.go wraps DependencyManager.Build errors as
// &BuildError{Reason: ErrDependencyBuild} ("dependency build error: %s"), and helmchart_controller.go
// marks BuildFailed=True with reason "DependencyBuildError"; dependency_manager.go builds the inner text:
//   addRemoteDependency: "failed to get chart '%s' version '%s' from '%s': %w" (the index error from
//   chart_repository.go "no '%s' chart with version matching '%s' found"), wrapped by
//   build(): "failed to add remote dependency '%s': %w";
//   addLocalDependency: "no chart found at '%s' (reference '%s')", wrapped "failed to add local dependency '%s': %w".
const REMOTE =
  "dependency build error: failed to add remote dependency 'redis': failed to get chart 'redis' version '99.x' from 'https://charts.bitnami.com/bitnami': no 'redis' chart with version matching '99.x' found";
const LOCAL =
  "dependency build error: failed to add local dependency 'common': no chart found at '/charts/common' (reference 'file://../common')";

const git = () =>
  obj('GitRepository', 'apps', {
    spec: { url: 'https://github.com/acme/apps', ref: { branch: 'main' } },
    status: READY('stored artifact for revision main@sha1:0123456789abcdef'),
  });

const failedChart = (name: string, msg: string) =>
  obj('HelmChart', name, {
    spec: { chart: './charts/umbrella', sourceRef: { kind: 'GitRepository', name: 'apps' } },
    status: status(['False', 'DependencyBuildError', msg], [cond('BuildFailed', 'True', 'DependencyBuildError', msg)]),
  });

const release = (ready: [string, string, string?]) =>
  obj('HelmRelease', 'umbrella', {
    spec: {
      chart: { spec: { chart: './charts/umbrella', sourceRef: { kind: 'GitRepository', name: 'apps' } } },
    },
    status: status(ready),
  });

ruleTester(rule, {
  valid: [
    {
      name: 'chart built with its dependencies',
      objects: [
        git(),
        obj('HelmChart', 'flux-system-umbrella', {
          spec: { chart: './charts/umbrella', sourceRef: { kind: 'GitRepository', name: 'apps' } },
          status: READY("packaged 'umbrella' chart with version '1.0.0'"),
        }),
      ],
    },
    {
      name: 'a missing chart version (not a dependency) is helm.chart-not-found',
      source: 'fluxcd/source-controller docs/spec/v1/helmcharts.md',
      objects: [
        obj('HelmChart', 'podinfo', {
          spec: { chart: 'podinfo', version: '9.*', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } },
          status: status([
            'False',
            'InvalidChartReference',
            "invalid chart reference: failed to get chart version for remote reference: no 'podinfo' chart with version matching '9.*' found",
          ]),
        }),
      ],
    },
    {
      name: 'values files merge error (another build failure reason)',
      source: 'source-controller internal/controller/helmchart_controller_test.go: BuildFailed ValuesFilesError',
      objects: [
        obj('HelmChart', 'podinfo', {
          spec: { chart: './charts/podinfo', sourceRef: { kind: 'GitRepository', name: 'apps' } },
          status: status(
            ['False', 'ValuesFilesError', 'values files merge error: no values file found at path'],
            [cond('BuildFailed', 'True', 'ValuesFilesError', 'values files merge error: no values file found at path')],
          ),
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'remote dependency version does not exist, chart generated for a HelmRelease',
      source: 'source-controller internal/helm/chart/dependency_manager.go addRemoteDependency',
      objects: [
        git(),
        failedChart('flux-system-umbrella', REMOTE),
        release(['False', 'SourceNotReady', `HelmChart 'flux-system/flux-system-umbrella' is not ready: ${REMOTE}`]),
      ],
      expect: [
        {
          object: 'HelmChart/flux-system/flux-system-umbrella',
          cause: 'dependency-unresolved',
          summary:
            "HelmChart flux-system/flux-system-umbrella (generated for HelmRelease flux-system/umbrella): dependency 'redis' version '99.x' cannot be resolved from https://charts.bitnami.com/bitnami: no 'redis' chart with version matching '99.x' found",
          fixTarget: { kind: 'GitRepository', namespace: 'flux-system', name: 'apps' },
          evidence: [/BuildFailed=True \(DependencyBuildError\)/],
          remediation: [
            /helm dependency update \.\/charts\/umbrella/,
            /flux reconcile helmrelease umbrella -n flux-system --with-source/,
          ],
        },
        {
          object: 'HelmRelease/flux-system/umbrella',
          cause: 'release-dependency-unresolved',
          summary:
            /HelmRelease flux-system\/umbrella cannot build its chart \(HelmChart flux-system\/flux-system-umbrella\)/,
          fixTarget: { kind: 'HelmRelease', namespace: 'flux-system', name: 'umbrella' },
        },
      ],
    },
    {
      name: 'standalone HelmChart with a missing local file:// dependency',
      source:
        'source-controller internal/helm/chart/dependency_manager.go addLocalDependency (dependency_manager_test.go "no chart found at")',
      objects: [git(), failedChart('umbrella', LOCAL)],
      expect: [
        {
          cause: 'dependency-unresolved',
          summary:
            "HelmChart flux-system/umbrella: local dependency 'common' is not at '/charts/common' (repository 'file://../common')",
          remediation: [/file:\/\//, /flux reconcile source chart umbrella -n flux-system/],
        },
      ],
    },
    {
      name: 'Helm SDK: a dependency repository with an unsupported scheme',
      source: 'helm.sh/helm/v3 pkg/repo/chartrepo.go "could not find protocol handler for: %s"',
      objects: [
        git(),
        failedChart(
          'umbrella',
          "dependency build error: failed to add remote dependency 'common': could not find protocol handler for: s3",
        ),
      ],
      expect: [
        {
          cause: 'dependency-unresolved',
          summary: "HelmChart flux-system/umbrella: dependency 'common' cannot be resolved",
        },
      ],
    },
  ],
});
