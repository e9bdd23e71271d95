// `fluxdoctor mcp --snapshot PATH` serves a support bundle by default: a tool call that names no
// input reads PATH; one that names a snapshot, context or kubeconfig reads that instead.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { checkDefaultSnapshot } from '../src/cli/commands/mcp.js';
import { type Io, main } from '../src/cli/main.js';
import { defaultInputNote, withDefaultInput } from '../src/mcp/default-input.js';

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: {},
  };
  const code = await main(['node', 'fluxdoctor', ...args], io);
  return { code, out, err };
}

describe('mcp --snapshot PATH', () => {
  const opts = { defaultSnapshot: ['/bundles/cluster.yaml'] };

  it('a call without snapshot, context or kubeconfig reads the default snapshot', () => {
    assert.deepEqual(withDefaultInput({ target: 'hr/web' }, opts), {
      target: 'hr/web',
      snapshot: ['/bundles/cluster.yaml'],
    });
  });

  it('a call that names its input keeps it', () => {
    assert.deepEqual(withDefaultInput({ snapshot: 'other.yaml' }, opts), { snapshot: 'other.yaml' });
    assert.deepEqual(withDefaultInput({ context: 'prod' }, opts), { context: 'prod' });
    assert.deepEqual(withDefaultInput({ kubeconfig: '/k' }, opts), { kubeconfig: '/k' });
  });

  it('without --snapshot nothing changes (the live cluster is read)', () => {
    const args = { namespace: 'apps' };
    assert.equal(withDefaultInput(args, {}), args);
    assert.match(defaultInputNote({}), /live cluster/);
    assert.match(defaultInputNote(opts), /serves the snapshot \/bundles\/cluster\.yaml/);
  });

  it('the default does not leak between calls (each call gets its own array)', () => {
    const a = withDefaultInput({}, opts).snapshot as string[];
    a.push('x');
    assert.deepEqual(opts.defaultSnapshot, ['/bundles/cluster.yaml']);
  });

  it('the paths are checked at start: absolute, existing files or directories', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-mcp-snap-'));
    const f = join(dir, 'bundle.yaml');
    writeFileSync(f, 'apiVersion: v1\nkind: List\nitems: []\n');
    assert.deepEqual(checkDefaultSnapshot([f, dir]), [resolve(f), resolve(dir)]);
    assert.throws(() => checkDefaultSnapshot([join(dir, 'nope.yaml')]), /no such file or directory/);
    assert.throws(() => checkDefaultSnapshot(['-']), /stdin is the MCP channel/);
  });

  it('fluxdoctor mcp --snapshot MISSING exits 2 with the reason, before serving', async () => {
    const r = await cli(['mcp', '--snapshot', '/nonexistent/fd-bundle.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--snapshot \/nonexistent\/fd-bundle\.yaml: no such file or directory/);
    const help = await cli(['mcp', '--help']);
    assert.match(help.out, /--snapshot <path>/);
  });
});
