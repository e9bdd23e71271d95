// `fluxdoctor mcp` as a child process, talked to with the SDK's client over stdio (and Streamable HTTP).

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import yaml from 'js-yaml';
import { stringify } from 'yaml';
import { type Io, main } from '../src/cli/main.js';
import { obj, status } from './helpers.js';

const ENTRY = join(import.meta.dirname, 'mcp-entry.ts');
const SNAP = 'examples/multi-hop';
const READ_TOOLS = [
  'check',
  'diagnose',
  'events',
  'explain_code',
  'explain_field',
  'get_object',
  'get_resources',
  'image_why',
  'list_contexts',
  'logs',
  'search_docs',
  'stats',
  'trace',
  'tree',
];
const WRITE_TOOLS = ['reconcile', 'resume', 'suspend'];

async function connect(args: string[] = []): Promise<Client> {
  const client = new Client({ name: 'fluxdoctor-test', version: '0.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', ENTRY, 'mcp', ...args],
      cwd: join(import.meta.dirname, '..'),
      stderr: 'pipe',
    }),
  );
  return client;
}

async function cli(args: string[]): Promise<string> {
  let out = '';
  const io: Io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env: {} };
  await main(['node', 'fluxdoctor', ...args], io);
  return out;
}

const call = async (c: Client, name: string, args: Record<string, unknown>) =>
  (await c.callTool({ name, arguments: args })) as CallToolResult;
/** The `-o json` contract inside a diagnose result: findings (without the MCP totals) and counts. */
function contract(r: CallToolResult) {
  const d = r.structuredContent as {
    findings: Record<string, unknown>[];
    objects: unknown;
    selection?: unknown;
    partial?: boolean;
    problems?: unknown;
  };
  return {
    findings: d.findings.map(({ affectedTotal: _a, evidenceTotal: _e, ...f }) => f),
    objects: d.objects,
    ...(d.selection ? { selection: d.selection } : {}),
    ...(d.partial ? { partial: d.partial, problems: d.problems } : {}),
  };
}
const text = (r: CallToolResult) => r.content.map((x) => (x.type === 'text' ? x.text : '')).join('\n');

describe('fluxdoctor mcp over stdio (read-only)', () => {
  let client: Client;
  before(async () => {
    client = await connect();
  });
  after(async () => {
    await client?.close();
  });

  it('lists the read tools and no write tool', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    assert.deepEqual(names, READ_TOOLS);
    for (const t of tools) assert.ok((t.description ?? '').length > 40, `${t.name} has a description`);
    assert.equal(tools.find((t) => t.name === 'diagnose')?.annotations?.readOnlyHint, true);
  });

  it('diagnose returns the findings of `diagnose -o json`, with paging fields and affectedTotal', async () => {
    const r = await call(client, 'diagnose', { snapshot: SNAP });
    assert.ok(!r.isError, text(r));
    const expected = JSON.parse(await cli(['diagnose', '--snapshot', SNAP, '-o', 'json']));
    assert.ok(expected.findings.length > 0);
    assert.deepEqual(contract(r), expected);
    const d = r.structuredContent as { total: number; offset: number; truncated: boolean; nextOffset?: number };
    assert.deepEqual([d.total, d.offset, d.truncated, d.nextOffset], [expected.findings.length, 0, false, undefined]);
    assert.deepEqual(JSON.parse(text(r)), r.structuredContent, 'the text block is the result');
    assert.match(text(r), /source\.unreachable/);
  });

  it('diagnose filters and pages', async () => {
    const all = await call(client, 'diagnose', { snapshot: SNAP });
    const total = (all.structuredContent!.findings as unknown[]).length;
    assert.ok(total >= 2);
    const p = await call(client, 'diagnose', { snapshot: SNAP, limit: 1, offset: 1 });
    assert.equal((p.structuredContent!.findings as unknown[]).length, 1);
    assert.deepEqual(
      (p.structuredContent!.findings as unknown[])[0],
      (all.structuredContent!.findings as unknown[])[1],
    );
    assert.equal(p.structuredContent!.nextOffset, total > 2 ? 2 : undefined);
    const errors = await call(client, 'diagnose', { snapshot: SNAP, severity: 'error' });
    const expected = JSON.parse(await cli(['diagnose', '--snapshot', SNAP, '-o', 'json', '--severity', 'error']));
    assert.deepEqual(contract(errors), expected);
  });

  it('check on an API server that cannot be reached is a report with a failed check, as the CLI gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-mcp-unreach-'));
    const kc = join(dir, 'kubeconfig');
    writeFileSync(
      kc,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'gone', cluster: { server: 'https://127.0.0.1:1' } }],
        users: [{ name: 'u', user: { token: 'x' } }],
        contexts: [{ name: 'gone', context: { cluster: 'gone', user: 'u' } }],
        'current-context': 'gone',
      }),
    );
    const r = await call(client, 'check', { kubeconfig: kc });
    assert.notEqual(r.isError, true, text(r));
    const d = r.structuredContent as { ok: boolean; unreachable?: boolean; items: { status: string }[] };
    assert.equal(d.ok, false);
    assert.equal(d.unreachable, true);
    assert.ok(d.items.some((i) => i.status === 'fail'));
    const cliOut = JSON.parse(await cli(['check', '--kubeconfig', kc, '-o', 'json']));
    assert.deepEqual({ ...d, unreachable: undefined }, { ...cliOut, unreachable: undefined });
  });

  it('get_object returns one object as YAML: spec and status, no managedFields, no Secret value', async () => {
    const r = await call(client, 'get_object', { snapshot: SNAP, target: 'hr/flux-system/redis' });
    assert.ok(!r.isError, text(r));
    const d = r.structuredContent as {
      object: { kind: string; name: string };
      yaml: string;
      health: { state: string };
    };
    assert.deepEqual([d.object.kind, d.object.name], ['HelmRelease', 'redis']);
    const o = yaml.load(d.yaml) as { spec?: { chart?: unknown }; status?: { conditions?: unknown[] } };
    assert.ok(o.spec?.chart, 'spec is there');
    assert.ok((o.status?.conditions ?? []).length > 0, 'status is there');
    assert.doesNotMatch(d.yaml, /managedFields/);
    assert.deepEqual(JSON.parse(text(r)), r.structuredContent);
    const podinfo = await call(client, 'get_object', { snapshot: SNAP, target: 'hr/flux-system/redis', values: true });
    assert.ok(!podinfo.isError, text(podinfo));
    const missing = await call(client, 'get_object', { snapshot: SNAP, target: 'hr/nope' });
    assert.equal(missing.isError, true);
    assert.match(text(missing), /no HelmRelease named nope/);
  });

  it('a follow-up call reuses the read of the same input; fresh: true reads again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-mcp-cache-'));
    const file = join(dir, 'cluster.yaml');
    const gitrepo = (ready: boolean) =>
      stringify({
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: 'cached', namespace: 'flux-system', generation: 1 },
        spec: { url: 'https://example.com/repo.git', interval: '1m' },
        status: {
          observedGeneration: 1,
          conditions: [
            ready
              ? { type: 'Ready', status: 'True', reason: 'Succeeded', message: 'stored artifact' }
              : {
                  type: 'Ready',
                  status: 'False',
                  reason: 'GitOperationFailed',
                  message: 'failed to checkout and determine revision: unable to clone: authentication required',
                },
          ],
        },
      });
    writeFileSync(file, gitrepo(false));
    const first = await call(client, 'stats', { snapshot: file });
    writeFileSync(file, gitrepo(true));
    const cached = await call(client, 'stats', { snapshot: file });
    assert.deepEqual(cached.structuredContent, first.structuredContent, 'the second call answers from the first read');
    const fresh = await call(client, 'stats', { snapshot: file, fresh: true });
    const failing = (r: CallToolResult) => (r.structuredContent as { total: { failing: number } }).total.failing;
    assert.deepEqual([failing(first), failing(fresh)], [1, 0]);
  });

  it('get_resources matches `get -o json` and pages', async () => {
    const r = await call(client, 'get_resources', { snapshot: SNAP });
    const expected = JSON.parse(await cli(['get', '--snapshot', SNAP, '-o', 'summary']));
    assert.deepEqual(r.structuredContent!.items, expected.items);
    assert.equal(r.structuredContent!.truncated, false);
    const p = await call(client, 'get_resources', { snapshot: SNAP, limit: 2 });
    assert.equal((p.structuredContent!.items as unknown[]).length, 2);
    assert.equal(p.structuredContent!.truncated, true);
    assert.match(text(p), /offset=2/);
    const failing = await call(client, 'get_resources', { snapshot: SNAP, kind: 'ks', status: 'failing' });
    assert.deepEqual(
      (failing.structuredContent!.items as { name: string }[]).map((i) => i.name),
      ['infra'],
    );
  });

  it('tree and trace match the CLI', async () => {
    const t = await call(client, 'tree', { snapshot: SNAP, target: 'ks/flux-system' });
    assert.ok(!t.isError, text(t));
    assert.deepEqual(
      t.structuredContent,
      JSON.parse(await cli(['tree', 'ks/flux-system', '--snapshot', SNAP, '-o', 'json'])),
    );
    const tr = await call(client, 'trace', { snapshot: SNAP, target: 'hr/redis' });
    assert.ok(!tr.isError, text(tr));
    assert.deepEqual(
      tr.structuredContent,
      JSON.parse(await cli(['trace', 'hr/redis', '--snapshot', SNAP, '-o', 'json'])),
    );
    assert.deepEqual(JSON.parse(text(tr)), tr.structuredContent);
  });

  it('events, logs, stats and check answer on the snapshot', async () => {
    const e = await call(client, 'events', { snapshot: SNAP });
    assert.deepEqual(
      e.structuredContent!.groups,
      JSON.parse(await cli(['events', '--snapshot', SNAP, '-o', 'json'])).groups,
    );
    const l = await call(client, 'logs', { snapshot: SNAP, logs: [`${SNAP}/logs`] });
    assert.ok(!l.isError, text(l));
    assert.ok((l.structuredContent!.total as number) > 0);
    const s = await call(client, 'stats', { snapshot: SNAP });
    assert.deepEqual(s.structuredContent, JSON.parse(await cli(['stats', '--snapshot', SNAP, '-o', 'json'])));
    const c = await call(client, 'check', { snapshot: SNAP });
    assert.ok(!c.isError, text(c));
    assert.ok(Array.isArray(c.structuredContent!.items));
  });

  it('explain_code returns the document of `explain CODE -o json` and the page; an unknown code is an error', async () => {
    const r = await call(client, 'explain_code', { code: 'source.unreachable' });
    assert.equal(r.structuredContent!.code, 'source.unreachable');
    assert.match(text(r), /^# source\.unreachable/);
    assert.equal(text(r), await cli(['explain', 'source.unreachable']));
    // The same document as the CLI, for every code: structured result and `-o json` are equal.
    const codes = (await call(client, 'explain_code', {})).structuredContent!.codes as { code: string }[];
    assert.ok(codes.length > 20);
    for (const { code } of codes) {
      const one = await call(client, 'explain_code', { code });
      const doc = JSON.parse(await cli(['explain', code, '-o', 'json']));
      assert.ok(doc.sections.howToFix, `${code}: the CLI document has the fix`);
      assert.deepEqual(one.structuredContent, doc, `${code}: MCP explain_code equals explain -o json`);
    }
    const list = await call(client, 'explain_code', {});
    assert.ok((list.structuredContent!.codes as unknown[]).length > 20);
    const bad = await call(client, 'explain_code', { code: 'no.such-code' });
    assert.equal(bad.isError, true);
  });

  it('input errors are tool errors, not crashes', async () => {
    const r = await call(client, 'tree', { snapshot: SNAP, target: 'ks/nope' });
    assert.equal(r.isError, true);
    const s = await call(client, 'diagnose', { snapshot: '-' });
    assert.equal(s.isError, true);
    const m = await call(client, 'diagnose', { snapshot: '/nonexistent/path' });
    assert.equal(m.isError, true);
  });

  it('list_contexts reads a kubeconfig', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-mcp-kc-'));
    const kc = join(dir, 'config');
    writeFileSync(
      kc,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
        users: [{ name: 'u', user: { token: 'kc-token-value-123' } }],
        contexts: [
          { name: 'prod', context: { cluster: 'c', user: 'u' } },
          { name: 'staging', context: { cluster: 'c', user: 'u' } },
        ],
        'current-context': 'staging',
      }),
    );
    const r = await call(client, 'list_contexts', { kubeconfig: kc });
    assert.deepEqual(r.structuredContent, { contexts: ['prod', 'staging'], current: 'staging' });
    assert.ok(!JSON.stringify(r).includes('kc-token-value-123'));
  });

  it('calling a write tool fails without --allow-write', async () => {
    const r = await client.callTool({ name: 'reconcile', arguments: { target: 'ks/apps' } }).then(
      (x) => x as CallToolResult,
      (e: Error) => ({ isError: true, content: [{ type: 'text' as const, text: e.message }] }),
    );
    assert.equal(r.isError, true);
    assert.match(text(r), /reconcile/);
  });
});

describe('fluxdoctor mcp --allow-write', () => {
  it('registers reconcile, suspend and resume', async () => {
    const client = await connect(['--allow-write']);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name).sort();
      assert.deepEqual(names, [...READ_TOOLS, ...WRITE_TOOLS].sort());
      const r = (await client.listTools()).tools.find((t) => t.name === 'reconcile');
      assert.equal(r?.annotations?.readOnlyHint, false);
    } finally {
      await client.close();
    }
  });
});

describe('fluxdoctor mcp --http', () => {
  let child: ChildProcess;
  let url: string;
  const TOKEN = 'test-token-abc';
  before(async () => {
    child = spawn(
      process.execPath,
      // Path arguments over HTTP are read only under --snapshot-root (relative paths from the root).
      ['--import', 'tsx', ENTRY, 'mcp', '--http', '--listen', '127.0.0.1:0', '--token', TOKEN, '--snapshot-root', '.'],
      { cwd: join(import.meta.dirname, '..'), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    url = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(err);
        if (m) resolve(m[1]!);
      });
      child.once('exit', () => reject(new Error(`mcp --http exited: ${err}`)));
    });
  });
  after(() => {
    child?.kill();
  });

  it('answers tools over Streamable HTTP with the token', async () => {
    const client = new Client({ name: 'fluxdoctor-test', version: '0.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      }),
    );
    try {
      const names = (await client.listTools()).tools.map((t) => t.name).sort();
      assert.deepEqual(names, READ_TOOLS);
      const r = (await client.callTool({ name: 'diagnose', arguments: { snapshot: SNAP } })) as CallToolResult;
      assert.deepEqual(contract(r), JSON.parse(await cli(['diagnose', '--snapshot', SNAP, '-o', 'json'])));
    } finally {
      await client.close();
    }
  });

  it('refuses requests without the token', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(res.status, 401);
    const wrong = await fetch(url, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(wrong.status, 401);
  });

  it('a non-loopback address without a token is refused', async () => {
    const out = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const c = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'mcp', '--http', '--listen', '0.0.0.0:0'], {
        cwd: join(import.meta.dirname, '..'),
        env: { ...process.env, FLUXDOCTOR_MCP_TOKEN: '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      c.once('exit', (code) => resolve({ code, err }));
    });
    assert.equal(out.code, 2);
    assert.match(out.err, /--token/);
  });
});

// ---------- Secret values never appear in a tool result ----------

const VALUES = [
  's3cr3t-Passw0rd-XYZ',
  'ghp_TOKENVALUE1234567890',
  'AGE-SECRET-KEY-1QQQQQQQQQQ',
  'webhook-token-987654',
];
const b64 = (s: string) => Buffer.from(s).toString('base64');
const NEEDLES = [...VALUES, ...VALUES.map(b64)];
const secretWith = (name: string, values: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'Opaque',
  metadata: {
    name,
    namespace: 'flux-system',
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
        data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, b64(v)])),
      }),
    },
  },
  data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, b64(v)])),
  stringData: values,
});

describe('no Secret value in any MCP tool result', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-mcp-secrets-'));
  const path = join(dir, 'cluster.yaml');
  const items = [
    secretWith('git-creds', { username: 'git', password: VALUES[0]! }),
    secretWith('gh-token', { token: VALUES[1]! }),
    secretWith('sops-age', { 'age.agekey': VALUES[2]! }),
    secretWith('receiver-token', { token: VALUES[3]! }),
    obj('GitRepository', 'apps', {
      spec: { url: 'https://github.com/example/apps', secretRef: { name: 'git-creds' } },
      status: status(['False', 'AuthenticationFailed', 'authentication required']),
    }),
    obj('Kustomization', 'apps', {
      spec: {
        sourceRef: { kind: 'GitRepository', name: 'apps' },
        decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
      },
      status: status(['False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s']),
    }),
    obj('Receiver', 'github', {
      spec: {
        type: 'github',
        secretRef: { name: 'receiver-token' },
        resources: [{ kind: 'GitRepository', name: 'apps' }],
      },
      status: status(['True', 'Succeeded', 'Receiver initialized for path: /hook/abc']),
    }),
  ];
  writeFileSync(path, stringify({ apiVersion: 'v1', kind: 'List', items }));

  let client: Client;
  before(async () => {
    client = await connect(['--allow-write']);
  });
  after(async () => {
    await client?.close();
  });

  it('the test can fail: the needles are in the input', () => {
    const input = stringify(items);
    assert.ok(VALUES.every((v) => input.includes(v)));
  });

  const calls: [string, Record<string, unknown>][] = [
    ['diagnose', {}],
    ['get_resources', {}],
    ['tree', { target: 'ks/apps' }],
    ['trace', { target: 'secret/git-creds' }],
    ['trace', { target: 'gitrepo/apps' }],
    ['events', {}],
    ['logs', {}],
    ['check', {}],
    ['stats', {}],
  ];
  for (const [name, args] of calls) {
    it(`${name} ${JSON.stringify(args)}`, async () => {
      const r = await call(client, name, { snapshot: path, ...args });
      const out = JSON.stringify(r);
      assert.ok(out.length > 50);
      for (const n of NEEDLES)
        assert.ok(!out.includes(n), `${name} result contains a secret value (${n.slice(0, 4)}…)`);
    });
  }
});
