// MCP hardening (issue 8): the real `fluxdoctor mcp --http` process, driven over HTTP.
// - Origin: refused unless allow-listed (--allow-origin), absent is fine; Host: a loopback bind
//   answers only to loopback names (DNS rebinding).
// - Path arguments (snapshot, logs, kubeconfig): refused over HTTP without --snapshot-root; under it,
//   only paths that resolve under the root (no `../`, no symlink out, also inside a directory).
// - A file full of a secret-looking marker, given as kubeconfig or snapshot, never comes back.
// - `check` sends no request to a loopback artifact URL the cluster reports.

import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { stringify } from 'yaml';
import { type Io, main } from '../src/cli/main.js';
import { obj, READY } from './helpers.js';

const CWD = join(import.meta.dirname, '..');
const ENTRY = join(import.meta.dirname, 'mcp-entry.ts');
const SNAP = join(CWD, 'examples/multi-hop');

interface Running {
  child: ChildProcess;
  url: string;
  port: number;
}

const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill();
});

async function start(args: string[]): Promise<Running> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', ENTRY, 'mcp', '--http', '--listen', '127.0.0.1:0', ...args],
    {
      cwd: CWD,
      env: { ...process.env, FLUXDOCTOR_MCP_TOKEN: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(`mcp --http exited: ${err}`)));
  });
  return { child, url, port: Number(new URL(url).port) };
}

async function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'fluxdoctor-hardening-test', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

/** A raw POST with full control of the headers (fetch does not let a test set Host). */
function post(
  url: string,
  headers: Record<string, string>,
  body: unknown = { jsonrpc: '2.0', id: 1, method: 'tools/list' },
  method = 'POST',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const r = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
      },
      (res) => {
        let b = '';
        res.on('data', (c) => (b += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b }));
      },
    );
    r.on('error', reject);
    r.end(method === 'POST' ? JSON.stringify(body) : undefined);
  });
}

const call = async (c: Client, name: string, args: Record<string, unknown>) =>
  (await c.callTool({ name, arguments: args })) as CallToolResult;
const text = (r: CallToolResult) => r.content.map((x) => (x.type === 'text' ? x.text : '')).join('\n');
const jsonRpcError = (body: string) => (JSON.parse(body) as { error: { code: number; message: string } }).error;

describe('mcp --http: Origin and Host', () => {
  let open: Running;
  let allow: Running;
  before(async () => {
    [open, allow] = await Promise.all([start([]), start(['--allow-origin', 'http://App.example:8080/'])]);
  });

  it('requests without an Origin header are served', async () => {
    const r = await post(open.url, { host: `127.0.0.1:${open.port}` });
    assert.equal(r.status, 200, r.body);
    assert.match(r.body, /"diagnose"/);
  });

  it('a request with an Origin is refused by default (403, JSON-RPC error)', async () => {
    for (const origin of ['http://localhost:6274', 'https://evil.example', 'null', `http://127.0.0.1:${open.port}`]) {
      const r = await post(open.url, { origin });
      assert.equal(r.status, 403, `${origin}: ${r.body}`);
      const e = jsonRpcError(r.body);
      assert.equal(e.code, -32000);
      assert.match(e.message, /forbidden origin/);
      assert.doesNotMatch(r.body, /"diagnose"/);
    }
  });

  it('an allow-listed Origin is served (normalised), with CORS headers and a preflight; others are refused', async () => {
    const ok = await post(allow.url, { origin: 'http://app.example:8080' });
    assert.equal(ok.status, 200, ok.body);
    assert.match(ok.body, /"diagnose"/);
    assert.equal(ok.headers['access-control-allow-origin'], 'http://app.example:8080');
    const pre = await post(allow.url, { origin: 'http://app.example:8080' }, undefined, 'OPTIONS');
    assert.equal(pre.status, 204);
    assert.match(String(pre.headers['access-control-allow-headers']), /authorization/);
    for (const origin of ['http://app.example', 'https://app.example:8080', 'http://app.example:8080.evil.example']) {
      const r = await post(allow.url, { origin });
      assert.equal(r.status, 403, origin);
    }
    const preEvil = await post(allow.url, { origin: 'https://evil.example' }, undefined, 'OPTIONS');
    assert.equal(preEvil.status, 403);
  });

  it('the SDK client (no Origin) still works', async () => {
    const c = await connect(open.url);
    try {
      assert.ok((await c.listTools()).tools.length > 5);
    } finally {
      await c.close();
    }
  });

  it('a Host that is not a loopback name is refused on a loopback bind (DNS rebinding)', async () => {
    for (const host of [`evil.example:${open.port}`, 'rebind.attacker.test', `127.0.0.1.nip.io:${open.port}`]) {
      const r = await post(open.url, { host });
      assert.equal(r.status, 403, `${host}: ${r.body}`);
      assert.match(jsonRpcError(r.body).message, /forbidden host/);
    }
    for (const host of [`localhost:${open.port}`, `127.0.0.1:${open.port}`, 'localhost']) {
      const r = await post(open.url, { host });
      assert.equal(r.status, 200, `${host}: ${r.body}`);
    }
  });

  it('the Host check holds with a token too, and comes before it', async () => {
    const t = await start(['--token', 'tok-123']);
    const r = await post(t.url, { host: 'evil.example', authorization: 'Bearer tok-123' });
    assert.equal(r.status, 403);
    const ok = await post(t.url, { host: `localhost:${t.port}`, authorization: 'Bearer tok-123' });
    assert.equal(ok.status, 200, ok.body);
    const noToken = await post(t.url, {});
    assert.equal(noToken.status, 401);
  });

  it('an --allow-origin that is not an origin stops the server at start', async () => {
    const out = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const c = spawn(
        process.execPath,
        ['--import', 'tsx', ENTRY, 'mcp', '--http', '--allow-origin', 'https://a.example/path'],
        {
          cwd: CWD,
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let err = '';
      c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      c.once('exit', (code) => resolve({ code, err }));
    });
    assert.equal(out.code, 2);
    assert.match(out.err, /--allow-origin .* is not an origin/);
  });
});

// ---------- path arguments ----------

const base = realpathSync(mkdtempSync(join(tmpdir(), 'fd-mcp-hard-')));
const root = join(base, 'root');
const outside = join(base, 'outside');
mkdirSync(root);
mkdirSync(outside);
cpSync(SNAP, join(root, 'multi-hop'), { recursive: true });
// A valid snapshot outside the root: reading it through any door would succeed, so a refusal is the policy.
const outsideSnap = join(outside, 'cluster.yaml');
writeFileSync(
  outsideSnap,
  stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      obj('Kustomization', 'flux-system/outside-only', {
        spec: { sourceRef: { kind: 'GitRepository', name: 'x' } },
        status: READY(),
      }),
    ],
  }),
);
symlinkSync(outsideSnap, join(root, 'link-out.yaml'));
symlinkSync(join(root, 'multi-hop'), join(root, 'link-in'));
mkdirSync(join(root, 'dir-with-escape'));
cpSync(SNAP, join(root, 'dir-with-escape', 'snap'), { recursive: true });
symlinkSync(outside, join(root, 'dir-with-escape', 'snap', 'sneaky'));

describe('mcp --http: path arguments', () => {
  let none: Client;
  let rooted: Client;
  before(async () => {
    const [a, b] = await Promise.all([start([]), start(['--snapshot-root', root])]);
    none = await connect(a.url);
    rooted = await connect(b.url);
  });
  after(async () => {
    await none?.close();
    await rooted?.close();
  });

  it('without --snapshot-root every path argument of every tool is refused, naming the argument', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['diagnose', { snapshot: SNAP }, 'snapshot'],
      ['get_resources', { snapshot: [SNAP] }, 'snapshot'],
      ['logs', { logs: [SNAP] }, 'logs'],
      ['stats', { kubeconfig: '/etc/hostname' }, 'kubeconfig'],
      ['list_contexts', { kubeconfig: '/etc/hostname' }, 'kubeconfig'],
      ['explain_field', { path: 'HelmRelease.spec', kubeconfig: '/etc/hostname' }, 'kubeconfig'],
    ];
    for (const [tool, args, arg] of cases) {
      const r = await call(none, tool, args);
      assert.equal(r.isError, true, `${tool}: ${text(r)}`);
      assert.match(text(r), new RegExp(`^${arg}: file paths are not accepted over HTTP.*--snapshot-root`), tool);
    }
    // Tools without path arguments are unaffected.
    const e = await call(none, 'explain_code', { code: 'source.auth' });
    assert.ok(!e.isError, text(e));
  });

  it('under --snapshot-root, a relative or absolute path inside the root is read', async () => {
    const expected = JSON.parse(await cli(['diagnose', '--snapshot', SNAP, '-o', 'json']));
    for (const snapshot of ['multi-hop', join(root, 'multi-hop'), 'link-in', 'multi-hop/../multi-hop']) {
      const r = await call(rooted, 'diagnose', { snapshot });
      assert.ok(!r.isError, `${snapshot}: ${text(r)}`);
      assert.deepEqual(
        (r.structuredContent!.findings as { code: string }[]).map((f) => f.code),
        (expected.findings as { code: string }[]).map((f) => f.code),
        snapshot,
      );
    }
  });

  it('refuses ../ escapes and absolute paths outside the root without touching them', async () => {
    for (const snapshot of ['../outside/cluster.yaml', 'multi-hop/../../outside', outsideSnap, '/etc', '/']) {
      const r = await call(rooted, 'diagnose', { snapshot });
      assert.equal(r.isError, true, snapshot);
      assert.match(text(r), /^snapshot: .* is outside --snapshot-root/, snapshot);
      assert.doesNotMatch(JSON.stringify(r), /outside-only/);
    }
    const l = await call(rooted, 'diagnose', { snapshot: 'multi-hop', logs: ['../outside'] });
    assert.match(text(l), /^logs: .* is outside --snapshot-root/);
  });

  it('refuses a symlink that leads out of the root, also one inside a directory', async () => {
    const r = await call(rooted, 'get_resources', { snapshot: 'link-out.yaml' });
    assert.equal(r.isError, true);
    assert.match(text(r), /^snapshot: 'link-out\.yaml' leads outside --snapshot-root/);
    const d = await call(rooted, 'get_resources', { snapshot: 'dir-with-escape' });
    assert.equal(d.isError, true);
    assert.match(text(d), /contains a symlink that leads outside --snapshot-root \(dir-with-escape\/snap\/sneaky\)/);
    for (const x of [r, d]) assert.doesNotMatch(JSON.stringify(x), /outside-only/);
  });

  it('refuses a FIFO under the root at once (the server would block on it)', async () => {
    const fifo = join(root, 'pipe.yaml');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo on this system
    }
    const t0 = Date.now();
    const r = await call(rooted, 'diagnose', { snapshot: 'pipe.yaml' });
    assert.equal(r.isError, true);
    assert.match(text(r), /is a FIFO, not a regular file/);
    assert.ok(Date.now() - t0 < 5000);
  });

  it('a missing path says so without reading anything', async () => {
    const r = await call(rooted, 'diagnose', { snapshot: 'nope.yaml' });
    assert.match(text(r), /^snapshot: 'nope\.yaml' does not exist/);
  });
});

// ---------- file content never echoed ----------

const MARKER = 'mk7Q9Zsecret';
const leakDir = join(root, 'leak');
mkdirSync(leakDir);
// A copy of /proc/self/environ (NUL-separated), a YAML file with an error next to the marker, and
// JSON whose parse error quotes the text around the failure.
writeFileSync(join(leakDir, 'environ'), `HOME=/root\0FLUX_TOKEN=${MARKER}\0PATH=/usr/bin\0API_KEY=${MARKER}\0`);
writeFileSync(
  join(leakDir, 'broken.yaml'),
  `apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: ${MARKER}\n    x: [${MARKER}\n`,
);
writeFileSync(join(leakDir, 'broken.json'), `{"kind":"List","items":[], "x": ${MARKER}}`);
writeFileSync(join(leakDir, 'tag.yaml'), `a: !<tag:${MARKER}> b\n`);
const LEAK_FILES = ['environ', 'broken.yaml', 'broken.json', 'tag.yaml'];

function assertNoMarker(what: string, r: CallToolResult) {
  const all = JSON.stringify(r);
  assert.ok(all.length > 20, what);
  assert.ok(!all.includes(MARKER), `${what} returned the marker: ${all.slice(0, 500)}`);
  assert.ok(
    !all.includes(Buffer.from(MARKER).toString('base64').slice(0, 12)),
    `${what} returned the marker in base64`,
  );
}

describe('a file full of secrets, given as kubeconfig or snapshot, never comes back', () => {
  let rooted: Client;
  let stdio: Client;
  before(async () => {
    rooted = await connect((await start(['--snapshot-root', root])).url);
    stdio = new Client({ name: 'fluxdoctor-hardening-test', version: '0.0.0' });
    await stdio.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ['--import', 'tsx', ENTRY, 'mcp', '--allow-write'],
        cwd: CWD,
        stderr: 'pipe',
      }),
    );
  });
  after(async () => {
    await rooted?.close();
    await stdio?.close();
  });

  it('the test can fail: the marker is in the files', () => {
    assert.ok(LEAK_FILES.length === 4 && MARKER.length > 8);
  });

  const kubeconfigCalls = (kc: string): [string, Record<string, unknown>][] => [
    ['list_contexts', { kubeconfig: kc }],
    ['diagnose', { kubeconfig: kc }],
    ['check', { kubeconfig: kc }],
    ['explain_field', { path: 'HelmRelease.spec', kubeconfig: kc }],
    ['get_resources', { kubeconfig: kc, context: 'x' }],
  ];

  it('as kubeconfig, over HTTP under the root and over stdio: an error naming the file, no content', async () => {
    for (const f of LEAK_FILES) {
      for (const [client, kc] of [
        [rooted, `leak/${f}`],
        [stdio, join(leakDir, f)],
      ] as const) {
        for (const [tool, args] of kubeconfigCalls(kc)) {
          const r = await call(client, tool, args);
          // broken.json is a valid YAML mapping with no cluster: "0 contexts" for list_contexts.
          if (tool !== 'list_contexts' || f !== 'broken.json')
            assert.equal(r.isError, true, `${tool} ${f}: ${text(r)}`);
          assertNoMarker(`${tool} kubeconfig=${f}`, r);
        }
      }
      if (f === 'broken.json') continue;
      const r = await call(stdio, 'list_contexts', { kubeconfig: join(leakDir, f) });
      assert.match(text(r), new RegExp(`cannot read kubeconfig .*${f.replace('.', '\\.')}: not a valid kubeconfig`), f);
    }
    const y = await call(stdio, 'list_contexts', { kubeconfig: join(leakDir, 'broken.yaml') });
    assert.match(text(y), /not a valid kubeconfig \(YAML error at line \d+\)$/);
    const w = await call(stdio, 'suspend', { target: 'ks/apps', kubeconfig: join(leakDir, 'environ') });
    assert.equal(w.isError, true);
    assertNoMarker('suspend kubeconfig=environ', w);
  });

  // The snapshot half: parse errors name the file and position, never quote it (src/read/parse.ts).
  it('as snapshot: problems name the file, never its content', async () => {
    for (const f of LEAK_FILES) {
      for (const tool of ['diagnose', 'get_resources', 'stats', 'check']) {
        for (const [client, snapshot] of [
          [rooted, `leak/${f}`],
          [stdio, join(leakDir, f)],
        ] as const) {
          const r = await call(client, tool, { snapshot });
          assertNoMarker(`${tool} snapshot=${f}`, r);
        }
      }
    }
  });
});

// ---------- check sends no probe to a loopback artifact URL ----------

async function listen(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function cli(args: string[]): Promise<string> {
  let out = '';
  const io: Io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env: {} };
  await main(['node', 'fluxdoctor', ...args], io);
  return out;
}

describe('check does not probe a loopback artifact URL the cluster reports', () => {
  let storage: { server: Server; url: string };
  let api: { server: Server; url: string };
  const hits: string[] = [];
  let kubeconfig = '';
  before(async () => {
    storage = await listen((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.writeHead(200).end();
    });
    const repo = obj('GitRepository', 'flux-system/apps', {
      spec: { url: 'https://github.com/example/apps' },
      status: {
        ...READY("stored artifact for revision 'main@sha1:abc'"),
        artifact: {
          url: `${storage.url}/gitrepository/flux-system/apps/abc.tar.gz`,
          revision: 'main@sha1:abc',
          lastUpdateTime: '2026-11-24T10:00:00Z',
        },
      },
    });
    // A fake API server: one Flux group with one ready GitRepository, every other list empty.
    api = await listen((req, res) => {
      const u = new URL(req.url!, 'http://x');
      const json = (code: number, v: unknown) =>
        res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(v));
      if (u.pathname === '/apis')
        return json(200, {
          groups: [
            { name: 'source.toolkit.fluxcd.io', versions: [{ version: 'v1' }], preferredVersion: { version: 'v1' } },
          ],
        });
      if (u.pathname === '/version') return json(200, { gitVersion: 'v1.34.0' });
      if (u.pathname === '/apis/source.toolkit.fluxcd.io/v1/gitrepositories')
        return json(200, { items: [repo], metadata: { resourceVersion: '1' } });
      if (u.pathname.startsWith('/api')) return json(200, { items: [], metadata: { resourceVersion: '1' } });
      json(404, { message: 'not found' });
    });
    kubeconfig = join(root, 'fake-kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: ${api.url}\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: fake\n  context:\n    cluster: fake\n    user: u\ncurrent-context: fake\n`,
    );
  });
  after(() => {
    storage.server.close();
    api.server.closeAllConnections();
    api.server.close();
  });

  it('the test can fail: the CLI with --allow-local-probe does reach the storage', async () => {
    hits.length = 0;
    const j = JSON.parse(await cli(['check', '--kubeconfig', kubeconfig, '--allow-local-probe', '-o', 'json']));
    assert.deepEqual(hits, ['HEAD /gitrepository/flux-system/apps/abc.tar.gz']);
    assert.ok(
      j.items.some(
        (i: { title: string; status: string }) => i.status === 'ok' && /artifact download works/.test(i.title),
      ),
    );
  });

  it('the CLI by default does not', async () => {
    hits.length = 0;
    const j = JSON.parse(await cli(['check', '--kubeconfig', kubeconfig, '-o', 'json']));
    assert.deepEqual(hits, []);
    const storageItems = j.items.filter((i: { section: string }) => i.section === 'storage');
    assert.ok(
      storageItems.some(
        (i: { status: string; title: string; detail: string }) =>
          i.status === 'skip' &&
          /artifact download not checked/.test(i.title) &&
          /127\.0\.0\.1 is a loopback address/.test(i.detail),
      ),
      JSON.stringify(storageItems),
    );
  });

  it('the MCP check tool over HTTP (kubeconfig under --snapshot-root) does not', async () => {
    const c = await connect((await start(['--snapshot-root', root])).url);
    try {
      hits.length = 0;
      const r = await call(c, 'check', { kubeconfig: 'fake-kubeconfig' });
      assert.ok(!r.isError, text(r));
      assert.deepEqual(hits, []);
      const items = (r.structuredContent!.items as { section: string; status: string; detail?: string }[]).filter(
        (i) => i.section === 'storage',
      );
      assert.ok(
        items.some((i) => i.status === 'skip' && /loopback/.test(i.detail ?? '')),
        JSON.stringify(items),
      );
    } finally {
      await c.close();
    }
  });
});
