import { app, baseCluster, fluxSystemKs, OUT } from './base.mjs';
import {
  b64,
  deployment,
  helmChart,
  helmRelease,
  helmRepository,
  hex,
  hrLabels,
  ksLabels,
  kustomization,
  secret,
  writeExpected,
} from './lib.mjs';
import { imagePullPod, pullEvents } from './pods.mjs';

export function helm() {
  const base = baseCluster('helm');
  const { w } = base;
  const L = ksLabels('flux-system');
  const A = ksLabels('apps');
  const hc = { component: 'helm-controller' };
  const podinfoRepo = helmRepository(w, 'flux-system', 'podinfo', {
    url: 'https://stefanprodan.github.io/podinfo',
    labels: L,
    updated: 14,
  });
  const acme = helmRepository(w, 'flux-system', 'acme', { url: 'https://charts.acme.io', labels: L, updated: 9 });

  // 1. A chart version that does not exist (helm.chart-not-found).
  const nfMsg =
    "invalid chart reference: failed to get chart version for remote reference: no 'podinfo' chart with version matching '6.99.0' found";
  const podinfo = helmRelease(w, 'apps', 'podinfo', {
    repo: 'podinfo',
    chart: 'podinfo',
    version: '6.99.0',
    labels: A,
    created: 55,
    state: 'source-not-ready',
    since: 54,
    message: `HelmChart 'flux-system/apps-podinfo' is not ready: ${nfMsg}`,
  });
  const podinfoChart = helmChart(w, podinfo, {
    created: 55,
    failure: {
      stalled: true,
      reason: 'InvalidChartReference',
      message: nfMsg,
      since: 54,
      observedSourceArtifactRevision: podinfoRepo.status.artifact.revision,
    },
  });
  w.event(podinfoChart, 'Warning', 'InvalidChartReference', nfMsg, {
    component: 'source-controller',
    first: 54,
    last: 54,
  });
  w.log('source-controller', podinfoChart, 'error', 'reconciliation stalled', { min: 54, error: nfMsg });
  w.log('helm-controller', podinfo, 'info', `HelmChart 'flux-system/apps-podinfo' is not ready: ${nfMsg}`, { min: 2 });

  // 2. Values rejected by the chart's schema (helm.values-invalid).
  const schemaMsg =
    "Helm install failed for release apps/checkout with chart checkout@2.3.1: values don't meet the specifications of the schema(s) in the following chart(s):\ncheckout:\n- at '/replicaCount': got string, want integer";
  const checkout = helmRelease(w, 'apps', 'checkout', {
    repo: 'acme',
    chart: 'checkout',
    version: '2.3.x',
    values: { replicaCount: '3', image: { tag: '2.3.1' } },
    labels: A,
    created: 33,
    state: 'install-failed',
    attemptedVersion: '2.3.1',
    message: schemaMsg,
    since: 32,
    failures: 0,
  });
  delete checkout.status.installFailures;
  checkout.status.failures = 7;
  helmChart(w, checkout, { version: '2.3.1', created: 33, updated: 33 });
  w.event(checkout, 'Warning', 'InstallFailed', schemaMsg, {
    ...hc,
    count: 7,
    first: 32,
    last: 2,
    annotations: {
      'helm.toolkit.fluxcd.io/revision': '2.3.1',
      'helm.toolkit.fluxcd.io/token': `sha256:${hex('tok/checkout', 64)}`,
    },
  });
  w.log('helm-controller', checkout, 'error', 'Reconciler error', { min: 2, error: schemaMsg });

  // 3. A valuesFrom Secret that does not exist (helm.secret-missing).
  const valMsg =
    "could not resolve Secret chart values reference 'apps/payments-values' with key 'values.yaml': secrets \"payments-values\" not found";
  const payments = helmRelease(w, 'apps', 'payments', {
    repo: 'acme',
    chart: 'payments',
    version: '5.0.x',
    labels: A,
    created: 21,
    valuesFrom: [{ kind: 'Secret', name: 'payments-values' }],
    state: 'values-error',
    message: valMsg,
    since: 21,
  });
  helmChart(w, payments, { version: '5.0.4', created: 21, updated: 21 });
  w.event(payments, 'Warning', 'ValuesError', valMsg, { ...hc, count: 12, first: 21, last: 1 });
  w.log('helm-controller', payments, 'error', 'Reconciler error', { min: 1, error: valMsg });
  secret(w, 'apps', 'checkout-db', { password: b64('fake-db-password'), username: b64('checkout') }, { labels: A });

  // 4. Install timed out because the Deployment cannot pull its image (workload.image-pull).
  const image = 'ghcr.io/acme/web:1.4.3';
  const webMsg =
    "Helm install failed for release apps/web with chart web@1.4.2: timeout waiting for: [Deployment/apps/web status: 'InProgress']";
  const web = helmRelease(w, 'apps', 'web', {
    repo: 'acme',
    chart: 'web',
    version: '1.4.2',
    labels: A,
    created: 27,
    state: 'install-failed',
    stalled: true,
    history: true,
    installedAt: 26,
    attemptedVersion: '1.4.2',
    appVersion: '1.4.3',
    message: webMsg,
    since: 21,
  });
  helmChart(w, web, { version: '1.4.2', created: 27, updated: 27 });
  const webDep = deployment(w, 'apps', 'web', {
    image,
    port: 8080,
    replicas: 1,
    available: 0,
    rolledOut: 26,
    labels: {
      'app.kubernetes.io/instance': 'web',
      'app.kubernetes.io/managed-by': 'Helm',
      'app.kubernetes.io/version': '1.4.3',
      'helm.sh/chart': 'web-1.4.2',
      ...hrLabels('web', 'apps'),
    },
    annotations: { 'meta.helm.sh/release-name': 'web', 'meta.helm.sh/release-namespace': 'apps' },
    pod: () => imagePullPod(w, 26, 'web', image),
  });
  pullEvents(w, webDep.pods[0], 'web', image, webDep.pods[0].spec.nodeName, 26);
  w.event(web, 'Warning', 'InstallFailed', webMsg, {
    ...hc,
    first: 21,
    last: 21,
    annotations: { 'helm.toolkit.fluxcd.io/revision': '1.4.2' },
  });
  w.log('helm-controller', web, 'error', 'Reconciler error', { min: 21, error: webMsg });

  const frontend = app(w, 'apps', 'frontend', 'ghcr.io/acme/frontend:2.14.0', 'apps', { port: 8080 });
  const appsKs = kustomization(w, 'flux-system', 'apps', {
    path: './apps/production',
    labels: L,
    since: 33,
    applies: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } },
      podinfo,
      checkout,
      payments,
      web,
      frontend.dep,
    ],
  });
  fluxSystemKs(w, base, [podinfoRepo, acme, appsKs]);

  const dir = `${OUT}/helm`;
  w.write(dir);
  writeExpected(dir, [
    {
      code: 'helm.chart-not-found',
      severity: 'error',
      rootCause: 'HelmRelease/apps/podinfo',
      affected: ['HelmChart/flux-system/apps-podinfo'],
    },
    {
      code: 'workload.image-pull',
      severity: 'error',
      rootCause: 'Deployment/apps/web',
      affected: ['HelmRelease/apps/web'],
    },
    { code: 'helm.secret-missing', severity: 'error', rootCause: 'HelmRelease/apps/payments', affected: [] },
    { code: 'helm.values-invalid', severity: 'error', rootCause: 'HelmRelease/apps/checkout', affected: [] },
  ]);
}
