// Commands load only their own code: `--version` and `diagnose --snapshot` do not load the MCP SDK
// or the Kubernetes client (issue 9: `--version` cost about 1 s of CPU). The built bin runs with a
// loader hook (test/fixtures/load-recorder) that records every module the process resolves; `mcp
// --help` and `check --help` show that the recorder sees those packages when they are loaded.
// Also: `--help`, listed from main.ts's static table, is the help of the fully registered program.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { COMMAND_MODULES, main, newProgram } from '../src/cli/main.js';

const MCP = 'node_modules/@modelcontextprotocol/sdk/';
const KUBE = 'node_modules/@kubernetes/client-node/';

function loadsOf(args: string[]): { status: number | null; stdout: string; loads: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'fluxdoctor-loads-'));
  const out = join(dir, 'loads.txt');
  try {
    const r = spawnSync(
      process.execPath,
      ['--import', './test/fixtures/load-recorder/register.mjs', 'bin/fluxdoctor.js', ...args],
      { encoding: 'utf8', env: { PATH: process.env.PATH, FLUXDOCTOR_RECORD_LOADS: out } },
    );
    let loads: string[] = [];
    try {
      loads = readFileSync(out, 'utf8').split('\n').filter(Boolean);
    } catch {}
    return { status: r.status, stdout: r.stdout, loads };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const loaded = (loads: string[], pkg: string) => loads.filter((u) => u.includes(pkg));

describe('commands load only their own modules (built bin)', () => {
  it('--version loads neither the MCP SDK nor the Kubernetes client, nor any command module', () => {
    const r = loadsOf(['--version']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+/);
    assert.ok(
      r.loads.some((u) => u.endsWith('/dist/cli/main.js')),
      'the recorder saw main.js',
    );
    assert.deepEqual(loaded(r.loads, MCP), []);
    assert.deepEqual(loaded(r.loads, KUBE), []);
    assert.deepEqual(loaded(r.loads, '/dist/cli/commands/'), []);
  });

  it('diagnose --snapshot examples/healthy loads neither the MCP SDK nor the Kubernetes client', () => {
    const r = loadsOf(['diagnose', '--snapshot', 'examples/healthy']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /No problems found/);
    assert.ok(
      r.loads.some((u) => u.endsWith('/dist/cli/commands/diagnose.js')),
      'the recorder saw diagnose.js',
    );
    assert.deepEqual(loaded(r.loads, MCP), []);
    assert.deepEqual(loaded(r.loads, KUBE), []);
    assert.deepEqual(loaded(r.loads, '/dist/cli/commands/mcp.js'), []);
  });

  it('no offline command and no view of a snapshot loads them (the class, not one command)', () => {
    const snap = ['--snapshot', 'examples/healthy'];
    for (const args of [
      ['--help'],
      ['get', ...snap],
      ['stats', ...snap],
      ['events', ...snap],
      ['logs', ...snap],
      ['tree', 'ks/flux-system', ...snap],
      ['trace', 'ks/flux-system', ...snap],
      ['explain', 'source.auth'],
      ['explain', 'HelmRelease.spec.chart'],
      ['codes'],
      ['docs', 'search', 'chart'],
    ]) {
      const r = loadsOf(args);
      assert.equal(r.status, 0, args.join(' '));
      assert.ok(r.loads.length > 0, 'the recorder ran');
      assert.deepEqual(loaded(r.loads, MCP), [], `${args.join(' ')} loads the MCP SDK`);
      assert.deepEqual(loaded(r.loads, KUBE), [], `${args.join(' ')} loads the Kubernetes client`);
    }
  });

  it('the recorder sees them when a command needs them: mcp loads the SDK, check the Kubernetes client', () => {
    assert.notDeepEqual(loaded(loadsOf(['mcp', '--help']).loads, MCP), []);
    const check = loadsOf(['check', '--help']).loads;
    assert.ok(check.some((u) => u.endsWith('/dist/cli/commands/check.js')));
    assert.notDeepEqual(loaded(check, KUBE), []);
  });
});

function capture(): { io: Parameters<typeof main>[1] & object; out: () => string } {
  let s = '';
  const sink = { write: (t: string) => (s += t) };
  return { io: { stdout: sink, stderr: sink, env: {} }, out: () => s };
}

describe('the static command table (main.ts)', () => {
  it('lists exactly the commands each module registers, with their usage and description', async () => {
    for (const m of COMMAND_MODULES) {
      const program = newProgram(capture().io);
      (await m.load()).register(program, { io: capture().io, exit: 0 });
      const help = program.createHelp();
      assert.deepEqual(
        m.commands,
        program.commands.map((cmd) => ({
          name: cmd.name(),
          term: help.subcommandTerm(cmd),
          description: cmd.description(),
        })),
      );
    }
  });

  it('--help is the help of the fully registered program', async () => {
    const full = capture();
    const program = newProgram(full.io);
    const ctx = { io: full.io, exit: 0 };
    for (const m of COMMAND_MODULES) (await m.load()).register(program, ctx);
    const lazy = capture();
    assert.equal(await main(['node', 'fluxdoctor', '--help'], lazy.io), 0);
    assert.equal(lazy.out(), program.helpInformation());
    assert.match(lazy.out(), /explain \[options\] <code-or-field>/);
  });

  it('help COMMAND and COMMAND --help show the command’s own options', async () => {
    for (const argv of [
      ['help', 'suspend'],
      ['suspend', '--help'],
    ]) {
      const c = capture();
      assert.equal(await main(['node', 'fluxdoctor', ...argv], c.io), 0);
      assert.match(c.out(), /Usage: fluxdoctor suspend \[options\] <target\.\.\.>/);
      assert.match(c.out(), /--context/);
    }
  });

  it('an unknown command is a usage error that suggests the nearest one', async () => {
    const c = capture();
    assert.equal(await main(['node', 'fluxdoctor', 'diagnos'], c.io), 2);
    assert.match(c.out(), /unknown command 'diagnos'/);
    assert.match(c.out(), /diagnose/);
  });
});
