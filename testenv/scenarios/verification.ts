// Source verification: a GitRepository that requires OpenPGP-signed commits, on a repository whose
// commits are not signed. The public key is a real one, made with Debian's gpg for the scenario.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readyFalse } from '../kube.js';
import { apiOf, gitRepository, kustomization, type Scenario, secret } from './lib.js';

/** A fresh armored OpenPGP public key (no passphrase, throwaway keyring). */
function publicKey(): string {
  const home = mkdtempSync(join(tmpdir(), 'fd-gpg-'));
  try {
    const gpg = (args: string[]) =>
      execFileSync('gpg', ['--homedir', home, '--batch', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    gpg(['--quick-gen-key', 'fluxdoctor testenv <testenv@fluxdoctor.invalid>', 'ed25519', 'sign', '1d']);
    return gpg(['--armor', '--export', 'testenv@fluxdoctor.invalid']);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

export const verificationScenarios: Scenario[] = [
  {
    name: 'git-unsigned-commit',
    description:
      'GitRepository that verifies OpenPGP commit signatures, on a repository whose HEAD commit is not signed',
    expect: (ns) => ({
      code: 'source.verification-failed',
      rootCause: `GitRepository/${ns}/app`,
      affected: [`Kustomization/${ns}/app`],
    }),
    async run(ctx) {
      ctx.git.commit(`unsigned-${ctx.ns}`, {
        'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n',
      });
      await ctx.kube.applyAll([
        secret(ctx.ns, 'pgp-public-keys', { 'author.asc': publicKey() }),
        gitRepository(ctx.ns, 'app', {
          url: ctx.git.url(`unsigned-${ctx.ns}`),
          ref: { branch: 'main' },
          verify: { mode: 'HEAD', secretRef: { name: 'pgp-public-keys' } },
        }),
        kustomization(ctx.ns, 'app', {
          sourceRef: { kind: 'GitRepository', name: 'app' },
          path: './app',
          targetNamespace: ctx.ns,
        }),
      ]);
      await ctx.kube.waitFor(apiOf('GitRepository'), 'GitRepository', ctx.ns, 'app', readyFalse(), 60_000);
    },
  },
];
