// The README's main command, run as a user runs it: the built bin on a bundled example.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';

const bin = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, ['bin/fluxdoctor.js', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });

describe('bin/fluxdoctor.js (built package)', () => {
  it('is built (npm run build)', () => {
    assert.ok(existsSync('dist/cli/main.js'), 'dist/ is missing: run npm run build');
  });

  it('diagnoses the multi-hop example: one error, source.unreachable at the HelmRepository, four affected', () => {
    const r = bin(['diagnose', '--snapshot', 'examples/multi-hop', '-o', 'json']);
    assert.equal(r.status, 1, r.stderr);
    const doc = JSON.parse(r.stdout);
    const errors = doc.findings.filter((f: { severity: string }) => f.severity === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'source.unreachable');
    assert.deepEqual(errors[0].rootCause, { kind: 'HelmRepository', namespace: 'flux-system', name: 'bitnami' });
    assert.deepEqual(errors[0].affected.map((a: { kind: string; name: string }) => `${a.kind}/${a.name}`).sort(), [
      'HelmChart/flux-system-redis',
      'HelmRelease/redis',
      'Kustomization/apps',
      'Kustomization/infra',
    ]);
  });

  it('prints a plain report when piped, and exits 0 on the healthy example', () => {
    const r = bin(['diagnose', '--snapshot', 'examples/healthy']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /No problems found/);
    assert.ok(!r.stdout.includes('\u001b['), 'no colour when stdout is not a TTY');
  });

  it('exits 2 with a clear message on a missing file', () => {
    const r = bin(['diagnose', '--snapshot', 'does-not-exist.yaml']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read does-not-exist\.yaml/);
  });
});
