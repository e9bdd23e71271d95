// Issue 9: reconcile/suspend/resume were orchestrated twice (the CLI had --with-source and the
// findings after the write, MCP did not). Both now call the core verbs (src/core/verbs.ts). Against
// the fake API server, the CLI (`-o json`), the MCP tool over stdio and the core itself send the same
// PATCH requests in the same order and report the same outcome, health and findings; the MCP result
// validates against the tool's outputSchema (ajv) and carries the same JSON in its text block.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import AjvModule from 'ajv';
import { type Verb, type VerbResult, verbs } from '../../src/core/verbs.js';
import type { Report } from '../../src/diagnose/engine.js';
import { progressOf } from '../../src/mcp/tools/common.js';
import { verbDoc } from '../../src/render/verb.js';
import type { Finding, K8sObject } from '../../src/types.js';
import { type FakeApi, fakeApi, writes } from '../fake-api.js';
import { cond, obj, READY, status } from '../helpers.js';
import { runCli } from '../run-cli.js';

const GIT = '/apis/source.toolkit.fluxcd.io/v1';
const KS = '/apis/kustomize.toolkit.fluxcd.io/v1';
const HR = '/apis/helm.toolkit.fluxcd.io/v2';

// source-controller's message when Git rejects the credentials (gitCheckout wrapping fluxcd/pkg
// gogit clone.go; see test/rules/source-auth.test.ts).
const AUTH =
  "failed to checkout and determine revision: unable to clone 'https://github.com/org/private': authentication required";

const cluster = (): K8sObject[] =>
  [
    // interval 10s: advice.short-interval about the GitRepository, from the read after the write.
    obj('GitRepository', 'flux-system/repo', {
      spec: { interval: '10s', url: 'https://github.com/org/private', ref: { branch: 'main' } },
      status: READY("stored artifact for revision 'main@sha1:0123456789abcdef'"),
    }),
    obj('Kustomization', 'flux-system/apps', {
      spec: { interval: '10m', sourceRef: { kind: 'GitRepository', name: 'repo' }, path: './apps', prune: true },
      status: READY(),
    }),
    obj('Kustomization', 'team-a/paused', { spec: { interval: '10m', suspend: true }, status: READY() }),
    obj('HelmRepository', 'flux-system/charts', {
      spec: { interval: '1h', url: 'https://charts.example.com' },
      status: READY(),
    }),
    obj('HelmChart', 'flux-system/apps-podinfo', {
      spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'charts' }, interval: '1h' },
      status: READY(),
    }),
    obj('HelmRelease', 'apps/podinfo', {
      spec: {
        interval: '10m',
        chart: {
          spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' } },
        },
      },
      status: READY(),
    }),
  ].map((o) => {
    o.metadata.resourceVersion = '1';
    o.metadata.generation = 1;
    return o;
  });

/** The GitRepository fails authentication when it is reconciled. */
const failGit = (o: K8sObject) => {
  if (o.kind !== 'GitRepository') return;
  o.status = {
    ...o.status,
    ...status(['False', 'GitOperationFailed', AUTH], [cond('FetchFailed', 'True', 'GitOperationFailed', AUTH)]),
    lastHandledReconcileAt: o.status?.lastHandledReconcileAt,
  };
};

const cli = (args: string[]) => runCli([...args]);

const TS = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g;
/** The requests that write, with their bodies, timestamps replaced (each front end writes its own time). */
const sent = (fake: FakeApi) => writes(fake).map((r) => `${r.method} ${r.path} ${r.body.replace(TS, '<time>')}`);
/** A result with its timestamps replaced. */
const timeless = (v: unknown) => JSON.parse(JSON.stringify(v).replace(TS, '<time>'));

const Ajv = AjvModule.default;
const ajv = new Ajv({ allErrors: true, strict: false });

describe('write verbs: the CLI, the MCP tools and the core do the same thing', () => {
  let fake: FakeApi;
  let client: Client;
  let tools: Tool[];
  before(async () => {
    fake = await fakeApi();
    client = new Client({ name: 'fluxdoctor-test', version: '0.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ['--import', 'tsx', join(import.meta.dirname, '..', 'mcp-entry.ts'), 'mcp', '--allow-write'],
        cwd: join(import.meta.dirname, '..', '..'),
        stderr: 'pipe',
      }),
    );
    tools = (await client.listTools()).tools;
  });
  after(async () => {
    await client?.close();
    fake.close();
  });
  beforeEach(() => {
    fake.objects = cluster();
    fake.requests = [];
    fake.handled = undefined;
  });
  const text = (r: CallToolResult) => r.content.map((x) => (x.type === 'text' ? x.text : '')).join('\n');

  /** One MCP call: valid against its outputSchema, the same JSON in the text block. */
  async function mcp(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const r = (await client.callTool({
      name,
      arguments: { kubeconfig: fake.kubeconfig, ...args },
    })) as CallToolResult;
    assert.notEqual(r.isError, true, text(r));
    const t = tools.find((x) => x.name === name)!;
    const validate = ajv.compile(t.outputSchema!);
    assert.ok(validate(r.structuredContent), `${name}: ${ajv.errorsText(validate.errors)}`);
    assert.deepEqual(JSON.parse(text(r)), r.structuredContent, 'the text block carries the result');
    return r.structuredContent as Record<string, unknown>;
  }

  interface Case {
    name: string;
    cli: string[];
    tool: [string, Record<string, unknown>];
    core: [Verb, string, Record<string, unknown>];
    setup?: () => void;
    patches: string[];
    expect: { outcome: string; ok: boolean; state: string; code: number; fresh: boolean; codes?: string[] };
  }
  const cases: Case[] = [
    {
      name: 'reconcile ks/apps --with-source: the GitRepository, then the Kustomization',
      cli: ['reconcile', 'ks/apps', '-n', 'flux-system', '--with-source', '--timeout', '10s'],
      tool: ['reconcile', { target: 'ks/apps', namespace: 'flux-system', withSource: true, timeoutSeconds: 10 }],
      core: ['reconcile', 'ks/apps', { namespace: 'flux-system', withSource: true, timeout: 10_000 }],
      patches: [
        `PATCH ${GIT}/namespaces/flux-system/gitrepositories/repo`,
        `PATCH ${KS}/namespaces/flux-system/kustomizations/apps`,
      ],
      expect: { outcome: 'reconciled', ok: true, state: 'Ready', code: 0, fresh: true },
    },
    {
      name: 'reconcile hr/apps/podinfo --with-source: HelmRepository, HelmChart, HelmRelease',
      cli: ['reconcile', 'hr/apps/podinfo', '--with-source', '--timeout', '10s'],
      tool: ['reconcile', { target: 'hr/apps/podinfo', withSource: true, timeoutSeconds: 10 }],
      core: ['reconcile', 'hr/apps/podinfo', { withSource: true, timeout: 10_000 }],
      patches: [
        `PATCH /apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/helmrepositories/charts`,
        `PATCH /apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/helmcharts/apps-podinfo`,
        `PATCH ${HR}/namespaces/apps/helmreleases/podinfo`,
      ],
      expect: { outcome: 'reconciled', ok: true, state: 'Ready', code: 0, fresh: true },
    },
    {
      name: 'reconcile --with-source whose source fails: the Kustomization is not patched, the source is reported',
      setup: () => {
        fake.handled = failGit;
      },
      cli: ['reconcile', 'ks/flux-system/apps', '--with-source', '--timeout', '10s'],
      tool: ['reconcile', { target: 'ks/flux-system/apps', withSource: true, timeoutSeconds: 10 }],
      core: ['reconcile', 'ks/flux-system/apps', { withSource: true, timeout: 10_000 }],
      patches: [`PATCH ${GIT}/namespaces/flux-system/gitrepositories/repo`],
      expect: { outcome: 'source-not-ready', ok: false, state: 'Failed', code: 1, fresh: true, codes: ['source.auth'] },
    },
    {
      name: 'reconcile gitrepo/repo: the findings about it from the read after the write',
      cli: ['reconcile', 'gitrepo/flux-system/repo', '--timeout', '10s'],
      tool: ['reconcile', { target: 'gitrepo/flux-system/repo', timeoutSeconds: 10 }],
      core: ['reconcile', 'gitrepo/flux-system/repo', { timeout: 10_000 }],
      patches: [`PATCH ${GIT}/namespaces/flux-system/gitrepositories/repo`],
      expect: {
        outcome: 'reconciled',
        ok: true,
        state: 'Ready',
        code: 0,
        fresh: true,
        codes: ['advice.short-interval'],
      },
    },
    {
      name: 'suspend ks/flux-system/apps',
      cli: ['suspend', 'ks/flux-system/apps'],
      tool: ['suspend', { target: 'ks/flux-system/apps' }],
      core: ['suspend', 'ks/flux-system/apps', {}],
      patches: [`PATCH ${KS}/namespaces/flux-system/kustomizations/apps`],
      expect: { outcome: 'suspended', ok: true, state: 'Suspended', code: 0, fresh: false },
    },
    {
      name: 'resume ks/paused (found in its one namespace), waited for',
      cli: ['resume', 'ks', 'paused', '--timeout', '10s'],
      tool: ['resume', { target: 'ks/paused', timeoutSeconds: 10 }],
      core: ['resume', 'ks/paused', { timeout: 10_000 }],
      patches: [`PATCH ${KS}/namespaces/team-a/kustomizations/paused`],
      expect: { outcome: 'reconciled', ok: true, state: 'Ready', code: 0, fresh: true },
    },
    {
      name: 'resume --no-wait',
      cli: ['resume', 'ks/team-a/paused', '--no-wait'],
      tool: ['resume', { target: 'ks/team-a/paused', wait: false }],
      core: ['resume', 'ks/team-a/paused', { wait: false }],
      patches: [`PATCH ${KS}/namespaces/team-a/kustomizations/paused`],
      expect: { outcome: 'resumed', ok: true, state: 'Ready', code: 0, fresh: false },
    },
  ];

  for (const c of cases)
    it(c.name, async () => {
      c.setup?.();
      const r = await cli([...c.cli, '-o', 'json', '--kubeconfig', fake.kubeconfig]);
      assert.equal(r.code, c.expect.code, r.err + r.out);
      const cliDoc = JSON.parse(r.out);
      const cliSent = sent(fake);
      assert.deepEqual(
        cliSent.map((s) => s.split(' ').slice(0, 2).join(' ')),
        c.patches,
      );

      fake.objects = cluster();
      fake.requests = [];
      const tool = await mcp(...c.tool);
      assert.deepEqual(
        sent(fake),
        cliSent,
        'the MCP tool sends the same PATCHes, in the same order, with the same bodies',
      );

      fake.objects = cluster();
      fake.requests = [];
      const [verb, target, opts] = c.core;
      const core: VerbResult = await verbs[verb](target, { kubeconfig: fake.kubeconfig, pollMs: 20, ...opts });
      assert.deepEqual(sent(fake), cliSent, 'the core sends the same PATCHes');

      // The same result from every front end.
      assert.deepEqual(timeless(tool), timeless(cliDoc));
      assert.deepEqual(timeless(verbDoc(core)), timeless(cliDoc));

      assert.equal(tool.outcome, c.expect.outcome);
      assert.equal(tool.ok, c.expect.ok);
      assert.equal((tool.health as { state?: string } | undefined)?.state, c.expect.state);
      assert.equal((tool.steps as unknown[]).length, c.patches.length, 'one step per object patched');
      const codes = ((tool.findings as { code: string }[] | undefined) ?? []).map((f) => f.code);
      for (const code of c.expect.codes ?? []) assert.ok(codes.includes(code), `${code} in ${codes.join(',')}`);
      if (!c.expect.fresh) assert.equal(tool.findings, undefined, 'no fresh read, no findings');
      else assert.equal(tool.findingsTotal, codes.length);
    });

  it('the source-not-ready result names the source, its error finding and the remediation', async () => {
    fake.handled = failGit;
    const d = await mcp('reconcile', { target: 'ks/flux-system/apps', withSource: true, timeoutSeconds: 10 });
    assert.deepEqual(d.reported, { kind: 'GitRepository', namespace: 'flux-system', name: 'repo' });
    assert.match(
      d.summary as string,
      /Kustomization flux-system\/apps was not reconciled: its source GitRepository flux-system\/repo did not become ready: Failed \(GitOperationFailed\): .*authentication required/,
    );
    const f = (d.findings as { code: string; severity: string; remediation?: string[] }[]).find(
      (x) => x.code === 'source.auth',
    );
    assert.equal(f?.severity, 'error');
    assert.ok((f?.remediation ?? []).length > 0);
  });

  it('refusals are the same error on both: a suspended object, --force on a Kustomization; nothing written', async () => {
    const a = await cli(['reconcile', 'ks/team-a/paused', '--kubeconfig', fake.kubeconfig]);
    assert.equal(a.code, 2);
    const t = (await client.callTool({
      name: 'reconcile',
      arguments: { target: 'ks/team-a/paused', kubeconfig: fake.kubeconfig },
    })) as CallToolResult;
    assert.equal(t.isError, true);
    assert.match(a.err, /is suspended: resume it first/);
    assert.match(text(t), /is suspended: resume it first/);
    const f = (await client.callTool({
      name: 'reconcile',
      arguments: { target: 'ks/flux-system/apps', force: true, kubeconfig: fake.kubeconfig },
    })) as CallToolResult;
    assert.equal(f.isError, true);
    assert.match(text(f), /are for HelmReleases/);
    assert.deepEqual(writes(fake), []);
  });

  it('with a progress token, reconcile and resume send notifications/progress as the core verb goes', async () => {
    type P = { progress: number; total?: number; message?: string };
    const seen: P[] = [];
    const r = (await client.callTool(
      {
        name: 'reconcile',
        arguments: { target: 'ks/flux-system/apps', withSource: true, timeoutSeconds: 10, kubeconfig: fake.kubeconfig },
      },
      undefined,
      { onprogress: (p) => seen.push(p) },
    )) as CallToolResult;
    assert.notEqual(r.isError, true, text(r));
    const messages = seen.map((p) => p.message);
    // In order: the source, then the Kustomization, each requested and waited for; then the fresh read.
    const at = (re: RegExp) => {
      const i = messages.findIndex((m) => re.test(m ?? ''));
      assert.ok(i >= 0, `${re} in ${JSON.stringify(messages)}`);
      return i;
    };
    const order = [
      at(/^reconcile requested: GitRepository flux-system\/repo \(reconcile\.fluxcd\.io\/requestedAt=\d{4}-/),
      at(/^GitRepository flux-system\/repo: done waiting$/),
      at(/^reconcile requested: Kustomization flux-system\/apps /),
      at(/^Kustomization flux-system\/apps: done waiting$/),
      at(/^reading the cluster for findings$/),
      at(/^read the cluster$/),
    ];
    // The last notification is the read after the write, and it arrived before the result (the
    // server waits for the client's answer to a ping after it: src/mcp/tools/common.ts progressOf).
    assert.equal(messages.at(-1), 'read the cluster', JSON.stringify(messages));
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
      JSON.stringify(messages),
    );
    // progress increases with every notification (the spec requires it).
    assert.deepEqual(
      seen.map((p) => p.progress),
      seen.map((_, i) => i + 1),
    );

    fake.objects = cluster();
    const resumed: P[] = [];
    const rr = (await client.callTool(
      { name: 'resume', arguments: { target: 'ks/team-a/paused', timeoutSeconds: 10, kubeconfig: fake.kubeconfig } },
      undefined,
      { onprogress: (p) => resumed.push(p) },
    )) as CallToolResult;
    assert.notEqual(rr.isError, true, text(rr));
    assert.deepEqual(
      resumed.map((p) => p.message).filter((m) => !/: (waiting|reconciling|ready)/.test(m ?? '')),
      [
        'resumed Kustomization team-a/paused',
        'Kustomization team-a/paused: done waiting',
        'reading the cluster for findings',
        'read the cluster',
      ],
    );
  });

  it('every progress notification, the last one too, reaches the client before the result (20 calls)', async () => {
    // The SDK client drops a notification that it handles after the result of its request (its
    // handler runs a microtask after the read, the response at once): it reports it to onerror as
    // "Received a progress notification for an unknown token". Without the ping barrier in
    // progressOf the last notification was lost in some of these calls.
    const errors: string[] = [];
    const prev = client.onerror;
    client.onerror = (e) => errors.push(e.message);
    try {
      for (let i = 0; i < 20; i++) {
        fake.objects = cluster();
        const seen: string[] = [];
        let done = false;
        const r = (await client.callTool(
          {
            name: 'reconcile',
            arguments: { target: 'ks/flux-system/apps', timeoutSeconds: 10, kubeconfig: fake.kubeconfig },
          },
          undefined,
          {
            onprogress: (p) => {
              assert.equal(done, false, `call ${i}: a notification after the result`);
              seen.push(p.message ?? '');
            },
          },
        )) as CallToolResult;
        done = true;
        assert.notEqual(r.isError, true, text(r));
        const stages = seen.filter((m) => !/: (waiting|reconciling|ready)/.test(m));
        assert.deepEqual(
          stages.map((m) => m.replace(/requestedAt=\S+\)$/, 'requestedAt=<time>)')),
          [
            'reconcile requested: Kustomization flux-system/apps (reconcile.fluxcd.io/requestedAt=<time>)',
            'Kustomization flux-system/apps: done waiting',
            'reading the cluster for findings',
            'read the cluster',
          ],
          `call ${i}: ${JSON.stringify(seen)}`,
        );
      }
      // A notification handled after its result would show here (and be missing above).
      await new Promise((res) => setTimeout(res, 100));
      assert.deepEqual(errors, []);
    } finally {
      client.onerror = prev;
    }
  });

  it('without a progress token no notification is sent; with one, each has the token and a higher count', async () => {
    const sentN: { method: string; params: Record<string, unknown> }[] = [];
    const sendNotification = async (n: { method: string; params: Record<string, unknown> }) => {
      sentN.push(n);
    };
    assert.equal(progressOf({ sendNotification }).progress, undefined);
    assert.equal(progressOf({ _meta: {}, sendNotification }).progress, undefined);
    const { progress, flush } = progressOf({ _meta: { progressToken: 7 }, sendNotification });
    progress!('one');
    progress!('two \u001b[31mred\u001b[0m');
    await flush();
    assert.deepEqual(sentN, [
      { method: 'notifications/progress', params: { progressToken: 7, progress: 1, message: 'one' } },
      { method: 'notifications/progress', params: { progressToken: 7, progress: 2, message: 'two red' } },
    ]);
    // flush: after the last notification, a ping the client answers; none without a notification or
    // with barrier: false (stateless HTTP); a client that never answers does not hold the result.
    const order: string[] = [];
    const extra = (pong: boolean) => ({
      _meta: { progressToken: 1 },
      sendNotification: async (n: { params: Record<string, unknown> }) => {
        await new Promise((res) => setTimeout(res, 5));
        order.push(`progress ${String(n.params.message)}`);
      },
      sendRequest: (r: { method: string }, _s: unknown, o?: { timeout?: number }) => {
        order.push(`${r.method} ${o?.timeout}`);
        return pong ? Promise.resolve({}) : new Promise((_, no) => setTimeout(() => no(new Error('timeout')), 10));
      },
    });
    const a = progressOf(extra(true), { barrierMs: 1234 });
    await a.flush();
    assert.deepEqual(order, [], 'no ping without a notification');
    a.progress!('one');
    a.progress!('two');
    await a.flush();
    assert.deepEqual(order, ['progress one', 'progress two', 'ping 1234']);
    order.length = 0;
    const h = progressOf(extra(true), { barrier: false });
    h.progress!('x');
    await h.flush();
    assert.deepEqual(order, ['progress x']);
    order.length = 0;
    const silent = progressOf(extra(false));
    silent.progress!('y');
    await silent.flush();
    assert.deepEqual(order, ['progress y', 'ping 5000']);
    // A client that went away does not fail the write.
    const gone = progressOf({
      _meta: { progressToken: 'x' },
      sendNotification: () => Promise.reject(new Error('closed')),
    });
    gone.progress!('x');
    await gone.flush();
  });

  it('a write clears the read cache: diagnose after suspend sees the suspension', async () => {
    const before = (await mcp('get_resources', { kind: 'ks', namespace: 'flux-system' })) as Record<string, unknown>;
    assert.doesNotMatch(JSON.stringify(before), /Suspended/);
    await mcp('suspend', { target: 'ks/flux-system/apps' });
    const after = await mcp('get_resources', { kind: 'ks', namespace: 'flux-system' });
    assert.match(JSON.stringify(after), /Suspended/);
  });
});

describe('verbDoc bounds a result like diagnose', () => {
  const ref = (i: number) => ({ kind: 'Kustomization', namespace: 'flux-system', name: `app-${i}` });
  const finding = (i: number, affected: number): Finding => ({
    code: 'source.auth',
    severity: 'error',
    rootCause: { kind: 'GitRepository', namespace: 'flux-system', name: `repo-${i}` },
    affected: Array.from({ length: affected }, (_, j) => ref(j)),
    summary: `repo-${i}: ${AUTH}`,
    evidence: Array.from({ length: affected }, (_, j) => ({ kind: 'condition', object: `app-${j}`, text: AUTH })),
    remediation: ['Check the credentials.'],
  });
  const result = (findings: Finding[]): VerbResult => ({
    verb: 'reconcile',
    target: ref(0),
    steps: [],
    outcome: 'reconciled',
    reported: ref(0),
    health: { state: 'Failed', reason: 'x', stalled: false, stale: false, suspended: false },
    report: {
      findings,
      objects: { total: 1, ready: 0, failing: 1, suspended: 0, waiting: 0, progressing: 0, unknown: 0 },
      problems: [],
      partial: false,
    } as unknown as Report,
    ok: false,
  });

  it('caps affected and evidence at max with their totals; unbounded by default', () => {
    const d = verbDoc(result([finding(0, 30)]), { max: 20 });
    assert.equal(d.findings![0]!.affected!.length, 20);
    assert.equal(d.findings![0]!.affectedTotal, 30);
    assert.equal(d.findings![0]!.evidence!.length, 20);
    assert.equal(d.findings![0]!.evidenceTotal, 30);
    const whole = verbDoc(result([finding(0, 30)]));
    assert.equal(whole.findings![0]!.affected!.length, 30);
    assert.equal(whole.findings![0]!.evidenceTotal, undefined);
  });

  it('leaves findings out to stay within the byte budget, saying how many, keeping at least one', () => {
    const many = Array.from({ length: 40 }, (_, i) => finding(i, 3));
    const d = verbDoc(result(many), { max: 20, budgetBytes: 5000 });
    assert.ok(Buffer.byteLength(JSON.stringify(d)) <= 5000, `${Buffer.byteLength(JSON.stringify(d))} bytes`);
    assert.ok(d.findings!.length > 0 && d.findings!.length < 40);
    assert.equal(d.findingsTotal, 40);
    assert.equal(d.truncated, true);
    assert.match(d.note!, new RegExp(`${40 - d.findings!.length} of 40 findings left out`));
    const tiny = verbDoc(result(many), { budgetBytes: 10 });
    assert.equal(tiny.findings!.length, 1, 'at least one finding');
  });
});
