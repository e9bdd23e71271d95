// Issue 9, the command line: `-l/--selector` (kubectl label-selector syntax, as get and diagnose take
// it) on events, logs (as kubectl logs -l) and tree. A selector that matches nothing says so on
// stderr, in every output format, and exits 0 as get and diagnose do; one that cannot be read is a
// usage error (exit 2) before the cluster is read. trace follows one object's chain (as flux trace
// does) and takes no selector.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ObjRef } from '../src/types.js';
import { cond, event, logLine, obj, READY, status } from './helpers.js';
import { runCli } from './run-cli.js';

// source-controller's message when Git rejects the credentials (gitCheckout wrapping fluxcd/pkg
// gogit clone.go; see test/rules/source-auth.test.ts).
const AUTH =
  "failed to checkout and determine revision: unable to clone 'https://github.com/org/shop': authentication required";
// kustomize-controller (internal/controller/kustomization_controller.go, event reason
// ReconciliationSucceeded): "Reconciliation finished in %s, next run in %s".
const DONE = 'Reconciliation finished in 1.2s, next run in 10m0s';

const KS = 'kustomize.toolkit.fluxcd.io';
const ref = (kind: string, namespace: string, name: string): ObjRef => ({ kind, namespace, name });
const failing = status(
  ['False', 'GitOperationFailed', AUTH],
  [cond('FetchFailed', 'True', 'GitOperationFailed', AUTH)],
);

const shopRepo = ref('GitRepository', 'team-a', 'shop-repo');
const shop = ref('Kustomization', 'team-a', 'shop');
const otherRepo = ref('GitRepository', 'team-b', 'other-repo');
const other = ref('Kustomization', 'team-b', 'other');

const dir = mkdtempSync(join(tmpdir(), 'fd-selector-'));
const snapshot = join(dir, 'cluster.json');
writeFileSync(
  snapshot,
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      obj('GitRepository', 'team-a/shop-repo', {
        labels: { team: 'shop' },
        spec: { interval: '1m', url: 'https://github.com/org/shop', ref: { branch: 'main' } },
        status: failing,
      }),
      obj('Kustomization', 'team-a/shop', {
        labels: { team: 'shop' },
        spec: { interval: '10m', sourceRef: { kind: 'GitRepository', name: 'shop-repo' }, path: './', prune: true },
        status: { ...READY(), inventory: { entries: [{ id: 'team-a_web_apps_Deployment', v: 'v1' }] } },
      }),
      obj('Deployment', 'team-a/web', {
        labels: { [`${KS}/name`]: 'shop', [`${KS}/namespace`]: 'team-a' },
        spec: { replicas: 1 },
        status: { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1, observedGeneration: 1 },
      }),
      obj('GitRepository', 'team-b/other-repo', {
        labels: { team: 'other' },
        spec: { interval: '1m', url: 'https://github.com/org/shop', ref: { branch: 'main' } },
        status: failing,
      }),
      obj('Kustomization', 'team-b/other', {
        labels: { team: 'other' },
        spec: { interval: '10m', sourceRef: { kind: 'GitRepository', name: 'other-repo' }, path: './' },
        status: READY(),
      }),
      obj('Kustomization', 'team-b/quiet', { labels: { team: 'quiet' }, spec: { interval: '10m' }, status: READY() }),
      event(shopRepo, 'GitOperationFailed', AUTH),
      event(shop, 'ReconciliationSucceeded', DONE, 'Normal'),
      event(otherRepo, 'GitOperationFailed', AUTH),
      event(other, 'ReconciliationSucceeded', DONE, 'Normal'),
    ],
  }),
);
const logs = join(dir, 'source-controller.log');
writeFileSync(
  logs,
  `${[logLine(shopRepo, 'Reconciler error', AUTH), logLine(otherRepo, 'Reconciler error', AUTH)].map((l) => JSON.stringify(l)).join('\n')}\n`,
);
const S = ['--snapshot', snapshot];

const run = (args: string[]) => runCli([...args, ...S]);
const json = (out: string) => JSON.parse(out) as Record<string, unknown>;
const groupObjects = (out: string) =>
  (json(out).groups as { object: ObjRef }[]).map((g) => `${g.object.kind}/${g.object.namespace}/${g.object.name}`);

describe('events -l', () => {
  it('only the events about objects whose labels match, in the table and in -o json', async () => {
    const t = await run(['events', '-l', 'team=shop']);
    assert.equal(t.code, 0, t.err);
    assert.match(t.out, /GitOperationFailed\s+GitRepository\/team-a\/shop-repo/);
    assert.match(t.out, /ReconciliationSucceeded\s+Kustomization\/team-a\/shop/);
    assert.doesNotMatch(t.out, /team-b/);
    const j = await run(['events', '--selector', 'team in (shop,other),team!=other', '-o', 'json']);
    assert.deepEqual(groupObjects(j.out).sort(), ['GitRepository/team-a/shop-repo', 'Kustomization/team-a/shop']);
    assert.equal(json(j.out).selected, 2);
    // Without -l nothing is left out, and the JSON has no `selected`.
    const all = await run(['events', '-o', 'json']);
    assert.equal(groupObjects(all.out).length, 4);
    assert.equal(json(all.out).selected, undefined);
  });

  it('composes with --for, -n and --warnings', async () => {
    const f = await run(['events', '--for', 'ks/team-a/shop', '-l', 'team=shop', '-o', 'json']);
    // The Kustomization and its source match; the Deployment it applied has no team label.
    assert.deepEqual(groupObjects(f.out).sort(), ['GitRepository/team-a/shop-repo', 'Kustomization/team-a/shop']);
    const w = await run(['events', '-l', 'team', '--warnings', '-n', 'team-b', '-o', 'json']);
    assert.deepEqual(groupObjects(w.out), ['GitRepository/team-b/other-repo']);
  });

  it('a selection without events says whether the selector matched any object, in every format', async () => {
    const quiet = await run(['events', '-l', 'team=quiet']);
    assert.equal(quiet.code, 0);
    assert.equal(quiet.out, '');
    assert.equal(quiet.err, 'No events found about the 1 object matching team=quiet.\n');
    const none = await run(['events', '-l', 'team=nobody', '-o', 'json']);
    assert.equal(none.code, 0);
    assert.deepEqual(json(none.out), { groups: [], selected: 0 });
    assert.equal(none.err, 'No objects found matching team=nobody.\n');
    const ns = await run(['events', '-l', 'team=shop', '-n', 'team-b', '-o', 'yaml']);
    assert.equal(ns.err, 'No objects found matching team=shop in namespace team-b.\n');
    const among = await run(['events', '--for', 'ks/team-b/other', '-l', 'team=shop']);
    assert.equal(
      among.err,
      'No objects found matching team=shop among Kustomization/team-b/other and what it applied.\n',
    );
  });

  it('a selector that cannot be read is a usage error', async () => {
    const r = await run(['events', '-l', 'team in (shop']);
    assert.equal(r.code, 2);
    assert.match(r.err, /invalid label selector 'team in \(shop'/);
    assert.equal(r.out, '');
  });
});

describe('logs -l', () => {
  it('only the lines about objects whose labels match, as kubectl logs -l', async () => {
    const r = await run(['logs', '--logs', logs, '-l', 'team=shop']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.out);
    assert.match(lines[0]!, /GitRepository\/team-a\/shop-repo: Reconciler error/);
    const j = await run(['logs', '--logs', logs, '-l', 'team', '-o', 'json']);
    const rows = json(j.out).lines as { object: ObjRef }[];
    assert.deepEqual(rows.map((l) => l.object.name).sort(), ['other-repo', 'shop-repo']);
    assert.equal(json(j.out).selected, 5, 'the five objects with a team label');
  });

  it('a selection without lines says so, in every format; a bad selector exits 2', async () => {
    const quiet = await run(['logs', '--logs', logs, '-l', 'team=quiet']);
    assert.equal(quiet.code, 0);
    assert.equal(quiet.out, '');
    assert.equal(quiet.err, 'No controller log lines found about the 1 object matching team=quiet.\n');
    const none = await run(['logs', '--logs', logs, '-l', 'team=nobody', '-o', 'json']);
    assert.deepEqual(json(none.out), { lines: [], selected: 0 });
    assert.equal(none.err, 'No objects found matching team=nobody.\n');
    assert.equal((await run(['logs', '-l', '!'])).code, 2);
  });
});

describe('tree -l', () => {
  it('one tree per matching Kustomization/HelmRelease (or of KIND), ordered by namespace, kind and name', async () => {
    const t = await run(['tree', '-l', 'team=shop']);
    assert.equal(t.code, 0, t.err);
    // The GitRepository carries the label too, but it applies nothing: not a tree root by default.
    assert.match(t.out, /^Kustomization\/team-a\/shop \(Ready\)/);
    assert.match(t.out, /└─ Deployment\/team-a\/web \(Ready\)/);
    assert.doesNotMatch(t.out, /GitRepository/);
    const j = await run(['tree', '-l', 'team', '-o', 'json']);
    const items = json(j.out).items as { root: { ref: ObjRef }; objects: number }[];
    assert.deepEqual(
      items.map((i) => `${i.root.ref.namespace}/${i.root.ref.name}`),
      ['team-a/shop', 'team-b/other', 'team-b/quiet'],
    );
    assert.equal(items[0]!.objects, 1);
    const k = await run(['tree', 'gitrepo', '-l', 'team=shop', '-o', 'json']);
    assert.deepEqual(
      (json(k.out).items as { root: { ref: ObjRef } }[]).map((i) => i.root.ref),
      [shopRepo],
    );
    const n = await run(['tree', '-l', 'team', '-n', 'team-b', '-o', 'json']);
    assert.equal((json(n.out).items as unknown[]).length, 2);
  });

  it('a selector that matches nothing says so on stderr, in every format, and exits 0', async () => {
    const none = await run(['tree', '-l', 'team=nobody']);
    assert.equal(none.code, 0);
    assert.equal(none.out, '');
    assert.equal(
      none.err,
      'No Kustomizations, HelmReleases, FluxInstances or ResourceSets found matching team=nobody.\n',
    );
    const j = await run(['tree', 'hr', '-l', 'team=shop', '-n', 'team-a', '-o', 'json']);
    assert.equal(j.code, 0);
    assert.deepEqual(json(j.out), { items: [] });
    assert.equal(j.err, 'No HelmReleases found matching team=shop in namespace team-a.\n');
  });

  it('usage errors (exit 2): a name with -l, no target and no -l, an unknown KIND, a bad selector', async () => {
    const named = await run(['tree', 'ks/team-a/shop', '-l', 'team=shop']);
    assert.equal(named.code, 2);
    assert.match(named.err, /a name cannot be given with -l\/--selector/);
    assert.equal((await run(['tree', 'ks', 'shop', '-l', 'team=shop'])).code, 2);
    const bare = await run(['tree']);
    assert.equal(bare.code, 2);
    assert.match(bare.err, /tree needs an object: KIND\/NAME/);
    const kind = await run(['tree', 'nope', '-l', 'team=shop']);
    assert.equal(kind.code, 2);
    assert.match(kind.err, /unknown kind 'nope'/);
    assert.equal((await run(['tree', '-l', 'a b'])).code, 2);
    // One named object as before.
    const one = await run(['tree', 'ks/team-a/shop', '-o', 'json']);
    assert.equal(one.code, 0, one.err);
    assert.deepEqual((json(one.out).root as { ref: ObjRef }).ref, shop);
  });
});
