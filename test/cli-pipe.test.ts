// Issue 9, the command line: output closed early (`| head`, `| grep -q`) ends quietly, as kubectl
// does, instead of an EPIPE stack trace. Runs the built bin through a real shell pipeline.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'fd-pipe-'));
// Far more output than a pipe buffers (64 KiB): 500 failing GitRepositories give MBs of findings.
const big = join(dir, 'big.json');
writeFileSync(
  big,
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: Array.from({ length: 500 }, (_, i) => ({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: `repo-${i}`, namespace: 'flux-system', generation: 1 },
      spec: { url: `https://example.com/r${i}` },
      status: {
        observedGeneration: 1,
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'GitOperationFailed',
            message: `failed to checkout and determine revision: unable to clone 'https://example.com/r${i}': authentication required`,
            lastTransitionTime: '2026-11-24T10:00:00Z',
          },
        ],
      },
    })),
  }),
);

/** Run `fluxdoctor ARGS | CONSUMER` in a shell; fluxdoctor's stderr goes to a file. */
function pipeline(args: string, consumer: string, pipefail = false) {
  const err = join(dir, `err-${Math.random().toString(36).slice(2)}`);
  const script = `${pipefail ? 'set -o pipefail; ' : ''}"${process.execPath}" bin/fluxdoctor.js ${args} 2>"${err}" | ${consumer}`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  return { status: r.status, stdout: r.stdout, fdStderr: readFileSync(err, 'utf8') };
}

describe('output closed early', () => {
  for (const fmt of ['yaml', 'json', 'text']) {
    it(`diagnose -o ${fmt} | head -1: the first line, no stack trace, the pipeline's status`, () => {
      const r = pipeline(`diagnose --snapshot ${big} -o ${fmt}`, 'head -1');
      assert.equal(r.fdStderr, '', 'nothing on stderr');
      assert.equal(r.status, 0, "head's status");
      assert.equal(r.stdout.split('\n').length, 2);
      assert.match(r.stdout, fmt === 'yaml' ? /^findings:/ : fmt === 'json' ? /^\{/ : /^fluxdoctor: 500 errors/);
    });
  }

  it('| grep -q: quiet; under pipefail the status is 141 (SIGPIPE), as kubectl', () => {
    const r = pipeline(`diagnose --snapshot ${big} -o json`, 'grep -q source.auth');
    assert.equal(r.fdStderr, '');
    assert.equal(r.status, 0);
    const pf = pipeline(`diagnose --snapshot ${big} -o json`, 'head -c 10 >/dev/null', true);
    assert.equal(pf.fdStderr, '');
    assert.equal(pf.status, 141);
  });

  it('a consumer that reads everything still gets everything and the exit status of diagnose', () => {
    const r = pipeline(`diagnose --snapshot ${big} -o json`, 'wc -c', true);
    assert.equal(r.fdStderr, '');
    assert.equal(r.status, 1, 'error findings: exit 1 through pipefail');
    assert.ok(Number(r.stdout.trim()) > 300_000);
  });
});
