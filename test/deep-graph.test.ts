// Long chains and cycles (issue 8): the root-cause walk, trace and tree walk with their own stack and
// guards, so a 10,000-hop dependsOn chain or inventory chain neither overflows nor takes quadratic
// time. Timeouts here are hang guards, not benchmarks.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose, MAX_CHAIN_HOPS } from '../src/diagnose/engine.js';
import { Graph } from '../src/graph/graph.js';
import { SnapshotBuilder } from '../src/read/snapshot.js';
import { renderText } from '../src/render/report.js';
import { trace } from '../src/views/trace.js';
import { tree } from '../src/views/tree.js';

const NS = 'flux-system';
const T = '2026-11-24T10:00:00Z';
const BUILD_FAILED = 'kustomization path not found: stat /tmp/kustomization-1234/apps: no such file or directory';

function ks(
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: test objects
  extra: Record<string, any> = {},
  ready: [string, string, string] = ['True', 'ReconciliationSucceeded', 'Applied revision: main@sha1:0123456789abcdef'],
) {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: NS, generation: 1 },
    spec: {
      interval: '10m',
      path: './',
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'repo' },
      ...extra.spec,
    },
    status: {
      observedGeneration: 1,
      conditions: [{ type: 'Ready', status: ready[0], reason: ready[1], message: ready[2], lastTransitionTime: T }],
      ...extra.status,
    },
  };
}

const notReady = (dep: string): [string, string, string] => [
  'False',
  'DependencyNotReady',
  `dependency '${NS}/${dep}' is not ready`,
];

/** k0 → k1 → … → k(n-1) by dependsOn; the bottom one fails to build. */
function dependsOnChain(n: number) {
  const items = [];
  for (let i = 0; i < n; i++) {
    items.push(
      i < n - 1
        ? ks(`k${i}`, { spec: { dependsOn: [{ name: `k${i + 1}` }] } }, notReady(`k${i + 1}`))
        : ks(`k${i}`, {}, ['False', 'BuildFailed', BUILD_FAILED]),
    );
  }
  return items;
}

/** k0 applies k1 applies … k(n-1) (status.inventory); the bottom one fails to build. */
function inventoryChain(n: number) {
  const items = [];
  for (let i = 0; i < n; i++) {
    const inv =
      i < n - 1
        ? { inventory: { entries: [{ id: `${NS}_k${i + 1}_kustomize.toolkit.fluxcd.io_Kustomization`, v: 'v1' }] } }
        : {};
    items.push(
      i < n - 1
        ? ks(`k${i}`, { status: inv }, ['Unknown', 'Progressing', 'Reconciliation in progress'])
        : ks(`k${i}`, {}, ['False', 'BuildFailed', BUILD_FAILED]),
    );
  }
  return items;
}

function graphOf(items: object[]): Graph {
  const b = new SnapshotBuilder();
  b.addDocs([{ value: { apiVersion: 'v1', kind: 'List', items }, line: 1 }], 'chain.json');
  return new Graph(b.build());
}

const ref = (name: string) => ({ kind: 'Kustomization', namespace: NS, name });
const GUARD = { timeout: 120_000 };

describe('deep graphs: long chains', () => {
  for (const n of [2000, 10_000]) {
    it(`a ${n}-hop dependsOn chain: one root cause at the bottom, every other object affected`, GUARD, () => {
      const g = graphOf(dependsOnChain(n));
      const r = diagnose(g);
      const errors = r.findings.filter((f) => f.severity === 'error');
      assert.equal(errors.length, 1, errors.map((f) => f.code).join(', '));
      const f = errors[0]!;
      assert.equal(f.code, 'kustomize.build-failed');
      assert.deepEqual(f.rootCause, ref(`k${n - 1}`));
      assert.equal(f.affected.length, n - 1);
      // Chains are bounded and end at the root; the longest is drawn as the impact tree.
      assert.ok(f.chains.length >= n - 1);
      for (const c of f.chains) {
        assert.ok(c.length <= MAX_CHAIN_HOPS + 1);
        assert.deepEqual(c.at(-1)!.ref, ref(`k${n - 1}`));
      }
      const text = renderText(r, { color: false });
      assert.match(text, new RegExp(`k${n - 1}`));

      const t = trace(g, ref('k0'));
      assert.deepEqual(t.root.ref, ref('k0'));
      assert.ok(t.hops >= 10, `trace follows the chain (${t.hops} hops)`);
      assert.equal(tree(g, ref('k0')).objects, 0); // k0 applied nothing
    });
  }

  it(
    'a 10,000-hop inventory chain: the bottom is the root cause; tree and trace stop at their depth guard',
    GUARD,
    () => {
      const n = 10_000;
      const g = graphOf(inventoryChain(n));
      const r = diagnose(g);
      const f = r.findings.find((x) => x.code === 'kustomize.build-failed');
      assert.ok(f, r.findings.map((x) => x.code).join(', '));
      assert.deepEqual(f.rootCause, ref(`k${n - 1}`));
      assert.equal(f.affected.length, n - 1);
      const tr = tree(g, ref('k0'));
      assert.ok(tr.objects >= 10 && tr.objects < n, `tree shows a bounded part (${tr.objects})`);
      const up = trace(g, ref(`k${n - 1}`));
      assert.ok(up.hops >= 10 && up.hops < n, `trace shows a bounded part (${up.hops})`);
    },
  );
});

describe('deep graphs: cycles', () => {
  it('a dependsOn cycle of 3 is one flux.dependency-cycle finding; diagnose, trace and tree finish', GUARD, () => {
    const g = graphOf([
      ks('a', { spec: { dependsOn: [{ name: 'b' }] } }, notReady('b')),
      ks('b', { spec: { dependsOn: [{ name: 'c' }] } }, notReady('c')),
      ks('c', { spec: { dependsOn: [{ name: 'a' }] } }, notReady('a')),
      ks('top', { spec: { dependsOn: [{ name: 'a' }] } }, notReady('a')),
    ]);
    const r = diagnose(g);
    const cyc = r.findings.filter((f) => f.code === 'flux.dependency-cycle');
    assert.equal(cyc.length, 1);
    assert.deepEqual(cyc[0]!.rootCause, ref('a'));
    // The other members, and what waits on the cycle.
    assert.deepEqual(cyc[0]!.affected.map((a) => a.name).sort(), ['b', 'c', 'top']);
    const t = trace(g, ref('top'));
    assert.ok(t.hops >= 3);
    assert.ok(JSON.stringify(t).includes('"repeated":true'), 'the cycle is cut where it repeats');
    tree(g, ref('a'));
  });

  it('a long cycle (2,000 objects) is found once, in linear time', GUARD, () => {
    const n = 2000;
    const items = [];
    for (let i = 0; i < n; i++)
      items.push(ks(`c${i}`, { spec: { dependsOn: [{ name: `c${(i + 1) % n}` }] } }, notReady(`c${(i + 1) % n}`)));
    const r = diagnose(graphOf(items));
    const cyc = r.findings.filter((f) => f.code === 'flux.dependency-cycle');
    assert.equal(cyc.length, 1);
    assert.match(cyc[0]!.summary, /cycle/);
    assert.equal(cyc[0]!.affected.length, n - 1);
  });

  it('a self-reference (dependsOn itself, an inventory listing itself) is a cycle, not a hang', GUARD, () => {
    const self = ks(
      'self',
      {
        spec: { dependsOn: [{ name: 'self' }] },
        status: { inventory: { entries: [{ id: `${NS}_self_kustomize.toolkit.fluxcd.io_Kustomization`, v: 'v1' }] } },
      },
      notReady('self'),
    );
    const g = graphOf([self]);
    const r = diagnose(g);
    assert.ok(r.findings.some((f) => f.code === 'flux.dependency-cycle' && f.rootCause.name === 'self'));
    assert.equal(trace(g, ref('self')).root.ref.name, 'self');
    assert.equal(tree(g, ref('self')).objects, 0);
  });

  it('an inventory cycle (a applies b applies a) finishes with every view', GUARD, () => {
    const inv = (n: string) => ({
      inventory: { entries: [{ id: `${NS}_${n}_kustomize.toolkit.fluxcd.io_Kustomization`, v: 'v1' }] },
    });
    const g = graphOf([
      ks('a', { status: inv('b') }, ['False', 'BuildFailed', BUILD_FAILED]),
      ks('b', { status: inv('a') }, ['Unknown', 'Progressing', 'Reconciliation in progress']),
    ]);
    const r = diagnose(g);
    assert.ok(r.findings.some((f) => f.code === 'kustomize.build-failed'));
    const t = tree(g, ref('a'));
    assert.equal(t.objects, 1); // b; a again below it is marked repeated, not counted or expanded
    assert.ok(JSON.stringify(t).includes('"repeated":true'));
    trace(g, ref('b'));
  });
});
