import assert from 'node:assert/strict';
import { it } from 'node:test';
import { diagnose } from '../../src/diagnose/engine.js';
import { rule } from '../../src/rules/helm-chart-not-found.js';
import type { Rule } from '../../src/rules/types.js';
import { cond, event, findingKeys, graphOf, obj, READY, ruleTester, status } from '../helpers.js';

// source-controller docs/spec/v1/helmcharts.md "Debugging a HelmChart": a HelmChart whose version
// does not exist is Stalled/FetchFailed/Ready=False with reason InvalidChartReference and this message
// (internal/helm/chart/builder_remote.go wraps repository.ErrReference from chart_repository.go).
const NO_VERSION =
  "invalid chart reference: failed to get chart version for remote reference: no 'podinfo' chart with version matching '9.*' found";
// Same path, Helm's repo.ErrNoChartName when the chart name is not in index.yaml
// (source-controller internal/helm/repository/chart_repository.go getChartVersion).
const NO_NAME = 'invalid chart reference: failed to get chart version for remote reference: no chart name found';
// OCI: oci_chart_repository.go getLastMatchingVersionOrConstraint, wrapped as ErrExternal → ChartPullError
// ("chart pull error" is ErrChartPull's summary in internal/helm/chart/errors.go).
const OCI_NO_TAG =
  'chart pull error: failed to get chart version for remote reference: could not locate a version matching provided version string 9.x';

const stalledChart = (name: string, msg: string, reason = 'InvalidChartReference', spec = {}) =>
  obj('HelmChart', name, {
    spec: { chart: 'podinfo', version: '9.*', sourceRef: { kind: 'HelmRepository', name: 'podinfo' }, ...spec },
    status: status(
      ['False', reason, msg],
      [cond('Stalled', 'True', reason, msg), cond('FetchFailed', 'True', reason, msg)],
    ),
  });

const repo = (url = 'https://stefanprodan.github.io/podinfo', extra = {}) =>
  obj('HelmRepository', 'podinfo', {
    spec: { url, interval: '10m', ...extra },
    status: READY('stored artifact: revision sha256:abc'),
  });

const release = (ready: [string, string, string?]) =>
  obj('HelmRelease', 'podinfo/podinfo', {
    spec: {
      interval: '5m',
      chart: {
        spec: {
          chart: 'podinfo',
          version: '9.*',
          sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' },
        },
      },
    },
    status: status(ready, [], { helmChart: 'flux-system/podinfo-podinfo' }),
  });

ruleTester(rule, {
  valid: [
    {
      name: 'healthy HelmChart and HelmRelease',
      objects: [
        repo(),
        obj('HelmChart', 'podinfo-podinfo', {
          spec: { chart: 'podinfo', version: '6.x', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } },
          status: READY("pulled 'podinfo' chart with version '6.5.4'"),
        }),
        release([
          'True',
          'UpgradeSucceeded',
          'Helm upgrade succeeded for release podinfo/podinfo.v2 with chart podinfo@6.5.4',
        ]),
      ],
    },
    {
      name: 'the same index message for a dependency belongs to helm.chart-dependency',
      source:
        'source-controller internal/helm/chart/dependency_manager.go addRemoteDependency + builder_local.go ErrDependencyBuild',
      objects: [
        obj('HelmChart', 'umbrella', {
          spec: { chart: './charts/umbrella', sourceRef: { kind: 'GitRepository', name: 'apps' } },
          status: status(
            [
              'False',
              'DependencyBuildError',
              "dependency build error: failed to add remote dependency 'redis': failed to get chart 'redis' version '99.x' from 'https://charts.bitnami.com/bitnami': no 'redis' chart with version matching '99.x' found",
            ],
            [
              cond(
                'BuildFailed',
                'True',
                'DependencyBuildError',
                "dependency build error: failed to add remote dependency 'redis': failed to get chart 'redis' version '99.x' from 'https://charts.bitnami.com/bitnami': no 'redis' chart with version matching '99.x' found",
              ),
            ],
          ),
        }),
      ],
    },
    {
      name: 'index download failure is a repository problem, not a missing chart',
      source: 'source-controller chart_repository.go GetChartVersion: ErrExternal when the index cannot be loaded',
      objects: [
        obj('HelmChart', 'podinfo-podinfo', {
          spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } },
          status: status([
            'False',
            'ChartPullError',
            'chart pull error: failed to get chart version for remote reference: failed to fetch https://stefanprodan.github.io/podinfo2/index.yaml : 404 Not Found',
          ]),
        }),
      ],
    },
    {
      name: 'HelmRelease waiting while its chart is still being reconciled',
      source: 'https://github.com/fluxcd/helm-controller/issues/1252 (Ready=False SourceNotReady, first reconcile)',
      objects: [
        release([
          'False',
          'SourceNotReady',
          "HelmChart 'flux-system/podinfo-podinfo' is not ready: latest generation of object has not been reconciled",
        ]),
      ],
    },
  ],
  invalid: [
    {
      name: 'generated HelmChart with a version range that matches nothing, and its HelmRelease',
      source: 'fluxcd/source-controller docs/spec/v1/helmcharts.md; helm-controller helmrelease_controller.go isReady',
      objects: [
        repo(),
        stalledChart('podinfo-podinfo', NO_VERSION),
        release(['False', 'SourceNotReady', `HelmChart 'flux-system/podinfo-podinfo' is not ready: ${NO_VERSION}`]),
        event(
          { kind: 'HelmChart', namespace: 'flux-system', name: 'podinfo-podinfo' },
          'InvalidChartReference',
          NO_VERSION,
        ),
      ],
      expect: [
        {
          object: 'HelmChart/flux-system/podinfo-podinfo',
          cause: 'version-not-found',
          data: { chart: 'podinfo', version: '9.*' },
          summary:
            "HelmChart flux-system/podinfo-podinfo (generated for HelmRelease podinfo/podinfo): no version of chart 'podinfo' matches '9.*' in HelmRepository flux-system/podinfo (https://stefanprodan.github.io/podinfo)",
          fixTarget: { kind: 'HelmRelease', namespace: 'podinfo', name: 'podinfo' },
          evidence: [/no 'podinfo' chart with version matching '9\.\*' found/],
          remediation: [
            /helm search repo tmp\/podinfo --versions/,
            /flux reconcile helmrelease podinfo -n podinfo --with-source/,
          ],
        },
        {
          object: 'HelmRelease/podinfo/podinfo',
          cause: 'release-chart-missing',
          summary:
            "HelmRelease podinfo/podinfo cannot get chart 'podinfo' version '9.*' (HelmChart flux-system/podinfo-podinfo): failed to get chart version for remote reference: no 'podinfo' chart with version matching '9.*' found",
          fixTarget: { kind: 'HelmRelease', namespace: 'podinfo', name: 'podinfo' },
          evidence: [/SourceNotReady/],
        },
      ],
    },
    {
      name: 'source v1beta1 HelmChart of source-controller v0.x: "no chart version found for <name>-<version>"',
      source:
        'source-controller v0.18 internal/helm/repository.go "no chart version found for %s-%s"; https://github.com/fluxcd/website/pull/847 (flux get sources chart)',
      objects: [
        repo(),
        {
          ...obj('HelmChart', 'default-podinfo', {
            spec: { chart: 'podinfo', version: '9.0.0', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } },
            status: status(['False', 'ChartPullFailed', 'no chart version found for podinfo-9.0.0']),
          }),
          apiVersion: 'source.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [
        {
          object: 'HelmChart/flux-system/default-podinfo',
          cause: 'version-not-found',
          summary:
            "HelmChart flux-system/default-podinfo: no version of chart 'podinfo' matches '9.0.0' in HelmRepository flux-system/podinfo (https://stefanprodan.github.io/podinfo)",
        },
      ],
    },
    {
      name: 'standalone HelmChart whose chart name is not in the index',
      source: 'source-controller internal/helm/repository/chart_repository.go getChartVersion (repo.ErrNoChartName)',
      objects: [repo(), stalledChart('podinfo', NO_NAME, 'InvalidChartReference', { chart: 'podinfoo', version: '' })],
      expect: [
        {
          object: 'HelmChart/flux-system/podinfo',
          cause: 'chart-not-in-index',
          summary: /chart 'podinfoo' does not exist in HelmRepository flux-system\/podinfo/,
          fixTarget: { kind: 'HelmChart', namespace: 'flux-system', name: 'podinfo' },
          remediation: [/flux reconcile source chart podinfo -n flux-system/],
        },
      ],
    },
    {
      name: 'OCI HelmRepository without a matching tag (ChartPullError)',
      source: 'source-controller internal/helm/repository/oci_chart_repository.go getLastMatchingVersionOrConstraint',
      objects: [
        repo('oci://ghcr.io/stefanprodan/charts', { type: 'oci' }),
        obj('HelmChart', 'podinfo', {
          spec: { chart: 'podinfo', version: '9.x', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } },
          status: status(
            ['False', 'ChartPullError', OCI_NO_TAG],
            [cond('FetchFailed', 'True', 'ChartPullError', OCI_NO_TAG)],
          ),
        }),
      ],
      expect: [
        {
          cause: 'version-not-found',
          summary:
            /chart 'podinfo' version '9\.x' is not in HelmRepository flux-system\/podinfo \(oci:\/\/ghcr\.io\/stefanprodan\/charts\)/,
          remediation: [/crane ls ghcr\.io\/stefanprodan\/charts\/podinfo/],
        },
      ],
    },
    {
      name: 'HelmRelease alone (its HelmChart was not read)',
      source:
        'helm-controller internal/controller/helmrelease_controller.go: MarkFalse(Ready, "SourceNotReady", isReady msg)',
      objects: [
        release(['False', 'SourceNotReady', `HelmChart 'flux-system/podinfo-podinfo' is not ready: ${NO_VERSION}`]),
      ],
      expect: [
        {
          object: 'HelmRelease/podinfo/podinfo',
          summary: /no 'podinfo' chart with version matching '9\.\*' found/,
          remediation: [/describe helmcharts\.source\.toolkit\.fluxcd\.io podinfo-podinfo -n flux-system/],
        },
      ],
    },
  ],
});

// Engine wiring: the HelmChart finding is reported at the HelmRelease that generated it (reportAt),
// the HelmRelease's own finding resolves to it (explainedBy chart), and a failing HelmRepository wins
// (explainedBy source).
it('reports one finding at the HelmRelease, or defers to a failing HelmRepository', () => {
  const docs = [
    repo(),
    stalledChart('podinfo-podinfo', NO_VERSION),
    release(['False', 'SourceNotReady', `HelmChart 'flux-system/podinfo-podinfo' is not ready: ${NO_VERSION}`]),
  ];
  const r1 = diagnose(graphOf(docs), { rules: [rule] });
  assert.deepEqual(findingKeys(r1), ['error helm.chart-not-found HelmRelease/podinfo/podinfo']);
  assert.deepEqual(
    r1.findings[0]!.affected.map((a) => `${a.kind}/${a.namespace}/${a.name}`),
    ['HelmChart/flux-system/podinfo-podinfo'],
  );
  const repoDown: Rule = {
    meta: {
      code: 'source.test-double',
      severity: 'error',
      title: 'test double',
      kinds: ['HelmRepository'],
      docs: { description: 'x', detection: 'x', fix: 'x', commands: ['x'] },
    },
    check: (o) =>
      o.status?.conditions?.[0]?.status === 'False' ? { summary: 'down', evidence: [], remediation: [] } : undefined,
  };
  const failingRepo = obj('HelmRepository', 'podinfo', {
    spec: { url: 'https://stefanprodan.github.io/podinfo' },
    status: status(['False', 'Failed', 'failed to fetch Helm repository index: 404 Not Found']),
  });
  const r2 = diagnose(graphOf([failingRepo, ...docs.slice(1)]), { rules: [rule, repoDown] });
  assert.deepEqual(findingKeys(r2), ['error source.test-double HelmRepository/flux-system/podinfo']);
});
