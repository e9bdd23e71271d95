// Every code of the contract (diagnosis-codes.md) has a rule with a written docs page and a test
// file of its own; no rule is a placeholder.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ALL_RULES, RULES_BY_CODE } from '../src/rules/index.js';

// The codes table of diagnosis-codes.md, in its order.
const CONTRACT_CODES = `source.auth source.ref-not-found source.unreachable source.secret-missing source.tls
source.verification-failed helm.chart-not-found helm.values-invalid helm.chart-dependency helm.secret-missing
helm.install-failed helm.upgrade-failed helm.test-failed helm.release-pending kustomize.source-not-ready
kustomize.build-failed kustomize.validation-failed kustomize.rbac-forbidden kustomize.immutable-field
kustomize.health-check-failed kustomize.dependency-not-ready kustomize.decryption-failed kustomize.substitution-failed
image.scan-failed image.policy-no-match image.git-push-failed notification.receiver-secret-missing
notification.provider-failed workload.crashloop workload.image-pull workload.unschedulable workload.oom
workload.not-ready flux.suspended flux.controller-unavailable flux.crd-missing flux.reference-missing
flux.dependency-cycle flux.stale-generation`.split(/\s+/);

const SYMPTOM_CODES = [
  'kustomize.source-not-ready',
  'kustomize.dependency-not-ready',
  'helm.install-failed',
  'helm.upgrade-failed',
  'kustomize.health-check-failed',
];

describe('catalog', () => {
  it('every contract code has a rule', () => {
    assert.deepEqual(
      CONTRACT_CODES.filter((c) => !RULES_BY_CODE.has(c)),
      [],
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
      assert.notEqual(rule.meta.docs.description, 'TODO');
      if (code.startsWith('advice.')) assert.notEqual(rule.meta.severity, 'error', 'advice is never an error');
    });
  }

  it('symptom codes declare the edges that explain them', () => {
    for (const c of SYMPTOM_CODES) assert.ok((RULES_BY_CODE.get(c)?.meta.explainedBy ?? []).length > 0, c);
  });
});
