// Helm failures: chart versions, values schema, chart dependencies, valuesFrom, install timeout,
// failed upgrade; and a HelmRepository behind credentials.

import { dump } from 'js-yaml';
import { cond, readyFalse } from '../kube.js';
import { apiOf, gitRepository, helmRelease, helmRepository, type Scenario, secret } from './lib.js';

const chartSpec = (version: string, repo = 'charts') => ({
  chart: {
    spec: { chart: 'podinfo-lite', version, sourceRef: { kind: 'HelmRepository', name: repo }, interval: '1m' },
  },
});

export const helmScenarios: Scenario[] = [
  {
    name: 'helm-chart-version-missing',
    description: 'HelmRelease asking for a chart version the repository index does not have',
    expect: (ns) => ({
      code: 'helm.chart-not-found',
      rootCause: `HelmRelease/${ns}/web`,
      affected: [`HelmChart/${ns}/${ns}-web`],
    }),
    async run(ctx) {
      await ctx.kube.applyAll([
        helmRepository(ctx.ns, 'charts', { url: ctx.helmUrl() }),
        helmRelease(ctx.ns, 'web', chartSpec('9.9.9')),
      ]);
      await ctx.kube.waitFor(apiOf('HelmChart'), 'HelmChart', ctx.ns, `${ctx.ns}-web`, readyFalse(), 60_000);
      await ctx.kube.waitFor(apiOf('HelmRelease'), 'HelmRelease', ctx.ns, 'web', readyFalse(), 60_000);
    },
  },
  {
    name: 'helm-values-schema',
    description: "HelmRelease values rejected by the chart's values.schema.json",
    expect: (ns) => ({ code: 'helm.values-invalid', rootCause: `HelmRelease/${ns}/web` }),
    async run(ctx) {
      await ctx.kube.applyAll([
        helmRepository(ctx.ns, 'charts', { url: ctx.helmUrl() }),
        helmRelease(ctx.ns, 'web', {
          ...chartSpec('1.0.0'),
          values: { replicaCount: 'two' },
          install: { disableWait: true },
        }),
      ]);
      await ctx.kube.waitFor(apiOf('HelmRelease'), 'HelmRelease', ctx.ns, 'web', readyFalse(), 90_000);
    },
  },
  {
    name: 'helm-valuesfrom-missing',
    description: 'HelmRelease valuesFrom names a Secret that does not exist',
    expect: (ns) => ({ code: 'helm.secret-missing', rootCause: `HelmRelease/${ns}/web` }),
    async run(ctx) {
      await ctx.kube.applyAll([
        helmRepository(ctx.ns, 'charts', { url: ctx.helmUrl() }),
        helmRelease(ctx.ns, 'web', { ...chartSpec('1.0.0'), valuesFrom: [{ kind: 'Secret', name: 'web-values' }] }),
      ]);
      // Until the chart is ready the HelmRelease says only that (helm-controller v0.37 reports
      // HelmChartNotReady first, internal/controller/helmrelease_controller.go): wait for the values
      // error itself, which v0.37 and v1 both mark with reason ValuesError.
      await ctx.kube.waitFor(apiOf('HelmRelease'), 'HelmRelease', ctx.ns, 'web', readyFalse('ValuesError'), 90_000);
    },
  },
  {
    name: 'helm-install-timeout',
    description: 'Helm install waits for a Deployment that never becomes ready, and times out',
    expect: (ns) => ({ code: 'helm.install-failed', rootCause: `HelmRelease/${ns}/web` }),
    async run(ctx) {
      await ctx.kube.applyAll([
        helmRepository(ctx.ns, 'charts', { url: ctx.helmUrl() }),
        helmRelease(ctx.ns, 'web', { ...chartSpec('1.0.0'), timeout: '15s', install: { remediation: { retries: 0 } } }),
      ]);
      await ctx.kube.waitFor(apiOf('HelmRelease'), 'HelmRelease', ctx.ns, 'web', readyFalse(), 120_000);
    },
  },
  {
    name: 'helm-upgrade-immutable',
    description: 'Helm upgrade to a chart version that changes the Deployment selector fails',
    expect: (ns) => ({ code: 'helm.upgrade-failed', rootCause: `HelmRelease/${ns}/web` }),
    async run(ctx) {
      await ctx.kube.applyAll([
        helmRepository(ctx.ns, 'charts', { url: ctx.helmUrl() }),
        helmRelease(ctx.ns, 'web', {
          ...chartSpec('1.0.0'),
          install: { disableWait: true },
          upgrade: { disableWait: true, remediation: { retries: 0 } },
        }),
      ]);
      await ctx.kube.waitFor(
        apiOf('HelmRelease'),
        'HelmRelease',
        ctx.ns,
        'web',
        (o) => cond(o, 'Ready')?.status === 'True',
        90_000,
        'Ready',
      );
      await ctx.kube.apply(
        helmRelease(ctx.ns, 'web', {
          ...chartSpec('2.0.0'),
          install: { disableWait: true },
          upgrade: { disableWait: true, remediation: { retries: 0 } },
        }),
      );
      await ctx.kube.waitFor(apiOf('HelmRelease'), 'HelmRelease', ctx.ns, 'web', readyFalse(), 120_000);
    },
  },
  {
    name: 'helm-chart-dependency-missing',
    description: 'A chart from Git declares a dependency version the Helm repository does not have',
    expect: (ns) => ({ code: 'helm.chart-dependency', rootCause: `HelmRelease/${ns}/umbrella` }),
    async run(ctx) {
      const url = ctx.helmUrl();
      ctx.git.commit(`umbrella-${ctx.ns}`, {
        'charts/umbrella/Chart.yaml': dump({
          apiVersion: 'v2',
          name: 'umbrella',
          version: '0.1.0',
          dependencies: [{ name: 'podinfo-lite', version: '7.7.7', repository: url }],
        }),
        'charts/umbrella/values.yaml': '{}\n',
      });
      await ctx.kube.applyAll([
        helmRepository(ctx.ns, 'charts', { url }),
        gitRepository(ctx.ns, 'charts-git', { url: ctx.git.url(`umbrella-${ctx.ns}`), ref: { branch: 'main' } }),
        helmRelease(ctx.ns, 'umbrella', {
          chart: { spec: { chart: './charts/umbrella', sourceRef: { kind: 'GitRepository', name: 'charts-git' } } },
        }),
      ]);
      await ctx.kube.waitFor(apiOf('HelmChart'), 'HelmChart', ctx.ns, `${ctx.ns}-umbrella`, readyFalse(), 90_000);
      await ctx.kube.waitFor(apiOf('HelmRelease'), 'HelmRelease', ctx.ns, 'umbrella', readyFalse(), 90_000);
    },
  },
  {
    name: 'helm-repo-wrong-password',
    description: 'HelmRepository with basic-auth credentials the repository rejects; a HelmRelease uses it',
    expect: (ns) => ({
      code: 'source.auth',
      rootCause: `HelmRepository/${ns}/charts`,
      affected: [`HelmRelease/${ns}/web`],
    }),
    async run(ctx) {
      await ctx.kube.applyAll([
        secret(ctx.ns, 'repo-creds', { username: ctx.state.auth.username, password: 'wrong' }),
        helmRepository(ctx.ns, 'charts', { url: ctx.helmUrl('private'), secretRef: { name: 'repo-creds' } }),
        helmRelease(ctx.ns, 'web', chartSpec('1.0.0')),
      ]);
      await ctx.kube.waitFor(apiOf('HelmRepository'), 'HelmRepository', ctx.ns, 'charts', readyFalse(), 60_000);
      await ctx.kube.waitFor(apiOf('HelmRelease'), 'HelmRelease', ctx.ns, 'web', readyFalse(), 60_000);
    },
  },
  {
    name: 'helm-impersonation-forbidden',
    description: 'HelmRelease impersonating a ServiceAccount that has no RBAC rights',
    expect: (ns) => ({ code: 'kustomize.rbac-forbidden', rootCause: `HelmRelease/${ns}/web` }),
    async run(ctx) {
      await ctx.kube.applyAll([
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'tenant', namespace: ctx.ns } },
        helmRepository(ctx.ns, 'charts', { url: ctx.helmUrl() }),
        helmRelease(ctx.ns, 'web', {
          ...chartSpec('1.0.0'),
          serviceAccountName: 'tenant',
          install: { disableWait: true, remediation: { retries: 0 } },
        }),
      ]);
      await ctx.kube.waitFor(
        apiOf('HelmRelease'),
        'HelmRelease',
        ctx.ns,
        'web',
        readyFalse(undefined, /forbidden/),
        90_000,
      );
    },
  },
  {
    name: 'helm-depends-on-missing',
    description: 'HelmRelease whose dependsOn names a HelmRelease that does not exist',
    expect: (ns) => ({ code: 'flux.reference-missing', rootCause: `HelmRelease/${ns}/web` }),
    async run(ctx) {
      await ctx.kube.applyAll([
        helmRepository(ctx.ns, 'charts', { url: ctx.helmUrl() }),
        helmRelease(ctx.ns, 'web', { ...chartSpec('1.0.0'), dependsOn: [{ name: 'database' }] }),
      ]);
      await ctx.kube.waitFor(apiOf('HelmRelease'), 'HelmRelease', ctx.ns, 'web', readyFalse(), 60_000);
    },
  },
  {
    name: 'helm-dependency-failing',
    description: 'HelmRelease web dependsOn HelmRelease db, whose chart version does not exist: the root cause is db',
    expect: (ns) => ({
      code: 'helm.chart-not-found',
      rootCause: `HelmRelease/${ns}/db`,
      affected: [`HelmRelease/${ns}/web`],
    }),
    async run(ctx) {
      await ctx.kube.applyAll([
        helmRepository(ctx.ns, 'charts', { url: ctx.helmUrl() }),
        helmRelease(ctx.ns, 'db', chartSpec('9.9.9')),
        helmRelease(ctx.ns, 'web', { ...chartSpec('1.0.0'), dependsOn: [{ name: 'db' }] }),
      ]);
      await ctx.kube.waitFor(apiOf('HelmChart'), 'HelmChart', ctx.ns, `${ctx.ns}-db`, readyFalse(), 60_000);
      await ctx.kube.waitFor(apiOf('HelmRelease'), 'HelmRelease', ctx.ns, 'web', readyFalse(), 60_000);
    },
  },
];
