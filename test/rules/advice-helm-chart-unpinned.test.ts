import { rule } from '../../src/rules/advice-helm-chart-unpinned.js';
import { obj, READY, ruleTester, status } from '../helpers.js';

const hr = (version: string | undefined, sourceKind = 'HelmRepository', extraStatus = {}) =>
  obj('HelmRelease', 'apps/web', {
    spec: {
      interval: '10m',
      chart: {
        spec: {
          chart: 'podinfo',
          ...(version !== undefined ? { version } : {}),
          sourceRef: { kind: sourceKind, name: 'podinfo' },
        },
      },
    },
    status: { ...READY('Helm upgrade succeeded for release apps/web.v2 with chart podinfo@6.5.0'), ...extraStatus },
  });

ruleTester(rule, {
  valid: [
    { name: 'exact version', objects: [hr('6.5.0')] },
    { name: 'patch-only range 6.7.x is a deliberate choice', objects: [hr('6.7.x')] },
    { name: 'patch-only range ~6.7.0', objects: [hr('~6.7.0')] },
    { name: 'partial version 6.7 (patch releases of 6.7)', objects: [hr('6.7')] },
    {
      name: 'exact version with a leading v or =',
      objects: [
        hr('v6.5.0'),
        obj('HelmChart', 'apps/c', {
          spec: { chart: 'c', version: '=1.2.3', sourceRef: { kind: 'HelmRepository', name: 'r' } },
        }),
      ],
    },
    { name: 'chart from a GitRepository (version is ignored)', objects: [hr('*', 'GitRepository')] },
    {
      name: 'HelmRelease with chartRef (the OCIRepository decides the version)',
      objects: [
        obj('HelmRelease', 'apps/web', { spec: { chartRef: { kind: 'OCIRepository', name: 'web' } }, status: READY() }),
      ],
    },
    {
      name: 'generated HelmChart: the HelmRelease carries the advice',
      objects: [
        hr('6.5.0'),
        obj('HelmChart', 'apps/apps-web', {
          spec: { chart: 'podinfo', version: '*', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } },
          status: READY(),
        }),
      ],
    },
  ],
  invalid: [
    {
      name: "version '*' (any version)",
      objects: [hr('*', 'HelmRepository', { history: [{ chartName: 'podinfo', chartVersion: '6.5.0' }] })],
      expect: [
        {
          severity: 'info',
          cause: 'any-version',
          summary:
            /HelmRelease apps\/web takes chart podinfo at version '\*' — any version: .*including new major versions \(installed now: 6.5.0\)/,
          fixTarget: { kind: 'HelmRelease', namespace: 'apps', name: 'web' },
          evidence: [/spec.chart.spec.version: \*; installed: 6.5.0/],
          remediation: [/spec.chart.spec.version: "6.5.0"/],
        },
      ],
    },
    {
      name: 'version unset (defaults to *)',
      objects: [hr(undefined)],
      expect: [
        { cause: 'any-version', data: { version: '*' }, summary: /at version unset \(defaults to \*\) — any version/ },
      ],
    },
    {
      name: 'a semver range on a standalone HelmChart',
      objects: [
        obj('HelmChart', 'apps/redis', {
          spec: { chart: 'redis', version: '>=17.0.0 <18.0.0', sourceRef: { kind: 'HelmRepository', name: 'bitnami' } },
          status: status(['True', 'ChartPullSucceeded', "pulled 'redis' chart with version '17.3.2'"], [], {
            artifact: { revision: '17.3.2' },
          }),
        }),
      ],
      expect: [
        {
          cause: 'version-range',
          data: { version: '>=17.0.0 <18.0.0' },
          summary: /HelmChart apps\/redis takes chart redis at version '>=17.0.0 <18.0.0', a range/,
          remediation: [/spec.version: "17.3.2"/],
        },
      ],
    },
    {
      name: 'a caret range admits new minor versions',
      objects: [hr('^6.5.0')],
      expect: [{ summary: /'\^6.5.0', a range/ }],
    },
    { name: 'a major-only partial version is a range', objects: [hr('6')], expect: [{ summary: /'6', a range/ }] },
  ],
});
