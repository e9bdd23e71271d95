// Every code of the contract (diagnosis-codes.md) has a rule with a written docs page and a test
// file of its own; no rule is a placeholder.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { docsOf } from '../src/rules/docs.js';
import { ALL_RULES, RULES_BY_CODE } from '../src/rules/index.js';

// The codes table of docs/diagnosis-codes.md, in its order: every row's first cell.
const CONTRACT_CODES = [
  ...readFileSync('docs/diagnosis-codes.md', 'utf8').matchAll(/^\| `([a-z]+\.[a-z0-9-]+)` \|/gm),
].map((m) => m[1]!);

const SYMPTOM_CODES = [
  'kustomize.source-not-ready',
  'kustomize.dependency-not-ready',
  'helm.install-failed',
  'helm.upgrade-failed',
  'kustomize.health-check-failed',
];

describe('catalog', () => {
  it('every contract code has a rule, and every rule a row in the contract', () => {
    assert.ok(CONTRACT_CODES.length >= 40, `the codes table was read (${CONTRACT_CODES.length} rows)`);
    assert.deepEqual(
      CONTRACT_CODES.filter((c) => !RULES_BY_CODE.has(c)),
      [],
    );
    assert.deepEqual(
      ALL_RULES.map((r) => r.meta.code).filter((c) => !CONTRACT_CODES.includes(c)),
      [],
    );
  });

  it('advice and fallback are declared in meta, matching their codes', () => {
    for (const r of ALL_RULES) {
      assert.equal(r.meta.type === 'advice', r.meta.code.startsWith('advice.'), r.meta.code);
      if (r.meta.type === 'advice')
        assert.notEqual(r.meta.severity, 'error', `${r.meta.code}: advice is never an error`);
    }
    assert.deepEqual(
      ALL_RULES.filter((r) => r.meta.fallback).map((r) => r.meta.code),
      ['flux.reconcile-failed'],
    );
  });

  it('codes are unique and well-formed', () => {
    const codes = ALL_RULES.map((r) => r.meta.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const c of codes) assert.match(c, /^[a-z]+\.[a-z0-9-]+$/);
  });

  for (const rule of ALL_RULES) {
    const code = rule.meta.code;
    it(`${code}: implemented, documented and tested`, () => {
      const file = `src/rules/${code.replace('.', '-')}.ts`;
      assert.ok(existsSync(file), `${file} exists`);
      assert.doesNotMatch(readFileSync(file, 'utf8'), /PLACEHOLDER/, `${file} is still a placeholder`);
      const test = `test/rules/${code.replace('.', '-')}.test.ts`;
      assert.ok(existsSync(test), `${test} exists`);
      assert.notEqual(docsOf(rule).description, 'TODO');
      if (code.startsWith('advice.')) assert.notEqual(rule.meta.severity, 'error', 'advice is never an error');
    });
  }

  it('symptom codes declare the edges that explain them', () => {
    for (const c of SYMPTOM_CODES) assert.ok((RULES_BY_CODE.get(c)?.meta.explainedBy ?? []).length > 0, c);
  });
});
