import { app, baseCluster, fluxSystemKs, OUT } from './base.mjs';
import {
  b64,
  gitRepository,
  helmChart,
  helmRelease,
  helmRepository,
  ksLabels,
  kustomization,
  ociRepository,
  secret,
  writeExpected,
} from './lib.mjs';

export function sources() {
  const base = baseCluster('sources');
  const { w } = base;
  const L = ksLabels('flux-system');

  // 1. Wrong password (source.auth).
  secret(
    w,
    'flux-system',
    'private-app-creds',
    { password: b64('ghp_EXPIREDexpiredEXPIREDexpired0000'), username: b64('acme-ci') },
    { labels: L, created: 60 * 24 * 90 },
  );
  const authMsg =
    "failed to checkout and determine revision: unable to clone 'https://github.com/acme/private-app.git': authentication required: Invalid username or token. Password authentication is not supported for Git operations.";
  const privRepo = gitRepository(w, 'flux-system', 'private-app', {
    url: 'https://github.com/acme/private-app.git',
    secretRef: 'private-app-creds',
    labels: L,
    created: 48,
    failure: { reason: 'GitOperationFailed', message: authMsg, since: 48 },
  });
  const privKs = kustomization(w, 'flux-system', 'private-app', {
    path: './deploy/production',
    source: 'private-app',
    labels: L,
    created: 48,
    state: 'no-artifact',
    since: 48,
  });

  // 2. Missing branch (source.ref-not-found).
  const refMsg =
    "failed to checkout and determine revision: unable to clone 'https://github.com/acme/fleet-infra.git': couldn't find remote ref \"refs/heads/release-2.0\"";
  const stagingRepo = gitRepository(w, 'flux-system', 'fleet-staging', {
    url: 'https://github.com/acme/fleet-infra.git',
    ref: { branch: 'release-2.0' },
    secretRef: 'flux-system',
    labels: L,
    created: 26,
    failure: { reason: 'GitOperationFailed', message: refMsg, since: 26 },
  });
  const stagingKs = kustomization(w, 'flux-system', 'staging', {
    path: './clusters/staging',
    source: 'fleet-staging',
    labels: L,
    created: 26,
    state: 'no-artifact',
    since: 26,
  });

  // 3. Unknown CA (source.tls).
  const tlsMsg =
    'failed to determine artifact digest: Get "https://registry.internal.acme.io/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority';
  const oci = ociRepository(w, 'flux-system', 'platform-manifests', {
    url: 'oci://registry.internal.acme.io/platform/manifests',
    ref: { tag: 'v3.2.0' },
    labels: L,
    created: 60 * 3,
    failure: { reason: 'OCIArtifactPullFailed', message: tlsMsg, since: 60 * 3 },
  });
  const platformKs = kustomization(w, 'flux-system', 'platform', {
    path: './',
    sourceKind: 'OCIRepository',
    source: 'platform-manifests',
    labels: L,
    created: 60 * 3,
    state: 'no-artifact',
    since: 60 * 3,
  });

  // 4. HelmRepository whose secretRef Secret does not exist (source.secret-missing).
  const secMsg =
    'failed to get authentication secret \'flux-system/chartmuseum-auth\': secrets "chartmuseum-auth" not found';
  const chartmuseum = helmRepository(w, 'flux-system', 'chartmuseum', {
    url: 'https://charts.internal.acme.io',
    secretRef: 'chartmuseum-auth',
    interval: '10m0s',
    labels: ksLabels('apps'),
    created: 70,
    failure: { reason: 'AuthenticationFailed', message: secMsg, since: 70 },
  });
  const api = helmRelease(w, 'apps', 'internal-api', {
    repo: 'chartmuseum',
    chart: 'internal-api',
    version: '1.8.x',
    values: { replicaCount: 2 },
    labels: ksLabels('apps'),
    created: 70,
    state: 'source-not-ready',
    message:
      "HelmChart 'flux-system/apps-internal-api' is not ready: no artifact available for HelmRepository source 'chartmuseum'",
    since: 70,
  });
  const chart = helmChart(w, api, {
    created: 70,
    failure: {
      reason: 'NoSourceArtifact',
      message: "no artifact available for HelmRepository source 'chartmuseum'",
      since: 70,
    },
  });
  const web = app(w, 'apps', 'web', 'ghcr.io/acme/web:3.1.0', 'apps', { port: 8080 });
  const appsKs = kustomization(w, 'flux-system', 'apps', {
    path: './apps/production',
    labels: L,
    since: 69,
    applies: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } }, chartmuseum, api, web.dep],
  });

  fluxSystemKs(w, base, [privRepo, privKs, stagingRepo, stagingKs, oci, platformKs, appsKs]);

  const sc = { component: 'source-controller' };
  w.event(privRepo, 'Warning', 'GitOperationFailed', authMsg, { ...sc, count: 31, first: 48, last: 1 });
  w.event(stagingRepo, 'Warning', 'GitOperationFailed', refMsg, { ...sc, count: 17, first: 26, last: 1 });
  w.event(oci, 'Warning', 'OCIArtifactPullFailed', tlsMsg, { ...sc, count: 22, first: 60 * 3, last: 4 });
  w.event(chartmuseum, 'Warning', 'AuthenticationFailed', secMsg, { ...sc, count: 19, first: 70, last: 2 });
  for (const m of [30, 12, 1]) {
    w.log('source-controller', privRepo, 'error', authMsg, { min: m, error: authMsg });
    w.log('source-controller', stagingRepo, 'error', refMsg, { min: m + 0.2, error: refMsg });
    w.log('source-controller', oci, 'error', tlsMsg, { min: m + 3, error: tlsMsg });
    w.log('source-controller', chartmuseum, 'error', secMsg, { min: m + 1, error: secMsg });
    w.log('source-controller', chart, 'info', "no artifact available for HelmRepository source 'chartmuseum'", {
      min: m + 0.9,
    });
    w.log(
      'helm-controller',
      api,
      'info',
      "HelmChart 'flux-system/apps-internal-api' is not ready: no artifact available for HelmRepository source 'chartmuseum'",
      { min: m + 0.8 },
    );
    for (const ks of [privKs, stagingKs, platformKs])
      w.log('kustomize-controller', ks, 'info', 'Source artifact not found, retrying in 30s', { min: m + 0.1 });
  }

  const dir = `${OUT}/sources`;
  w.write(dir);
  writeExpected(dir, [
    {
      code: 'source.secret-missing',
      severity: 'error',
      rootCause: 'HelmRepository/flux-system/chartmuseum',
      affected: ['HelmChart/flux-system/apps-internal-api', 'HelmRelease/apps/internal-api'],
    },
    {
      code: 'source.auth',
      severity: 'error',
      rootCause: 'GitRepository/flux-system/private-app',
      affected: ['Kustomization/flux-system/private-app'],
    },
    {
      code: 'source.ref-not-found',
      severity: 'error',
      rootCause: 'GitRepository/flux-system/fleet-staging',
      affected: ['Kustomization/flux-system/staging'],
    },
    {
      code: 'source.tls',
      severity: 'error',
      rootCause: 'OCIRepository/flux-system/platform-manifests',
      affected: ['Kustomization/flux-system/platform'],
    },
  ]);
}
