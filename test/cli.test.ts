// The CLI end to end (in process): formats, filters, exit codes, colour, sanitising, explain/codes.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { type Io, main } from '../src/cli/main.js';
import { ALL_RULES } from '../src/rules/index.js';
import { obj, READY, status } from './helpers.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(
  args: string[],
  opts: { tty?: boolean; env?: NodeJS.ProcessEnv; stdin?: string } = {},
): Promise<Run> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    env: opts.env ?? {},
    stdin: opts.stdin !== undefined ? () => opts.stdin! : undefined,
  };
  const code = await main(['node', 'fluxdoctor', ...args], io);
  return { code, out, err };
}

function writeSnapshot(docs: object[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'fd-cli-'));
  const p = join(dir, 'cluster.yaml');
  writeFileSync(p, stringify({ apiVersion: 'v1', kind: 'List', items: docs }));
  return p;
}

const ESC = '\u001b';
const hostile = `failed: \u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u001b[0m and a bell \u0007 done`;

const failing = [
  obj('GitRepository', 'apps', {
    spec: { url: 'https://example.com/x' },
    status: status(['False', 'SomethingOdd', hostile]),
  }),
  obj('Kustomization', 'apps', {
    spec: { sourceRef: { kind: 'GitRepository', name: 'apps' } },
    status: status(['False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s']),
  }),
  obj('Kustomization', 'team-a/web', { spec: { sourceRef: { kind: 'GitRepository', name: 'web' } }, status: READY() }),
  obj('GitRepository', 'team-a/web', { status: READY() }),
];
const healthy = [obj('GitRepository', 'apps', { status: READY() })];

describe('cli diagnose', () => {
  it('exit 0 and a clean report on a healthy snapshot', async () => {
    const r = await run(['diagnose', '--snapshot', writeSnapshot(healthy)]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /No problems found/);
  });

  it('exit 1 with error findings; -o json is exactly the contract', async () => {
    const r = await run(['diagnose', '--snapshot', writeSnapshot(failing), '-o', 'json']);
    assert.equal(r.code, 1, r.err);
    const doc = JSON.parse(r.out);
    assert.deepEqual(Object.keys(doc), ['findings', 'objects', 'selection']);
    assert.deepEqual(Object.keys(doc.objects), [
      'total',
      'ready',
      'failing',
      'suspended',
      'waiting',
      'progressing',
      'unknown',
    ]);
    assert.deepEqual(doc.selection, { matched: 4 });
    assert.ok(doc.findings.length >= 1);
    for (const f of doc.findings) {
      for (const k of Object.keys(f))
        assert.ok(
          ['code', 'severity', 'rootCause', 'affected', 'fixTarget', 'summary', 'evidence', 'remediation'].includes(k),
          k,
        );
      assert.ok(['error', 'warning', 'info'].includes(f.severity));
      assert.ok(Array.isArray(f.affected) && Array.isArray(f.evidence) && Array.isArray(f.remediation));
    }
    const root = doc.findings[0];
    assert.deepEqual(root.rootCause, { kind: 'GitRepository', namespace: 'flux-system', name: 'apps' });
    assert.deepEqual(root.affected, [{ kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }]);
  });

  it('-o yaml carries the same document', async () => {
    const p = writeSnapshot(failing);
    const j = JSON.parse((await run(['diagnose', '--snapshot', p, '-o', 'json'])).out);
    const y = parse((await run(['diagnose', '--snapshot', p, '-o', 'yaml'])).out);
    assert.deepEqual(y, j);
  });

  it('cluster text never brings terminal control sequences to any output', async () => {
    const p = writeSnapshot(failing);
    for (const fmt of ['text', 'markdown', 'json', 'yaml']) {
      const r = await run(['diagnose', '--snapshot', p, '-o', fmt, '-v']);
      assert.ok(!r.out.includes(ESC) && !r.out.includes('\u0007'), `${fmt} output contains control characters`);
      assert.match(r.out, /red and a bell/);
    }
  });

  it('colour on a TTY, none with NO_COLOR, --no-color or a pipe', async () => {
    const p = writeSnapshot(failing);
    assert.ok((await run(['diagnose', '--snapshot', p], { tty: true })).out.includes(ESC));
    assert.ok(!(await run(['diagnose', '--snapshot', p], { tty: true, env: { NO_COLOR: '1' } })).out.includes(ESC));
    assert.ok(!(await run(['diagnose', '--snapshot', p, '--no-color'], { tty: true })).out.includes(ESC));
    assert.ok(!(await run(['diagnose', '--snapshot', p], { tty: false })).out.includes(ESC));
  });

  it('filters by namespace, kind and severity without changing the root-cause walk', async () => {
    const p = writeSnapshot(failing);
    const other = JSON.parse((await run(['diagnose', '--snapshot', p, '-o', 'json', '-n', 'team-a'])).out);
    assert.equal(other.findings.length, 0);
    const r = await run(['diagnose', '--snapshot', p, '-o', 'json', '-n', 'team-a']);
    assert.equal(r.code, 0);
    const byKind = JSON.parse((await run(['diagnose', '--snapshot', p, '-o', 'json', '--kind', 'ks'])).out);
    assert.equal(byKind.findings.length, 1, 'the Kustomization is affected by the GitRepository finding');
    const sev = JSON.parse((await run(['diagnose', '--snapshot', p, '-o', 'json', '--severity', 'error'])).out);
    assert.ok(sev.findings.every((f: { severity: string }) => f.severity === 'error'));
  });

  it('markdown output has a summary table and a section per finding', async () => {
    const r = await run(['diagnose', '--snapshot', writeSnapshot(failing), '-o', 'markdown']);
    assert.match(r.out, /^# fluxdoctor diagnosis/m);
    assert.match(r.out, /^\| severity \| code \| root cause \| affected \|$/m);
    assert.match(r.out, /^## ERROR `/m);
  });

  it('reads stdin with --snapshot -', async () => {
    const r = await run(['diagnose', '--snapshot', '-', '-o', 'json'], { stdin: stringify(healthy[0]) });
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).objects.total, 1);
  });

  it('exit 2 when the input cannot be read, with a message saying what to do', async () => {
    const missing = await run(['diagnose', '--snapshot', '/nonexistent.yaml']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no such file/);
    const garbage = await run(['diagnose', '--snapshot', '-'], { stdin: '{{{ not yaml' });
    assert.equal(garbage.code, 2);
    assert.match(garbage.err, /no Kubernetes objects could be read/);
    const live = await run(['diagnose']);
    assert.equal(live.code, 2);
    assert.match(live.err, /--snapshot/);
    const badFlag = await run(['diagnose', '--snapshot', writeSnapshot(healthy), '-o', 'xml']);
    assert.equal(badFlag.code, 2);
  });

  it('a partially readable snapshot still reports and says it is partial', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-partial-'));
    writeFileSync(join(dir, 'good.yaml'), stringify(failing[0]));
    writeFileSync(join(dir, 'bad.yaml'), 'kind: [oops\n');
    const r = await run(['diagnose', '--snapshot', dir, '-o', 'json']);
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.out);
    assert.equal(doc.partial, true);
    assert.match(doc.problems[0].source, /bad\.yaml/);
    const t = await run(['diagnose', '--snapshot', dir]);
    assert.match(t.out, /Partial report/);
  });
});

describe('cli: hostile and huge cluster text', () => {
  it('a 1 MB condition message is bounded in every output', async () => {
    const big = `failed: ${'A'.repeat(1024 * 1024)}`;
    const p = writeSnapshot([obj('GitRepository', 'big', { status: status(['False', 'SomethingOdd', big]) })]);
    for (const fmt of ['text', 'json', 'markdown']) {
      const r = await run(['diagnose', '--snapshot', p, '-o', fmt, '-v']);
      assert.equal(r.code, 1);
      assert.ok(r.out.length < 20_000, `${fmt} output is ${r.out.length} characters`);
      assert.match(r.out, /more characters/);
    }
  });
});

describe('cli explain and codes', () => {
  it('explain prints a code page; unknown codes exit 2 with suggestions', async () => {
    const r = await run(['explain', 'kustomize.dependency-not-ready']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^# kustomize\.dependency-not-ready/);
    assert.match(r.out, /## How to fix it/);
    const u = await run(['explain', 'dependency']);
    assert.equal(u.code, 2);
    assert.match(u.err, /Did you mean: .*kustomize\.dependency-not-ready/);
  });

  it('codes lists every rule', async () => {
    const r = await run(['codes', '-o', 'json']);
    assert.equal(JSON.parse(r.out).length, ALL_RULES.length);
    const t = await run(['codes']);
    const [head, ...rows] = t.out.trim().split('\n');
    assert.match(head!, /^CODE\s+SEVERITY\s+TITLE$/);
    assert.equal(rows.length, ALL_RULES.length);
  });

  it('--help and --version exit 0', async () => {
    assert.equal((await run(['--help'])).code, 0);
    const v = await run(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.out, /^\d+\.\d+\.\d+/);
  });
});
