// The core facade (src/core/): what every front end calls. load (files, stdin, live), diagnose, each
// view, check (with the unreachable-server report) and the write verbs against the fake API server,
// with withSource and the findings from the fresh read after the write. And one path into objects:
// watch events and write replies pass through normalize (secret-looking text masked, managedFields
// and Secret values gone).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { main } from '../src/cli/main.js';
import {
  CoreError,
  check,
  diagnose,
  eventsView,
  getView,
  load,
  logsView,
  readNamespace,
  reconcile,
  resume,
  statsView,
  suspend,
  TargetError,
  traceView,
  treeView,
  type VerbProgress,
  ViewError,
} from '../src/core/index.js';
import { WatchState, watchFlux } from '../src/live/watch.js';
import { FluxWriter } from '../src/live/write.js';
import { ApiClient, loadKubeConfig } from '../src/read/live.js';
import { normalizeObject } from '../src/read/normalize.js';
import type { K8sObject } from '../src/types.js';
import { type FakeApi, fakeApi, writes } from './fake-api.js';
import { cond, obj, READY, status } from './helpers.js';

const MULTI = 'examples/multi-hop';
const GIT = '/apis/source.toolkit.fluxcd.io/v1';
const KS = '/apis/kustomize.toolkit.fluxcd.io/v1';

describe('core load', () => {
  it('reads snapshot files and logs into a Graph', async () => {
    const r = await load({ snapshot: [MULTI], logs: [`${MULTI}/logs`] });
    assert.equal(r.live, false);
    assert.equal(r.partial, false);
    assert.ok(r.graph.get({ kind: 'HelmRepository', namespace: 'flux-system', name: 'bitnami' }));
    assert.ok(r.snapshot.logs.length > 0, 'the --logs files were read');
  });

  it('reads stdin for `-`', async () => {
    const yaml = readFileSync(`${MULTI}/cluster.yaml`, 'utf8');
    const r = await load({ snapshot: ['-'], stdin: () => yaml });
    assert.ok(r.graph.get({ kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }));
  });

  it('an input with no object, a missing file and a bad --now are CoreErrors that say so', async () => {
    await assert.rejects(load({ snapshot: ['-'], stdin: () => 'kind: Foo\n' }), (e: Error) => {
      assert.ok(e instanceof CoreError);
      assert.match(e.message, /no Kubernetes objects could be read/);
      return true;
    });
    await assert.rejects(load({ snapshot: ['does/not/exist.yaml'] }), CoreError);
    await assert.rejects(load({ snapshot: ['-'], allowStdin: false, stdin: () => 'x' }), /stdin\) is not available/);
    await assert.rejects(load({ snapshot: [MULTI], now: 'yesterday' }), /not a valid time/);
  });

  it('a live read scoped to a namespace LISTs only that namespace (Flux kinds)', async () => {
    const fake = await fakeApi([obj('Kustomization', 'team-a/apps', { spec: { interval: '10m' }, status: READY() })]);
    try {
      const r = await load({ kubeconfig: fake.kubeconfig, namespace: 'team-a' });
      assert.equal(r.live, true);
      const ksLists = fake.requests.filter((q) => q.method === 'GET' && q.path.startsWith(`${KS}/`));
      assert.ok(ksLists.length > 0);
      for (const q of ksLists) assert.match(q.path, /\/namespaces\/team-a\/kustomizations/);
      assert.ok(r.graph.get({ kind: 'Kustomization', namespace: 'team-a', name: 'apps' }));
    } finally {
      fake.close();
    }
  });
});

describe('core diagnose and views', async () => {
  const { graph } = await load({ snapshot: [MULTI], logs: [`${MULTI}/logs`] });

  it('diagnose: one root cause with its affected objects; filters choose findings', () => {
    const r = diagnose(graph);
    const root = r.findings.find((f) => f.code === 'source.unreachable');
    assert.ok(root);
    assert.deepEqual(root.rootCause, { kind: 'HelmRepository', namespace: 'flux-system', name: 'bitnami' });
    assert.ok(root.affected.some((a) => a.kind === 'Kustomization' && a.name === 'apps'));
    const errors = diagnose(graph, { severity: 'error' });
    assert.ok(errors.findings.length > 0);
    assert.ok(errors.findings.every((f) => f.severity === 'error'));
    assert.ok(
      r.findings.some((f) => f.severity === 'warning'),
      'the unfiltered report has the warning',
    );
    assert.equal(diagnose(graph, { namespace: 'nope' }).findings.length, 0);
  });

  it('get: rows by kind, name and status; an unknown name or kind is a ViewError', () => {
    const rows = getView(graph, { kind: 'hr' });
    assert.ok(rows.length > 0 && rows.every((r) => r.kind === 'HelmRelease'));
    assert.ok(getView(graph, { status: 'failing' }).every((r) => r.ready === 'Failed'));
    assert.throws(() => getView(graph, { kind: 'ks', name: 'nope' }), ViewError);
    assert.throws(() => getView(graph, { kind: 'nope' }), ViewError);
    assert.deepEqual(getView(graph, { kind: 'ks', name: 'nope', status: 'failing' }), []);
  });

  it('stats: totals add up over the kinds', () => {
    const s = statsView(graph);
    assert.equal(
      s.total.total,
      s.kinds.reduce((n, k) => n + k.total, 0),
    );
    assert.ok(s.total.failing > 0);
  });

  it('events and logs: for one object, resolved without a namespace', () => {
    const ev = eventsView(graph, { for: 'helmrepository/bitnami' });
    assert.deepEqual(ev.target, { kind: 'HelmRepository', namespace: 'flux-system', name: 'bitnami' });
    assert.equal('for' in ev, false, 'one name for the object: target');
    assert.ok(ev.groups.length > 0);
    const lg = logsView(graph, { for: 'helmrepository/bitnami' });
    assert.deepEqual(lg.target, ev.target);
    assert.equal(lg.noLogsRead, false);
    assert.ok(lg.lines.length > 0);
    assert.ok(lg.lines.every((l) => l.object?.name === 'bitnami'));
    assert.throws(() => eventsView(graph, { for: 'ks/nope' }), ViewError);
  });

  it('trace and tree: the chain up and what an object applied', () => {
    const t = traceView(graph, 'hr/redis');
    assert.equal(t.root.ref.kind, 'HelmRelease');
    assert.ok(t.hops > 0);
    const tr = treeView(graph, ['ks', 'infra']);
    assert.ok(tr.objects > 1);
    assert.throws(() => traceView(graph, 'ks/a/b/c'), /4 segments/);
  });

  it('readNamespace: trace, tree and events/logs for one object read every namespace', () => {
    assert.equal(readNamespace('get', { namespace: 'apps' }), 'apps');
    assert.equal(readNamespace('events', { namespace: 'apps' }), 'apps');
    assert.equal(readNamespace('events', { namespace: 'apps', for: 'ks/x' }), undefined);
    assert.equal(readNamespace('logs', { namespace: 'apps', for: 'ks/x' }), undefined);
    assert.equal(readNamespace('trace', { namespace: 'apps' }), undefined);
    assert.equal(readNamespace('tree', { namespace: 'apps' }), undefined);
  });
});

describe('core check', () => {
  it('a snapshot: the checklist of what it holds', async () => {
    const { report: r, unreachable } = await check({ snapshot: [MULTI] });
    assert.equal(unreachable, false);
    assert.equal(r.input, 'snapshot');
    assert.ok(r.items.length > 0);
    assert.equal(r.counts.fail, r.items.filter((i) => i.status === 'fail').length);
  });

  it('an API server that does not answer is one failed check, not an error', async () => {
    // A port that was just free: nothing listens there.
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    s.close();
    const fake = await fakeApi();
    fake.close();
    const kc = readFileSync(fake.kubeconfig, 'utf8').replace(fake.url, `http://127.0.0.1:${port}`);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(fake.kubeconfig, kc);
    const { report: r, unreachable } = await check({ kubeconfig: fake.kubeconfig, requestTimeout: 2000 });
    assert.equal(unreachable, true);
    assert.equal(r.ok, false);
    assert.equal(r.input, 'live');
    assert.equal(r.context, 'fake');
    assert.equal(r.items.length, 1);
    assert.equal(r.items[0]!.status, 'fail');
    assert.match(r.items[0]!.title, new RegExp(`API server http://127.0.0.1:${port} not reachable`));
  });

  it('a kubeconfig that cannot be loaded is an input error', async () => {
    await assert.rejects(check({ kubeconfig: '/nonexistent/kubeconfig' }), CoreError);
  });
});

const cluster = (): K8sObject[] =>
  [
    // interval 10s: advice.short-interval about the GitRepository, from the read after the write.
    obj('GitRepository', 'flux-system/repo', { spec: { interval: '10s', url: 'https://x/y' }, status: READY() }),
    obj('Kustomization', 'flux-system/apps', {
      spec: { interval: '10m', sourceRef: { kind: 'GitRepository', name: 'repo' }, path: './apps' },
      status: READY(),
    }),
    obj('Kustomization', 'team-a/paused', { spec: { interval: '10m', suspend: true }, status: READY() }),
    obj('HelmRelease', 'flux-system/redis', { spec: { interval: '10m' }, status: READY() }),
  ].map((o) => {
    o.metadata.resourceVersion = '1';
    return o;
  });

describe('core verbs against the fake API server', () => {
  let fake: FakeApi;
  before(async () => {
    fake = await fakeApi();
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.objects = cluster();
    fake.requests = [];
  });

  it('reconcile withSource: the source first, then the object; both handled; fresh health', async () => {
    const events: VerbProgress[] = [];
    const r = await reconcile('ks/apps', {
      kubeconfig: fake.kubeconfig,
      namespace: 'flux-system',
      withSource: true,
      timeout: 10_000,
      pollMs: 20,
      onProgress: (e) => events.push(e),
    });
    assert.deepEqual(
      writes(fake).map((w) => `${w.method} ${w.path}`),
      [
        `PATCH ${GIT}/namespaces/flux-system/gitrepositories/repo`,
        `PATCH ${KS}/namespaces/flux-system/kustomizations/apps`,
      ],
    );
    assert.deepEqual(
      r.steps.map((s) => [s.ref.kind, s.ref.name, s.handled, s.ready]),
      [
        ['GitRepository', 'repo', true, true],
        ['Kustomization', 'apps', true, true],
      ],
    );
    assert.equal(r.steps[0]!.patch.metadata.annotations['reconcile.fluxcd.io/requestedAt'], r.steps[0]!.requestedAt);
    assert.equal(r.outcome, 'reconciled');
    assert.deepEqual(r.reported, { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' });
    assert.equal(r.health?.state, 'Ready');
    assert.equal(r.ok, true);
    assert.deepEqual(
      events.filter((e) => e.type === 'requested').map((e) => (e as { ref: { name: string } }).ref.name),
      ['repo', 'apps'],
    );
    assert.ok(events.some((e) => e.type === 'reading') && events.at(-1)?.type === 'read');
    // The findings come from a LIST after the last PATCH (a fresh read), not from the reply.
    const lastPatch = fake.requests.findLastIndex((q) => q.method === 'PATCH');
    assert.ok(fake.requests.slice(lastPatch + 1).some((q) => q.path.startsWith(`${GIT}/gitrepositories?`)));
  });

  it('reconcile: the findings about the object from the read after the write', async () => {
    const r = await reconcile('gitrepo/flux-system/repo', { kubeconfig: fake.kubeconfig, timeout: 10_000, pollMs: 20 });
    assert.equal(r.outcome, 'reconciled');
    const codes = r.report!.findings.map((f) => f.code);
    assert.ok(codes.includes('advice.short-interval'), codes.join(','));
    assert.ok(
      r.report!.findings.every((f) => f.rootCause.name === 'repo' || f.affected.some((a) => a.name === 'repo')),
    );
    assert.equal(r.ok, true, 'advice does not make it fail');
  });

  it('reconcile refuses a suspended object, --force on a Kustomization, and an ambiguous target, writing nothing', async () => {
    await assert.rejects(
      reconcile('ks/team-a/paused', { kubeconfig: fake.kubeconfig }),
      /is suspended: resume it first/,
    );
    await assert.rejects(reconcile('ks/flux-system/apps', { kubeconfig: fake.kubeconfig, force: true }), CoreError);
    await assert.rejects(reconcile('ks/a/b/c', { kubeconfig: fake.kubeconfig }), TargetError);
    await assert.rejects(reconcile('hr/nope', { kubeconfig: fake.kubeconfig }), /nope/);
    assert.deepEqual(writes(fake), []);
  });

  it('suspend and resume: the patch, the outcome, the fresh health', async () => {
    const s = await suspend('ks/flux-system/apps', { kubeconfig: fake.kubeconfig });
    assert.equal(s.outcome, 'suspended');
    assert.equal(s.ok, true);
    assert.deepEqual(
      s.steps.map((x) => x.patch),
      [{ spec: { suspend: true } }],
    );
    assert.equal(s.health?.state, 'Suspended');

    fake.requests = [];
    const r = await resume(['ks', 'paused'], { kubeconfig: fake.kubeconfig, timeout: 10_000, pollMs: 20 });
    assert.deepEqual(
      writes(fake).map((w) => w.path),
      [`${KS}/namespaces/team-a/kustomizations/paused`],
    );
    assert.equal(r.steps[0]!.patch.spec.suspend, null);
    assert.equal(r.outcome, 'reconciled');
    assert.equal(r.health?.state, 'Ready');
    assert.equal(r.steps[0]!.handled, true);

    const n = await resume('ks/flux-system/apps', { kubeconfig: fake.kubeconfig, wait: false });
    assert.equal(n.outcome, 'resumed');
    assert.equal(n.report, undefined, 'no wait, no fresh read');
  });
});

const LEAK = 'clone https://bot:hunter2@git.example.com/x.git failed; password=hunter3';

describe('one path into objects: write replies and watch events are normalised', () => {
  it('normalizeObject drops Secret values and managedFields, masks condition messages', () => {
    const s = normalizeObject({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'x', managedFields: [{ manager: 'kubectl' }] },
      data: { password: 'aHVudGVyMg==' },
    });
    assert.ok(s);
    assert.equal(s.data, undefined);
    assert.deepEqual(s.dataKeys, ['password']);
    assert.equal(s.metadata.managedFields, undefined);
    assert.equal(normalizeObject({ apiVersion: 'x/v1', kind: 'Nope', metadata: { name: 'n' } }), undefined);
  });

  it('FluxWriter.get and the patch reply come out masked, without managedFields', async () => {
    const leaky = obj('GitRepository', 'flux-system/leaky', {
      spec: { interval: '10m' },
      status: status(['False', 'GitOperationFailed', LEAK]),
    });
    leaky.metadata.managedFields = [{ manager: 'kubectl', fieldsV1: {} }];
    const fake = await fakeApi([leaky]);
    try {
      const w = new FluxWriter(new ApiClient(loadKubeConfig({ kubeconfig: fake.kubeconfig }), 5000));
      const ref = { kind: 'GitRepository', namespace: 'flux-system', name: 'leaky' };
      const got = await w.get(ref);
      const after = await w.patch(ref, { spec: { suspend: true } });
      for (const o of [got!, after]) {
        const text = JSON.stringify(o);
        assert.doesNotMatch(text, /hunter2|hunter3/);
        assert.match(text, /bot:\*\*\*@git\.example\.com/);
        assert.equal(o.metadata.managedFields, undefined);
        assert.equal(o.kind, 'GitRepository');
      }
      assert.equal(after.spec?.suspend, true);
    } finally {
      fake.close();
    }
  });

  it('a watch event comes out masked: the transition and the state hold no secret text', async () => {
    const ev = obj('GitRepository', 'flux-system/leaky', {
      spec: { interval: '10m' },
      status: { conditions: [cond('Ready', 'False', 'GitOperationFailed', LEAK)] },
    });
    ev.metadata.managedFields = [{ manager: 'source-controller' }];
    const { apiVersion: _a, kind: _k, ...bare } = ev; // watch events of a typed list may carry no kind
    const server = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (new URL(req.url!, 'http://x').searchParams.get('watch') === '1')
        res.write(`${JSON.stringify({ type: 'ADDED', object: bare })}\n`);
      else res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const fake = await fakeApi();
    fake.close();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(fake.kubeconfig, readFileSync(fake.kubeconfig, 'utf8').replace(fake.url, url));
    const state = new WatchState();
    const stop = new AbortController();
    const seen: string[] = [];
    try {
      await watchFlux(
        new ApiClient(loadKubeConfig({ kubeconfig: fake.kubeconfig }), 5000),
        state,
        { GitRepository: { apiVersion: 'source.toolkit.fluxcd.io/v1', resourceVersion: '1' } },
        {
          signal: stop.signal,
          onTransition: (t) => {
            seen.push(JSON.stringify(t));
            stop.abort();
          },
          onNotice: () => {},
        },
      );
    } finally {
      server.closeAllConnections();
      server.close();
    }
    assert.equal(seen.length, 1);
    assert.doesNotMatch(seen[0]!, /hunter2|hunter3/);
    assert.match(seen[0]!, /Failed/);
    const held = [...state.objects.values()][0]!;
    assert.doesNotMatch(JSON.stringify(held), /hunter2|hunter3/);
    assert.equal(held.metadata.managedFields, undefined);
    assert.equal(held.kind, 'GitRepository');
  });
});

describe('the CLI watch over core.watch', () => {
  it('reads once, says what it watches, stops after --once-after', async () => {
    const fake = await fakeApi(cluster());
    try {
      let out = '';
      let err = '';
      const code = await main(['node', 'fluxdoctor', 'watch', '--kubeconfig', fake.kubeconfig, '--once-after', '1s'], {
        stdout: { write: (s: string) => (out += s) },
        stderr: { write: (s: string) => (err += s) },
        env: {},
      });
      assert.equal(code, 0, err);
      assert.match(err, /^watching 4 Flux objects of \d+ kinds on context fake for 1s\n/);
      assert.equal(out, '');
      assert.ok(
        fake.requests.some((q) => q.path.includes('watch=1')),
        'it opened watches',
      );
    } finally {
      fake.close();
    }
  });
});
