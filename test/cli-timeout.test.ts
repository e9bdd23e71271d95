// Issue 9, the command line: --request-timeout as kubectl reads it (durations, bare seconds, 0 = no
// timeout), with a help text that tells the truth, checked against a server that never answers.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { NO_TIMEOUT_MS, parseRequestTimeout } from '../src/cli/common.js';
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

describe('parseRequestTimeout', () => {
  it('durations, bare numbers of seconds as kubectl, 0 for no timeout', () => {
    assert.equal(parseRequestTimeout('15s'), 15_000);
    assert.equal(parseRequestTimeout('2m'), 120_000);
    assert.equal(parseRequestTimeout('500ms'), 500);
    assert.equal(parseRequestTimeout('1m30s'), 90_000);
    assert.equal(parseRequestTimeout('1h'), 3_600_000);
    assert.equal(parseRequestTimeout('15'), 15_000, 'a bare number is seconds');
    assert.equal(parseRequestTimeout('1.5s'), 1500);
    assert.equal(parseRequestTimeout('0'), NO_TIMEOUT_MS, '0 means no timeout');
    assert.equal(parseRequestTimeout('0s'), NO_TIMEOUT_MS);
    for (const bad of ['', 'soon', '15x', '-1', 's', '1 m']) assert.throws(() => parseRequestTimeout(bad), bad);
  });

  it('the help text of every command with the flag says what it takes and that the default is 15s', async () => {
    for (const cmd of ['diagnose', 'get', 'check', 'reconcile', 'suspend', 'watch']) {
      const r = await run([cmd, '--help']);
      assert.equal(r.code, 0, cmd);
      const help = r.out.replace(/\s+/g, ' ');
      assert.match(help, /--request-timeout <duration>/, cmd);
      assert.match(help, /a bare number of seconds, 0 for no timeout \(default: 15s\)/, cmd);
      assert.doesNotMatch(help, /default: 15000/, cmd);
    }
    const bad = await run(['diagnose', '--request-timeout', 'soon']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /a duration such as 15s, 2m or 500ms/);
  });
});

describe('--request-timeout against a server that never answers', () => {
  let server: Server;
  let kubeconfig: string;
  const sockets: Socket[] = [];
  before(async () => {
    server = createServer((s) => {
      sockets.push(s);
      s.on('data', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'fd-to-')), 'config');
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'ctx',
      }),
    );
  });
  after(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });

  it('500ms times out after half a second; a bare 1 after one second, not one millisecond', async () => {
    const t0 = Date.now();
    const a = await run(['diagnose', '--kubeconfig', kubeconfig, '--request-timeout', '500ms']);
    const ta = Date.now() - t0;
    assert.equal(a.code, 2);
    assert.match(a.err, /timed out after 0\.5s/);
    assert.ok(ta >= 450 && ta < 5000, `${ta} ms`);
    const t1 = Date.now();
    const b = await run(['diagnose', '--kubeconfig', kubeconfig, '--request-timeout', '1']);
    assert.equal(b.code, 2);
    assert.match(b.err, /timed out after 1s/);
    assert.ok(Date.now() - t1 >= 950, 'a bare number is seconds');
  });

  it('check: a server that does not answer is exit 2 with the failed check, never "all checks passed"', async () => {
    const r = await run(['check', '--kubeconfig', kubeconfig, '--request-timeout', '300ms']);
    assert.equal(r.code, 2, r.err);
    assert.match(r.out, /✗ API server http:\/\/127\.0\.0\.1:\d+ not reachable/);
    assert.match(r.out, /timed out after 0\.3s/);
    assert.doesNotMatch(r.out, /all checks passed/);
    const j = await run(['check', '--kubeconfig', kubeconfig, '--request-timeout', '300ms', '-o', 'json']);
    assert.equal(j.code, 2);
    assert.equal(JSON.parse(j.out).ok, false);
  });
});
