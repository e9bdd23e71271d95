// Kustomization failures: build, dry-run, impersonation, immutable fields, health checks,
// dependsOn chains, SOPS, substitution; and the Flux-level ones that show on Kustomizations.

import { dump } from 'js-yaml';
import { cond, readyFalse } from '../kube.js';
import { apiOf, deploymentYaml, gitRepository, kustomization, type Scenario } from './lib.js';

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  greeting: hello\n`;

/** A public repository with these files, and a GitRepository `repo` for it in the namespace. */
async function repo(ctx: Parameters<Scenario['run']>[0], name: string, files: Record<string, string>) {
  ctx.git.commit(name, files);
  await ctx.kube.apply(gitRepository(ctx.ns, 'repo', { url: ctx.git.url(name), ref: { branch: 'main' } }));
}

const ks = (ns: string, name: string, spec: object) =>
  kustomization(ns, name, { sourceRef: { kind: 'GitRepository', name: 'repo' }, targetNamespace: ns, ...spec });

export const kustomizeScenarios: Scenario[] = [
  {
    name: 'ks-path-missing',
    description: 'Kustomization whose spec.path does not exist in the repository',
    expect: (ns) => ({ code: 'kustomize.build-failed', rootCause: `Kustomization/${ns}/app` }),
    async run(ctx) {
      await repo(ctx, `basic-${ctx.ns}`, { 'apps/cm.yaml': CM('app') });
      await ctx.kube.apply(ks(ctx.ns, 'app', { path: './clusters/staging' }));
      await ctx.kube.waitFor(apiOf('Kustomization'), 'Kustomization', ctx.ns, 'app', readyFalse(undefined, /path/));
    },
  },
  {
    name: 'ks-dry-run-unknown-kind',
    description: 'Kustomization applying a kind whose CRD is not installed (server-side dry-run rejects it)',
    expect: (ns) => ({ code: 'kustomize.validation-failed', rootCause: `Kustomization/${ns}/app` }),
    async run(ctx) {
      await repo(ctx, `unknown-kind-${ctx.ns}`, {
        'app/sm.yaml':
          'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: podinfo\nspec:\n  endpoints:\n    - port: http\n',
      });
      await ctx.kube.apply(ks(ctx.ns, 'app', { path: './app' }));
      await ctx.kube.waitFor(apiOf('Kustomization'), 'Kustomization', ctx.ns, 'app', readyFalse());
    },
  },
  {
    name: 'ks-impersonation-forbidden',
    description: 'Kustomization impersonating a ServiceAccount that has no RBAC rights',
    expect: (ns) => ({ code: 'kustomize.rbac-forbidden', rootCause: `Kustomization/${ns}/app` }),
    async run(ctx) {
      await repo(ctx, `basic-${ctx.ns}`, { 'apps/cm.yaml': CM('app') });
      await ctx.kube.apply({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'tenant', namespace: ctx.ns },
      });
      await ctx.kube.apply(ks(ctx.ns, 'app', { path: './apps', serviceAccountName: 'tenant' }));
      await ctx.kube.waitFor(apiOf('Kustomization'), 'Kustomization', ctx.ns, 'app', readyFalse());
    },
  },
  {
    name: 'ks-immutable-selector',
    description: 'A new revision changes a Deployment selector, which is immutable',
    expect: (ns) => ({ code: 'kustomize.immutable-field', rootCause: `Kustomization/${ns}/app` }),
    async run(ctx) {
      const name = `ks-immutable-${ctx.ns}`;
      ctx.git.commit(name, { 'app/deploy.yaml': deploymentYaml('web', ctx.ns, { selector: 'web' }) });
      await ctx.kube.apply(
        gitRepository(ctx.ns, 'repo', { url: ctx.git.url(name), ref: { branch: 'main' }, interval: '10s' }),
      );
      await ctx.kube.apply(ks(ctx.ns, 'app', { path: './app', interval: '10s' }));
      await ctx.kube.waitFor(
        apiOf('Kustomization'),
        'Kustomization',
        ctx.ns,
        'app',
        (o) => cond(o, 'Ready')?.status === 'True',
        90_000,
        'Ready',
      );
      ctx.git.commit(name, { 'app/deploy.yaml': deploymentYaml('web', ctx.ns, { selector: 'web-v2' }) });
      await ctx.kube.mergePatch(gitRepository(ctx.ns, 'repo', {}), {
        metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': String(Date.now()) } },
      });
      await ctx.kube.waitFor(
        apiOf('Kustomization'),
        'Kustomization',
        ctx.ns,
        'app',
        readyFalse(undefined, /immutable/),
        120_000,
      );
    },
  },
  {
    name: 'ks-health-check-timeout',
    description: 'Kustomization with wait: true on a Deployment that never becomes ready',
    expect: (ns) => ({ code: 'kustomize.health-check-failed', rootCause: `Kustomization/${ns}/app` }),
    async run(ctx) {
      await repo(ctx, `ks-wait-${ctx.ns}`, { 'app/deploy.yaml': deploymentYaml('web', ctx.ns) });
      await ctx.kube.apply(ks(ctx.ns, 'app', { path: './app', wait: true, timeout: '15s' }));
      await ctx.kube.waitFor(apiOf('Kustomization'), 'Kustomization', ctx.ns, 'app', readyFalse(), 120_000);
    },
  },
  {
    name: 'ks-depends-on-chain',
    description: 'apps → dependsOn infra → dependsOn base, and base fails to build: the root cause is base',
    expect: (ns) => ({
      code: 'kustomize.build-failed',
      rootCause: `Kustomization/${ns}/base`,
      affected: [`Kustomization/${ns}/infra`, `Kustomization/${ns}/apps`],
    }),
    async run(ctx) {
      await repo(ctx, `basic-${ctx.ns}`, { 'apps/cm.yaml': CM('app') });
      await ctx.kube.applyAll([
        ks(ctx.ns, 'base', { path: './does-not-exist' }),
        ks(ctx.ns, 'infra', { path: './apps', dependsOn: [{ name: 'base' }] }),
        ks(ctx.ns, 'apps', { path: './apps', dependsOn: [{ name: 'infra' }] }),
      ]);
      await ctx.kube.waitFor(
        apiOf('Kustomization'),
        'Kustomization',
        ctx.ns,
        'apps',
        readyFalse('DependencyNotReady'),
        60_000,
      );
      await ctx.kube.waitFor(
        apiOf('Kustomization'),
        'Kustomization',
        ctx.ns,
        'infra',
        readyFalse('DependencyNotReady'),
        60_000,
      );
      await ctx.kube.waitFor(apiOf('Kustomization'), 'Kustomization', ctx.ns, 'base', readyFalse(), 60_000);
    },
  },
  {
    name: 'ks-sops-key-missing',
    description: 'SOPS decryption configured with a key Secret that does not exist',
    expect: (ns) => ({ code: 'kustomize.decryption-failed', rootCause: `Kustomization/${ns}/app` }),
    async run(ctx) {
      const encrypted = dump({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db-credentials' },
        type: 'Opaque',
        stringData: {
          password: 'ENC[AES256_GCM,data:Zm9vYmFy,iv:AAAAAAAAAAAAAAAAAAAAAA==,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]',
        },
        sops: {
          age: [
            {
              recipient: 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p',
              enc: '-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCg==\n-----END AGE ENCRYPTED FILE-----\n',
            },
          ],
          lastmodified: '2026-11-20T10:00:00Z',
          mac: 'ENC[AES256_GCM,data:AAAA,iv:AAAAAAAAAAAAAAAAAAAAAA==,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]',
          encrypted_regex: '^(data|stringData)$',
          version: '3.9.4',
        },
      });
      await repo(ctx, `sops-${ctx.ns}`, { 'app/secret.enc.yaml': encrypted });
      await ctx.kube.apply(
        ks(ctx.ns, 'app', { path: './app', decryption: { provider: 'sops', secretRef: { name: 'sops-age' } } }),
      );
      await ctx.kube.waitFor(apiOf('Kustomization'), 'Kustomization', ctx.ns, 'app', readyFalse(), 60_000);
    },
  },
  {
    name: 'ks-substitute-from-missing',
    description: 'postBuild.substituteFrom names a ConfigMap that does not exist',
    expect: (ns) => ({ code: 'kustomize.substitution-failed', rootCause: `Kustomization/${ns}/app` }),
    async run(ctx) {
      await repo(ctx, `vars-${ctx.ns}`, {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a Flux postBuild variable, not a JS template
        'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  region: ${cluster_region}\n',
      });
      await ctx.kube.apply(
        ks(ctx.ns, 'app', {
          path: './app',
          postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-vars' }] },
        }),
      );
      await ctx.kube.waitFor(apiOf('Kustomization'), 'Kustomization', ctx.ns, 'app', readyFalse(), 60_000);
    },
  },
  {
    name: 'ks-suspended-dependency',
    description: 'apps dependsOn infra, and infra is suspended before it ever became ready',
    expect: (ns) => ({
      code: 'flux.suspended',
      rootCause: `Kustomization/${ns}/infra`,
      affected: [`Kustomization/${ns}/apps`],
    }),
    async run(ctx) {
      await repo(ctx, `basic-${ctx.ns}`, { 'apps/cm.yaml': CM('app') });
      await ctx.kube.applyAll([
        ks(ctx.ns, 'infra', { path: './apps', suspend: true }),
        ks(ctx.ns, 'apps', { path: './apps', dependsOn: [{ name: 'infra' }] }),
      ]);
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
    name: 'ks-source-missing',
    description: 'Kustomization whose sourceRef names a GitRepository that does not exist',
    expect: (ns) => ({ code: 'flux.reference-missing', rootCause: `Kustomization/${ns}/app` }),
    async run(ctx) {
      await ctx.kube.apply(
        ks(ctx.ns, 'app', { path: './apps', sourceRef: { kind: 'GitRepository', name: 'fleet-infra' } }),
      );
      await ctx.kube.waitFor(apiOf('Kustomization'), 'Kustomization', ctx.ns, 'app', readyFalse(), 60_000);
    },
  },
  {
    name: 'ks-dependency-cycle',
    description: 'Two Kustomizations that depend on each other',
    expect: (ns) => ({ code: 'flux.dependency-cycle', rootCause: `Kustomization/${ns}/a` }),
    async run(ctx) {
      await repo(ctx, `basic-${ctx.ns}`, { 'apps/cm.yaml': CM('app') });
      await ctx.kube.applyAll([
        ks(ctx.ns, 'a', { path: './apps', dependsOn: [{ name: 'b' }] }),
        ks(ctx.ns, 'b', { path: './apps', dependsOn: [{ name: 'a' }] }),
      ]);
      await ctx.kube.waitFor(
        apiOf('Kustomization'),
        'Kustomization',
        ctx.ns,
        'a',
        readyFalse('DependencyNotReady'),
        60_000,
      );
      await ctx.kube.waitFor(
        apiOf('Kustomization'),
        'Kustomization',
        ctx.ns,
        'b',
        readyFalse('DependencyNotReady'),
        60_000,
      );
    },
  },
];
