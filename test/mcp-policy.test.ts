// The pure parts of MCP hardening (issue 8): the HTTP request policy (Origin, Host), the path policy
// (checkPath under a root), and kubeconfig errors that never quote the file.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hostOf, normalizeOrigin, parseAllowOrigin, refuseRequest } from '../src/mcp/http.js';
import { checkPath, checkPathArgs, PathRefused, pathPolicy } from '../src/mcp/paths.js';
import { kubeconfigError, LiveError, readKubeConfig } from '../src/read/live.js';

describe('HTTP request policy', () => {
  const loop = { allowOrigins: ['http://localhost:6274'], loopback: true, listenHost: '127.0.0.1' };
  it('normalises origins and refuses non-origins at start', () => {
    assert.equal(normalizeOrigin('HTTPS://App.Example:443'), 'https://app.example');
    assert.equal(normalizeOrigin('null'), 'null');
    assert.equal(normalizeOrigin('not a url'), undefined);
    assert.equal(parseAllowOrigin('http://localhost:6274/'), 'http://localhost:6274');
    for (const bad of ['https://a.example/path', 'https://u:p@a.example', 'null', '*', 'a.example', 'file:///x'])
      assert.throws(() => parseAllowOrigin(bad), /is not an origin/, bad);
  });
  it('Origin: absent is served, listed is served, anything else is refused', () => {
    assert.equal(refuseRequest({ host: '127.0.0.1:1' }, loop), undefined);
    assert.equal(refuseRequest({ host: '127.0.0.1:1', origin: 'http://localhost:6274' }, loop), undefined);
    for (const origin of ['http://localhost:6275', 'https://localhost:6274', 'null', 'http://evil.example', ''])
      assert.match(refuseRequest({ host: '127.0.0.1:1', origin }, loop)?.message ?? '', /forbidden origin/, origin);
  });
  it('Host on a loopback bind: loopback names only, port-agnostic', () => {
    for (const host of ['localhost', 'localhost:80', '127.0.0.1:8765', '[::1]:8765', 'LOCALHOST:1'])
      assert.equal(refuseRequest({ host }, loop), undefined, host);
    for (const host of [
      undefined,
      '',
      'evil.example',
      '127.0.0.1.nip.io',
      'localhost.evil.example',
      'u@localhost',
      '10.0.0.1',
    ])
      assert.match(refuseRequest({ host }, loop)?.message ?? '', /forbidden host/, String(host));
    assert.equal(refuseRequest({ host: 'anything.example' }, { ...loop, loopback: false }), undefined);
    assert.equal(hostOf('[::1]:80'), '[::1]');
  });
});

describe('path policy', () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'fd-paths-')));
  const root = join(base, 'root');
  mkdirSync(join(root, 'dir', 'deep'), { recursive: true });
  writeFileSync(join(root, 'dir', 'a.yaml'), 'kind: List\n');
  writeFileSync(join(base, 'secret.txt'), 'x');
  symlinkSync(join(root, 'dir'), join(root, 'dir', 'deep', 'loop')); // a loop inside the root is fine
  symlinkSync(join(root, 'nowhere'), join(root, 'dir', 'dangling')); // nothing is read through it
  mkdirSync(join(root, 'bad'));
  symlinkSync(join(base, 'secret.txt'), join(root, 'bad', 'x.yaml'));

  it('any (stdio) passes every path as is; none (HTTP) refuses every path', async () => {
    assert.equal(await checkPath('snapshot', '/etc/passwd', { mode: 'any' }), '/etc/passwd');
    await assert.rejects(
      checkPath('logs', 'x', { mode: 'none' }),
      /^Error: logs: file paths are not accepted over HTTP/,
    );
    assert.deepEqual(await pathPolicy(undefined, true), { mode: 'none' });
    assert.deepEqual(await pathPolicy(undefined, false), { mode: 'any' });
    await assert.rejects(pathPolicy(join(base, 'missing'), true), PathRefused);
  });

  it('root: inside is read as its real path; outside, escapes and symlinks out are refused', async () => {
    const policy = await pathPolicy(root, true);
    assert.equal(await checkPath('snapshot', 'dir', policy), join(root, 'dir'));
    assert.equal(await checkPath('snapshot', join(root, 'dir', 'a.yaml'), policy), join(root, 'dir', 'a.yaml'));
    assert.equal(await checkPath('snapshot', 'dir/deep/loop/a.yaml', policy), join(root, 'dir', 'a.yaml'));
    await assert.rejects(checkPath('snapshot', '../secret.txt', policy), /is outside --snapshot-root/);
    await assert.rejects(checkPath('snapshot', join(base, 'secret.txt'), policy), /is outside --snapshot-root/);
    await assert.rejects(checkPath('kubeconfig', 'bad/x.yaml', policy), /^Error: kubeconfig: .* leads outside/);
    await assert.rejects(checkPath('snapshot', 'bad', policy), /contains a symlink that leads outside.*bad\/x\.yaml/);
    await assert.rejects(checkPath('snapshot', 'a\0b', policy), /NUL/);
    const args = await checkPathArgs({ snapshot: ['dir', '-'], logs: ['dir/a.yaml'], other: '../x' }, policy);
    assert.deepEqual(args, { snapshot: [join(root, 'dir'), '-'], logs: [join(root, 'dir', 'a.yaml')], other: '../x' });
  });
});

describe('kubeconfig errors never quote the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-kc-'));
  const MARK = 'kcMarker42secret';
  const files: Record<string, string> = {
    environ: `HOME=/root\0TOKEN=${MARK}\0`,
    'flow.yaml': `users:\n- name: u\n  user: {token: ${MARK}\n`,
    'tag.yaml': `a: !<${MARK}> b\n`,
    'indent.yaml': `clusters:\n  - name: ${MARK}\n bad: ${MARK}\n`,
    'noname.yaml': `users:\n- user: {token: ${MARK}}\n`,
  };
  for (const [f, t] of Object.entries(files)) writeFileSync(join(dir, f), t);

  for (const f of Object.keys(files))
    it(f, () => {
      let msg = '';
      try {
        readKubeConfig(join(dir, f));
      } catch (e) {
        assert.ok(e instanceof LiveError);
        msg = e.message;
      }
      assert.match(
        msg,
        new RegExp(`^cannot read kubeconfig ${join(dir, f).replace(/[.]/g, '\\.')}: not a valid kubeconfig`),
      );
      assert.ok(!msg.includes(MARK), msg);
    });

  it('valid YAML that is not a kubeconfig says so (not "no cluster in the kubeconfig")', () => {
    for (const [name, body] of [
      ['string.yaml', 'hello world\n'],
      ['list.yaml', '- a\n- b\n'],
      ['deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n'],
    ]) {
      writeFileSync(join(dir, name!), body!);
      assert.throws(
        () => readKubeConfig(join(dir, name!)),
        /: not a kubeconfig \(expected a YAML mapping with clusters/,
      );
    }
    // An empty kubeconfig is a kubeconfig: the later "no cluster" message stands.
    writeFileSync(join(dir, 'empty-config.yaml'), 'apiVersion: v1\nkind: Config\nclusters: []\n');
    assert.doesNotThrow(() => readKubeConfig(join(dir, 'empty-config.yaml')));
  });

  it('a YAML error gives the line; structural errors keep the field; files errors the reason', () => {
    assert.throws(() => readKubeConfig(join(dir, 'flow.yaml')), /\(YAML error at line \d+\)$/);
    assert.throws(() => readKubeConfig(join(dir, 'noname.yaml')), /\(users\[0\]\.name is missing\)$/);
    assert.throws(() => readKubeConfig(join(dir, 'missing')), /: no such file$/);
    assert.throws(() => readKubeConfig(dir), /: is a directory$/);
    assert.equal(
      kubeconfigError('/x', new Error(`something ${MARK}`)),
      'cannot read kubeconfig /x: not a valid kubeconfig',
    );
  });

  it('a FIFO or device is refused without reading', () => {
    assert.throws(() => readKubeConfig('/dev/zero'), /not a regular file/);
  });
});
