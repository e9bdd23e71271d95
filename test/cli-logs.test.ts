// Issue 9, the command line: `logs` says msg and error once when the controller logged the same
// text twice, and a --logs file with no controller log line is reported, never ignored silently.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { messageOf } from '../src/cli/commands/logs.js';
import { type Io, main } from '../src/cli/main.js';

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

const dir = mkdtempSync(join(tmpdir(), 'fd-logs-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

// source-controller writes the same text as msg and error (examples/multi-hop/logs/source-controller.log).
const FETCH =
  'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.bitnarni.com/bitnami/index.yaml": dial tcp: lookup charts.bitnarni.com on 10.96.0.10:53: no such host';

describe('logs: msg and error', () => {
  it('equal msg and error are printed once', async () => {
    const r = await run([
      'logs',
      '--snapshot',
      'examples/multi-hop',
      '--logs',
      'examples/multi-hop/logs',
      '--for',
      'helmrepository/bitnami',
    ]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.ok(lines.length >= 1);
    const withFetch = lines.filter((l) => l.includes('failed to fetch Helm repository index'));
    assert.ok(withFetch.length >= 1, r.out);
    for (const l of withFetch)
      assert.equal(l.split('failed to fetch Helm repository index').length - 1, 1, `said twice: ${l}`);
  });

  it('messageOf: once when equal or contained, both when different, the error alone when msg is empty', () => {
    assert.equal(messageOf({ msg: FETCH, error: FETCH }), FETCH);
    assert.equal(
      messageOf({ msg: `Reconciliation failed: ${FETCH}`, error: FETCH }),
      `Reconciliation failed: ${FETCH}`,
    );
    assert.equal(messageOf({ msg: 'Reconciler error', error: FETCH }), `Reconciler error ${FETCH}`);
    assert.equal(messageOf({ msg: '', error: FETCH }), FETCH);
    assert.equal(messageOf({ msg: 'Reconciler error' }), 'Reconciler error');
  });
});

describe('--logs input that holds no log line', () => {
  it('a file of plain text is a problem on stderr for logs, and a partial report for diagnose', async () => {
    const txt = file('controller.txt', 'this is not JSON\nneither is this\n');
    const r = await run(['logs', '--snapshot', 'examples/multi-hop', '--logs', txt]);
    assert.equal(r.code, 0);
    assert.match(r.err, /controller\.txt: no Flux controller log lines in this file/);
    assert.match(r.err, /No controller log lines found/);
    const d = await run(['diagnose', '--snapshot', 'examples/multi-hop', '--logs', txt, '-o', 'json']);
    const doc = JSON.parse(d.out);
    assert.equal(doc.partial, true);
    assert.ok(
      doc.problems.some(
        (p: { source: string; message: string }) => p.source === txt && /no Flux controller log lines/.test(p.message),
      ),
    );
  });

  it('JSON lines that are not controller log lines are reported too', async () => {
    const j = file('objects.jsonl', '{"kind":"ConfigMap"}\n{"hello":"world"}\n');
    const r = await run(['logs', '--snapshot', 'examples/multi-hop', '--logs', j]);
    assert.match(r.err, /objects\.jsonl: no Flux controller log lines in this file/);
  });

  it('an empty file and an empty directory are noted; good log files give no note', async () => {
    const empty = file('empty.log', '');
    const r = await run(['logs', '--snapshot', 'examples/multi-hop', '--logs', empty]);
    assert.match(r.err, /empty\.log: empty log file/);
    const emptyDir = mkdtempSync(join(tmpdir(), 'fd-logs-empty-'));
    const d = await run(['logs', '--snapshot', 'examples/multi-hop', '--logs', emptyDir]);
    assert.match(d.err, /directory holds no log files/);
    const ok = await run(['logs', '--snapshot', 'examples/multi-hop', '--logs', 'examples/multi-hop/logs']);
    assert.doesNotMatch(ok.err, /note:/);
    assert.ok(ok.out.length > 0);
  });
});
