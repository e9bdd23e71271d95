import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stats } from '../../src/views/stats.js';
import { graphOf, obj, READY, status } from '../helpers.js';
import { cluster, example } from './fixture.js';

describe('views/stats', () => {
  it('counts per Flux kind, and a total', () => {
    const s = stats(cluster());
    const ks = s.kinds.find((k) => k.kind === 'Kustomization')!;
    assert.deepEqual(ks, {
      kind: 'Kustomization',
      total: 4,
      ready: 1,
      failing: 1,
      suspended: 1,
      waiting: 1,
      progressing: 0,
    });
    assert.deepEqual(
      s.kinds.map((k) => k.kind),
      ['GitRepository', 'HelmRepository', 'HelmChart', 'Kustomization', 'HelmRelease'],
      'only kinds with objects',
    );
    assert.deepEqual(s.total, {
      kind: 'total',
      total: 8,
      ready: 2,
      failing: 4,
      suspended: 1,
      waiting: 1,
      progressing: 0,
    });
  });

  it('counts progressing and never-reconciled objects as progressing; statusless kinds as ready', () => {
    const g = graphOf([
      obj('GitRepository', 'a', { status: status(['Unknown', 'Progressing', 'reconciling']) }),
      obj('GitRepository', 'b'),
      obj('GitRepository', 'c', { status: READY() }),
      obj('Provider', 'slack', { spec: { type: 'slack' } }),
    ]);
    const s = stats(g);
    assert.deepEqual(
      s.kinds.find((k) => k.kind === 'GitRepository'),
      {
        kind: 'GitRepository',
        total: 3,
        ready: 1,
        failing: 0,
        suspended: 0,
        waiting: 0,
        progressing: 2,
      },
    );
    assert.equal(s.kinds.find((k) => k.kind === 'Provider')!.ready, 1);
  });

  it('filters by namespace', () => {
    const s = stats(cluster(), { namespace: 'team' });
    assert.deepEqual(s.total, {
      kind: 'total',
      total: 1,
      ready: 0,
      failing: 0,
      suspended: 1,
      waiting: 0,
      progressing: 0,
    });
  });

  it('lists kinds a live read listed even when empty', () => {
    const g = graphOf([obj('GitRepository', 'a', { status: READY() })]);
    g.snapshot.info.kindsRead = ['GitRepository', 'Bucket'];
    assert.deepEqual(
      stats(g).kinds.map((k) => `${k.kind}:${k.total}`),
      ['GitRepository:1', 'Bucket:0'],
    );
  });

  it('the multi-hop example agrees with diagnose’s object counts', () => {
    const s = stats(example('multi-hop'));
    assert.deepEqual(
      { total: s.total.total, ready: s.total.ready, failing: s.total.failing, suspended: s.total.suspended },
      { total: 8, ready: 2, failing: 4, suspended: 1 },
    );
  });
});
