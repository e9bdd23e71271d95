// Code pages live in docs/codes/<code>.md: one per rule, no orphan, each parses into its sections and
// renders back to the same text (so the file format is the one src/rules/docs.ts writes and reads).

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CODE_PAGES_DIR, docsOf, parseDocPage, renderDocPage } from '../src/rules/docs.js';
import { ALL_RULES } from '../src/rules/index.js';

describe('code pages (docs/codes)', () => {
  it('every rule has its page and every page a rule', () => {
    const codes = new Set(ALL_RULES.map((r) => r.meta.code));
    const files = existsSync(CODE_PAGES_DIR) ? readdirSync(CODE_PAGES_DIR).filter((f) => f.endsWith('.md')) : [];
    for (const f of files) assert.ok(codes.has(f.replace(/\.md$/, '')), `docs/codes/${f} has no rule`);
    for (const r of ALL_RULES) {
      if (r.meta.docs) continue; // a page still inline in the rule
      assert.ok(files.includes(`${r.meta.code}.md`), `docs/codes/${r.meta.code}.md is missing`);
    }
  });
  it('each page parses and renders back to the same text', () => {
    for (const r of ALL_RULES) {
      const file = join(CODE_PAGES_DIR, `${r.meta.code}.md`);
      if (!existsSync(file)) continue;
      const text = readFileSync(file, 'utf8');
      const d = parseDocPage(text, file);
      assert.equal(renderDocPage(r.meta.code, r.meta.title, d), text, `${file} round trip`);
      assert.ok(text.startsWith(`# ${r.meta.code}: ${r.meta.title}\n`), `${file} heading names code and title`);
      assert.deepEqual(docsOf(r), d);
    }
  });
  it('a page without a required section is an error naming it', () => {
    assert.throws(
      () => parseDocPage('# x: y\n\n## What it means\n\nz\n', 'x.md'),
      /x\.md: section "## How it is detected" is missing/,
    );
  });
  it('messages with backticks survive the round trip', () => {
    const d = {
      description: 'd',
      detection: 'd',
      fix: 'f',
      commands: ['kubectl get x'],
      examples: [
        { message: 'error: `a` and ``b``', source: 'src' },
        { message: '`edge`', source: 's2' },
      ],
    };
    assert.deepEqual(parseDocPage(renderDocPage('a.b', 't', d)), d);
  });
});
