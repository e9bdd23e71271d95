import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAge, ViewError } from '../../src/views/common.js';
import { getRows, kindsFor } from '../../src/views/get.js';
import { cluster, example } from './fixture.js';

const ESC = '\u001b';
const ids = (rows: { kind: string; namespace?: string; name: string }[]) =>
  rows.map((r) => `${r.kind}/${r.namespace}/${r.name}`);

describe('views/get', () => {
  it('lists every Flux kind by default, in kind-table order, with state, reason, revision, age, suspended', () => {
    const rows = getRows(cluster());
    assert.deepEqual(ids(rows), [
      'GitRepository/flux-system/flux-system',
      'HelmRepository/flux-system/bitnami',
      'HelmChart/flux-system/flux-system-redis',
      'Kustomization/flux-system/apps',
      'Kustomization/flux-system/flux-system',
      'Kustomization/flux-system/infra',
      'Kustomization/team/legacy',
      'HelmRelease/flux-system/redis',
    ]);
    const git = rows[0]!;
    assert.equal(git.ready, 'Ready');
    assert.equal(git.revision, 'main@sha1:aaaa');
    // The newest status time: the artifact's lastUpdateTime (10:05) against now 10:10.
    assert.equal(git.lastReconcile, '2026-11-24T10:05:00Z');
    assert.equal(git.lastReconcileAge, 300);
    const apps = rows.find((r) => r.name === 'apps')!;
    assert.equal(apps.ready, 'Waiting');
    assert.equal(apps.reason, 'DependencyNotReady');
    assert.equal(apps.status, "dependency 'flux-system/infra' is not ready");
    assert.equal(apps.lastReconcileAge, 600);
    const legacy = rows.find((r) => r.name === 'legacy')!;
    assert.equal(legacy.ready, 'Suspended');
    assert.equal(legacy.suspended, true);
  });

  it('takes the kind as kubectl and flux users type it, and lists of kinds', () => {
    const g = cluster();
    for (const word of ['ks', 'kustomization', 'kustomizations', 'Kustomization'])
      assert.deepEqual(
        getRows(g, { kind: word }).map((r) => r.kind),
        ['Kustomization', 'Kustomization', 'Kustomization', 'Kustomization'],
        word,
      );
    assert.deepEqual(
      getRows(g, { kind: 'hr,helmrepo' }).map((r) => r.kind),
      ['HelmRelease', 'HelmRepository'],
    );
    assert.equal(getRows(g, { kind: 'all' }).length, 8);
    assert.deepEqual(
      getRows(g, { kind: 'deploy' }).map((r) => `${r.name}:${r.ready}`),
      ['redis:Ready', 'web:Progressing'],
    );
    assert.throws(() => kindsFor('nonsense'), ViewError);
    assert.throws(() => getRows(g, { kind: 'ks,nope' }), /unknown kind 'nope'/);
  });

  it('filters by --status, name and namespace', () => {
    const g = cluster();
    assert.deepEqual(ids(getRows(g, { status: 'failing' })), [
      'HelmRepository/flux-system/bitnami',
      'HelmChart/flux-system/flux-system-redis',
      'Kustomization/flux-system/infra',
      'HelmRelease/flux-system/redis',
    ]);
    assert.deepEqual(ids(getRows(g, { status: 'waiting' })), ['Kustomization/flux-system/apps']);
    assert.deepEqual(ids(getRows(g, { status: 'suspended' })), ['Kustomization/team/legacy']);
    assert.deepEqual(ids(getRows(g, { status: 'ready' })), [
      'GitRepository/flux-system/flux-system',
      'Kustomization/flux-system/flux-system',
    ]);
    assert.deepEqual(getRows(g, { status: 'progressing' }), []);
    assert.deepEqual(ids(getRows(g, { kind: 'ks', name: 'flux-system' })), ['Kustomization/flux-system/flux-system']);
    assert.deepEqual(ids(getRows(g, { namespace: 'team' })), ['Kustomization/team/legacy']);
  });

  it('sanitises and bounds the status text', () => {
    const infra = getRows(cluster(), { kind: 'ks', name: 'infra' })[0]!;
    assert.ok(!infra.status.includes(ESC) && !infra.status.includes('\u0007'), JSON.stringify(infra.status));
    assert.match(infra.status, /health check failed boom/);
  });

  it('formats ages as kubectl does', () => {
    assert.equal(formatAge(undefined), '-');
    assert.equal(formatAge(42), '42s');
    assert.equal(formatAge(125), '2m5s');
    assert.equal(formatAge(600), '10m');
    assert.equal(formatAge(3 * 3600 + 12 * 60), '3h12m');
    assert.equal(formatAge(4 * 86400 + 2 * 3600), '4d2h');
  });

  it('the multi-hop example: the states diagnose reports', () => {
    const rows = getRows(example('multi-hop'));
    const by = Object.fromEntries(rows.map((r) => [`${r.kind}/${r.name}`, r.ready]));
    assert.deepEqual(by, {
      'GitRepository/flux-system': 'Ready',
      'HelmRepository/bitnami': 'Failed',
      'HelmChart/flux-system-redis': 'Failed',
      'Kustomization/apps': 'Waiting',
      'Kustomization/flux-system': 'Ready',
      'Kustomization/infra': 'Failed',
      'Kustomization/legacy-reports': 'Suspended',
      'HelmRelease/redis': 'Failed',
    });
  });
});
