// Tables fit the terminal they are printed on: the built bin run under a real pseudo-terminal
// (util-linux `script`), an 80-column one, against the bundled multi-hop example. A pipe (no
// terminal, no $COLUMNS) gets whole lines, as from kubectl. Needs `npm run build` (bin uses dist/).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';

const SCRIPT = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));
const skip = SCRIPT ? false : 'util-linux `script` is not installed: no pseudo-terminal to run the CLI under';
if (skip) console.log(`# skipping the pseudo-terminal tests: ${skip}`);

const SNAP = '--snapshot examples/multi-hop';
// Everything the env needs to run node; no COLUMNS (the terminal's own size must be used).
const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  TERM: 'xterm',
  ...extra,
});

/** Strip SGR and other CSI sequences and the pty's carriage returns. */
const plain = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
const width = (l: string) => [...l].length;

/** Run `node bin/fluxdoctor.js ARGS` on a pseudo-terminal of `cols` columns; its output lines. */
function onTerminal(args: string, cols = 80): string[] {
  const cmd = `stty cols ${cols} rows 40; "${process.execPath}" bin/fluxdoctor.js ${args}`;
  const r = spawnSync(SCRIPT!, ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: env() });
  assert.equal(r.status, 0, `${args}: ${r.stderr}${r.stdout}`);
  const lines = plain(r.stdout)
    .split('\n')
    .filter((l) => l.length > 0);
  assert.ok(lines.length > 1, `${args}: ${r.stdout}`);
  return lines;
}

/** Run it with stdout a pipe. */
function onPipe(args: string, extra: NodeJS.ProcessEnv = {}): string[] {
  const r = spawnSync(process.execPath, ['bin/fluxdoctor.js', ...args.split(' ')], {
    encoding: 'utf8',
    env: env(extra),
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trimEnd().split('\n');
}

describe('tables on a terminal (pseudo-terminal, 80 columns)', { skip }, () => {
  it('is built (npm run build)', () => {
    assert.ok(existsSync('dist/cli/main.js'), 'dist/ is missing: run npm run build');
  });

  for (const cmd of ['get', 'events', 'codes', 'docs search chart not found'])
    it(`${cmd}: every line fits 80 columns; -o wide does not cut`, () => {
      const args = cmd.startsWith('docs') || cmd === 'codes' ? cmd : `${cmd} ${SNAP}`;
      const lines = onTerminal(args);
      for (const l of lines) assert.ok(width(l) <= 80, `${width(l)} columns: ${l}`);
      assert.ok(
        lines.some((l) => l.includes('…')),
        `something was cut to fit: ${lines.join('\n')}`,
      );
      const wide = onTerminal(`${args} -o wide`);
      assert.ok(
        wide.some((l) => width(l) > 80),
        `-o wide has a line over 80 columns: ${wide.join('\n')}`,
      );
    });

  it('get: names are whole on the terminal', () => {
    const lines = onTerminal(`get ${SNAP}`);
    assert.match(lines[0]!, /^NAMESPACE\s+KIND\s+NAME\s+READY\s+STATUS$/);
    assert.ok(lines.some((l) => /^flux-system\s+HelmChart\s+flux-system-redis\s+Failed\s/.test(l)));
    assert.ok(lines.some((l) => /^team-b\s+Kustomization\s+legacy-reports\s+Suspended\s/.test(l)));
  });

  it('a narrower terminal cuts more', () => {
    const at80 = onTerminal(`events ${SNAP}`, 80);
    const at120 = onTerminal(`events ${SNAP}`, 120);
    for (const l of at120) assert.ok(width(l) <= 120, l);
    assert.ok(Math.max(...at120.map(width)) > 80);
    assert.equal(at80.length, at120.length);
  });
});

describe('tables on a pipe', () => {
  it('no terminal and no $COLUMNS: whole lines, nothing cut', () => {
    const get = onPipe(`get ${SNAP}`);
    assert.ok(
      get.some((l) => width(l) > 80 && l.includes('no such host')),
      get.join('\n'),
    );
    const events = onPipe(`events ${SNAP}`);
    assert.ok(events.some((l) => l.endsWith('lookup charts.bitnarni.com on 10.96.0.10:53: no such host')));
    assert.ok(!events.join('\n').includes('…'));
  });

  it('$COLUMNS sets the width of a pipe', () => {
    const lines = onPipe(`events ${SNAP}`, { COLUMNS: '90' });
    for (const l of lines) assert.ok(width(l) <= 90, `${width(l)}: ${l}`);
    assert.ok(lines.some((l) => l.includes('…')));
  });

  it('-o name | xargs -n1 fluxdoctor trace: every name is a target', () => {
    const names = onPipe(`get ${SNAP} -o name`);
    assert.equal(names.length, 8);
    assert.ok(names.includes('helmrelease.helm.toolkit.fluxcd.io/redis'), names.join('\n'));
    const r = spawnSync(
      'sh',
      [
        '-c',
        `"${process.execPath}" bin/fluxdoctor.js get ${SNAP} -o name | xargs -n1 "${process.execPath}" bin/fluxdoctor.js trace ${SNAP}`,
      ],
      { encoding: 'utf8', env: env() },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /HelmRelease\/flux-system\/redis/);
  });
});
