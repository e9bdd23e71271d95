import { fileURLToPath } from 'node:url';
import {
  b64,
  bootstrap,
  deployment,
  fluxControllers,
  gitRevision,
  helmChart,
  helmRelease,
  helmRepository,
  hrLabels,
  ksLabels,
  kustomization,
  secret,
  World,
} from './lib.mjs';

export const CAPTURE = '2026-09-14T09:30:00Z';
export const OUT = fileURLToPath(new URL('../../examples', import.meta.url));

/** A bootstrapped cluster: controllers, flux-system GitRepository. Returns the world and helpers. */
export function baseCluster(name, opts = {}) {
  const w = new World(name, opts.capture ?? CAPTURE);
  const revision = gitRevision(`${name}/fleet`);
  const { repo, gitCreds } = bootstrap(w, { revision, repoUpdated: opts.repoUpdated ?? 38 });
  const controllers = fluxControllers(w, opts);
  return { w, repo, gitCreds, controllers, revision };
}

/** The flux-system Kustomization applying the controllers, the sync objects and the given Kustomizations. */
export function fluxSystemKs(w, base, extra = []) {
  return kustomization(w, 'flux-system', 'flux-system', {
    path: './clusters/production',
    labels: ksLabels('flux-system'),
    since: 36,
    applies: [
      ...base.controllers,
      base.repo,
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { namespace: 'flux-system', name: 'flux-system' },
      },
      ...extra,
    ],
  });
}

/** A healthy app: Deployment with pods, applied by a Kustomization (labels). */
export function app(w, ns, name, image, ks, o = {}) {
  return deployment(w, ns, name, {
    image,
    port: o.port ?? 9898,
    replicas: o.replicas ?? 2,
    labels: { ...(ks ? ksLabels(ks, o.ksNs) : {}), ...(o.labels ?? {}) },
    rolledOut: o.rolledOut ?? 60 * 24 * 2,
    readinessProbe: {
      failureThreshold: 3,
      httpGet: { path: '/readyz', port: o.port ?? 9898, scheme: 'HTTP' },
      periodSeconds: 10,
      successThreshold: 1,
      timeoutSeconds: 1,
    },
  });
}

/** A healthy HelmRelease with its HelmChart and the release's Deployment. */
export function healthyRelease(w, ns, name, o) {
  const hr = helmRelease(w, ns, name, {
    repo: o.repo,
    chart: o.chart,
    version: o.version,
    appliedVersion: o.appliedVersion,
    appVersion: o.appVersion,
    targetNamespace: o.targetNamespace,
    values: o.values,
    labels: o.labels,
    since: o.since,
    created: o.created,
  });
  helmChart(w, hr, { version: o.appliedVersion, updated: (o.since ?? 1990) + 1 });
  const relNs = o.targetNamespace ?? ns;
  const workload = deployment(w, relNs, o.deployName ?? name, {
    image: o.image,
    port: o.port ?? 8080,
    replicas: o.replicas ?? 1,
    labels: {
      'app.kubernetes.io/instance': o.targetNamespace ? `${o.targetNamespace}-${name}` : name,
      'app.kubernetes.io/managed-by': 'Helm',
      'app.kubernetes.io/version': o.appVersion ?? o.appliedVersion,
      'helm.sh/chart': `${o.chart}-${o.appliedVersion}`,
      ...hrLabels(name, ns),
    },
    annotations: {
      'meta.helm.sh/release-name': o.targetNamespace ? `${o.targetNamespace}-${name}` : name,
      'meta.helm.sh/release-namespace': relNs,
    },
    rolledOut: o.since ?? 1990,
  });
  return { hr, workload };
}

export { b64, helmRepository, secret };
