// `diagnose -o markdown` and the code pages paste cleanly into GitHub, Jira and Slack (issue 9): plain
// text carries no HTML entity, every command is a code span that shows it as it is, prose stays
// prose, and cluster text (HTML, links, backticks, pipes, newlines, mentions) renders inert.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { isCommandStep } from '../src/render/advice.js';
import { cleanLine, mdCode, mdFence, mdText } from '../src/render/sanitize.js';
import { codePage, docsOf } from '../src/rules/docs.js';
import { ALL_RULES } from '../src/rules/index.js';
import { cond, obj, status } from './helpers.js';
import { blockMarker, readInline, tableCells } from './markdown-inline.js';
import { runCli } from './run-cli.js';

// Everything a cluster message could use against a page: raw HTML, a javascript: link, code-span
// breakers, a table row, a line break, Slack and GitHub mentions, an entity, emphasis, a bare URL.
const EVIL = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[click](javascript:alert(1))',
  '![x](https://evil.example/t.png)',
  '<https://evil.example/auto>',
  '``x`` `y` ```z```',
  'a|b | --- |',
  '@here @channel <!channel> <@U024BE7LH> @org/team',
  '&quot;q&quot; &#39;s&#39; &amp; it\'s "quoted" & more',
  '*b* **bb** _i_ __ii__ ~~s~~',
  'https://evil.example/p www.evil.example ops@evil.example',
  '\\` \\* \\\\',
].join(' ');
const MESSAGE = `failed to checkout and determine revision: ${EVIL}\n# heading\n| x | y |\n1. fake step`;

function hostileSnapshot(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'fd-md-'));
  const docs = [
    obj('GitRepository', 'flux-system/apps', {
      spec: { url: 'https://git.example.com/o/r', interval: '1m', ref: { branch: 'main' } },
      status: status(['False', 'GitOperationFailed', MESSAGE]),
    }),
    obj('Kustomization', 'flux-system/apps', {
      spec: { sourceRef: { kind: 'GitRepository', name: 'apps' }, path: './apps', interval: '5m', prune: true },
      status: status(['False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s'], [], {}),
    }),
    obj('HelmRelease', 'apps/web', {
      spec: {
        interval: '5m',
        chart: {
          spec: {
            chart: 'web',
            version: '1.0.0',
            sourceRef: { kind: 'HelmRepository', name: 'charts', namespace: 'apps' },
          },
        },
      },
      status: status(
        ['False', 'InstallFailed', `Helm install failed for release apps/web with chart web@1.0.0: ${EVIL}`],
        [cond('Released', 'False', 'InstallFailed', `Helm install failed: ${EVIL}`)],
      ),
    }),
    obj('HelmRepository', 'apps/charts', {
      spec: { url: 'https://charts.example.com/', interval: '1h' },
      status: status(['True', 'Succeeded', 'stored artifact: revision sha256:0123']),
    }),
  ];
  const file = join(dir, 'cluster.yaml');
  writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'List', items: docs }));
  return ['--snapshot', file, '--now', '2026-11-24T10:10:00Z'];
}

interface Finding {
  code: string;
  summary: string;
  evidence: { kind: string; object: string; text: string }[];
  remediation: string[];
}

/** Check a whole `-o markdown` report line by line against the findings of `-o json`. */
function checkReport(md: string, findings: Finding[]): { steps: number; commands: number } {
  const lines = md.split('\n');
  let fence: string | undefined;
  let finding = -1;
  let steps = 0;
  let commands = 0;
  const inert = (where: string, text: string, opts: { cell?: boolean } = {}) => {
    const r = readInline(text, opts);
    assert.deepEqual(r.markup, [], `${where}: markup from plain text in ${JSON.stringify(text)}`);
    return r;
  };
  for (const [n, line] of lines.entries()) {
    const where = `line ${n + 1}`;
    if (fence !== undefined) {
      if (line === fence) fence = undefined;
      else assert.ok(!line.includes(fence), `${where}: a backtick run as long as the fence inside the block`);
      continue;
    }
    const open = /^(`{3,})([a-z]*)$/.exec(line);
    if (open) {
      fence = open[1];
      continue;
    }
    if (line === '' || line === '# fluxdoctor diagnosis' || /^\*\*[A-Z][a-z]+:\*\*$/.test(line)) continue;
    if (line.startsWith('|')) {
      const cells = tableCells(line);
      assert.equal(cells.length, 4, `${where}: the row has 4 cells: ${line}`);
      for (const c of cells) if (!/^-+$/.test(c)) inert(where, c, { cell: true });
      continue;
    }
    const heading = /^## (ERROR|WARNING|INFO) (.*)$/.exec(line);
    if (heading) {
      finding++;
      const h = inert(where, heading[2]!);
      assert.equal(h.spans[0], findings[finding]!.code, `${where}: the code is a code span`);
      continue;
    }
    const f = findings[finding];
    const step = /^(\d+)\. (.*)$/.exec(line);
    if (step && f) {
      const k = Number(step[1]) - 1;
      const want = cleanLine(f.remediation[k], 2000);
      const r = inert(where, step[2]!);
      assert.equal(r.text, want, `${where}: step ${k + 1} reads as the step`);
      assert.equal(blockMarker(step[2]!), undefined, `${where}: the step starts no block of its own`);
      if (isCommandStep(want)) {
        commands++;
        // The whole command is one code span: it copies as it is.
        assert.deepEqual(r.spans, [want], `${where}: the command is one code span`);
        assert.match(step[2]!, /^`+.*`+$/);
      } else
        assert.ok(
          r.spans.every((s) => s !== want),
          `${where}: a prose step stays prose`,
        );
      steps++;
      continue;
    }
    const ev = /^- (\w+) (.*)$/.exec(line);
    if (ev && f) {
      const r = inert(where, ev[2]!);
      assert.ok(
        f.evidence.some((e) => e.kind === ev[1] && r.spans[0] === e.object && r.spans[1] === cleanLine(e.text, 1000)),
        `${where}: the evidence line shows the object and the text verbatim in code spans: ${line}`,
      );
      continue;
    }
    // Any other line: a paragraph (counts, summary, fix target, affected) that starts no block.
    // Our own labels (`**Fix target:** `) are the only emphasis.
    const label = /^\*\*(?:Fix target|Affected \(\d+\)):\*\* /.exec(line)?.[0] ?? '';
    const r = inert(where, line.slice(label.length));
    assert.equal(blockMarker(line.slice(label.length)), undefined, `${where}: ${line}`);
    if (f && !label) assert.equal(r.text, cleanLine(f.summary, 1000).trim(), `${where}: the summary`);
  }
  assert.equal(fence, undefined, 'every fenced block is closed');
  assert.equal(finding, findings.length - 1, 'a section per finding');
  return { steps, commands };
}

describe('diagnose -o markdown', () => {
  it('the multi-hop example: no HTML entity for plain quotes, commands as code spans, prose as prose', async () => {
    const args = ['diagnose', '--snapshot', 'examples/multi-hop'];
    const md = (await runCli([...args, '-o', 'markdown'])).out;
    const json = JSON.parse((await runCli([...args, '-o', 'json'])).out);
    assert.ok(!/&(?:#39|quot|amp|lt|gt);/.test(md), `an HTML entity in: ${md}`);
    // The example's messages do hold quotes, so the check above means something.
    assert.match(md, /source 'bitnami'/);
    assert.match(md, /Get "https:\/\/charts\.bitnarni\.com\/bitnami\/index\.yaml"/);
    assert.match(md, /^\d+\. `kubectl logs -n flux-system deploy\/source-controller \| grep '"name":"bitnami"'`$/m);
    const { steps, commands } = checkReport(md, json.findings);
    assert.equal(
      steps,
      json.findings.reduce((n: number, f: Finding) => n + f.remediation.length, 0),
    );
    assert.ok(commands >= 5 && commands < steps, `${commands} commands among ${steps} steps`);
  });

  it('hostile cluster text renders inert: no HTML, link, mention, table or code-span break', async () => {
    const args = ['diagnose', ...hostileSnapshot()];
    const md = (await runCli([...args, '-o', 'markdown'])).out;
    const json = JSON.parse((await runCli([...args, '-o', 'json'])).out);
    assert.ok(json.findings.length >= 2, md);
    // The hostile text reached the report (else the test proves nothing), in prose and in evidence.
    assert.ok(json.findings.some((f: Finding) => f.summary.includes('<script>')));
    assert.ok(md.includes('<script>alert(1)</script>'), 'verbatim inside a code span');
    checkReport(md, json.findings);
    // No line of the page starts with what the message tried to start.
    assert.ok(!/^(?:# heading|\| x \| y \||1\. fake step)/m.test(md), md);
  });
});

describe('Markdown helpers (any text)', () => {
  const special = fc.constantFrom(
    ...'`*_[]()<>!|~\\&#;:/.@-+= \t\nax1'.split(''),
    'https://',
    'www.',
    '&quot;',
    '<!channel>',
    '```',
  );
  const texts = fc.array(special, { maxLength: 40 }).map((a) => a.join(''));

  it('mdText renders as the text itself, with no markup, in prose, at a block start and in a table cell', () => {
    fc.assert(
      fc.property(texts, (t) => {
        const want = cleanLine(t).trim();
        for (const opts of [{}, { block: true }, { cell: true }]) {
          const out = mdText(t, opts);
          const r = readInline(out, opts);
          assert.deepEqual(r.markup, [], `${JSON.stringify(t)} → ${JSON.stringify(out)}`);
          assert.equal(r.text, want, `${JSON.stringify(t)} → ${JSON.stringify(out)}`);
          if ('block' in opts) assert.equal(blockMarker(out), undefined, out);
          if ('cell' in opts) assert.equal(tableCells(`| a | ${out} | b |`).length, 3, out);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('mdCode is one code span showing the text as it is, whatever backticks it holds', () => {
    fc.assert(
      fc.property(texts, (t) => {
        const want = cleanLine(t);
        const out = mdCode(t);
        if (want === '') return assert.equal(out, '');
        const r = readInline(out);
        assert.deepEqual(r.spans, [want], `${JSON.stringify(t)} → ${JSON.stringify(out)}`);
        assert.equal(r.text, want);
      }),
      { numRuns: 2000 },
    );
    assert.equal(mdCode('a `b` c'), '``a `b` c``');
    assert.equal(mdCode('`x'), '`` `x ``');
  });

  it('mdFence is longer than any backtick run inside', () => {
    assert.deepEqual(mdFence(['a ```` b']), ['`````', 'a ```` b', '`````']);
    assert.deepEqual(mdFence(['x'], 'sh'), ['```sh', 'x', '```']);
  });

  it('plain text keeps quotes and ampersands as they are, and snake_case without backslashes', () => {
    assert.equal(mdText(`it's "x" & y_z`), `it's "x" & y_z`);
    assert.equal(mdText('&quot;'), '\\&quot;');
    assert.equal(mdText('see https://x.example/a.'), 'see `https://x.example/a`.');
    assert.equal(mdText('@here'), '`@here`');
    // In a heading, a trailing ` #` run would be dropped as the closing sequence.
    assert.equal(mdText('x #'), 'x \\#');
  });
});

describe('code pages (explain CODE)', () => {
  it('messages are code spans with their exact text, commands a fenced block', () => {
    let messages = 0;
    for (const rule of ALL_RULES) {
      const page = codePage(rule);
      const lines = page.split('\n');
      for (const e of docsOf(rule).examples ?? []) {
        const shown = lines
          .filter((l) => l.startsWith('- `') && l.endsWith(` (${e.source})`))
          .map((l) => readInline(l.slice(2, -(e.source.length + 3))));
        assert.ok(
          shown.some((r) => r.markup.length === 0 && r.spans.length === 1 && r.spans[0] === cleanLine(e.message)),
          `${rule.meta.code}: no line shows ${e.message} as one code span`,
        );
        messages++;
      }
      if (docsOf(rule).commands.length) {
        const at = lines.indexOf('## Commands to confirm');
        assert.deepEqual(lines.slice(at + 2, at + 4 + docsOf(rule).commands.length), [
          '```sh',
          ...docsOf(rule).commands,
          '```',
        ]);
      }
    }
    assert.ok(messages > 20, `${messages} messages checked`);
  });
});
