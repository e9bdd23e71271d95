// Image automation and notification failures.

import { existsSync, readFileSync } from 'node:fs';
import { readyFalse, sleep } from '../kube.js';
import { apiOf, gitRepository, kustomization, type Scenario } from './lib.js';

const IMAGE_CONTROLLERS = ['image-reflector-controller', 'image-automation-controller'];

const imageRepository = (ns: string, name: string, image: string) => ({
  apiVersion: apiOf('ImageRepository'),
  kind: 'ImageRepository',
  metadata: { name, namespace: ns },
  spec: { image, interval: '1m', insecure: true },
});

const imagePolicy = (ns: string, name: string, repo: string, range: string) => ({
  apiVersion: apiOf('ImagePolicy'),
  kind: 'ImagePolicy',
  metadata: { name, namespace: ns },
  spec: { imageRepositoryRef: { name: repo }, policy: { semver: { range } } },
});

/** Wait until a controller's log file has a line about the namespace matching `re`. */
async function waitLog(file: string, ns: string, re: RegExp, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      existsSync(file) &&
      readFileSync(file, 'utf8')
        .split('\n')
        .some((l) => l.includes(ns) && re.test(l))
    )
      return;
    await sleep(500);
  }
  throw new Error(`no log line matching ${re} about ${ns} in ${file}`);
}

export const automationScenarios: Scenario[] = [
  {
    name: 'image-repository-not-found',
    description: 'ImageRepository on a repository the registry does not have; an ImagePolicy uses it',
    needs: IMAGE_CONTROLLERS,
    expect: (ns) => ({
      code: 'image.scan-failed',
      rootCause: `ImageRepository/${ns}/web`,
      affected: [`ImagePolicy/${ns}/web`],
    }),
    async run(ctx) {
      await ctx.kube.applyAll([
        imageRepository(ctx.ns, 'web', `${ctx.registry}/apps/does-not-exist`),
        imagePolicy(ctx.ns, 'web', 'web', '>=1.0.0'),
      ]);
      await ctx.kube.waitFor(apiOf('ImageRepository'), 'ImageRepository', ctx.ns, 'web', readyFalse(), 90_000);
      await ctx.kube.waitFor(apiOf('ImagePolicy'), 'ImagePolicy', ctx.ns, 'web', readyFalse(), 90_000);
    },
  },
  {
    name: 'image-policy-no-match',
    description: 'ImagePolicy whose semver range matches none of the scanned tags',
    needs: IMAGE_CONTROLLERS,
    expect: (ns) => ({ code: 'image.policy-no-match', rootCause: `ImagePolicy/${ns}/web` }),
    async run(ctx) {
      await ctx.kube.applyAll([
        imageRepository(ctx.ns, 'web', `${ctx.registry}/apps/web`),
        imagePolicy(ctx.ns, 'web', 'web', '>=5.0.0 <6.0.0'),
      ]);
      await ctx.kube.waitFor(apiOf('ImagePolicy'), 'ImagePolicy', ctx.ns, 'web', readyFalse(), 90_000);
    },
  },
  {
    name: 'image-update-push-refused',
    description: 'ImageUpdateAutomation pushing to a Git remote that refuses pushes',
    needs: IMAGE_CONTROLLERS,
    expect: (ns) => ({ code: 'image.git-push-failed', rootCause: `ImageUpdateAutomation/${ns}/web` }),
    async run(ctx) {
      const repoName = `iua-${ctx.ns}`;
      ctx.git.commit(
        repoName,
        {
          'app/deploy.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: ${ctx.registry}/apps/web:1.0.0 # {"$imagepolicy": "${ctx.ns}:web"}\n`,
        },
        { readOnly: true },
      );
      await ctx.kube.applyAll([
        gitRepository(ctx.ns, 'repo', { url: ctx.git.url(repoName), ref: { branch: 'main' } }),
        imageRepository(ctx.ns, 'web', `${ctx.registry}/apps/web`),
        imagePolicy(ctx.ns, 'web', 'web', '>=1.0.0'),
        {
          apiVersion: apiOf('ImageUpdateAutomation'),
          kind: 'ImageUpdateAutomation',
          metadata: { name: 'web', namespace: ctx.ns },
          spec: {
            interval: '1m',
            sourceRef: { kind: 'GitRepository', name: 'repo' },
            git: {
              checkout: { ref: { branch: 'main' } },
              commit: {
                author: { name: 'fluxbot', email: 'fluxbot@example.invalid' },
                messageTemplate: 'Update images',
              },
              push: { branch: 'main' },
            },
            update: { path: './app', strategy: 'Setters' },
          },
        },
      ]);
      await ctx.kube.waitFor(
        apiOf('ImageUpdateAutomation'),
        'ImageUpdateAutomation',
        ctx.ns,
        'web',
        readyFalse(),
        120_000,
      );
    },
  },
  {
    name: 'receiver-secret-missing',
    description: 'Receiver whose token Secret does not exist',
    expect: (ns) => ({ code: 'notification.receiver-secret-missing', rootCause: `Receiver/${ns}/github` }),
    async run(ctx) {
      ctx.git.commit(`app-${ctx.ns}`, { 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n' });
      await ctx.kube.applyAll([
        gitRepository(ctx.ns, 'repo', { url: ctx.git.url(`app-${ctx.ns}`), ref: { branch: 'main' } }),
        {
          apiVersion: apiOf('Receiver'),
          kind: 'Receiver',
          metadata: { name: 'github', namespace: ctx.ns },
          spec: {
            type: 'github',
            events: ['ping', 'push'],
            secretRef: { name: 'webhook-token' },
            resources: [{ kind: 'GitRepository', name: 'repo' }],
          },
        },
      ]);
      await ctx.kube.waitFor(apiOf('Receiver'), 'Receiver', ctx.ns, 'github', readyFalse(), 60_000);
    },
  },
  {
    name: 'provider-unreachable',
    description: 'An Alert sends events through a Provider whose address nothing listens on',
    expect: (ns) => ({
      code: 'notification.provider-failed',
      rootCause: `Provider/${ns}/webhook`,
      affected: [`Alert/${ns}/ops`],
    }),
    async run(ctx) {
      await ctx.kube.applyAll([
        {
          apiVersion: apiOf('Provider'),
          kind: 'Provider',
          metadata: { name: 'webhook', namespace: ctx.ns },
          spec: { type: 'generic', address: `http://127.0.0.1:${ctx.closedPort}/hooks/flux` },
        },
        {
          apiVersion: apiOf('Alert'),
          kind: 'Alert',
          metadata: { name: 'ops', namespace: ctx.ns },
          spec: {
            providerRef: { name: 'webhook' },
            eventSeverity: 'info',
            eventSources: [
              { kind: 'Kustomization', name: '*' },
              { kind: 'GitRepository', name: '*' },
            ],
          },
        },
      ]);
      // Something to alert about: a Kustomization whose path does not exist sends error events.
      ctx.git.commit(`app-${ctx.ns}`, { 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n' });
      await sleep(2000); // let notification-controller index the Alert before events arrive
      await ctx.kube.applyAll([
        gitRepository(ctx.ns, 'repo', { url: ctx.git.url(`app-${ctx.ns}`), ref: { branch: 'main' } }),
        kustomization(ctx.ns, 'app', {
          sourceRef: { kind: 'GitRepository', name: 'repo' },
          path: './missing',
          targetNamespace: ctx.ns,
        }),
      ]);
      await ctx.kube.waitFor('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', ctx.ns, 'app', readyFalse(), 60_000);
      await waitLog(ctx.state.logs['notification-controller']!, ctx.ns, /failed|error/i, 90_000);
    },
  },
];
