// `-n X` (and the MCP `namespace` argument) narrows the live read: namespaced kinds are LISTed in X
// only (/apis/G/V/namespaces/X/plural), so an identity whose RBAC is a RoleBinding in X gets
// answers. What such an identity may not read (cluster-scoped kinds, the Flux namespace) makes the
// report partial, never failed, and never a false finding about what was not read.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { load } from '../../src/core/load.js';
import { diagnose } from '../../src/diagnose/engine.js';
import { Graph } from '../../src/graph/graph.js';
import { KINDS } from '../../src/kinds/table.js';
import { readLive } from '../../src/read/live.js';
import type { K8sObject } from '../../src/types.js';
import { type FakeApi, fakeApi } from '../fake-api.js';
import { cond, obj, READY, status } from '../helpers.js';
import { runCli } from '../run-cli.js';

// source-controller gitCheckout around fluxcd/pkg git/gogit/clone.go (source-controller#1275).
const AUTH =
  "failed to checkout and determine revision: unable to clone 'https://github.com/org/private': authentication required";

const objects = (): K8sObject[] => [
  obj('GitRepository', 'team-a/private', {
    spec: { url: 'https://github.com/org/private', ref: { branch: 'main' }, interval: '1m' },
    status: status(['False', 'GitOperationFailed', AUTH], [cond('FetchFailed', 'True', 'GitOperationFailed', AUTH)]),
  }),
  // A Kustomization in team-a whose source is in flux-system: not read under -n team-a, so not "missing".
  obj('Kustomization', 'team-a/apps', {
    spec: {
      interval: '10m',
      path: './apps',
      sourceRef: { kind: 'GitRepository', name: 'fleet', namespace: 'flux-system' },
    },
    status: READY(),
  }),
  obj('Kustomization', 'flux-system/flux-system', { spec: { interval: '10m' }, status: READY() }),
  obj('GitRepository', 'team-b/other', { spec: { url: 'https://example.com/x' }, status: READY() }),
  obj('Deployment', 'team-a/web', {
    spec: { replicas: 1 },
    status: { replicas: 1, availableReplicas: 1, updatedReplicas: 1, observedGeneration: 1 },
  }),
];

/** The paths of the LIST requests (GET without a name) the reader sent. */
const namespacedPlurals = new Set(KINDS.filter((k) => k.namespaced).map((k) => k.plural));
function clusterWideListsOfNamespacedKinds(fake: FakeApi): string[] {
  return fake.requests
    .filter((r) => r.method === 'GET')
    .map((r) => new URL(r.path, 'http://x').pathname)
    .filter((p) => {
      if (p.includes('/namespaces/')) return false;
      const m = /^\/(?:api\/v1|apis\/[^/]+\/[^/]+)\/([^/]+)$/.exec(p);
      return m !== null && namespacedPlurals.has(m[1]!);
    });
}

const cli = (args: string[]) => runCli([...args]);

describe('live read narrowed to one namespace', () => {
  let fake: FakeApi;
  before(async () => {
    fake = await fakeApi();
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.objects = objects();
    fake.requests = [];
    // A RoleBinding in team-a: discovery is open to every authenticated user, the rest only in team-a.
    fake.forbid = (_m, p) =>
      !(
        p === '/version' ||
        p === '/api' ||
        p === '/apis' ||
        /^\/apis\/[^/]+$/.test(p) ||
        p.includes('/namespaces/team-a/')
      );
  });

  it('namespace X: no cluster-wide LIST of a namespaced kind, and the objects of X are read', async () => {
    const snap = await readLive({ kubeconfig: fake.kubeconfig, namespace: 'team-a', logs: false });
    assert.deepEqual(clusterWideListsOfNamespacedKinds(fake), []);
    const ids = snap.objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort();
    assert.deepEqual(ids, ['Deployment/team-a/web', 'GitRepository/team-a/private', 'Kustomization/team-a/apps']);
    // Every namespaced LIST that was sent names team-a or the Flux namespace.
    const lists = fake.requests
      .map((r) => new URL(r.path, 'http://x').pathname)
      .filter((p) => p.includes('/namespaces/'));
    assert.ok(lists.length > 10, lists.join('\n'));
    assert.ok(
      lists.every((p) => /\/namespaces\/(team-a|flux-system)\//.test(p)),
      lists.join('\n'),
    );
  });

  it('forbidden cluster-scoped and Flux-namespace reads make the report partial, not failed', async () => {
    const snap = await readLive({ kubeconfig: fake.kubeconfig, namespace: 'team-a' });
    const partial = snap.problems.filter((p) => p.partial).map((p) => p.source);
    assert.ok(partial.includes('Namespace'), partial.join(', '));
    assert.ok(partial.includes('Deployment (namespace flux-system)'), partial.join(', '));
    assert.ok(partial.includes('controller logs (flux-system)'), partial.join(', '));
    assert.match(snap.problems.find((p) => p.source === 'Namespace')!.message, /^forbidden: namespaces is forbidden/);
    // The team-a Deployment survives the forbidden flux-system LIST of the same kind.
    assert.ok(snap.objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'web'));
    // What was not read is not reported missing: no controller-unavailable, no reference-missing.
    const codes = diagnose(new Graph(snap)).findings.map((f) => f.code);
    assert.deepEqual(codes, ['source.auth']);
  });

  it('a problem the live reader adds (a 403 quoting server text) is masked like every other string', async () => {
    fake.forbidSuffix = ': webhook authorizer said Authorization: Bearer ghp_leakyLeakyLeaky0123456789abcdefABCDEF';
    try {
      const { problems } = await load({ kubeconfig: fake.kubeconfig, namespace: 'team-a' });
      const text = JSON.stringify(problems);
      assert.match(text, /webhook authorizer said/);
      assert.doesNotMatch(text, /leakyLeakyLeaky/);
    } finally {
      fake.forbidSuffix = undefined;
    }
  });

  it('the same identity without -n: the cluster-wide LISTs are forbidden and say so', async () => {
    const snap = await readLive({ kubeconfig: fake.kubeconfig, logs: false });
    const gr = snap.problems.find((p) => p.source === 'GitRepository');
    assert.match(gr?.message ?? '', /forbidden: .*at the cluster scope/);
    assert.equal(snap.objects.length, 0);
  });

  it('CLI diagnose -n team-a with that identity returns the findings of team-a (exit 1, partial)', async () => {
    const r = await cli(['diagnose', '--kubeconfig', fake.kubeconfig, '-n', 'team-a', '-o', 'json']);
    assert.equal(r.code, 1, r.err);
    const doc = JSON.parse(r.out);
    assert.equal(doc.partial, true);
    assert.deepEqual(
      doc.findings.map((f: { code: string }) => f.code),
      ['source.auth'],
    );
    assert.deepEqual(clusterWideListsOfNamespacedKinds(fake), []);
  });
});
