import { app, baseCluster, fluxSystemKs, OUT } from './base.mjs';
import { gitRevision, helmChart, helmRelease, helmRepository, ksLabels, kustomization, writeExpected } from './lib.mjs';

export function multiHop() {
  const base = baseCluster('multi-hop');
  const { w, revision } = base;
  const prev = gitRevision('multi-hop/fleet-prev');

  // infra: the new commit added a HelmRepository with a typo in its host and a HelmRelease using it.
  const host = 'charts.bitnarni.com';
  const url = `https://${host}/bitnami`;
  const fetchErr = `failed to fetch Helm repository index: failed to cache index to temporary file: Get "${url}/index.yaml": dial tcp: lookup ${host} on 10.96.0.10:53: no such host`;
  const bitnami = helmRepository(w, 'flux-system', 'bitnami', {
    url,
    interval: '1h0m0s',
    labels: ksLabels('infra'),
    created: 37,
    failure: { reason: 'Failed', message: fetchErr, since: 37 },
  });
  const redis = helmRelease(w, 'flux-system', 'redis', {
    repo: 'bitnami',
    chart: 'redis',
    version: '20.x',
    targetNamespace: 'redis',
    values: { architecture: 'standalone', auth: { existingSecret: 'redis-auth' } },
    labels: ksLabels('infra'),
    created: 37,
    state: 'source-not-ready',
    message:
      "HelmChart 'flux-system/flux-system-redis' is not ready: no artifact available for HelmRepository source 'bitnami'",
    since: 37,
  });
  const chart = helmChart(w, redis, {
    created: 37,
    failure: {
      reason: 'NoSourceArtifact',
      message: "no artifact available for HelmRepository source 'bitnami'",
      since: 37,
    },
  });
  const redisNs = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'redis' } };
  const healthMsg =
    "timeout waiting for: [HelmRepository/flux-system/bitnami status: 'InProgress', HelmRelease/flux-system/redis status: 'InProgress']";
  const infra = kustomization(w, 'flux-system', 'infra', {
    path: './infrastructure/production',
    labels: ksLabels('flux-system'),
    wait: true,
    state: 'failed',
    reason: 'HealthCheckFailed',
    message: `health check failed after 5m0.031854127s: ${healthMsg}`,
    healthyMessage: healthMsg,
    reconcilingMessage: `Running health checks for revision ${revision} with a timeout of 5m0s`,
    since: 31,
    applies: [redisNs, bitnami, redis],
    lastApplied: prev,
    attemptedRevision: revision,
    observedGeneration: 1,
  });

  // apps: depends on infra, applied the previous revision and now waits.
  const podinfo = app(w, 'apps', 'podinfo', 'ghcr.io/stefanprodan/podinfo:6.7.1', 'apps');
  const frontend = app(w, 'apps', 'frontend', 'ghcr.io/acme/frontend:2.14.0', 'apps', { port: 8080, replicas: 3 });
  const apps = kustomization(w, 'flux-system', 'apps', {
    path: './apps/production',
    labels: ksLabels('flux-system'),
    dependsOn: ['infra'],
    wait: true,
    state: 'failed',
    reason: 'DependencyNotReady',
    message: "dependency 'flux-system/infra' is not ready",
    reconcilingMessage: 'Reconciliation in progress',
    since: 31,
    applies: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } }, podinfo.dep, frontend.dep],
    lastApplied: prev,
    attemptedRevision: prev,
    observedGeneration: 1,
  });

  // An independent, lower-priority problem: a suspended Kustomization nothing depends on.
  const reports = app(w, 'team-b', 'reports', 'ghcr.io/acme/reports:0.9.3', 'legacy-reports', {
    ksNs: 'team-b',
    port: 8080,
    replicas: 1,
    rolledOut: 60 * 24 * 40,
  });
  kustomization(w, 'team-b', 'legacy-reports', {
    path: './teams/b/reports',
    source: 'flux-system',
    sourceNamespace: 'flux-system',
    suspend: true,
    state: 'suspended',
    lastRevision: gitRevision('multi-hop/fleet-old'),
    since: 60 * 24 * 9,
    created: 60 * 24 * 40,
    applies: [reports.dep],
  });

  fluxSystemKs(w, base, [infra, apps]);

  // Events, as `kubectl get events -A -o yaml` shows them.
  w.event(bitnami, 'Warning', 'Failed', fetchErr, { component: 'source-controller', count: 14, first: 37, last: 1 });
  w.event(
    infra,
    'Normal',
    'Progressing',
    `Namespace/redis created\nHelmRepository/flux-system/bitnami created\nHelmRelease/flux-system/redis created`,
    {
      component: 'kustomize-controller',
      first: 37,
      last: 37,
      annotations: { 'kustomize.toolkit.fluxcd.io/revision': revision },
    },
  );
  w.event(infra, 'Warning', 'HealthCheckFailed', `health check failed after 5m0.031854127s: ${healthMsg}`, {
    component: 'kustomize-controller',
    count: 4,
    first: 31,
    last: 1,
    annotations: { 'kustomize.toolkit.fluxcd.io/revision': revision },
  });
  w.event(apps, 'Normal', 'DependencyNotReady', 'Dependencies do not meet ready condition, retrying in 30s', {
    component: 'kustomize-controller',
    count: 62,
    first: 31,
    last: 0.4,
  });

  // Controller logs (passed with --logs).
  for (const m of [36, 20, 4]) {
    w.log('source-controller', bitnami, 'error', fetchErr, { min: m, error: fetchErr });
    w.log('source-controller', chart, 'info', "no artifact available for HelmRepository source 'bitnami'", {
      min: m - 0.5,
    });
    w.log(
      'helm-controller',
      redis,
      'info',
      "HelmChart 'flux-system/flux-system-redis' is not ready: no artifact available for HelmRepository source 'bitnami'",
      { min: m - 0.6 },
    );
  }
  w.log('kustomize-controller', infra, 'error', 'Reconciliation failed after 5m0.412963s, next try in 10m0s', {
    min: 1,
    error: `health check failed after 5m0.031854127s: ${healthMsg}`,
    extra: { revision },
  });
  w.log('kustomize-controller', apps, 'info', 'Dependencies do not meet ready condition, retrying in 30s', {
    min: 0.4,
  });

  const dir = `${OUT}/multi-hop`;
  w.write(dir);
  writeExpected(dir, [
    {
      code: 'source.unreachable',
      severity: 'error',
      rootCause: 'HelmRepository/flux-system/bitnami',
      affected: [
        'HelmChart/flux-system/flux-system-redis',
        'HelmRelease/flux-system/redis',
        'Kustomization/flux-system/apps',
        'Kustomization/flux-system/infra',
      ],
    },
    { code: 'flux.suspended', severity: 'warning', rootCause: 'Kustomization/team-b/legacy-reports', affected: [] },
    { code: 'advice.helm-chart-unpinned', severity: 'info', rootCause: 'HelmRelease/flux-system/redis', affected: [] },
  ]);
}
