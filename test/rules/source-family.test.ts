// The source.* rules together, through the engine: overrides between them and the HelmChart →
// HelmRepository hand-off. Only source.* codes are asserted (other rules are tested on their own).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cond, diagnoseDocs, idOf, obj, secret, status } from '../helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: loose test spec
const failing = (kind: string, name: string, spec: any, reason: string, msg: string) =>
  obj(kind, name, { spec, status: status(['False', reason, msg], [cond('FetchFailed', 'True', reason, msg)]) });

const sourceFindings = (docs: Parameters<typeof diagnoseDocs>[0]) =>
  diagnoseDocs(docs)
    .findings.filter((f) => f.code.startsWith('source.'))
    .map((f) => `${f.code} ${idOf(f.rootCause)}`);

describe('source.* rules through the engine', () => {
  it('a missing Secret reported with reason AuthenticationFailed is source.secret-missing, not source.auth', () => {
    // fluxcd/source-controller gitrepository_controller.go getAuthOpts (double-wrapped getSecret error).
    const got = sourceFindings([
      failing(
        'GitRepository',
        'apps',
        { url: 'https://github.com/org/app', secretRef: { name: 'git-creds' } },
        'AuthenticationFailed',
        "failed to get secret 'flux-system/git-creds': failed to get secret 'flux-system/git-creds': secrets \"git-creds\" not found",
      ),
      secret('flux-system/other'),
    ]);
    assert.deepEqual(got, ['source.secret-missing GitRepository/flux-system/apps']);
  });

  it('a Secret without known_hosts wins over the auth failure it causes', () => {
    const got = sourceFindings([
      failing(
        'GitRepository',
        'infra',
        { url: 'ssh://git@github.com/org/infra', secretRef: { name: 'ssh-key' } },
        'AuthenticationFailed',
        "failed to configure authentication options: invalid 'ssh' auth option: 'known_hosts' is required",
      ),
      secret('flux-system/ssh-key', ['identity']),
    ]);
    assert.deepEqual(got, ['source.secret-missing GitRepository/flux-system/infra']);
  });

  it('a HelmChart that cannot reach its chart is reported at its failing HelmRepository', () => {
    // helmrepository_controller.go reconcileSource + chart_repository.go CacheIndex;
    // inner error as in https://github.com/fluxcd/source-controller/issues/192
    const report = diagnoseDocs([
      failing(
        'HelmRepository',
        'bitnami',
        { url: 'https://charts.bitnami.com/bitnami' },
        'Failed',
        'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.bitnami.com/bitnami/index.yaml": dial tcp: lookup charts.bitnami.com on 10.43.0.10:53: server misbehaving',
      ),
      failing(
        'HelmChart',
        'default-redis',
        { chart: 'redis', sourceRef: { kind: 'HelmRepository', name: 'bitnami' } },
        'ChartPullError',
        'chart pull error: failed to download chart for remote reference: Get "https://charts.bitnami.com/bitnami/redis-18.0.0.tgz": dial tcp: lookup charts.bitnami.com on 10.43.0.10:53: server misbehaving',
      ),
    ]);
    const unreachable = report.findings.filter((f) => f.code === 'source.unreachable');
    assert.equal(unreachable.length, 1);
    assert.equal(idOf(unreachable[0]!.rootCause), 'HelmRepository/flux-system/bitnami');
    assert.ok(unreachable[0]!.affected.some((a) => idOf(a) === 'HelmChart/flux-system/default-redis'));
  });
});
