// The read-only views (get, stats, events, logs, trace, tree) against the real control plane: three
// scenarios break things for real (a dependsOn chain whose base fails, a Deployment whose image
// cannot be pulled, a HelmRelease asking for a chart version that does not exist), then each view
// runs live through the CLI and must show what the controllers really reported.

process.env.FLUXDOCTOR_TESTENV_RUN ??= `${process.env.HOME}/.cache/fluxdoctor-testenv/run-views`;

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Io, main } from '../../src/cli/main.js';
import { down } from '../../testenv/down.js';
import type { State } from '../../testenv/proc.js';
import { ALL_SCENARIOS } from '../../testenv/scenarios/index.js';
import { runScenario } from '../../testenv/scenarios/run.js';
import { up } from '../../testenv/up.js';

let state: State;
/** Scenario name → the namespace it ran in. */
const ns: Record<string, string> = {};

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: { NO_COLOR: '1' },
  };
  const code = await main(['node', 'fluxdoctor', ...args, '--kubeconfig', state.kubeconfig], io);
  return { code, out, err };
}

const json = async (args: string[], format = 'json') => {
  const r = await cli([...args, '-o', format]);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out);
};

/**
 * Flux flips Ready to Unknown at the start of every retry: re-run a check (reading the cluster
 * again each time) until the failure shows, as a user re-running the command would, for up to 40s.
 */
async function eventually(check: () => Promise<void>): Promise<void> {
  const until = Date.now() + 40_000;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

const SCENARIOS = ['ks-depends-on-chain', 'workload-image-pull', 'helm-chart-version-missing'];

describe('views against the real control plane', () => {
  before(async () => {
    state = await up();
    await Promise.all(
      SCENARIOS.map(async (name) => {
        const s = ALL_SCENARIOS.find((x) => x.name === name);
        assert.ok(s, `scenario ${name} exists`);
        // keep: leave the objects reconciling (not suspended), so the views see them failing.
        const r = await runScenario(s, state, { keep: true });
        assert.ok(r.ok, `${name}: ${r.error ?? ''} ${r.got.join('; ')}`);
        ns[name] = r.ns;
      }),
    );
  });
  after(async () => {
    if (process.env.FLUXDOCTOR_TESTENV_KEEP !== '1') await down();
  });

  it('get: the status table of the dependsOn chain, and --status failing across kinds', async () => {
    await eventually(async () => {
      const n = ns['ks-depends-on-chain']!;
      const doc = await json(['get', 'ks', '-n', n], 'summary');
      const by = Object.fromEntries(doc.items.map((r: { name: string }) => [r.name, r]));
      assert.deepEqual(Object.keys(by).sort(), ['apps', 'base', 'infra']);
      assert.equal(by.base.ready, 'Failed');
      assert.match(by.base.status, /does-not-exist/);
      assert.equal(by.apps.ready, 'Waiting');
      assert.equal(by.apps.reason, 'DependencyNotReady');
      assert.equal(by.infra.ready, 'Waiting');
      assert.ok(by.base.lastReconcile, 'the controller reported a time');
      assert.equal(by.base.suspended, false);

      const failing = await json(['get', 'all', '--status', 'failing'], 'summary');
      const ids = failing.items.map(
        (r: { kind: string; namespace: string; name: string }) => `${r.kind}/${r.namespace}/${r.name}`,
      );
      assert.ok(ids.includes(`Kustomization/${n}/base`), ids.join(', '));
      assert.ok(ids.includes(`HelmRelease/${ns['helm-chart-version-missing']}/web`), ids.join(', '));
      assert.ok(!ids.includes(`Kustomization/${n}/apps`), 'a waiting object is not failing');

      const table = await cli(['get', 'hr', 'web', '-n', ns['helm-chart-version-missing']!]);
      assert.equal(table.code, 0, table.err);
      assert.match(table.out, /^NAMESPACE\s+KIND\s+NAME\s+READY\s+STATUS$/m);
      assert.match(table.out, /HelmRelease\s+web\s+Failed/);
    });
  });

  it('stats: counts per kind from the live cluster', async () => {
    await eventually(async () => {
      const s = await json(['stats', '-n', ns['ks-depends-on-chain']!]);
      const ks = s.kinds.find((k: { kind: string }) => k.kind === 'Kustomization');
      assert.deepEqual(
        { total: ks.total, failing: ks.failing, waiting: ks.waiting },
        { total: 3, failing: 1, waiting: 2 },
      );
      const all = await json(['stats']);
      assert.ok(all.total.failing >= 3, JSON.stringify(all.total));
    });
  });

  it('events --for: the Kustomization, the Deployment it applied, and the Pod (warnings first)', async () => {
    await eventually(async () => {
      const n = ns['workload-image-pull']!;
      const doc = await json(['events', '--for', `ks/${n}/app`]);
      const objects = doc.groups.map((g: { object: { kind: string } }) => g.object.kind);
      assert.ok(objects.includes('Pod'), `events of the Deployment's Pod: ${objects.join(', ')}`);
      assert.ok(objects.includes('Kustomization'), `events of the Kustomization itself: ${objects.join(', ')}`);
      const pod = doc.groups.find((g: { object: { kind: string } }) => g.object.kind === 'Pod');
      assert.ok(
        pod.events.some((e: { message: string }) => /podinfo:9\.9\.9/.test(e.message)),
        JSON.stringify(pod.events),
      );
      assert.equal(doc.groups[0].events[0].type, 'Warning', 'warnings first');
      const table = await cli(['events', '--for', `kustomization/${n}/app`]);
      assert.match(table.out, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/m);
      assert.match(table.out, new RegExp(`Warning\\s+\\S+\\s+Pod/${n}/web-`));
    });
  });

  it('trace: the Deployment up to its Kustomization and GitRepository; the Pod through its owner', async () => {
    await eventually(async () => {
      const n = ns['workload-image-pull']!;
      const doc = await json(['trace', `deployment/${n}/web`]);
      assert.deepEqual(doc.root.ref, { kind: 'Deployment', namespace: n, name: 'web' });
      const ks = doc.root.up.find((h: { relation: string }) => h.relation === 'applied by');
      assert.deepEqual(ks.ref, { kind: 'Kustomization', namespace: n, name: 'app' });
      // With wait: true it health-checks for 30s (Progressing), then fails, then retries.
      assert.match(ks.state, /^(Failed|Progressing)$/);
      const src = ks.up.find((h: { relation: string }) => h.relation === 'source');
      assert.deepEqual(src.ref, { kind: 'GitRepository', namespace: n, name: 'repo' });
      assert.equal(src.state, 'Ready');
      assert.match(src.revision, /^main@sha1:[0-9a-f]{40}$/);

      const pod = await cli(['trace', 'pod', `${n}/web-7d9f8b6c5d-x2x7q`]);
      assert.equal(pod.code, 0, pod.err);
      assert.match(pod.out, /^Pod\/\S+\/web-7d9f8b6c5d-x2x7q \(Failed: ImagePullBackOff\)/);
      assert.match(pod.out, /└─ owned by Deployment\/\S+\/web/);
      assert.match(pod.out, /applied by Kustomization\/\S+\/app \((Failed|Progressing)/);
      assert.match(pod.out, /source GitRepository\/\S+\/repo \(Ready\) revision main@sha1:/);

      // HelmRelease → chart → HelmChart → source → HelmRepository.
      const hr = await json(['trace', 'hr', `${ns['helm-chart-version-missing']}/web`]);
      const chart = hr.root.up.find((h: { relation: string }) => h.relation === 'chart');
      assert.equal(chart.ref.kind, 'HelmChart');
      assert.equal(chart.state, 'Failed');
      const repo = chart.up.find((h: { relation: string }) => h.relation === 'source');
      assert.deepEqual(repo.ref, {
        kind: 'HelmRepository',
        namespace: ns['helm-chart-version-missing'],
        name: 'charts',
      });
      assert.equal(repo.state, 'Ready');

      // dependsOn is followed all the way: apps → infra → base.
      const chain = await cli(['trace', `ks/${ns['ks-depends-on-chain']}/apps`]);
      assert.match(chain.out, /depends on Kustomization\/\S+\/infra \(Waiting/);
      assert.match(chain.out, /depends on Kustomization\/\S+\/base \(Failed/);
    });
  });

  it('tree: the Kustomization down to its Deployment and the Deployment’s Pod', async () => {
    await eventually(async () => {
      const n = ns['workload-image-pull']!;
      const doc = await json(['tree', `ks/${n}/app`]);
      const dep = doc.root.children.find((c: { ref: { kind: string } }) => c.ref.kind === 'Deployment');
      assert.deepEqual(dep.ref, { kind: 'Deployment', namespace: n, name: 'web' });
      assert.equal(dep.found, true);
      assert.equal(dep.children[0].ref.kind, 'Pod');
      assert.equal(dep.children[0].state, 'Failed');
      const text = await cli(['tree', 'kustomization', `${n}/app`]);
      assert.match(text.out, new RegExp(`^Kustomization/${n}/app \\((Failed|Progressing)`));
      assert.match(text.out, new RegExp(`└─ Deployment/${n}/web`));
      assert.match(text.out, /└─ Pod\/\S+\/web-7d9f8b6c5d-x2x7q \(Failed: ImagePullBackOff\)/);
    });
  });

  it('logs: real controller lines for one object (snapshot of the cluster plus the controller log files)', async () => {
    await eventually(async () => {
      const n = ns['ks-depends-on-chain']!;
      // The controllers of the test environment run as processes, not pods, so the pods/log API has
      // nothing to serve: capture the cluster with `snapshot` and give their log files with --logs.
      const live = await cli(['logs', '--for', `ks/${n}/base`]);
      assert.equal(live.code, 0, live.err);
      const file = join(mkdtempSync(join(tmpdir(), 'fd-views-')), 'cluster.yaml');
      assert.equal((await cli(['snapshot', '-f', file])).code, 0);
      const args = ['logs', '--snapshot', file, '--logs', state.logs['kustomize-controller']!];
      const r = await cli([...args, '--for', `ks/${n}/base`, '--level', 'error']);
      assert.equal(r.code, 0, r.err);
      const lines = r.out.trim().split('\n');
      assert.ok(lines.length >= 1, r.err);
      for (const l of lines)
        assert.match(l, new RegExp(`^\\S+ error kustomize-controller Kustomization/${n}/base: .*does-not-exist`));
      const doc = await json([...args, '--for', `ks/${n}/apps`]);
      assert.ok(doc.lines.length >= 1);
      for (const l of doc.lines) assert.deepEqual(l.object, { kind: 'Kustomization', namespace: n, name: 'apps' });
      assert.ok(
        doc.lines.some((l: { msg: string }) => /[Dd]ependenc/.test(l.msg)),
        JSON.stringify(doc.lines),
      );
    });
  });
});
