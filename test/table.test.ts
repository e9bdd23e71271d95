// The one table renderer (src/render/views.ts table()) and how the CLI lays a table out
// (src/cli/view-options.ts tableLayout): the terminal width, -o wide, --no-headers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Io } from '../src/cli/io.js';
import { tableLayout, terminalWidth } from '../src/cli/view-options.js';
import { colors } from '../src/render/color.js';
import { type Column, table, textWidth, truncate } from '../src/render/views.js';

const plain = colors(false);
const COLUMNS: Column[] = [
  { header: 'NAMESPACE' },
  { header: 'KIND' },
  { header: 'NAME' },
  { header: 'STATUS', shrink: 1, min: 12 },
];
const LONG = `health check failed after 5m0s: timeout waiting for: [${'HelmRelease/apps/x, '.repeat(20)}end]`;
const ROWS = [
  ['flux-system', 'Kustomization', 'a-very-long-kustomization-name-kept-whole', LONG],
  ['apps', 'HelmRelease', 'podinfo', 'Helm install succeeded'],
];
const lines = (s: string) => s.trimEnd().split('\n');

describe('table(): fitting a width', () => {
  it('cuts the shrinking column with an ellipsis to fit; names are kept whole', () => {
    const out = table(COLUMNS, ROWS, plain, { width: 100 });
    for (const l of lines(out)) assert.ok(textWidth(l) <= 100, `${textWidth(l)}: ${l}`);
    const [head, first, second] = lines(out);
    assert.match(head!, /^NAMESPACE\s+KIND\s+NAME\s+STATUS$/);
    assert.match(first!, /^flux-system {3}Kustomization {3}a-very-long-kustomization-name-kept-whole {3}health check/);
    assert.ok(first!.endsWith('…'), first);
    assert.equal(textWidth(first!), 100, 'the cut column uses the whole width');
    // A short cell that fits is not cut.
    assert.match(second!, /podinfo\s+Helm install succeeded$/);
  });

  it('without a width, or wide, nothing is cut (and wide ignores max)', () => {
    for (const opts of [{}, { wide: true, width: 60 }]) {
      const out = table(COLUMNS, ROWS, plain, opts);
      assert.ok(out.includes(LONG), JSON.stringify(opts));
      assert.ok(!out.includes('…'));
    }
    const capped: Column[] = [...COLUMNS.slice(0, 3), { header: 'STATUS', max: 30 }];
    assert.ok(table(capped, ROWS, plain).includes('…'));
    assert.ok(table(capped, ROWS, plain, { wide: true }).includes(LONG));
  });

  it('cuts the lowest shrink first, down to its min, then the next; then down to header widths', () => {
    const cols: Column[] = [
      { header: 'NAME' },
      { header: 'REASON', shrink: 2, min: 8 },
      { header: 'MESSAGE', shrink: 1, min: 12 },
    ];
    const rows = [['app', 'HealthCheckFailed', 'x'.repeat(60)]];
    // NAME 4 + REASON 17 + MESSAGE 60 + 2 gaps of 3 = 87.
    const at = (width: number) => lines(table(cols, rows, plain, { width }))[1]!;
    assert.equal(at(87), `app    HealthCheckFailed   ${'x'.repeat(60)}`);
    assert.equal(at(60), `app    HealthCheckFailed   ${'x'.repeat(32)}…`);
    // MESSAGE is at its min (12), then REASON is cut (not below its min, 8).
    assert.equal(at(33), `app    HealthChec…   ${'x'.repeat(11)}…`);
    assert.equal(at(30), `app    HealthC…   ${'x'.repeat(11)}…`);
    // Still too wide: each goes below its min, down to its header's width; never below.
    assert.equal(at(20), 'app    Healt…   xxxxxx…');
    assert.equal(at(5), 'app    Healt…   xxxxxx…');
    assert.equal(lines(table(cols, rows, plain, { width: 5 }))[0], 'NAME   REASON   MESSAGE');
  });

  it('never cuts a column without shrink, even when the line stays too wide', () => {
    const out = table(COLUMNS, ROWS, plain, { width: 20 });
    assert.ok(out.includes('a-very-long-kustomization-name-kept-whole'));
    assert.ok(out.includes('Kustomization'));
  });

  it('counts wide characters as two columns and never splits a character', () => {
    assert.equal(textWidth('漢字ab'), 6);
    assert.equal(textWidth('e\u0301'), 1);
    assert.equal(truncate('漢字漢字', 5), '漢字…');
    assert.equal(truncate('😀😀😀', 4), '😀…');
    const out = table([{ header: 'N' }, { header: 'M', shrink: 1, min: 1 }], [['a', '漢'.repeat(40)]], plain, {
      width: 30,
    });
    for (const l of lines(out)) assert.ok(textWidth(l) <= 30, l);
  });
});

describe('table(): headers', () => {
  it('--no-headers omits the header row and its width', () => {
    const cols: Column[] = [{ header: 'A-LONG-HEADER' }, { header: 'B' }];
    const withHead = lines(table(cols, [['x', 'y']], plain));
    assert.deepEqual(withHead, ['A-LONG-HEADER   B', 'x               y']);
    assert.deepEqual(lines(table(cols, [['x', 'y']], plain, { headers: false })), ['x   y']);
    assert.equal(table(cols, [], plain, { headers: false }), '');
  });

  it('colours the header bold and a cell by its paint, padding by plain width', () => {
    const c = colors(true);
    const out = table([{ header: 'A' }, { header: 'B', paint: (v) => c.red(v) }], [['xx', 'y']], c);
    assert.equal(out, `${c.bold('A')}    ${c.bold('B')}\nxx   ${c.red('y')}\n`);
  });
});

describe('tableLayout: the width a table must fit', () => {
  const io = (stdout: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv = {}): Io => ({
    stdout: { write: () => true, ...stdout },
    stderr: { write: () => true },
    env,
  });
  it('a terminal: its columns; else $COLUMNS; else none', () => {
    assert.equal(terminalWidth(io({ isTTY: true, columns: 93 })), 93);
    assert.equal(terminalWidth(io({ isTTY: true, columns: 93 }, { COLUMNS: '40' })), 93);
    assert.equal(terminalWidth(io({ isTTY: false }, { COLUMNS: '40' })), 40);
    assert.equal(terminalWidth(io({ isTTY: true }, { COLUMNS: ' 72 ' })), 72);
    assert.equal(terminalWidth(io({ isTTY: false, columns: 93 })), undefined, 'columns of a non-terminal');
    assert.equal(terminalWidth(io({})), undefined);
    for (const bad of ['', '0', 'wide', '-5', '80x'])
      assert.equal(terminalWidth(io({}, { COLUMNS: bad })), undefined, bad);
  });
  it('-o wide has no width; --no-headers turns the header off', () => {
    const t = io({ isTTY: true, columns: 80 });
    assert.deepEqual(tableLayout(t, { output: 'table' }), { width: 80, wide: false, headers: true });
    assert.deepEqual(tableLayout(t, { output: 'wide', headers: false }), {
      width: undefined,
      wide: true,
      headers: false,
    });
  });
});
