// The live reader against the real control plane: a snapshot written by `fluxdoctor snapshot` reads
// back to the same findings as live `diagnose`; a service account that may not read Secrets or
// events still gets a (partial) diagnosis; the number of API requests grows with kinds, not objects.

process.env.FLUXDOCTOR_TESTENV_RUN ??= `${process.env.HOME}/.cache/fluxdoctor-testenv/run-live`;

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { diagnose } from '../../src/diagnose/engine.js';
import { Graph } from '../../src/graph/graph.js';
import { readSnapshotFiles } from '../../src/read/files.js';
import { readLive } from '../../src/read/live.js';
import { snapshotToYaml } from '../../src/read/write.js';
import { contractOf } from '../../src/render/report.js';
import { down } from '../../testenv/down.js';
import { Kube } from '../../testenv/kube.js';
import type { State } from '../../testenv/proc.js';
import { ALL_SCENARIOS } from '../../testenv/scenarios/index.js';
import { runScenario } from '../../testenv/scenarios/run.js';
import { up } from '../../testenv/up.js';
import { runCli } from '../run-cli.js';

let state: State;
let kube: Kube;

const cli = (args: string[]) => runCli([...args]);

describe('live reader against the real control plane', () => {
  before(async () => {
    state = await up();
    kube = new Kube({ server: state.server, token: state.token, caFile: state.caFile });
    // Every non-disruptive scenario, left reconciling, so the cluster holds every failure at once.
    const list = ALL_SCENARIOS.filter((s) => !s.disruptive && (s.needs ?? []).every((c) => state.pids[c]));
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < list.length) await runScenario(list[next++]!, state, { keep: true });
      }),
    );
  });
  after(async () => {
    if (process.env.FLUXDOCTOR_TESTENV_KEEP !== '1') await down();
  });

  it('diagnose reads the live cluster and finds the scenarios', async () => {
    const r = await cli(['diagnose', '--kubeconfig', state.kubeconfig, '-o', 'json']);
    assert.equal(r.code, 1, r.err);
    const doc = JSON.parse(r.out);
    const codes = new Set(doc.findings.map((f: { code: string }) => f.code));
    for (const c of [
      'source.auth',
      'source.ref-not-found',
      'kustomize.build-failed',
      'helm.chart-not-found',
      'workload.image-pull',
    ])
      assert.ok(codes.has(c), `live diagnose finds ${c}; got ${[...codes].join(', ')}`);
  });

  it('snapshot then diagnose --snapshot gives the same findings as live diagnose', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-snap-'));
    // The same read, diagnosed live and after a round trip through the snapshot file.
    const live = await readLive({ kubeconfig: state.kubeconfig });
    const file = join(dir, 'roundtrip.yaml');
    writeFileSync(file, snapshotToYaml(live));
    const fromFile = readSnapshotFiles({ snapshots: [file] });
    const a = contractOf(diagnose(new Graph(live)));
    const b = contractOf(diagnose(new Graph(fromFile)));
    assert.ok((a.findings as unknown[]).length > 20, 'the scenarios give findings');
    assert.deepEqual(b, a);
    // The command writes the same kind of file, and it reads back with findings.
    const bundle = join(dir, 'bundle.yaml');
    const w = await cli(['snapshot', '--kubeconfig', state.kubeconfig, '-f', bundle]);
    assert.equal(w.code, 0, w.err);
    const r = await cli(['diagnose', '--snapshot', bundle, '-o', 'json']);
    assert.equal(r.code, 1, r.err);
    assert.ok(JSON.parse(r.out).findings.length > 20);
    const text = readFileSync(bundle, 'utf8');
    assert.match(text, /kind: SnapshotInfo/);
    assert.doesNotMatch(text, new RegExp(state.auth.password), 'no Secret value in the bundle');
  });

  it('a service account that may not read Secrets or events gets a partial report with findings from the rest', async () => {
    const ns = 'fluxdoctor-reader';
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await kube.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader', namespace: ns } });
    // RBAC has no deny: grant everything but secrets and events explicitly.
    const resources = (await kube.request('GET', '/api/v1')).resources
      .map((r: { name: string }) => r.name)
      .filter((n: string) => !n.includes('/') && n !== 'secrets' && n !== 'events');
    await kube.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'fluxdoctor-no-secrets' },
      rules: [
        { apiGroups: [''], resources, verbs: ['get', 'list'] },
        {
          apiGroups: [
            'apps',
            'batch',
            'networking.k8s.io',
            'apiextensions.k8s.io',
            'source.toolkit.fluxcd.io',
            'kustomize.toolkit.fluxcd.io',
            'helm.toolkit.fluxcd.io',
            'notification.toolkit.fluxcd.io',
            'image.toolkit.fluxcd.io',
          ],
          resources: ['*'],
          verbs: ['get', 'list'],
        },
      ],
    });
    await kube.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'fluxdoctor-no-secrets' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'fluxdoctor-no-secrets' },
      subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns }],
    });
    const tr = await kube.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts/reader/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 },
    });
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'fd-kc-')), 'reader.yaml');
    writeFileSync(
      kubeconfig,
      readFileSync(state.kubeconfig, 'utf8')
        .replace(/token: .*/, `token: ${tr.status.token}`)
        .replace('name: admin', 'name: reader')
        .replace('user: admin', 'user: reader'),
    );
    const r = await cli(['diagnose', '--kubeconfig', kubeconfig, '-o', 'json']);
    assert.equal(r.code, 1, r.err);
    const doc = JSON.parse(r.out);
    assert.equal(doc.partial, true);
    const unread = doc.problems.map((p: { source: string }) => p.source);
    assert.ok(
      unread.includes('Secret') && unread.includes('Event'),
      `problems name Secret and Event: ${JSON.stringify(doc.problems)}`,
    );
    assert.ok(
      doc.findings.some((f: { code: string }) => f.code === 'source.auth'),
      'findings from what could be read',
    );
    const t = await cli(['diagnose', '--kubeconfig', kubeconfig]);
    assert.match(t.out, /Partial report/);
    assert.match(t.out, /Secret: forbidden/);
  });

  it('the number of API requests grows with the number of kinds, not objects', async () => {
    const count = async () => (await readLive({ kubeconfig: state.kubeconfig, logs: false })).requests;
    const before1 = await count();
    const ns = 'fluxdoctor-many';
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (let i = 0; i < 120; i++)
      await kube.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${i}`, namespace: ns },
        data: { i: String(i) },
      });
    for (let i = 0; i < 30; i++)
      await kube.apply({
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: `repo-${i}`, namespace: ns },
        spec: { url: 'http://127.0.0.1:1/x.git', interval: '1h', suspend: true },
      });
    const after1 = await count();
    assert.equal(after1, before1, `requests before ${before1}, after adding 150 objects ${after1}`);
    const kinds = (await readLive({ kubeconfig: state.kubeconfig, logs: false })).info.kindsRead?.length ?? 0;
    assert.ok(before1 <= kinds + 4, `${before1} requests for ${kinds} kinds (one LIST per kind, plus discovery)`);
  });

  it('an API server that does not answer ends the run with a clear error within the timeout', async () => {
    // A blackhole: a listening socket that never answers.
    const net = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const server = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as import('node:net').AddressInfo).port;
    const kc = readFileSync(state.kubeconfig, 'utf8').replace(/server: .*/, `server: https://127.0.0.1:${port}`);
    const file = join(mkdtempSync(join(tmpdir(), 'fd-kc-')), 'blackhole.yaml');
    writeFileSync(file, kc);
    const t0 = Date.now();
    const r = await cli(['diagnose', '--kubeconfig', file, '--request-timeout', '2s']);
    const took = Date.now() - t0;
    for (const s of sockets) s.destroy();
    server.close();
    assert.equal(r.code, 2);
    assert.match(r.err, /timed out after 2s/);
    assert.ok(took < 20_000, `ended in ${took}ms`);
  });
});
