// Issue 9: the CLI and the MCP tools give the same result for the same input. Against the real
// control plane (kube-apiserver, etcd, the Flux controllers), every view runs through the CLI with
// `-o json` (in process) and through `fluxdoctor mcp` (a child process, the SDK's client over stdio)
// on the same live cluster, and the structured results must be equal after removing only the
// documented differences: the MCP paging fields (total, offset, limit, returned, truncated…), the
// MCP-only counts (diagnose `counts`/`fields`, events `events`/`warnings`, get `notReady`, logs
// `logsRead`), and the ages computed from the time of the read (`lastReconcileAge`, `age`). A result
// the byte budget cut would not be comparable, so each MCP result must also be whole (not
// truncated, no capped list). The write verbs — reconcile --with-source, suspend, resume — run on
// real objects from both front ends: the same outcome document (except the times written), both
// really change the object (read back through the API), and the MCP tools send progress
// notifications while they wait when the client asks for them.

process.env.FLUXDOCTOR_TESTENV_RUN ??= `${process.env.HOME}/.cache/fluxdoctor-testenv/run-parity`;

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { load } from '../../src/core/load.js';
import { objectView } from '../../src/views/object.js';
import { down } from '../../testenv/down.js';
import { Kube, type Obj, readyTrue } from '../../testenv/kube.js';
import type { State } from '../../testenv/proc.js';
import { ALL_SCENARIOS } from '../../testenv/scenarios/index.js';
import { GitRepos, gitRepository, KS, kustomization, SRC } from '../../testenv/scenarios/lib.js';
import { runScenario } from '../../testenv/scenarios/run.js';
import { up } from '../../testenv/up.js';
import { runCli } from '../run-cli.js';

const ENTRY = join(import.meta.dirname, '..', 'mcp-entry.ts');
const ROOT = join(import.meta.dirname, '..', '..');
/** The namespace of the write verbs: a GitRepository and a Kustomization that become Ready. */
const NS = 'parity-e2e';

let state: State;
let kube: Kube;
let client: Client;
/** Scenario name → the namespace it ran in. */
const ns: Record<string, string> = {};

const kc = () => ['--kubeconfig', state.kubeconfig];

const cli = (args: string[]) => runCli([...args, ...kc(), ...(args.includes('-o') ? [] : ['-o', 'json'])]);

type Progress = { progress: number; total?: number; message?: string };

async function tool(
  name: string,
  args: Record<string, unknown>,
  onprogress?: (p: Progress) => void,
): Promise<Record<string, unknown>> {
  const r = (await client.callTool(
    { name, arguments: { kubeconfig: state.kubeconfig, ...args } },
    undefined,
    onprogress ? { onprogress, timeout: 180_000 } : { timeout: 180_000 },
  )) as CallToolResult;
  const text = r.content.map((x) => (x.type === 'text' ? x.text : '')).join('\n');
  assert.notEqual(r.isError, true, `${name}: ${text.slice(0, 1000)}`);
  assert.ok(r.structuredContent, `${name} has a structured result`);
  return r.structuredContent as Record<string, unknown>;
}

/** The paging fields every MCP list result has (src/mcp/tools/common.ts pageOutput): not in the CLI's -o json. */
const PAGING = ['total', 'offset', 'limit', 'returned', 'truncated', 'nextOffset', 'leftOut', 'note'];
const without = (o: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

/** A whole MCP page: nothing left out by `limit` or the byte budget (else the comparison would mean nothing). */
function assertWhole(label: string, d: Record<string, unknown>) {
  assert.notEqual(d.truncated, true, `${label}: the MCP result was cut (${String(d.note)})`);
  assert.equal(d.truncatedNodes, undefined, `${label}: the MCP tree was pruned`);
  assert.equal(d.nextOffset, undefined, `${label}: the MCP result has a next page`);
}

/** Drops the ages computed from the time of the read (each front end reads at its own time). */
const ageless = (v: unknown): unknown =>
  JSON.parse(JSON.stringify(v), (k, x) => (k === 'lastReconcileAge' || k === 'age' ? undefined : x));

/**
 * The live cluster moves a little between two reads (a retry, a new event): compare until the
 * results of one CLI run and one MCP call (a fresh read, not the read cache) agree, up to 6 tries,
 * and show the difference of the last try when they never do.
 */
async function same(
  label: string,
  cliArgs: string[],
  name: string,
  args: Record<string, unknown>,
  norm: (mcp: Record<string, unknown>) => unknown,
  cliNorm: (cli: Record<string, unknown>) => unknown = (c) => c,
): Promise<{ mcp: Record<string, unknown>; cli: Record<string, unknown> }> {
  let last: { a: unknown; b: unknown; mcp: Record<string, unknown>; cli: Record<string, unknown> } | undefined;
  for (let i = 0; i < 6; i++) {
    const r = await cli(cliArgs);
    assert.ok(r.code === 0 || r.code === 1, `${label}: the CLI exited ${r.code}: ${r.err}`);
    const c = JSON.parse(r.out) as Record<string, unknown>;
    const m = await tool(name, { ...args, fresh: true });
    assertWhole(label, m);
    const a = norm(m);
    const b = cliNorm(c);
    if (JSON.stringify(a) === JSON.stringify(b)) return { mcp: m, cli: c };
    last = { a, b, mcp: m, cli: c };
    await new Promise((res) => setTimeout(res, 2000));
  }
  assert.deepEqual(last!.a, last!.b, `${label}: the MCP result differs from the CLI's -o json`);
  return { mcp: last!.mcp, cli: last!.cli };
}

describe('the CLI and the MCP tools give the same result against the real control plane', () => {
  before(async () => {
    state = await up();
    kube = new Kube({ server: state.server, token: state.token, caFile: state.caFile });
    // Failures to look at; runScenario suspends them after capture, so the cluster holds still.
    for (const name of ['git-wrong-password', 'ks-depends-on-chain', 'helm-chart-version-missing']) {
      const r = await runScenario(ALL_SCENARIOS.find((s) => s.name === name)!, state);
      assert.ok(r.ok, `${name}: ${r.error ?? r.got.join('\n')}`);
      ns[name] = r.ns;
    }
    // Healthy objects for the write verbs (interval 1h: they hold still between the writes).
    new GitRepos(state).commit('parity-e2e', {
      'deploy/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello\n  namespace: ${NS}\ndata:\n  greeting: hi\n`,
    });
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await kube.applyAll([
      gitRepository(NS, 'app', { url: new GitRepos(state).url('parity-e2e'), ref: { branch: 'main' }, interval: '1h' }),
      kustomization(NS, 'app', {
        sourceRef: { kind: 'GitRepository', name: 'app' },
        path: './deploy',
        interval: '1h',
      }),
    ]);
    await kube.waitFor(KS, 'Kustomization', NS, 'app', readyTrue);
    client = new Client({ name: 'fluxdoctor-e2e-parity', version: '0.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ['--import', 'tsx', ENTRY, 'mcp', '--allow-write'],
        cwd: ROOT,
        stderr: 'pipe',
      }),
    );
  });
  after(async () => {
    await client?.close();
    // Leave nothing suspended behind, whatever failed.
    for (const [apiVersion, kind] of [
      [SRC, 'GitRepository'],
      [KS, 'Kustomization'],
    ] as const)
      await kube
        ?.mergePatch({ apiVersion, kind, metadata: { namespace: NS, name: 'app' } }, { spec: { suspend: null } })
        .catch(() => {});
    if (process.env.FLUXDOCTOR_TESTENV_KEEP !== '1') await down();
  });

  describe('every view', () => {
    it('diagnose: the findings contract, whole cluster and one namespace', async () => {
      // The MCP result is the -o json contract inside a paged result: its `counts` and `fields`
      // and the paging fields are the documented additions; affected/evidence are capped at 20
      // (affectedTotal/evidenceTotal), which a whole result here never reaches.
      const norm = (m: Record<string, unknown>) => {
        const findings = (m.findings as Record<string, unknown>[]).map(({ affectedTotal, evidenceTotal, ...f }) => {
          const len = (k: string) => (f[k] as unknown[] | undefined)?.length ?? 0;
          if (affectedTotal !== undefined) assert.equal(affectedTotal, len('affected'), 'no affected list was capped');
          if (evidenceTotal !== undefined) assert.equal(evidenceTotal, len('evidence'), 'no evidence list was capped');
          return f;
        });
        return { ...without(m, [...PAGING, 'counts', 'fields']), findings };
      };
      const all = await same('diagnose', ['diagnose'], 'diagnose', { limit: 500 }, norm);
      const codes = (all.cli.findings as { code: string }[]).map((f) => f.code);
      for (const c of ['helm.chart-not-found', 'flux.suspended']) assert.ok(codes.includes(c), `${c} in ${codes}`);
      // The MCP counts are the CLI's findings counted by severity.
      const bySev = (s: string) => (all.cli.findings as { severity: string }[]).filter((f) => f.severity === s).length;
      assert.deepEqual(all.mcp.counts, { error: bySev('error'), warning: bySev('warning'), info: bySev('info') });
      const one = ns['ks-depends-on-chain']!;
      const scoped = await same(
        'diagnose -n',
        ['diagnose', '-n', one],
        'diagnose',
        { namespace: one, limit: 500 },
        norm,
      );
      assert.ok((scoped.cli.findings as unknown[]).length > 0, 'the namespace has findings');
      assert.ok((scoped.cli.findings as unknown[]).length < (all.cli.findings as unknown[]).length);
    });

    it('get: get_resources rows equal `get -o summary` rows (all kinds, one kind, a status)', async () => {
      // `get -o json` prints the objects themselves; the rows MCP get_resources returns are `-o summary`.
      const norm = (m: Record<string, unknown>) => ageless({ items: m.items });
      const all = await same('get', ['get', '-o', 'summary'], 'get_resources', { limit: 500 }, norm, ageless);
      const rows = all.cli.items as { kind: string; ready: string }[];
      assert.ok(rows.some((r) => r.kind === 'HelmRelease') && rows.some((r) => r.kind === 'Kustomization'));
      assert.equal(all.mcp.notReady, rows.filter((r) => !['Ready', 'Static'].includes(r.ready)).length);
      await same('get ks', ['get', 'ks', '-o', 'summary'], 'get_resources', { kind: 'ks', limit: 500 }, norm, ageless);
      const failing = await same(
        'get --status failing',
        ['get', 'all', '--status', 'failing', '-o', 'summary'],
        'get_resources',
        { status: 'failing', limit: 500 },
        norm,
        ageless,
      );
      assert.ok((failing.cli.items as unknown[]).length > 0, 'failing objects are listed');
    });

    it('stats: whole cluster and one namespace', async () => {
      const all = await same('stats', ['stats'], 'stats', {}, (m) => m);
      assert.ok((all.cli.total as { failing: number }).failing > 0);
      const one = ns['helm-chart-version-missing']!;
      await same('stats -n', ['stats', '-n', one], 'stats', { namespace: one }, (m) => m);
    });

    it('tree: a Kustomization of the dependsOn chain', async () => {
      const one = ns['ks-depends-on-chain']!;
      const t = await same(
        'tree',
        ['tree', 'ks/apps', '-n', one],
        'tree',
        { target: 'ks/apps', namespace: one },
        (m) => m,
      );
      assert.deepEqual((t.cli.root as { ref: Obj }).ref, { kind: 'Kustomization', namespace: one, name: 'apps' });
    });

    it('trace: a Kustomization and a HelmRelease up their chains', async () => {
      const one = ns['ks-depends-on-chain']!;
      const t = await same(
        'trace ks',
        ['trace', 'ks/apps', '-n', one],
        'trace',
        { target: 'ks/apps', namespace: one },
        (m) => m,
      );
      assert.match(JSON.stringify(t.cli), /GitRepository/);
      const hr = ns['helm-chart-version-missing']!;
      const h = await same('trace hr', ['trace', `hr/${hr}/web`], 'trace', { target: `hr/${hr}/web` }, (m) => m);
      assert.match(JSON.stringify(h.cli), /HelmRepository|HelmChart/);
    });

    it('events: one object (with its source chain) and one namespace', async () => {
      // MCP adds the totals `events` and `warnings` and the paging fields, and caps a group's events
      // at 20 (eventsTotal), which these groups do not reach.
      const norm = (m: Record<string, unknown>) => {
        for (const g of m.groups as Record<string, unknown>[]) assert.equal(g.eventsTotal, undefined);
        return ageless(without(m, [...PAGING, 'events', 'warnings']));
      };
      const git = ns['git-wrong-password']!;
      const one = await same(
        'events --for',
        ['events', '--for', 'gitrepo/app', '-n', git],
        'events',
        { target: 'gitrepo/app', namespace: git, limit: 500 },
        norm,
        ageless,
      );
      // One name for the object in both front ends' output: target (the MCP argument's name).
      assert.deepEqual(one.mcp.target, { kind: 'GitRepository', namespace: git, name: 'app' });
      assert.deepEqual(one.cli.target, one.mcp.target);
      assert.match(JSON.stringify(one.cli), /authentication required/);
      const all = await same(
        'events -n',
        ['events', '-n', git],
        'events',
        { namespace: git, limit: 500 },
        norm,
        ageless,
      );
      assert.ok((all.cli.groups as unknown[]).length > 0);
    });

    it('logs: the real source-controller log about one object', async () => {
      // The controllers are host processes here (no pods to read logs from): their JSON-lines log
      // files are the `--logs` input of both front ends. MCP adds `logsRead` and the paging fields.
      const git = ns['git-wrong-password']!;
      const file = state.logs['source-controller']!;
      const l = await same(
        'logs',
        ['logs', '--for', 'gitrepo/app', '-n', git, '--logs', file, '--level', 'error'],
        'logs',
        { target: 'gitrepo/app', namespace: git, logs: [file], level: 'error', limit: 500 },
        (m) => without(m, [...PAGING, 'logsRead']),
      );
      assert.deepEqual(l.mcp.target, { kind: 'GitRepository', namespace: git, name: 'app' });
      assert.deepEqual(l.cli.target, l.mcp.target);
      const lines = l.cli.lines as { controller: string; msg: string; error?: string }[];
      assert.ok(lines.length > 0, 'the controller logged the failure');
      assert.ok(lines.every((x) => x.controller === 'source-controller'));
      assert.match(JSON.stringify(lines), /authentication required/);
      assert.ok((l.mcp.logsRead as number) > 0);
    });

    it('check: the installation checklist', async () => {
      // capturedAt is the time of each read.
      const read = (c: Record<string, unknown>) => without(c, ['capturedAt']);
      const c = await same('check', ['check'], 'check', {}, read, read);
      assert.ok(c.cli.capturedAt && c.mcp.capturedAt, 'both say when they read');
      assert.equal(c.cli.input, 'live');
      assert.ok((c.cli.items as { section: string }[]).some((i) => i.section === 'controllers'));
    });

    it('get_object: the MCP tool equals the core objectView on the same live read', async () => {
      // The CLI's `get KIND NAME -o yaml` (objects, issue 9) is being built on another branch; until
      // it lands, get_object is compared with the core function the CLI will call.
      // TODO(lead, at merge): compare with `get hr NAME -n NS -o yaml` when it returns the object.
      const hr = ns['helm-chart-version-missing']!;
      let a: unknown;
      let b: unknown;
      for (let i = 0; i < 6; i++) {
        const { graph } = await load({ kubeconfig: state.kubeconfig });
        b = { ...objectView(graph, 'hr/web', hr) };
        const m = await tool('get_object', { target: 'hr/web', namespace: hr, fresh: true });
        assert.equal(m.truncated, false, 'the whole YAML');
        a = m;
        if (JSON.stringify(a) === JSON.stringify(b)) break;
        await new Promise((res) => setTimeout(res, 2000));
      }
      assert.deepEqual(a, b);
      const yaml = (a as { yaml: string }).yaml;
      assert.match(yaml, /kind: HelmRelease/);
      assert.match(yaml, /version: 9\.9\.9/);
      assert.doesNotMatch(yaml, /managedFields/);
    });
  });

  describe('every write verb: the same document from both, and the object really changes', () => {
    const TS = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g;
    /** The document with the times each front end wrote replaced (requestedAt, in steps and patches). */
    const timeless = (v: unknown) => JSON.parse(JSON.stringify(v).replace(TS, '<time>'));
    const getObj = async (kind: 'GitRepository' | 'Kustomization') =>
      (await kube.get(kind === 'Kustomization' ? KS : SRC, kind, NS, 'app'))!;
    /** The request was written and the controller handled exactly it. */
    const handled = (o: Obj, requestedAt: string) => {
      assert.equal(o.metadata.annotations?.['reconcile.fluxcd.io/requestedAt'], requestedAt, 'the annotation');
      assert.equal(o.status?.lastHandledReconcileAt, requestedAt, 'the controller handled the request');
    };
    type Doc = { outcome: string; ok: boolean; steps: { object: Obj; requestedAt?: string }[]; health?: Obj };

    it('reconcile ks --with-source: GitRepository then Kustomization, from the CLI and from MCP', async () => {
      const c = await cli(['reconcile', `ks/${NS}/app`, '--with-source', '--timeout', '90s']);
      assert.equal(c.code, 0, `${c.out}\n${c.err}`);
      const cd = JSON.parse(c.out) as Doc;
      assert.deepEqual(
        cd.steps.map((s) => s.object.kind),
        ['GitRepository', 'Kustomization'],
      );
      handled(await getObj('GitRepository'), cd.steps[0]!.requestedAt!);
      handled(await getObj('Kustomization'), cd.steps[1]!.requestedAt!);

      const seen: Progress[] = [];
      const m = (await tool('reconcile', { target: `ks/${NS}/app`, withSource: true, timeoutSeconds: 90 }, (p) =>
        seen.push(p),
      )) as unknown as Doc;
      assert.deepEqual(timeless(m), timeless(cd), 'the same document from both front ends');
      assert.deepEqual([m.outcome, m.ok, m.health?.state], ['reconciled', true, 'Ready']);
      // A new request, not the CLI's: both front ends really wrote.
      assert.notEqual(m.steps[1]!.requestedAt, cd.steps[1]!.requestedAt);
      handled(await getObj('GitRepository'), m.steps[0]!.requestedAt!);
      handled(await getObj('Kustomization'), m.steps[1]!.requestedAt!);

      // Progress while the tool waited, in order, with an increasing count.
      const msgs = seen.map((p) => p.message ?? '');
      const at = (s: string) => {
        const i = msgs.findIndex((x) => x.startsWith(s));
        assert.ok(i >= 0, `'${s}' in ${JSON.stringify(msgs)}`);
        return i;
      };
      const order = [
        at(`reconcile requested: GitRepository ${NS}/app (reconcile.fluxcd.io/requestedAt=${m.steps[0]!.requestedAt})`),
        at(`GitRepository ${NS}/app: done waiting`),
        at(`reconcile requested: Kustomization ${NS}/app (reconcile.fluxcd.io/requestedAt=${m.steps[1]!.requestedAt})`),
        at(`Kustomization ${NS}/app: done waiting`),
        at('reading the cluster for findings'),
        at('read the cluster'),
      ];
      assert.deepEqual(
        order,
        [...order].sort((x, y) => x - y),
        JSON.stringify(msgs),
      );
      assert.ok(msgs.some((x) => x.startsWith(`Kustomization ${NS}/app: `) && !x.endsWith('done waiting')));
      assert.deepEqual(
        seen.map((p) => p.progress),
        seen.map((_, i) => i + 1),
      );
    });

    it('suspend and resume: the CLI, then MCP, each really suspending and resuming the object', async () => {
      // The CLI.
      const cs = await cli(['suspend', `ks/${NS}/app`]);
      assert.equal(cs.code, 0, `${cs.out}\n${cs.err}`);
      const csd = JSON.parse(cs.out) as Doc;
      assert.equal((await getObj('Kustomization')).spec.suspend, true, 'the CLI suspended it');
      const cr = await cli(['resume', `ks/${NS}/app`, '--timeout', '90s']);
      assert.equal(cr.code, 0, `${cr.out}\n${cr.err}`);
      const crd = JSON.parse(cr.out) as Doc;
      let o = await getObj('Kustomization');
      assert.equal(o.spec.suspend, undefined, 'the CLI resumed it');
      handled(o, crd.steps[0]!.requestedAt!);

      // MCP.
      const ms = (await tool('suspend', { target: `ks/${NS}/app` })) as unknown as Doc;
      assert.equal((await getObj('Kustomization')).spec.suspend, true, 'the MCP tool suspended it');
      assert.deepEqual(timeless(ms), timeless(csd), 'suspend: the same document');
      assert.deepEqual([ms.outcome, ms.ok, ms.health?.suspended], ['suspended', true, true]);
      const seen: Progress[] = [];
      const mr = (await tool('resume', { target: `ks/${NS}/app`, timeoutSeconds: 90 }, (p) =>
        seen.push(p),
      )) as unknown as Doc;
      o = await getObj('Kustomization');
      assert.equal(o.spec.suspend, undefined, 'the MCP tool resumed it');
      handled(o, mr.steps[0]!.requestedAt!);
      assert.notEqual(mr.steps[0]!.requestedAt, crd.steps[0]!.requestedAt);
      assert.deepEqual(timeless(mr), timeless(crd), 'resume: the same document');
      assert.deepEqual([mr.outcome, mr.ok, mr.health?.state], ['reconciled', true, 'Ready']);
      const msgs = seen.map((p) => p.message);
      assert.equal(msgs[0], `resumed Kustomization ${NS}/app`, JSON.stringify(msgs));
      assert.ok(msgs.includes(`Kustomization ${NS}/app: done waiting`), JSON.stringify(msgs));
      assert.equal(msgs.at(-1), 'read the cluster');
    });
  });
});
