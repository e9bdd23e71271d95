// Issue 9, the command line: no false all-clear (unknown --kind, kind lists, empty selections),
// header counts that include every state and follow the filters.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { type Io, main } from '../src/cli/main.js';
import { obj, READY } from './helpers.js';

function writeSnapshot(docs: object[]): string {
  const p = join(mkdtempSync(join(tmpdir(), 'fd-sel-')), 'cluster.yaml');
  writeFileSync(p, stringify({ apiVersion: 'v1', kind: 'List', items: docs }));
  return p;
}

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(args: string[]): Promise<Run> {
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

// examples/multi-hop: 8 Flux objects, 2 ready, 4 failing, 1 suspended (Kustomization monitoring),
// 1 waiting (Kustomization apps, DependencyNotReady); source.unreachable at HelmRepository bitnami.
const MH = ['--snapshot', 'examples/multi-hop'];

describe('diagnose --kind', () => {
  it('an unknown kind is an input error (exit 2) naming the valid kinds, before anything is read', async () => {
    const r = await run(['diagnose', ...MH, '--kind', 'Foo']);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /unknown kind 'Foo'/);
    for (const k of ['ks', 'hr', 'gitrepo', 'helmrepo']) assert.match(r.err, new RegExp(`\\b${k}\\b`));
    assert.doesNotMatch(r.err + r.out, /No problems found/);
    // One unknown word in a list fails the whole list.
    assert.equal((await run(['diagnose', ...MH, '--kind', 'ks,nope'])).code, 2);
  });

  it('a comma-separated list, repeated --kind and short/plural names select the same findings', async () => {
    const a = JSON.parse((await run(['diagnose', ...MH, '-o', 'json', '--kind', 'ks,hr'])).out);
    const b = JSON.parse((await run(['diagnose', ...MH, '-o', 'json', '--kind', 'ks', '--kind', 'hr'])).out);
    const c = JSON.parse(
      (await run(['diagnose', ...MH, '-o', 'json', '--kind', 'Kustomizations', '--kind', 'helmrelease'])).out,
    );
    assert.deepEqual(a, b);
    assert.deepEqual(a, c);
    assert.deepEqual(a.selection, { kinds: ['Kustomization', 'HelmRelease'], matched: 5 });
    assert.ok(a.findings.some((f: { code: string }) => f.code === 'source.unreachable'));
    const r = await run(['diagnose', ...MH, '--kind', 'ks,hr']);
    assert.equal(r.code, 1, 'failing objects of the selected kinds are errors');
    assert.doesNotMatch(r.out, /No problems found/);
  });

  it('--kind all means every kind', async () => {
    const all = JSON.parse((await run(['diagnose', ...MH, '-o', 'json', '--kind', 'all'])).out);
    const none = JSON.parse((await run(['diagnose', ...MH, '-o', 'json'])).out);
    assert.deepEqual(all, none);
  });
});

describe('diagnose: an empty selection is not health', () => {
  it('-n nonexistent-ns says what was selected and that nothing matched, never the all-clear', async () => {
    const r = await run(['diagnose', ...MH, '-n', 'nonexistent-ns']);
    assert.equal(r.code, 0, 'as kubectl: "No resources found" is not an error');
    assert.equal(r.out, '');
    assert.match(r.err, /No Flux objects in namespace nonexistent-ns: nothing was diagnosed/);
    assert.doesNotMatch(r.err + r.out, /No problems found|✓/);
  });

  it('a kind with no object in the snapshot says so', async () => {
    const r = await run(['diagnose', ...MH, '--kind', 'bucket']);
    assert.equal(r.code, 0);
    assert.match(r.err, /No Bucket objects: nothing was diagnosed/);
    assert.doesNotMatch(r.err + r.out, /No problems found/);
  });

  it('-o json and yaml keep the contract and add selection.matched = 0; the notice goes to stderr', async () => {
    const r = await run(['diagnose', ...MH, '-n', 'nonexistent-ns', '-o', 'json']);
    assert.equal(r.code, 0);
    const doc = JSON.parse(r.out);
    assert.deepEqual(doc.findings, []);
    assert.equal(doc.objects.total, 0);
    assert.deepEqual(doc.selection, { namespace: 'nonexistent-ns', matched: 0 });
    assert.match(r.err, /No Flux objects in namespace nonexistent-ns/);
    const y = await run(['diagnose', ...MH, '-n', 'nonexistent-ns', '-o', 'yaml']);
    assert.match(y.out, /matched: 0/);
  });

  it('markdown says nothing matched instead of "No problems found"', async () => {
    const r = await run(['diagnose', ...MH, '-n', 'nonexistent-ns', '-o', 'markdown']);
    assert.match(r.out, /No Flux objects in namespace nonexistent-ns: nothing was diagnosed/);
    assert.doesNotMatch(r.out, /No problems found/);
  });

  it('a partial read is not an all-clear: text and markdown say "in what could be read"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-sel-partial-'));
    writeFileSync(
      join(dir, 'ok.yaml'),
      stringify(obj('GitRepository', 'flux-system/apps', { spec: { url: 'https://example.com/r' }, status: READY() })),
    );
    writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: [unclosed\n');
    for (const format of ['text', 'markdown']) {
      const r = await run(['diagnose', '--snapshot', dir, '-o', format]);
      assert.equal(r.code, 0, r.err);
      assert.doesNotMatch(r.out, /✓/, format);
      assert.match(r.out, /No problems found in what could be read/, format);
    }
  });

  it('--severity that hides findings is not an all-clear either', async () => {
    // In the healthy example nothing is wrong at all: the all-clear is right there.
    const ok = await run(['diagnose', '--snapshot', 'examples/healthy']);
    assert.match(ok.out, /✓ No problems found/);
    // A suspended Kustomization alone is a warning: --severity error hides it, and says so.
    const p = writeSnapshot([
      obj('GitRepository', 'apps', { status: READY() }),
      obj('Kustomization', 'apps', {
        spec: { suspend: true, sourceRef: { kind: 'GitRepository', name: 'apps' } },
        status: READY(),
      }),
    ]);
    const all = await run(['diagnose', '--snapshot', p]);
    assert.match(all.out, /flux\.suspended/);
    const r = await run(['diagnose', '--snapshot', p, '--severity', 'error']);
    assert.equal(r.code, 0);
    assert.match(r.out, /No error findings \(1 below --severity error not shown\) — 2 Flux objects/);
    assert.doesNotMatch(r.out + r.err, /No problems found/);
    const doc = JSON.parse((await run(['diagnose', '--snapshot', p, '--severity', 'error', '-o', 'json'])).out);
    assert.deepEqual(doc.selection, { severity: 'error', belowSeverity: 1, matched: 2 });
  });
});

describe('diagnose header counts', () => {
  it('include waiting and progressing objects, and add up to the total', async () => {
    const r = await run(['diagnose', ...MH]);
    assert.match(r.out, /— 8 Flux objects: 2 ready, 4 failing, 1 suspended, 1 waiting\n/);
    const doc = JSON.parse((await run(['diagnose', ...MH, '-o', 'json'])).out);
    const o = doc.objects;
    assert.equal(o.ready + o.failing + o.suspended + o.waiting + o.progressing + o.unknown, o.total);
    assert.deepEqual(o, { total: 8, ready: 2, failing: 4, suspended: 1, waiting: 1, progressing: 0, unknown: 0 });
  });

  it('check counts waiting objects too', async () => {
    const r = await run(['check', ...MH]);
    assert.match(r.out, /\n8 Flux objects: 2 ready, 4 failing, 1 suspended, 1 waiting — run fluxdoctor diagnose/);
  });

  it('follow -n and --kind instead of staying cluster-wide', async () => {
    const ks = await run(['diagnose', ...MH, '--kind', 'ks']);
    assert.match(ks.out, /— 4 Kustomization objects: 1 ready, 1 failing, 1 suspended, 1 waiting\n/);
    const ns = JSON.parse((await run(['diagnose', ...MH, '-n', 'flux-system', '-o', 'json'])).out);
    assert.equal(ns.selection.namespace, 'flux-system');
    assert.equal(ns.selection.matched, ns.objects.total);
    const md = await run(['diagnose', ...MH, '--kind', 'hr', '-o', 'markdown']);
    assert.match(md.out, /\. 1 HelmRelease objects: 0 ready, 1 failing, 0 suspended\./);
  });
});

describe('the views under an empty namespace say what was selected', () => {
  it('stats and events -n nonexistent-ns', async () => {
    const s = await run(['stats', ...MH, '-n', 'nonexistent-ns']);
    assert.equal(s.code, 0);
    assert.equal(s.out, '');
    assert.match(s.err, /No Flux objects found in namespace nonexistent-ns\./);
    const e = await run(['events', ...MH, '-n', 'nonexistent-ns']);
    assert.equal(e.code, 0);
    assert.match(e.err, /No events found in namespace nonexistent-ns\./);
    // With objects, the table is there as before.
    assert.match((await run(['stats', ...MH])).out, /^KIND/);
  });
});

describe('an empty selection of a partial read', () => {
  it('still says the input was partial (the namespace may be empty only because its file was unreadable)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-sel-partial-'));
    writeFileSync(
      join(dir, 'a.yaml'),
      stringify({ apiVersion: 'v1', kind: 'List', items: [obj('GitRepository', 'apps', { status: READY() })] }),
    );
    writeFileSync(join(dir, 'b.yaml'), 'apiVersion: v1\nkind: List\nitems: [\n  {{{ not yaml');
    const r = await run(['diagnose', '--snapshot', dir, '-n', 'team-a']);
    assert.equal(r.out, '');
    assert.match(r.err, /No Flux objects in namespace team-a: nothing was diagnosed/);
    assert.match(r.err, /Partial report: some input could not be read/);
    assert.match(r.err, /b\.yaml/);
    assert.doesNotMatch(r.err, /No problems found/);
  });
});
