// More scenarios: an HTTPS Helm repository signed by an untrusted CA, a failing Helm test, a
// dependsOn chain that ends at a Kustomization still health-checking, a source that never gets an
// artifact, and a Kustomization referencing a kind whose CRD was deleted.

import { cond, readyFalse } from '../kube.js';
import { crdDocs } from '../up.js';
import {
  apiOf,
  deploymentYaml,
  gitRepository,
  helmRelease,
  helmRepository,
  kustomization,
  type Scenario,
} from './lib.js';

const BUCKET_CRD = 'buckets.source.toolkit.fluxcd.io';
const CRD = 'apiextensions.k8s.io/v1';

const chartSpec = (version: string) => ({
  chart: {
    spec: { chart: 'podinfo-lite', version, sourceRef: { kind: 'HelmRepository', name: 'charts' }, interval: '1m' },
  },
});

export const moreScenarios: Scenario[] = [
  {
    name: 'helm-repo-untrusted-ca',
    description: 'HTTPS HelmRepository whose server certificate is signed by a CA it does not trust',
    expect: (ns) => ({
      code: 'source.tls',
      rootCause: `HelmRepository/${ns}/charts`,
      affected: [`HelmRelease/${ns}/web`],
    }),
    async run(ctx) {
      await ctx.kube.applyAll([
        helmRepository(ctx.ns, 'charts', { url: `https://127.0.0.1:${ctx.state.ports['helm-tls']}/public` }),
        helmRelease(ctx.ns, 'web', chartSpec('1.0.0')),
      ]);
      await ctx.kube.waitFor(
        apiOf('HelmRepository'),
        'HelmRepository',
        ctx.ns,
        'charts',
        readyFalse(undefined, /x509|certificate/),
        60_000,
      );
      await ctx.kube.waitFor(apiOf('HelmRelease'), 'HelmRelease', ctx.ns, 'web', readyFalse(), 60_000);
    },
  },
  {
    name: 'helm-test-failed',
    description:
      'HelmRelease with Helm tests enabled; the test Pod never completes (no kubelet) and the test times out',
    expect: (ns) => ({ code: 'helm.test-failed', rootCause: `HelmRelease/${ns}/web` }),
    async run(ctx) {
      await ctx.kube.applyAll([
        helmRepository(ctx.ns, 'charts', { url: ctx.helmUrl() }),
        helmRelease(ctx.ns, 'web', {
          ...chartSpec('3.0.0'),
          timeout: '15s',
          install: { disableWait: true, remediation: { retries: 0 } },
          test: { enable: true, timeout: '15s' },
        }),
      ]);
      await ctx.kube.waitFor(
        apiOf('HelmRelease'),
        'HelmRelease',
        ctx.ns,
        'web',
        (o) => cond(o, 'TestSuccess')?.status === 'False' && cond(o, 'Ready')?.status === 'False',
        150_000,
        'TestSuccess=False',
      );
    },
  },
  {
    name: 'ks-dependency-progressing',
    description: 'apps dependsOn infra, and infra is still waiting (wait: true, 5m) for a Deployment to become ready',
    expect: (ns) => ({ code: 'kustomize.dependency-not-ready', rootCause: `Kustomization/${ns}/apps` }),
    async run(ctx) {
      const name = `ks-progressing-${ctx.ns}`;
      ctx.git.commit(name, {
        'infra/deploy.yaml': deploymentYaml('web', ctx.ns),
        'apps/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: ${ctx.ns}\ndata:\n  greeting: hello\n`,
      });
      const ks = (n: string, spec: object) =>
        kustomization(ctx.ns, n, {
          sourceRef: { kind: 'GitRepository', name: 'repo' },
          targetNamespace: ctx.ns,
          ...spec,
        });
      await ctx.kube.applyAll([
        gitRepository(ctx.ns, 'repo', { url: ctx.git.url(name), ref: { branch: 'main' } }),
        ks('infra', { path: './infra', wait: true, timeout: '5m' }),
        ks('apps', { path: './apps', dependsOn: [{ name: 'infra' }] }),
      ]);
      await ctx.kube.waitFor(
        apiOf('Kustomization'),
        'Kustomization',
        ctx.ns,
        'infra',
        (o) => cond(o, 'Ready')?.status === 'Unknown' && cond(o, 'Reconciling')?.status === 'True',
        60_000,
        'Progressing',
      );
      await ctx.kube.waitFor(
        apiOf('Kustomization'),
        'Kustomization',
        ctx.ns,
        'apps',
        readyFalse('DependencyNotReady'),
        60_000,
      );
    },
  },
  {
    name: 'ks-source-no-artifact',
    description:
      'Kustomization whose source is an ExternalArtifact nothing produces (no source-watcher), so it never has an artifact',
    expect: (ns) => ({ code: 'kustomize.source-not-ready', rootCause: `Kustomization/${ns}/app` }),
    async run(ctx) {
      await ctx.kube.applyAll([
        {
          apiVersion: apiOf('ExternalArtifact'),
          kind: 'ExternalArtifact',
          metadata: { name: 'app', namespace: ctx.ns },
          spec: {},
        },
        kustomization(ctx.ns, 'app', {
          sourceRef: { kind: 'ExternalArtifact', name: 'app' },
          path: './',
          targetNamespace: ctx.ns,
        }),
      ]);
      await ctx.kube.waitFor(
        apiOf('Kustomization'),
        'Kustomization',
        ctx.ns,
        'app',
        readyFalse('ArtifactFailed'),
        60_000,
      );
    },
  },
  {
    name: 'crd-missing-bucket',
    description: 'The Bucket CRD is deleted, and a Kustomization uses a Bucket as its source',
    disruptive: true,
    expect: (ns) => ({ code: 'flux.crd-missing', rootCause: `Kustomization/${ns}/app` }),
    async run(ctx) {
      await ctx.kube.delete(CRD, 'CustomResourceDefinition', undefined, BUCKET_CRD);
      const deadline = Date.now() + 60_000;
      while (await ctx.kube.get(CRD, 'CustomResourceDefinition', undefined, BUCKET_CRD)) {
        if (Date.now() > deadline) throw new Error(`${BUCKET_CRD} was not deleted within 60s`);
        await new Promise((r) => setTimeout(r, 500));
      }
      await ctx.kube.apply(
        kustomization(ctx.ns, 'app', {
          sourceRef: { kind: 'Bucket', name: 'manifests' },
          path: './',
          targetNamespace: ctx.ns,
        }),
      );
      await ctx.kube.waitFor(apiOf('Kustomization'), 'Kustomization', ctx.ns, 'app', readyFalse(), 60_000);
    },
    async cleanup(ctx) {
      const crd = crdDocs(['source-controller']).find((c) => c.metadata.name === BUCKET_CRD);
      if (!crd) throw new Error(`${BUCKET_CRD} not found in source-controller's CRDs`);
      await ctx.kube.apply(crd);
      await ctx.kube.waitFor(CRD, 'CustomResourceDefinition', undefined, BUCKET_CRD, (o) =>
        (o.status?.conditions ?? []).some(
          (c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True',
        ),
      );
    },
  },
];
