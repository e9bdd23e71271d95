import { app, baseCluster, fluxSystemKs, healthyRelease, OUT } from './base.mjs';
import {
  b64,
  cond,
  helmRepository,
  hex,
  ksLabels,
  kustomization,
  ociRepository,
  secret,
  writeExpected,
} from './lib.mjs';

/** Image automation + notification objects shared by healthy and image-automation. */
export function imageRepository(w, ns, name, image, o = {}) {
  const gen = 1;
  const spec = { exclusionList: ['^.*\\.sig$'], image, interval: o.interval ?? '5m0s', provider: 'generic' };
  if (o.secretRef) spec.secretRef = { name: o.secretRef };
  let status;
  if (o.failure) {
    status = {
      canonicalImageName: image,
      conditions: [
        cond(w, 'Reconciling', 'True', 'ProgressingWithRetry', 'scanning: new image ' + image, gen, o.failure.since),
        cond(w, 'Ready', 'False', o.failure.reason, o.failure.message, gen, o.failure.since),
      ],
      observedExclusionList: ['^.*\\.sig$'],
      observedGeneration: -1,
    };
  } else {
    const tags = o.tags ?? ['6.7.1', '6.7.0', '6.6.3', '6.6.2', '6.6.1'];
    const sum = hex(`tags:${w.name}/${name}`, 16);
    status = {
      canonicalImageName: image,
      conditions: [
        cond(
          w,
          'Ready',
          'True',
          'Succeeded',
          `successful scan: found ${o.count ?? 58} tags with checksum ${sum}`,
          gen,
          o.since ?? 60 * 24 * 2,
        ),
      ],
      lastScanResult: { latestTags: tags, revision: sum, scanTime: w.t(o.scanned ?? 3), tagCount: o.count ?? 58 },
      observedExclusionList: ['^.*\\.sig$'],
      observedGeneration: gen,
    };
  }
  return w.obj(
    'ImageRepository',
    ns,
    name,
    { finalizers: ['finalizers.fluxcd.io'], generation: gen, labels: o.labels, created: o.created },
    spec,
    status,
  );
}

export function imagePolicy(w, ns, name, repo, range, o = {}) {
  const gen = 1;
  const spec = { imageRepositoryRef: { name: repo.metadata.name }, policy: { semver: { range } } };
  let status;
  if (o.failure) {
    status = {
      conditions: [
        cond(w, 'Reconciling', 'True', 'ProgressingWithRetry', 'reconciliation in progress', gen, o.failure.since),
        cond(w, 'Ready', 'False', o.failure.reason, o.failure.message, gen, o.failure.since),
      ],
      observedGeneration: -1,
    };
  } else {
    const img = repo.spec.image;
    const tag = o.tag;
    status = {
      conditions: [
        cond(
          w,
          'Ready',
          'True',
          'Succeeded',
          `Latest image tag for ${img} resolved to ${tag}`,
          gen,
          o.since ?? 60 * 24 * 2,
        ),
      ],
      latestRef: { name: img, tag },
      observedGeneration: gen,
    };
  }
  return w.obj(
    'ImagePolicy',
    ns,
    name,
    { finalizers: ['finalizers.fluxcd.io'], generation: gen, labels: o.labels, created: o.created },
    spec,
    status,
  );
}

export function imageUpdateAutomation(w, ns, name, o = {}) {
  const gen = 1;
  const spec = {
    git: {
      checkout: { ref: { branch: 'main' } },
      commit: {
        author: { email: 'fluxcdbot@users.noreply.github.com', name: 'fluxcdbot' },
        messageTemplate: '{{range .Changed.Changes}}{{print .OldValue}} -> {{println .NewValue}}{{end}}',
      },
      push: { branch: o.pushBranch ?? 'main' },
    },
    interval: '30m0s',
    sourceRef: { kind: 'GitRepository', name: o.source ?? 'flux-system' },
    update: { path: o.path ?? './apps', strategy: 'Setters' },
  };
  let status;
  if (o.failure) {
    status = {
      conditions: [
        cond(w, 'Reconciling', 'True', 'ProgressingWithRetry', 'reconciliation in progress', gen, o.failure.since),
        cond(w, 'Ready', 'False', o.failure.reason, o.failure.message, gen, o.failure.since),
      ],
      lastAutomationRunTime: w.t(o.failure.last ?? 1),
      observedGeneration: -1,
      observedPolicies: o.policies,
    };
  } else {
    status = {
      conditions: [cond(w, 'Ready', 'True', 'Succeeded', 'repository up-to-date', gen, o.since ?? 60 * 24)],
      lastAutomationRunTime: w.t(o.lastRun ?? 12),
      lastPushCommit: hex(`push:${w.name}/${name}`, 40),
      lastPushTime: w.t(o.lastPush ?? 60 * 24),
      observedGeneration: gen,
      observedPolicies: o.policies,
      observedSourceRevision: o.sourceRevision,
    };
  }
  return w.obj(
    'ImageUpdateAutomation',
    ns,
    name,
    { finalizers: ['finalizers.fluxcd.io'], generation: gen, labels: o.labels, created: o.created },
    spec,
    status,
  );
}

export function receiver(w, ns, name, secretName, o = {}) {
  const gen = 1;
  const spec = {
    events: ['ping', 'push'],
    interval: '10m0s',
    resources: [{ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', name: 'flux-system' }],
    secretRef: { name: secretName },
    type: 'github',
  };
  let status;
  if (o.failure) {
    status = {
      conditions: [
        cond(w, 'Reconciling', 'True', 'ProgressingWithRetry', 'Reconciliation in progress', gen, o.failure.since),
        cond(w, 'Ready', 'False', o.failure.reason, o.failure.message, gen, o.failure.since),
      ],
      observedGeneration: -1,
    };
  } else {
    const path = `/hook/${hex(`hook:${w.name}/${name}`, 64)}`;
    status = {
      conditions: [
        cond(w, 'Ready', 'True', 'Succeeded', `Receiver initialized for path: ${path}`, gen, o.since ?? 60 * 24 * 20),
      ],
      observedGeneration: gen,
      webhookPath: path,
    };
  }
  return w.obj(
    'Receiver',
    ns,
    name,
    { finalizers: ['finalizers.fluxcd.io'], generation: gen, labels: o.labels, created: o.created },
    spec,
    status,
  );
}

export function provider(w, ns, name, type, o = {}) {
  const spec = { type };
  if (o.address) spec.address = o.address;
  if (o.channel) spec.channel = o.channel;
  if (o.secretRef) spec.secretRef = { name: o.secretRef };
  return w.obj('Provider', ns, name, { generation: 1, labels: o.labels, created: o.created }, spec);
}

export function alert(w, ns, name, providerName, o = {}) {
  return w.obj(
    'Alert',
    ns,
    name,
    { generation: 1, labels: o.labels, created: o.created },
    {
      eventSeverity: o.severity ?? 'error',
      eventSources: o.sources ?? [
        { kind: 'Kustomization', name: '*' },
        { kind: 'HelmRelease', name: '*' },
      ],
      providerRef: { name: providerName },
    },
  );
}

export function healthy() {
  const base = baseCluster('healthy', { repoUpdated: 95 });
  const { w } = base;
  const infraLabels = ksLabels('infra');

  // infra: a HelmRepository + HelmRelease (with its generated HelmChart) and an OCIRepository.
  const podinfoRepo = helmRepository(w, 'flux-system', 'podinfo', {
    url: 'https://stefanprodan.github.io/podinfo',
    labels: infraLabels,
    updated: 22,
    created: 60 * 24 * 14,
  });
  const ingressRepo = helmRepository(w, 'flux-system', 'ingress-nginx', {
    url: 'https://kubernetes.github.io/ingress-nginx',
    labels: infraLabels,
    updated: 41,
    created: 60 * 24 * 14,
  });
  const ingress = healthyRelease(w, 'flux-system', 'ingress-nginx', {
    repo: 'ingress-nginx',
    chart: 'ingress-nginx',
    version: '4.13.x',
    appliedVersion: '4.13.2',
    appVersion: '1.13.2',
    targetNamespace: 'ingress-nginx',
    image: 'registry.k8s.io/ingress-nginx/controller:v1.13.2',
    deployName: 'ingress-nginx-controller',
    labels: infraLabels,
    since: 60 * 24 * 14 - 5,
    created: 60 * 24 * 14,
  });
  const oci = ociRepository(w, 'flux-system', 'podinfo-manifests', {
    url: 'oci://ghcr.io/stefanprodan/manifests/podinfo',
    ref: { semver: '6.7.x' },
    tag: '6.7.1',
    labels: infraLabels,
    updated: 60 * 24 * 3,
    created: 60 * 24 * 10,
  });
  const infra = kustomization(w, 'flux-system', 'infra', {
    path: './infrastructure/production',
    labels: ksLabels('flux-system'),
    wait: true,
    healthTook: '12.338210776s',
    since: 60 * 24 * 3,
    applies: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ingress-nginx' } },
      podinfoRepo,
      ingressRepo,
      ingress.hr,
      oci,
    ],
  });

  // apps: depends on infra. podinfo from the HelmRepository, the frontend from plain manifests.
  const podinfo = healthyRelease(w, 'apps', 'podinfo', {
    repo: 'podinfo',
    chart: 'podinfo',
    version: '6.7.x',
    appliedVersion: '6.7.1',
    image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
    port: 9898,
    replicas: 2,
    labels: ksLabels('apps'),
    since: 60 * 24 * 2,
    created: 60 * 24 * 10,
  });
  const frontend = app(w, 'apps', 'frontend', 'ghcr.io/acme/frontend:2.14.0', 'apps', { port: 8080, replicas: 3 });
  const apps = kustomization(w, 'flux-system', 'apps', {
    path: './apps/production',
    labels: ksLabels('flux-system'),
    dependsOn: ['infra'],
    wait: true,
    healthTook: '8.127402337s',
    since: 60 * 24 * 2,
    applies: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } }, podinfo.hr, frontend.dep],
  });
  // podinfo-oci: a Kustomization applying manifests from the OCIRepository.
  const ociApp = app(w, 'podinfo-oci', 'podinfo', 'ghcr.io/stefanprodan/podinfo:6.7.1', 'podinfo-oci', { replicas: 1 });
  const ociKs = kustomization(w, 'flux-system', 'podinfo-oci', {
    path: './',
    labels: ksLabels('flux-system'),
    sourceKind: 'OCIRepository',
    source: 'podinfo-manifests',
    targetNamespace: 'podinfo-oci',
    wait: true,
    healthTook: '4.004218813s',
    since: 60 * 24 * 3,
    applies: [ociApp.dep],
  });

  // Image automation.
  const imgRepo = imageRepository(w, 'flux-system', 'frontend', 'ghcr.io/acme/frontend', {
    secretRef: 'ghcr-auth',
    labels: ksLabels('flux-system'),
    tags: ['2.14.0', '2.13.2', '2.13.1', '2.13.0', '2.12.4'],
    count: 37,
  });
  secret(
    w,
    'flux-system',
    'ghcr-auth',
    {
      '.dockerconfigjson': b64(
        '{"auths":{"ghcr.io":{"username":"acme-bot","password":"ghp_FAKEfake","auth":"ZmFrZQ=="}}}',
      ),
    },
    { type: 'kubernetes.io/dockerconfigjson', labels: ksLabels('flux-system') },
  );
  const imgPol = imagePolicy(w, 'flux-system', 'frontend', imgRepo, '>=2.0.0 <3.0.0', {
    tag: '2.14.0',
    labels: ksLabels('flux-system'),
  });
  const iua = imageUpdateAutomation(w, 'flux-system', 'flux-system', {
    labels: ksLabels('flux-system'),
    policies: { frontend: { name: 'ghcr.io/acme/frontend', tag: '2.14.0' } },
    sourceRevision: base.repo.status.artifact.revision,
  });

  // Notifications.
  secret(
    w,
    'flux-system',
    'github-webhook-token',
    { token: b64('fake-webhook-token-0000000000') },
    { labels: ksLabels('flux-system') },
  );
  secret(
    w,
    'flux-system',
    'slack-webhook',
    { address: b64('https://hooks.slack.com/services/T000/B000/FAKEFAKEFAKE') },
    { labels: ksLabels('flux-system') },
  );
  const rcv = receiver(w, 'flux-system', 'github', 'github-webhook-token', { labels: ksLabels('flux-system') });
  const prov = provider(w, 'flux-system', 'slack', 'slack', {
    channel: 'platform-alerts',
    secretRef: 'slack-webhook',
    labels: ksLabels('flux-system'),
  });
  const al = alert(w, 'flux-system', 'on-call', 'slack', { labels: ksLabels('flux-system') });

  fluxSystemKs(w, base, [infra, apps, ociKs, imgRepo, imgPol, iua, rcv, prov, al]);

  // A few Normal events, as a healthy cluster has them.
  w.event(apps, 'Normal', 'ReconciliationSucceeded', 'Reconciliation finished in 1.84s, next run in 10m0s', {
    component: 'kustomize-controller',
    count: 3,
    first: 32,
    last: 2,
    annotations: { 'kustomize.toolkit.fluxcd.io/revision': base.revision },
  });
  w.event(
    podinfo.hr,
    'Normal',
    'InstallSucceeded',
    `Helm install succeeded for release apps/podinfo.v1 with chart podinfo@6.7.1`,
    { component: 'helm-controller', first: 60 * 24 * 2, last: 60 * 24 * 2 },
  );
  w.event(imgRepo, 'Normal', 'Succeeded', imgRepo.status.conditions[0].message, {
    component: 'image-reflector-controller',
    count: 9,
    first: 45,
    last: 3,
  });
  w.log('kustomize-controller', apps, 'info', 'Reconciliation finished in 1.84s, next run in 10m0s', {
    min: 2,
    extra: { revision: base.revision },
  });

  const dir = `${OUT}/healthy`;
  w.write(dir);
  writeExpected(dir, []);
}
