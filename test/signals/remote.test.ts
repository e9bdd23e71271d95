// What a source fetches from (src/signals/remote.ts), and which of its signals decide its cause: a
// stale Warning event of an older failure never outvotes the condition the controller wrote last.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify, fetcherOf, hostOf, registryHost, remoteHost, urlOf, usesProvider } from '../../src/signals/index.js';
import { cond, graphOf, obj, READY, status } from '../helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: loose test spec
const failing = (kind: string, name: string, spec: any, reason: string, msg: string) =>
  obj(kind, name, { spec, status: status(['False', reason, msg], [cond('FetchFailed', 'True', reason, msg)]) });

describe('signals/remote', () => {
  it('the condition decides over a stale event of another failure', () => {
    const g = graphOf([
      failing(
        'GitRepository',
        'apps',
        { url: 'https://github.com/org/app' },
        'GitOperationFailed',
        "failed to checkout and determine revision: unable to clone 'https://github.com/org/app': couldn't find remote ref \"refs/heads/dev\"",
      ),
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'apps.1', namespace: 'flux-system' },
        involvedObject: { kind: 'GitRepository', namespace: 'flux-system', name: 'apps' },
        reason: 'GitOperationFailed',
        message:
          "failed to checkout and determine revision: unable to clone 'https://github.com/org/app': authentication required",
        type: 'Warning',
        count: 3,
        lastTimestamp: '2026-11-20T10:00:00Z',
      },
    ]);
    const c = classify(g.byKind('GitRepository')[0]!, g);
    assert.deepEqual([c?.code, c?.data.branch], ['source.ref-not-found', 'dev']);
    assert.deepEqual(
      c?.signals.map((s) => s.from),
      ['Ready', 'FetchFailed'],
    );
  });

  it('finds the host of every kind of source', () => {
    // One registry-host reading for ImageRepository (Docker Hub is index.docker.io, as docker-server wants it).
    assert.equal(remoteHost(obj('ImageRepository', 'a', { spec: { image: 'nginx' } })), 'index.docker.io');
    assert.equal(remoteHost(obj('ImageRepository', 'a', { spec: { image: 'ghcr.io/org/app' } })), 'ghcr.io');
    assert.equal(remoteHost(obj('ImageRepository', 'a', { spec: { image: 'reg.local:5000/app' } })), 'reg.local');
    assert.equal(registryHost('reg.local:5000/app'), 'reg.local:5000');
    assert.equal(remoteHost(obj('Bucket', 'b', { spec: { endpoint: 'minio.example.com:9000' } })), 'minio.example.com');
    assert.equal(hostOf('git@github.com:org/repo.git'), 'github.com');
    assert.equal(hostOf('ssh://git@github.com:22/org/repo'), 'github.com');
    assert.equal(
      urlOf(obj('Bucket', 'b', { spec: { endpoint: 'minio.example.com', bucketName: 'artifacts' } })),
      'minio.example.com/artifacts',
    );
    assert.equal(usesProvider(obj('OCIRepository', 'o', { spec: { provider: 'generic' } })), undefined);
    assert.equal(usesProvider(obj('OCIRepository', 'o', { spec: { provider: 'aws' } })), 'aws');
  });

  it('a HelmChart fetches through its HelmRepository when that was read, else it is its own fetcher', () => {
    const repo = obj('HelmRepository', 'charts', { spec: { url: 'https://charts.example.com' }, status: READY() });
    const chart = obj('HelmChart', 'apps-web', {
      spec: { chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'charts' } },
    });
    const g = graphOf([repo, chart]);
    assert.equal(fetcherOf(g.byKind('HelmChart')[0]!, g).kind, 'HelmRepository');
    const alone = graphOf([chart]);
    assert.equal(fetcherOf(alone.byKind('HelmChart')[0]!, alone).kind, 'HelmChart');
  });
});
