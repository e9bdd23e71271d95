// Issue 9, the command line: `-o` means a format everywhere. snapshot writes a file with -f and takes
// -o yaml|json; text and table are synonyms on every command with a text form; get -o yaml|json
// returns the objects (values removed) and -o summary the rows; common spellings (-l, --status-selector,
// `get sources git`, explain --recursive); the --kind error names the kinds it accepts.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { type Io, main } from '../src/cli/main.js';
import { obj, READY, status } from './helpers.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(args: string[], opts: { tty?: boolean } = {}): Promise<Run> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    env: {},
  };
  const code = await main(['node', 'fluxdoctor', ...args], io);
  return { code, out, err };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'fd-formats-'));

function writeSnapshot(docs: object[]): string {
  const p = join(tmp(), 'cluster.yaml');
  writeFileSync(p, stringify({ apiVersion: 'v1', kind: 'List', items: docs }));
  return p;
}

const MH = ['--snapshot', 'examples/multi-hop'];

describe('snapshot -f FILE -o yaml|json', () => {
  it('-f writes the file (0600) and -o json writes a JSON bundle that reads back to the same findings', async () => {
    const dir = tmp();
    const yamlFile = join(dir, 'bundle.yaml');
    const jsonFile = join(dir, 'bundle.out');
    const y = await run(['snapshot', ...MH, '-f', yamlFile]);
    assert.equal(y.code, 0, y.err);
    assert.equal(y.out, '');
    assert.match(y.err, /^wrote .*bundle\.yaml \(yaml\): \d+ objects/);
    assert.equal(statSync(yamlFile).mode & 0o777, 0o600);
    assert.match(readFileSync(yamlFile, 'utf8'), /^# fluxdoctor snapshot/);
    const j = await run(['snapshot', ...MH, '-o', 'json', '-f', jsonFile]);
    assert.equal(j.code, 0, j.err);
    assert.equal(statSync(jsonFile).mode & 0o777, 0o600);
    const doc = JSON.parse(readFileSync(jsonFile, 'utf8'));
    assert.equal(doc.kind, 'Snapshot');
    assert.ok(Array.isArray(doc.items) && doc.items.length > 10);
    assert.ok(doc.info.removed.some((r: string) => /spec\.values/.test(r)), 'says what was removed');
    const base = JSON.parse((await run(['diagnose', ...MH, '-o', 'json'])).out);
    assert.ok(base.findings.length > 0);
    for (const file of [yamlFile, jsonFile]) {
      const back = JSON.parse((await run(['diagnose', '--snapshot', file, '-o', 'json'])).out);
      assert.deepEqual(back.findings, base.findings, file);
      assert.deepEqual(back.objects, base.objects, file);
    }
  });

  it('a FILE ending in .json is JSON without -o; -o yaml wins over the extension', async () => {
    const dir = tmp();
    await run(['snapshot', ...MH, '-f', join(dir, 'a.json')]);
    assert.equal(JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')).kind, 'Snapshot');
    await run(['snapshot', ...MH, '-o', 'yaml', '-f', join(dir, 'b.json')]);
    assert.match(readFileSync(join(dir, 'b.json'), 'utf8'), /^# fluxdoctor snapshot/);
  });

  it('without -f the bundle goes to stdout when it is not a terminal (and -o json | diagnose --snapshot - works)', async () => {
    const y = await run(['snapshot', ...MH]);
    assert.equal(y.code, 0, y.err);
    assert.match(y.out, /^# fluxdoctor snapshot/);
    const j = await run(['snapshot', ...MH, '-o', 'json']);
    assert.equal(JSON.parse(j.out).kind, 'Snapshot');
    assert.equal((await run(['snapshot', ...MH, '-f', '-'])).out, y.out);
  });

  it('a terminal is refused without -f, naming -f FILE (exit 2); -f - forces it', async () => {
    const r = await run(['snapshot', ...MH], { tty: true });
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /terminal.*-f FILE/);
    const f = await run(['snapshot', ...MH, '-f', '-'], { tty: true });
    assert.equal(f.code, 0);
    assert.match(f.out, /^# fluxdoctor snapshot/);
  });

  it('-o PATH (the old spelling) is an error that says to use -f/--file PATH, and writes nothing', async () => {
    const file = join(tmp(), 'bundle.yaml');
    const r = await run(['snapshot', ...MH, '-o', file]);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /use -f\/--file PATH/);
    assert.throws(() => statSync(file), /ENOENT/);
    const named = await run(['snapshot', ...MH, '-o', 'json']);
    assert.equal(named.code, 0, 'a format name is a format');
  });
});
