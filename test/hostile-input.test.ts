// Hostile input (issue 8, "Inputs that hang or kill the process"): every input here finishes within a
// few seconds with a clear problem, and what else was given is still read and diagnosed. The timeouts
// are hang guards, not benchmarks.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type Io, main } from '../src/cli/main.js';
import { boundDocument } from '../src/read/bounds.js';
import { readSnapshotFiles } from '../src/read/files.js';
import { decodeText, MAX_DEPTH } from '../src/read/parse.js';
import { SnapshotBuilder } from '../src/read/snapshot.js';
import { readSnapshotFilesOffThread } from '../src/read/worker.js';

const GUARD = { timeout: 15_000 };

function mkfifo(p: string): void {
  const r = spawnSync('mkfifo', [p]);
  assert.equal(r.status, 0, 'mkfifo works here');
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    env: {},
  };
  const code = await main(['node', 'fluxdoctor', ...args], io);
  return { code, out, err };
}

// A Kustomization whose source is missing: the finding that must survive next to every hostile input.
// The message is kustomize-controller's (`Source '%s' not found`, kustomization_controller.go).
const FAILING_KS = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef: {kind: GitRepository, name: missing-repo}
status:
  observedGeneration: 1
  conditions:
  - type: Ready
    status: "False"
    reason: ArtifactFailed
    message: "Source 'GitRepository/flux-system/missing-repo' not found"
    lastTransitionTime: "2026-11-24T10:00:00Z"
`;

/** A snapshot directory holding the failing Kustomization and the given extra files. */
// Every snapshot directory of this file lives under one root, which the MCP HTTP server is given as
// --snapshot-root (over HTTP, path arguments are read only under it).
const HOSTILE_ROOT = mkdtempSync(join(tmpdir(), 'fd-hostile-root-'));

function snapDir(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(HOSTILE_ROOT, 'fd-hostile-'));
  writeFileSync(join(dir, 'ks.yaml'), FAILING_KS);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

interface Contract {
  findings: { code: string; rootCause: { kind: string; name: string } }[];
  partial?: boolean;
  problems?: { source: string; line?: number; message: string }[];
}

async function diagnose(args: string[]): Promise<{ code: number; doc: Contract; err: string }> {
  const r = await run(['diagnose', ...args, '-o', 'json']);
  assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  return { code: r.code, doc: JSON.parse(r.out || '{"findings":[]}') as Contract, err: r.err };
}

function assertStillDiagnosed(doc: Contract): void {
  assert.ok(
    doc.findings.some((f) => f.rootCause.kind === 'Kustomization' && f.rootCause.name === 'apps'),
    `the failing Kustomization is still diagnosed: ${JSON.stringify(doc.findings.map((f) => f.code))}`,
  );
}

function problem(doc: Contract, source: RegExp, message: RegExp) {
  const p = (doc.problems ?? []).find((x) => source.test(x.source) && message.test(x.message));
  assert.ok(p, `a problem for ${source} matching ${message}; got ${JSON.stringify(doc.problems)}`);
  assert.equal(doc.partial, true, 'the report says it is partial');
  return p;
}

// "Billion laughs": 9 levels of 9 aliases, 487 bytes, 10^9 strings once expanded.
const LAUGHS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
function laughs(indent: string, first = '- '): string {
  return LAUGHS.map((l, i) => {
    const body =
      i === 0
        ? Array(9).fill('"lol"').join(',')
        : Array(9)
            .fill(`*${LAUGHS[i - 1]}`)
            .join(',');
    return `${indent}${first}&${l} [${body}]`;
  }).join('\n');
}
const BOMB_LIST = `apiVersion: v1
kind: List
items:
${laughs('')}
- apiVersion: source.toolkit.fluxcd.io/v1
  kind: GitRepository
  metadata: {name: kept, namespace: flux-system}
  spec: {url: https://example.com/kept, interval: 1m}
`;
const BOMB_VALUES = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: bombed, namespace: flux-system}
spec:
  interval: 10m
  chart:
    spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}
  values:
    replicaCount: 2
${LAUGHS.map(
  (l, i) =>
    `    ${l}: &${l} [${
      i === 0
        ? Array(9).fill('"lol"').join(',')
        : Array(9)
            .fill(`*${LAUGHS[i - 1]}`)
            .join(',')
    }]`,
).join('\n')}
`;

describe('hostile input: YAML aliases and nesting', () => {
  it(
    'the alias bomb under items: is dropped with a problem naming file and line; the other items are read',
    GUARD,
    async () => {
      assert.ok(BOMB_LIST.length < 1000);
      const dir = snapDir({ 'bomb.yaml': BOMB_LIST });
      const { code, doc } = await diagnose(['--snapshot', dir]);
      assert.equal(code, 1);
      assertStillDiagnosed(doc);
      const p = problem(
        doc,
        /bomb\.yaml$/,
        /^items\[\d\]: YAML aliases expand it past [\d,]+ characters \(an alias bomb\?\): dropped$/,
      );
      assert.equal(p.line, 1);
      const got = await run(['get', 'gitrepositories', '--snapshot', dir]);
      assert.match(got.out, /kept/, 'the item after the bomb is read');
    },
  );

  it(
    'an alias bomb in spec.values: the object stays, the bomb goes, the snapshot bundle stays small',
    GUARD,
    async () => {
      const dir = snapDir({ 'hr.yaml': BOMB_VALUES });
      const { doc } = await diagnose(['--snapshot', dir]);
      assertStillDiagnosed(doc);
      problem(doc, /hr\.yaml$/, /^spec\.values\.[a-i]: YAML aliases expand it past/);
      const got = await run(['get', 'helmreleases', '--snapshot', dir]);
      assert.match(got.out, /bombed/, 'the HelmRelease is still read');
      const out = join(dir, 'bundle.yaml');
      const w = await run(['snapshot', '--snapshot', dir, '-f', out]);
      assert.equal(w.code, 0, w.err);
      assert.ok(statSync(out).size < 5 * 1024 * 1024, `bundle is ${statSync(out).size} bytes`);
    },
  );

  it('an anchor defined in one item of a large List and used in others is read in every item', () => {
    const item = (i: number) =>
      `  - apiVersion: v1\n    kind: Pod\n    metadata: {name: pod-${i}, namespace: default}\n    spec: ${i === 0 ? '&spec ' : '*spec'}${i === 0 ? '\n      containers: [{name: app, image: "ghcr.io/org/app:1.0"}]' : ''}\n    status: {phase: Running, note: "${'x'.repeat(200)}"}\n`;
    const text = `apiVersion: v1\nkind: List\nitems:\n${Array.from({ length: 400 }, (_, i) => item(i)).join('')}`;
    assert.ok(text.length > 64 * 1024, 'large enough to be split item by item without anchors');
    const { docs, problems } = decodeText(text, 'list.yaml');
    assert.deepEqual(problems, []);
    const items = (docs[0]!.value as { items: { spec: { containers: unknown[] } }[] }).items;
    assert.equal(items.length, 400);
    assert.equal(items[399]!.spec.containers.length, 1);
  });

  it('legitimate anchors are kept, expanded into a plain tree', () => {
    const { docs, problems } = decodeText(
      'base: &base {cpu: 100m, memory: 64Mi}\nweb: {requests: *base}\nworker: *base\nother: *base\n',
      'values.yaml',
    );
    assert.deepEqual(problems, []);
    const v = docs[0]!.value;
    assert.deepEqual(v, {
      base: { cpu: '100m', memory: '64Mi' },
      web: { requests: { cpu: '100m', memory: '64Mi' } },
      worker: { cpu: '100m', memory: '64Mi' },
      other: { cpu: '100m', memory: '64Mi' },
    });
    assert.notEqual(v.worker, v.other, 'aliases no longer share one node: a later walk sees a tree');
  });

  it('boundDocument measures the shared graph, not its expansion (10^9 nodes in milliseconds)', () => {
    let node: unknown = 'lol';
    for (let i = 0; i < 9; i++) node = Array(9).fill(node);
    const start = Date.now();
    const r = boundDocument({ kind: 'X', spec: { values: node } }, { shared: true, budget: 1_000_000, maxDepth: 200 });
    assert.ok(Date.now() - start < 2000);
    assert.equal(r.kept, true);
    assert.deepEqual(r.value, { kind: 'X', spec: {} });
    assert.deepEqual(
      r.dropped.map((d) => d.path),
      ['spec.values'],
    );
  });

  const NESTED = 100_000; // 200 KB of brackets
  const nested = `${'['.repeat(NESTED)}${']'.repeat(NESTED)}`;

  it('a 200 KB nested array in JSON: a clear problem, no stack overflow, the rest diagnosed', GUARD, async () => {
    const dir = snapDir({
      'deep.json': nested,
      'list.json': `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep","namespace":"default"},"data":{"x":${nested}}},{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"fine"}}]}`,
    });
    const { code, doc } = await diagnose(['--snapshot', dir]);
    assert.equal(code, 1);
    assertStillDiagnosed(doc);
    problem(doc, /deep\.json$/, new RegExp(`^\\[0\\]: nesting deeper than ${MAX_DEPTH} levels: dropped$`));
    problem(
      doc,
      /list\.json$/,
      new RegExp(`^items\\[0\\]\\.data\\.x: nesting deeper than ${MAX_DEPTH} levels: dropped$`),
    );
    const got = await run(['get', 'namespaces', '--snapshot', dir]);
    assert.match(got.out, /fine/, 'the item next to the deep one is read');
  });

  it('a 200 KB nested array in YAML: a clear problem, no stack overflow, the rest diagnosed', GUARD, async () => {
    const dir = snapDir({
      'deep.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  x: ${nested}\n`,
    });
    const { code, doc } = await diagnose(['--snapshot', dir]);
    assert.equal(code, 1);
    assertStillDiagnosed(doc);
    const p = problem(doc, /deep\.yaml$/, /^invalid YAML \(column \d+\): nesting exceeded maxDepth \(\d+\)$/);
    assert.equal(p.line, 5);
  });

  it('objects from the live reader are bounded too (spec.values as deep as the API server allows)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = { a: deep };
    const hr = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'deep', namespace: 'flux-system' },
      spec: { interval: '1m', values: { deep, replicaCount: 1 } },
    };
    const b = new SnapshotBuilder();
    b.addDocs([{ value: [hr], line: 0 }], 'HelmRelease (helm.toolkit.fluxcd.io/v2)');
    const s = b.build();
    assert.equal(s.objects.length, 1);
    assert.deepEqual(s.objects[0]!.spec.values, { replicaCount: 1 });
    assert.deepEqual(
      s.problems.map((p) => p.message),
      [`[0].spec.values.deep: nesting deeper than ${MAX_DEPTH} levels: dropped`],
    );
  });

  it('deep nesting in a JSON line of a log file is dropped too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-hostile-'));
    writeFileSync(join(dir, 'c.log'), `{"level":"info","msg":"ok"}\n{"level":"info","msg":"deep","x":${nested}}\n`);
    const s = readSnapshotFiles({ snapshots: [], logs: [dir] });
    assert.deepEqual(
      s.logs.map((l) => [l.msg, 'x' in l]),
      [
        ['ok', false],
        ['deep', false],
      ],
      'the deep field is dropped, the line kept',
    );
    assert.ok(
      s.problems.some((p) => p.line === 2 && /^x: nesting deeper than/.test(p.message)),
      JSON.stringify(s.problems),
    );
  });
});

describe('hostile input: error texts never quote the file', () => {
  const SECRET = 'hunter2SECRETvalue';
  const cases: Record<string, string> = {
    'token.json': `{"token": ${SECRET}}`,
    'trailing.json': `{"a": 1}\n${SECRET}`,
    'unterminated.json': `{"a": "${SECRET}`,
    'tag.yaml': `a: !<${SECRET}> x\n`,
    'localtag.yaml': `a: !${SECRET} x\n`,
    'alias.yaml': `a: *${SECRET}\n`,
    'directive.yaml': `%${SECRET} x\n---\na: 1\n`,
    'indent.yaml': `a: ${SECRET}\n b: ${SECRET}: c\n`,
    'escape.yaml': `a: "\\q${SECRET}"\n`,
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`${name}: the problem names the file and a position, not the content`, () => {
      const { problems } = decodeText(text, name);
      assert.ok(problems.length > 0, 'the error is reported');
      for (const p of problems) {
        assert.equal(p.source, name);
        assert.doesNotMatch(p.message, new RegExp(SECRET.slice(0, 6)), p.message);
        assert.match(p.message, /^invalid (JSON|YAML)/);
      }
    });
  }
});

describe('hostile input: paths that are not regular files', () => {
  it(
    'a FIFO inside a snapshot directory, as --snapshot and as --logs is refused without being opened',
    GUARD,
    async () => {
      const dir = snapDir();
      mkfifo(join(dir, 'pipe.yaml'));
      const { code, doc } = await diagnose(['--snapshot', dir, '--logs', join(dir, 'pipe.yaml')]);
      assert.equal(code, 1);
      assertStillDiagnosed(doc);
      problem(doc, /pipe\.yaml$/, /^a FIFO \(named pipe\), not a regular file or directory: skipped \(never opened\)$/);
      assert.ok((doc.problems ?? []).filter((p) => /pipe\.yaml$/.test(p.source)).length >= 2, 'both uses are named');
      const alone = await run(['diagnose', '--snapshot', join(dir, 'pipe.yaml')]);
      assert.equal(alone.code, 2);
      assert.match(alone.err, /no Kubernetes objects could be read[\s\S]*pipe\.yaml: a FIFO/);
    },
  );

  it('/dev/zero as --snapshot and as --logs: refused at once, the rest read', GUARD, async () => {
    const alone = await run(['diagnose', '--snapshot', '/dev/zero']);
    assert.equal(alone.code, 2);
    assert.match(alone.err, /\/dev\/zero: a character device, not a regular file or directory/);
    const { code, doc } = await diagnose(['--snapshot', snapDir(), '--logs', '/dev/zero']);
    assert.equal(code, 1);
    assertStillDiagnosed(doc);
    problem(doc, /^\/dev\/zero$/, /character device/);
  });

  it(
    'a symlink loop and a dangling symlink inside a snapshot directory are problems, not the end of the run',
    GUARD,
    async () => {
      const dir = snapDir();
      mkdirSync(join(dir, 'sub'));
      symlinkSync('..', join(dir, 'sub', 'up')); // a directory loop
      symlinkSync('b.yaml', join(dir, 'a.yaml')); // a file loop
      symlinkSync('a.yaml', join(dir, 'b.yaml'));
      symlinkSync('nowhere.yaml', join(dir, 'dangling.yaml'));
      symlinkSync('ks.yaml', join(dir, 'again.yaml')); // a good link is followed
      const { code, doc } = await diagnose(['--snapshot', dir]);
      assert.equal(code, 1);
      assertStillDiagnosed(doc);
      problem(doc, /dangling\.yaml$/, /^dangling symlink/);
      problem(doc, /a\.yaml$/, /symlink loop/);
      const s = readSnapshotFiles({ snapshots: [dir] });
      assert.ok(
        s.problems.some((p) => /sub\/up$/.test(p.source) && /symlink loop/.test(p.message)),
        JSON.stringify(s.problems),
      );
      assert.equal(s.objects.length, 1);
      // A dangling symlink given as the path itself is a problem too.
      const top = readSnapshotFiles({ snapshots: [join(dir, 'dangling.yaml'), join(dir, 'ks.yaml')] });
      assert.equal(top.objects.length, 1);
      assert.match(top.problems[0]!.message, /^dangling symlink/);
    },
  );

  it('a file over the size limit is skipped with a message that names the limit', GUARD, async () => {
    const dir = snapDir({
      'big.yaml': `# ${'x'.repeat(4096)}\napiVersion: v1\nkind: Namespace\nmetadata: {name: big}\n`,
    });
    const { code, doc } = await diagnose(['--snapshot', dir, '--max-file-size', '2Ki']);
    assert.equal(code, 1);
    assertStillDiagnosed(doc);
    problem(doc, /big\.yaml$/, /^file \(4\.1 KiB\) is larger than the limit of 2 KiB \(--max-file-size\): skipped$/);
    const bad = await run(['diagnose', '--snapshot', dir, '--max-file-size', 'lots']);
    assert.equal(bad.code, 2);
    // The total is bounded too.
    const s = readSnapshotFiles({ snapshots: [dir], maxFileSize: 4500, maxTotalSize: 4500 });
    assert.ok(s.problems.some((p) => /the input as a whole is larger than the limit/.test(p.message)));
  });

  it('a binary file is skipped, the rest read', GUARD, async () => {
    const bin = Buffer.alloc(4096);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919) % 256;
    const { code, doc } = await diagnose(['--snapshot', snapDir({ 'blob.json': bin })]);
    assert.equal(code, 1);
    assertStillDiagnosed(doc);
    problem(doc, /blob\.json$/, /^binary data, not YAML or JSON: skipped$/);
  });

  it('--snapshot /etc ends with an answer, never a hang or a crash', GUARD, async () => {
    const r = await run(['diagnose', '--snapshot', '/etc', '-o', 'json']);
    assert.ok(r.code === 0 || r.code === 1 || r.code === 2, `exit ${r.code}`);
    assert.doesNotMatch(r.err, /\n\s+at |TypeError|ENOENT|ELOOP/);
    if (r.code === 2) assert.match(r.err, /no Kubernetes objects could be read/);
  });

  it('the worker reader gives the same snapshot and the same refusals', GUARD, async () => {
    const dir = snapDir({ 'bomb.yaml': BOMB_LIST });
    mkfifo(join(dir, 'pipe.yaml'));
    const opts = { snapshots: [dir, '/dev/zero'], logs: [join(dir, 'pipe.yaml')] };
    assert.deepEqual(await readSnapshotFilesOffThread(opts), readSnapshotFiles(opts));
    await assert.rejects(
      readSnapshotFilesOffThread({ snapshots: [join(dir, 'nope.yaml')] }),
      /no such file or directory/,
    );
  });
});

describe('stdin (issue 9)', () => {
  it('--snapshot - waits for a producer slower than the start (no EAGAIN), with the size bound', GUARD, async () => {
    const runChild = (args: string[], feed: (w: NodeJS.WritableStream) => void) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const c = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'mcp-entry.ts'), ...args], {
          cwd: join(import.meta.dirname, '..'),
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        c.stdout.on('data', (d: Buffer) => (out += d));
        c.stderr.on('data', (d: Buffer) => (err += d));
        c.once('exit', (code) => resolve({ code, out, err }));
        feed(c.stdin);
      });
    const slow = await runChild(['diagnose', '--snapshot', '-', '-o', 'json'], (w) => {
      setTimeout(() => w.write(FAILING_KS.slice(0, 100)), 1500);
      setTimeout(() => w.end(FAILING_KS.slice(100)), 2000);
    });
    assert.equal(slow.code, 1, slow.err);
    assertStillDiagnosed(JSON.parse(slow.out) as Contract);
    const big = await runChild(['diagnose', '--snapshot', '-', '--max-file-size', '1k'], (w) =>
      w.end('#'.repeat(5000)),
    );
    assert.equal(big.code, 2);
    assert.match(big.err, /<stdin>: stdin is larger than the limit of 1000 bytes/);
  });
});

describe('hostile input: the MCP HTTP server keeps answering while one call reads', () => {
  let child: ChildProcess;
  let url: string;
  let client: Client;
  const TOKEN = 'hostile-token';
  before(async () => {
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'mcp-entry.ts'),
        'mcp',
        '--http',
        '--listen',
        '127.0.0.1:0',
        '--token',
        TOKEN,
        '--snapshot-root',
        HOSTILE_ROOT,
      ],
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
    client = new Client({ name: 'fluxdoctor-hostile', version: '0.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      }),
    );
  });
  after(async () => {
    await client?.close();
    child?.kill();
  });

  it('tools/list answers while diagnose reads a 10 MB snapshot', { timeout: 60_000 }, async () => {
    // Documents of a kind fluxdoctor does not know: expensive to parse, nothing left to diagnose after.
    const doc = (i: number) =>
      `---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w-${i}\n  namespace: default\n  labels: {a: b, c: d}\nspec:\n  items: [1, 2, 3, "four", {five: 5}]\n  text: "lorem ipsum dolor sit amet ${i}"\n`;
    const dir = snapDir({ 'big.yaml': Array.from({ length: 50_000 }, (_, i) => doc(i)).join('') });
    const order: string[] = [];
    const started = Date.now();
    const call = client
      .callTool({ name: 'diagnose', arguments: { snapshot: dir } }, undefined, { timeout: 55_000 })
      .then((r) => {
        order.push('diagnose');
        return r as CallToolResult;
      });
    await new Promise((r) => setTimeout(r, 300));
    const latencies: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = Date.now();
      const tools = await client.listTools();
      latencies.push(Date.now() - t);
      assert.ok(tools.tools.some((x) => x.name === 'diagnose'));
      order.push('tools/list');
    }
    const r = await call;
    assert.deepEqual(
      order,
      ['tools/list', 'tools/list', 'tools/list', 'diagnose'],
      `latencies ${latencies}, diagnose took ${Date.now() - started} ms`,
    );
    assert.ok(Math.max(...latencies) < 2000, `tools/list latencies ${latencies}`);
    assert.notEqual(r.isError, true, JSON.stringify(r.content));
    const findings = (r.structuredContent as unknown as Contract).findings;
    assert.ok(
      findings.some((f) => f.rootCause.name === 'apps'),
      'the diagnosis comes back',
    );
  });

  it('a FIFO, /dev/zero and an alias bomb over MCP: refused or bounded, and the server lives', GUARD, async () => {
    const dir = snapDir({ 'bomb.yaml': BOMB_LIST });
    // The FIFO sits in a directory of its own: the HTTP path policy refuses a whole directory that holds one.
    const fifoDir = snapDir();
    mkfifo(join(fifoDir, 'pipe.yaml'));
    const fifo = (await client.callTool({
      name: 'diagnose',
      arguments: { snapshot: join(fifoDir, 'pipe.yaml') },
    })) as CallToolResult;
    assert.equal(fifo.isError, true);
    assert.match(JSON.stringify(fifo.content), /a FIFO( \(named pipe\))?, not a regular file or directory/);
    // Over HTTP /dev/zero is outside --snapshot-root; the path policy refuses it before any read.
    const zero = (await client.callTool({ name: 'diagnose', arguments: { snapshot: '/dev/zero' } })) as CallToolResult;
    assert.equal(zero.isError, true);
    assert.match(JSON.stringify(zero.content), /character device|outside --snapshot-root/);
    const bomb = (await client.callTool({ name: 'diagnose', arguments: { snapshot: dir } })) as CallToolResult;
    assert.notEqual(bomb.isError, true, JSON.stringify(bomb.content));
    assert.match(JSON.stringify(bomb.structuredContent), /alias bomb/);
    assert.ok((await client.listTools()).tools.length > 0);
  });
});
