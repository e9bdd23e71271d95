// The deeper roots of a workload are read live: ReplicaSets, Jobs, Services and PersistentVolumeClaims
// are LISTed with the rest, and an identity that may not list them gets a partial report, not a failed
// read and not a finding about what was not read.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { diagnose } from '../../src/diagnose/engine.js';
import { Graph } from '../../src/graph/graph.js';
import { readLive } from '../../src/read/live.js';
import { type FakeApi, fakeApi } from '../fake-api.js';
import { obj } from '../helpers.js';

const PLURALS = ['replicasets', 'jobs', 'services', 'persistentvolumeclaims'];

describe('live read of the workload root kinds', () => {
  let fake: FakeApi;
  before(async () => {
    fake = await fakeApi();
  });
  after(() => fake.close());
  beforeEach(() => {
    // (the fake API serves the grouped kinds' objects; core kinds are only listed)
    fake.objects = [
      obj('Job', 'apps/migrate', { spec: { backoffLimit: 1 }, status: { succeeded: 1 } }),
      obj('ReplicaSet', 'apps/web-7f9c6d8b5', { spec: { replicas: 0 }, status: {} }),
    ];
    fake.requests = [];
    fake.forbid = undefined;
  });

  it('lists ReplicaSets, Jobs, Services and PersistentVolumeClaims', async () => {
    const snap = await readLive({ kubeconfig: fake.kubeconfig, logs: false });
    const paths = fake.requests.map((r) => new URL(r.path, 'http://x').pathname);
    for (const plural of PLURALS)
      assert.ok(
        paths.some((p) => p.endsWith(`/${plural}`)),
        `${plural} not listed: ${paths.join(' ')}`,
      );
    const ids = snap.objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    assert.deepEqual(ids, ['Job/migrate', 'ReplicaSet/web-7f9c6d8b5']);
  });

  it('a forbidden LIST of those kinds makes the report partial, not failed', async () => {
    fake.forbid = (_m, p) => PLURALS.some((plural) => p.endsWith(`/${plural}`));
    const snap = await readLive({ kubeconfig: fake.kubeconfig, logs: false });
    const partial = snap.problems.filter((p) => p.partial).map((p) => p.source);
    for (const kind of ['ReplicaSet', 'Job', 'Service', 'PersistentVolumeClaim'])
      assert.ok(partial.includes(kind), `${kind} not partial: ${partial.join(', ')}`);
    assert.deepEqual(
      diagnose(new Graph(snap)).findings.map((f) => f.code),
      [],
    );
  });
});
