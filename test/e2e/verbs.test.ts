// check, reconcile, suspend, resume and watch against the real control plane: the checks pass on a
// healthy environment and fail when a controller stops; the write verbs really change the objects
// (read back through the API) and the controllers really handle the requests; watch prints health
// transitions and keeps working across an API server restart; a read that loses the API server
// ends with a clear error within the request timeout.

process.env.FLUXDOCTOR_TESTENV_RUN = `${process.env.HOME}/.cache/fluxdoctor-testenv/run-verbs`;

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type Io, main } from '../../src/cli/main.js';
import { ApiClient } from '../../src/read/live.js';
import { down } from '../../testenv/down.js';
import { Kube, type Obj, readyFalse, readyTrue } from '../../testenv/kube.js';
import { freePorts, type State } from '../../testenv/proc.js';
import { controllerScenarios } from '../../testenv/scenarios/controllers.js';
import { GitRepos, gitRepository, kustomization, type ScenarioContext } from '../../testenv/scenarios/lib.js';
import { FLUX_NS, restartApiServer, startApiServer, stopApiServer, up } from '../../testenv/up.js';

const NS = 'verbs-e2e';
const SRC = 'source.toolkit.fluxcd.io/v1';
const KS = 'kustomize.toolkit.fluxcd.io/v1';
let state: State;
let kube: Kube;
let git: GitRepos;

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Run the CLI in process; `live` sees the output while it runs. */
function start(args: string[]): { done: Promise<Run>; live: { out: string; err: string } } {
  const live = { out: '', err: '' };
  const io: Io = {
    stdout: { write: (s: string) => (live.out += s), isTTY: false },
    stderr: { write: (s: string) => (live.err += s), isTTY: false },
    env: {},
  };
  const done = main(['node', 'fluxdoctor', ...args], io).then((code) => ({ code, ...live }));
  return { done, live };
}

const cli = (args: string[]) => start(args).done;
const kc = () => ['--kubeconfig', state.kubeconfig];

async function until(what: string, test: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const ref = (kind: string, name: string): Obj => ({
  apiVersion: kind === 'Kustomization' ? KS : SRC,
  kind,
  metadata: { name, namespace: NS },
});
const getObj = async (kind: string, name: string) =>
  (await kube.get(kind === 'Kustomization' ? KS : SRC, kind, NS, name))!;

describe('check, reconcile, suspend, resume and watch against the real control plane', () => {
  before(async () => {
    state = await up();
    kube = new Kube({ server: state.server, token: state.token, caFile: state.caFile });
    git = new GitRepos(state);
    git.commit('verbs-e2e', {
      'deploy/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello\n  namespace: ${NS}\ndata:\n  greeting: hi\n`,
    });
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await kube.applyAll([
      gitRepository(NS, 'app', { url: git.url('verbs-e2e'), ref: { branch: 'main' } }),
      kustomization(NS, 'app', { sourceRef: { kind: 'GitRepository', name: 'app' }, path: './deploy' }),
    ]);
    await kube.waitFor(KS, 'Kustomization', NS, 'app', readyTrue);
  });
  after(async () => {
    if (process.env.FLUXDOCTOR_TESTENV_KEEP !== '1') await down();
  });

  it('check passes on the healthy environment, with controller versions and a served artifact', async () => {
    // The test environment's source-controller serves artifacts on 127.0.0.1: a loopback probe is opt-in.
    const r = await cli(['check', ...kc(), '--allow-local-probe']);
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    assert.match(r.out, /✓ all checks passed/);
    assert.match(r.out, /✓ source-controller v\d+\.\d+\.\d+: ready \(1\/1\)/);
    assert.match(r.out, /✓ Kubernetes v1\.\d+/);
    assert.match(r.out, /✓ gitrepositories\.source\.toolkit\.fluxcd\.io: serves v1/);
    const j = JSON.parse((await cli(['check', ...kc(), '--allow-local-probe', '-o', 'json'])).out);
    assert.equal(j.ok, true);
    assert.equal(j.input, 'live');
    const ctrl = j.items.filter((i: Obj) => i.section === 'controllers');
    assert.ok(ctrl.length >= 4 && ctrl.every((i: Obj) => i.status === 'ok' && /^v\d/.test(i.data.version)));
    // The test environment advertises the storage on 127.0.0.1, so the HEAD really reaches it.
    assert.ok(
      j.items.some((i: Obj) => i.section === 'storage' && i.status === 'ok' && /artifact download works/.test(i.title)),
      JSON.stringify(j.items.filter((i: Obj) => i.section === 'storage')),
    );
    // Without the flag the loopback artifact URL is not probed (cluster text must not reach this machine).
    const d = JSON.parse((await cli(['check', ...kc(), '-o', 'json'])).out);
    assert.ok(
      d.items.some(
        (i: Obj) =>
          i.section === 'storage' &&
          i.status === 'skip' &&
          /artifact download not checked/.test(i.title) &&
          /loopback/.test(i.detail),
      ),
      JSON.stringify(d.items.filter((i: Obj) => i.section === 'storage')),
    );
  });

  it('suspend sets spec.suspend; resume removes it, requests a reconcile and waits for it', async () => {
    const s = await cli(['suspend', 'gitrepo/app', '-n', NS, ...kc()]);
    assert.equal(s.code, 0, s.err);
    assert.equal((await getObj('GitRepository', 'app')).spec.suspend, true);
    const blocked = await cli(['reconcile', 'gitrepo/app', '-n', NS, ...kc()]);
    assert.equal(blocked.code, 2);
    assert.match(blocked.err, /is suspended: resume it first/);

    const r = await cli(['resume', 'gitrepository', 'app', '-n', NS, ...kc(), '--timeout', '60s']);
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    const o = await getObj('GitRepository', 'app');
    assert.notEqual(o.spec.suspend, true);
    assert.equal(o.spec.suspend, undefined, 'flux removes the field (suspend: false with omitempty)');
    const requested = o.metadata.annotations['reconcile.fluxcd.io/requestedAt'];
    assert.ok(requested, 'resume requests a reconcile');
    assert.equal(o.status.lastHandledReconcileAt, requested, 'the controller handled the request');
    assert.match(r.out, /GitRepository verbs-e2e\/app is Ready/);
  });

  it('reconcile --with-source triggers a reconcile of the source and the Kustomization, then reports Ready', async () => {
    const ks0 = await getObj('Kustomization', 'app');
    const src0 = await getObj('GitRepository', 'app');
    const r = await cli(['reconcile', 'ks/app', '-n', NS, '--with-source', ...kc()]);
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    assert.match(r.out, /✓ Kustomization verbs-e2e\/app is Ready/);
    assert.match(r.err, /reconcile requested: GitRepository verbs-e2e\/app/);
    const ks = await getObj('Kustomization', 'app');
    const src = await getObj('GitRepository', 'app');
    assert.notEqual(ks.status.lastHandledReconcileAt, ks0.status.lastHandledReconcileAt);
    assert.equal(ks.status.lastHandledReconcileAt, ks.metadata.annotations['reconcile.fluxcd.io/requestedAt']);
    assert.notEqual(src.status.lastHandledReconcileAt, src0.status.lastHandledReconcileAt);
    // Only the annotation changed: the spec is as applied.
    assert.deepEqual(ks.spec, ks0.spec);
    assert.equal(ks.metadata.generation, ks0.metadata.generation);
  });

  it('reconcile of a failing source exits 1 and prints the finding', async () => {
    const [closed] = await freePorts(1);
    await kube.delete(SRC, 'GitRepository', NS, 'broken');
    for (let i = 0; i < 60 && (await kube.get(SRC, 'GitRepository', NS, 'broken')); i++)
      await new Promise((r) => setTimeout(r, 500));
    await kube.apply(
      gitRepository(NS, 'broken', { url: `http://127.0.0.1:${closed}/nothing.git`, ref: { branch: 'main' } }),
    );
    await kube.waitFor(SRC, 'GitRepository', NS, 'broken', readyFalse());
    const r = await cli(['reconcile', 'gitrepo/broken', '-n', NS, ...kc(), '--timeout', '60s']);
    assert.equal(r.code, 1, `${r.out}\n${r.err}`);
    assert.match(r.out, /✗ GitRepository verbs-e2e\/broken is Failed/);
    assert.match(r.out, /source\.unreachable/);
    await kube.mergePatch(ref('GitRepository', 'broken'), { spec: { suspend: true } });
    const missing = await cli(['reconcile', 'ks/nothing-here', '-n', NS, ...kc()]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no Kustomization named nothing-here in namespace verbs-e2e/);
    const snap = await cli(['reconcile', 'ks/app', '--snapshot', 'x.yaml']);
    assert.equal(snap.code, 2);
    assert.match(snap.err, /--snapshot is not accepted/);
  });

  describe('a write touches exactly the object named (issue 8)', () => {
    // `suspend Kustomization/flux-system/apps` used to PATCH flux-system/flux-system. Three
    // Kustomizations share the names the old parser mixed up: flux-system/flux-system,
    // flux-system/apps and another namespace's apps. They reconcile once (interval 1h) and then
    // hold still, so any change to the others' spec or resourceVersion is ours.
    const OTHER = 'verbs-e2e-other';
    const TARGET = 'Kustomization/flux-system/apps';
    let mcp: Client | undefined;

    /** Every Kustomization in the cluster but those of the namespace the other tests reconcile. */
    const allKs = async (): Promise<Map<string, Obj>> => {
      const doc = await kube.request('GET', `/apis/${KS}/kustomizations`);
      const out = new Map<string, Obj>();
      for (const o of doc.items as Obj[])
        if (o.metadata.namespace !== NS) out.set(`${o.metadata.namespace}/${o.metadata.name}`, o);
      return out;
    };
    const fingerprint = (m: Map<string, Obj>, skip: string) =>
      [...m]
        .filter(([k]) => k !== skip)
        .map(([k, o]) => `${k} rv=${o.metadata.resourceVersion} ${JSON.stringify(o.spec)}`)
        .sort();
    /** Wait until no Kustomization outside NS changes for 3 s; returns them. */
    const settled = async (): Promise<Map<string, Obj>> => {
      let last = '';
      for (let i = 0; i < 40; i++) {
        const m = await allKs();
        const f = fingerprint(m, '').join('\n');
        if (f === last) return m;
        last = f;
        await new Promise((r) => setTimeout(r, 3000));
      }
      throw new Error('the Kustomizations did not settle');
    };
    const assertOnlyTargetChanged = (before: Map<string, Obj>, after: Map<string, Obj>, suspended: boolean) => {
      const t = after.get('flux-system/apps')!;
      assert.equal(t.spec.suspend === true, suspended, `flux-system/apps spec.suspend: ${t.spec.suspend}`);
      assert.deepEqual(fingerprint(after, 'flux-system/apps'), fingerprint(before, 'flux-system/apps'));
      assert.notEqual(after.get('flux-system/flux-system')!.spec.suspend, true);
      assert.notEqual(after.get(`${OTHER}/apps`)!.spec.suspend, true);
    };

    before(async () => {
      const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  probe: "1"\n`;
      git.commit('verbs-targets', {
        'a/cm.yaml': cm('probe-a'),
        'b/cm.yaml': cm('probe-b'),
        'c/cm.yaml': cm('probe-c'),
      });
      await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: OTHER } });
      const src = (ns: string) =>
        gitRepository(ns, 'verbs-targets', { url: git.url('verbs-targets'), ref: { branch: 'main' }, interval: '1h' });
      const ks = (ns: string, name: string, path: string) =>
        kustomization(ns, name, {
          sourceRef: { kind: 'GitRepository', name: 'verbs-targets' },
          path,
          targetNamespace: ns,
          interval: '1h',
          retryInterval: '5s',
        });
      await kube.applyAll([
        src(FLUX_NS),
        src(OTHER),
        ks(FLUX_NS, 'flux-system', './a'),
        ks(FLUX_NS, 'apps', './b'),
        ks(OTHER, 'apps', './c'),
      ]);
      for (const [ns, name] of [
        [FLUX_NS, 'flux-system'],
        [FLUX_NS, 'apps'],
        [OTHER, 'apps'],
      ] as const)
        await kube.waitFor(KS, 'Kustomization', ns, name, readyTrue);
      mcp = new Client({ name: 'fluxdoctor-e2e', version: '0.0.0' });
      await mcp.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: ['--import', 'tsx', join(import.meta.dirname, '..', 'mcp-entry.ts'), 'mcp', '--allow-write'],
          cwd: join(import.meta.dirname, '..', '..'),
          stderr: 'pipe',
        }),
      );
    });
    after(async () => {
      await mcp?.close();
      // Leave nothing suspended behind, whatever failed.
      await kube.mergePatch(
        { apiVersion: KS, kind: 'Kustomization', metadata: { namespace: FLUX_NS, name: 'apps' } },
        { spec: { suspend: null } },
      );
    });

    it(`the CLI: suspend ${TARGET} suspends flux-system/apps and nothing else; resume undoes it`, async () => {
      const before = await settled();
      assert.ok(before.has('flux-system/flux-system') && before.has(`${OTHER}/apps`), [...before.keys()].join(' '));
      const r = await cli(['suspend', TARGET, ...kc()]);
      assert.equal(r.code, 0, `${r.out}\n${r.err}`);
      assert.match(r.out, /✓ Kustomization flux-system\/apps suspended/);
      assertOnlyTargetChanged(before, await allKs(), true);

      const ambiguous = await cli(['suspend', 'ks/apps', ...kc()]);
      assert.equal(ambiguous.code, 2);
      assert.match(ambiguous.err, /several namespaces \(flux-system, verbs-e2e-other\)/);
      const dots = await cli(['suspend', 'ks/flux-system/..', ...kc()]);
      assert.equal(dots.code, 2);
      assert.match(dots.err, /not a valid object name/);

      const res = await cli(['resume', TARGET, ...kc(), '--timeout', '60s']);
      assert.equal(res.code, 0, `${res.out}\n${res.err}`);
      assertOnlyTargetChanged(before, await allKs(), false);
    });

    it(`the MCP suspend and resume tools with target "${TARGET}" change flux-system/apps and nothing else`, async () => {
      const before = await settled();
      const call = async (name: string, args: Record<string, unknown>) =>
        (await mcp!.callTool({ name, arguments: { kubeconfig: state.kubeconfig, ...args } })) as CallToolResult;
      const s = await call('suspend', { target: TARGET });
      assert.ok(!s.isError, JSON.stringify(s.content));
      assert.deepEqual((s.structuredContent as { object: Obj }).object, {
        kind: 'Kustomization',
        namespace: 'flux-system',
        name: 'apps',
      });
      assertOnlyTargetChanged(before, await allKs(), true);
      const amb = await call('suspend', { target: 'ks/apps' });
      assert.equal(amb.isError, true);
      assertOnlyTargetChanged(before, await allKs(), true);

      const r = await call('resume', { target: TARGET, timeoutSeconds: 60 });
      assert.ok(!r.isError, JSON.stringify(r.content));
      // resume waits for the controller: the same result document as the CLI's `resume -o json`.
      const rd = r.structuredContent as { outcome: string; ok: boolean };
      assert.deepEqual([rd.outcome, rd.ok], ['reconciled', true], JSON.stringify(r.structuredContent));
      assertOnlyTargetChanged(before, await allKs(), false);
    });
  });

  it('watch prints health transitions as they happen and keeps working after an API server restart', async () => {
    const w = start(['watch', '-n', NS, ...kc(), '--once-after', '150s']);
    await until('the watch to start', () => /watching \d+ Flux objects/.test(w.live.err));
    const url = git.url('verbs-e2e');
    await kube.mergePatch(ref('GitRepository', 'app'), { spec: { url: `http://127.0.0.1:1/nothing.git` } });
    await until('a Failed transition', () =>
      /GitRepository verbs-e2e\/app: \S+ → Failed \(GitOperationFailed/.test(w.live.out),
    );

    await restartApiServer(state, 2000);
    kube = new Kube({ server: state.server, token: state.token, caFile: state.caFile });
    await until('the reconnect notice', () => /reconnected to the API server/.test(w.live.err), 60_000);
    const before = w.live.out.length;
    await kube.mergePatch(ref('GitRepository', 'app'), { spec: { url } });
    await until('a Ready transition after the restart', () =>
      /GitRepository verbs-e2e\/app: \S+ → Ready/.test(w.live.out.slice(before)),
    );
    assert.match(w.live.err, /connection to the API server lost/);
    process.emit('SIGINT');
    const r = await w.done;
    assert.equal(r.code, 0, r.err);
    for (const l of r.out.trim().split('\n'))
      assert.match(l, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \w+ [\w.-]+\/[\w.-]+: \w+ → \w+/, `line format: ${l}`);
  });

  it('check fails with exit 1 while a controller is stopped', async () => {
    const s = controllerScenarios[0]!;
    const ns = 'verbs-e2e-ctrl';
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const [closedPort] = await freePorts(1);
    const ctx: ScenarioContext = {
      kube,
      state,
      ns,
      git,
      helmUrl: (kind = 'public') => `http://127.0.0.1:${state.ports.helm}/${kind}`,
      closedPort: closedPort!,
      registry: `127.0.0.1:${state.ports.registry}`,
    };
    try {
      await s.run(ctx);
      const r = await cli(['check', ...kc()]);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /✗ helm-controller v[\d.]+: not ready \(0\/1\)/);
      assert.match(r.out, /✗ 1 check failed/);
      const j = JSON.parse((await cli(['check', ...kc(), '--allow-local-probe', '-o', 'json'])).out);
      assert.equal(j.ok, false);
    } finally {
      await s.cleanup?.(ctx);
    }
    assert.equal((await cli(['check', ...kc()])).code, 0, 'passes again once the controller is back');
  });

  describe('the API server goes away in the middle of a read', () => {
    it('killed: diagnose ends with a clear error (exit 2) within the request timeout', async () => {
      let argv: string[] = [];
      let stoppedAt = 0;
      const orig = ApiClient.prototype.raw;
      let calls = 0;
      // Stop the server when the read is under way (after discovery), before the next request goes out.
      ApiClient.prototype.raw = async function (this: ApiClient, ...args: Parameters<typeof orig>) {
        if (++calls === 4) {
          argv = await stopApiServer(state);
          stoppedAt = Date.now();
        }
        return orig.apply(this, args);
      };
      try {
        const r = await cli(['diagnose', ...kc(), '--request-timeout', '3s']);
        const took = Date.now() - stoppedAt;
        assert.ok(stoppedAt > 0, 'the server was stopped during the run');
        assert.equal(r.code, 2, r.out);
        assert.match(r.err, /lost the API server at https:\/\/127\.0\.0\.1:\d+ during the read/);
        assert.ok(took < 3000, `ended ${took} ms after the server stopped`);
      } finally {
        ApiClient.prototype.raw = orig;
        if (argv.length) await startApiServer(state, argv);
      }
    });

    it('hung (SIGSTOP): diagnose ends with a clear error (exit 2) after one request timeout', async () => {
      const pid = state.pids['kube-apiserver']!;
      const orig = ApiClient.prototype.raw;
      let calls = 0;
      let stoppedAt = 0;
      ApiClient.prototype.raw = async function (this: ApiClient, ...args: Parameters<typeof orig>) {
        if (++calls === 4) {
          process.kill(pid, 'SIGSTOP');
          stoppedAt = Date.now();
        }
        return orig.apply(this, args);
      };
      try {
        const r = await cli(['diagnose', ...kc(), '--request-timeout', '3s']);
        const took = Date.now() - stoppedAt;
        assert.equal(r.code, 2, r.out);
        assert.match(r.err, /lost the API server .* timed out after 3s/);
        assert.ok(took < 3000 + 2000, `ended ${took} ms after the server stopped answering`);
      } finally {
        ApiClient.prototype.raw = orig;
        process.kill(pid, 'SIGCONT');
      }
      const again = await cli(['check', ...kc()]);
      assert.equal(again.code, 0, again.out);
    });
  });
});
