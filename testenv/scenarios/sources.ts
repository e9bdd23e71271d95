// Source failures: credentials, refs, reachability, missing Secrets, TLS.

import { readyFalse } from '../kube.js';
import { apiOf, gitRepository, kustomization, type Scenario, secret } from './lib.js';

const APP = {
  'app/kustomization.yaml': 'resources:\n  - configmap.yaml\n',
  'app/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  greeting: hello\n',
};

/** A GitRepository plus a Kustomization that uses it (so the root cause has something to break). */
async function gitAndKs(ctx: Parameters<Scenario['run']>[0], spec: object, extra: object[] = []) {
  await ctx.kube.applyAll([
    ...extra,
    gitRepository(ctx.ns, 'app', spec),
    kustomization(ctx.ns, 'app', {
      sourceRef: { kind: 'GitRepository', name: 'app' },
      path: './app',
      targetNamespace: ctx.ns,
    }),
  ]);
}

export const sourceScenarios: Scenario[] = [
  {
    name: 'git-wrong-password',
    description: 'GitRepository with basic-auth credentials the Git server rejects',
    expect: (ns) => ({
      code: 'source.auth',
      rootCause: `GitRepository/${ns}/app`,
      affected: [`Kustomization/${ns}/app`],
    }),
    async run(ctx) {
      ctx.git.commit(`auth-${ctx.ns}`, APP, { priv: true });
      await gitAndKs(
        ctx,
        { url: ctx.git.url(`auth-${ctx.ns}`, true), ref: { branch: 'main' }, secretRef: { name: 'git-creds' } },
        [secret(ctx.ns, 'git-creds', { username: ctx.state.auth.username, password: 'not-the-password' })],
      );
      await ctx.kube.waitFor(apiOf('GitRepository'), 'GitRepository', ctx.ns, 'app', readyFalse());
    },
  },
  {
    name: 'git-no-credentials',
    description: 'GitRepository on a private repository without a secretRef',
    expect: (ns) => ({
      code: 'source.auth',
      rootCause: `GitRepository/${ns}/app`,
      affected: [`Kustomization/${ns}/app`],
    }),
    async run(ctx) {
      ctx.git.commit(`auth-${ctx.ns}`, APP, { priv: true });
      await gitAndKs(ctx, { url: ctx.git.url(`auth-${ctx.ns}`, true), ref: { branch: 'main' } });
      await ctx.kube.waitFor(apiOf('GitRepository'), 'GitRepository', ctx.ns, 'app', readyFalse());
    },
  },
  {
    name: 'git-branch-missing',
    description: 'GitRepository on a branch that does not exist',
    expect: (ns) => ({
      code: 'source.ref-not-found',
      rootCause: `GitRepository/${ns}/app`,
      affected: [`Kustomization/${ns}/app`],
    }),
    async run(ctx) {
      ctx.git.commit(`app-${ctx.ns}`, APP);
      await gitAndKs(ctx, { url: ctx.git.url(`app-${ctx.ns}`), ref: { branch: 'release-9.9' } });
      await ctx.kube.waitFor(apiOf('GitRepository'), 'GitRepository', ctx.ns, 'app', readyFalse());
    },
  },
  {
    name: 'git-unreachable',
    description: 'GitRepository whose URL points at a port where nothing listens',
    expect: (ns) => ({
      code: 'source.unreachable',
      rootCause: `GitRepository/${ns}/app`,
      affected: [`Kustomization/${ns}/app`],
    }),
    async run(ctx) {
      await gitAndKs(ctx, {
        url: `http://127.0.0.1:${ctx.closedPort}/public/app.git`,
        ref: { branch: 'main' },
        timeout: '10s',
      });
      await ctx.kube.waitFor(apiOf('GitRepository'), 'GitRepository', ctx.ns, 'app', readyFalse());
    },
  },
  {
    name: 'git-secret-missing',
    description: 'GitRepository whose secretRef names a Secret that does not exist',
    expect: (ns) => ({
      code: 'source.secret-missing',
      rootCause: `GitRepository/${ns}/app`,
      affected: [`Kustomization/${ns}/app`],
    }),
    async run(ctx) {
      ctx.git.commit(`auth-${ctx.ns}`, APP, { priv: true });
      await gitAndKs(ctx, {
        url: ctx.git.url(`auth-${ctx.ns}`, true),
        ref: { branch: 'main' },
        secretRef: { name: 'git-credentials' },
      });
      await ctx.kube.waitFor(apiOf('GitRepository'), 'GitRepository', ctx.ns, 'app', readyFalse());
    },
  },
];
