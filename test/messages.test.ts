// Findings that return {cause, data}: the engine renders summary and remediation from meta.messages.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose } from '../src/diagnose/engine.js';
import { fill, render } from '../src/rules/messages.js';
import type { Rule } from '../src/rules/types.js';
import { graphOf, obj, status } from './helpers.js';

const rule: Rule = {
  meta: {
    code: 'source.auth',
    severity: 'error',
    title: 't',
    kinds: ['GitRepository'],
    messages: {
      'token-expired': {
        summary: 'The token in Secret {secret} was refused by {host}',
        remediation: [
          'Create a new token for {host}.',
          'kubectl get secret {sh:secret} -n {sh:namespace}',
          'Ask {owner}.',
        ],
      },
    },
    docs: { description: 'd', detection: 'd', fix: 'f', commands: ['c'] },
  },
  check: (o) => ({
    cause: 'token-expired',
    data: { secret: "git creds; rm -rf '/'", host: 'github.com', namespace: o.metadata.namespace },
    evidence: [],
  }),
};

describe('rule messages', () => {
  it('fills text and shell-quoted values, and leaves out a line whose value is absent', () => {
    assert.equal(fill('a {x} b', { x: 'y' }), 'a y b');
    assert.equal(fill('kubectl get secret {sh:x}', { x: "it's" }), "kubectl get secret 'it'\\''s'");
    assert.equal(fill('a {x}', {}), undefined);
    assert.equal(fill('a{?x} b', {}), 'a b');
    assert.equal(fill('a{?x} b', { x: ' y' }), 'a y b');
  });
  it('the engine renders a cause through its template', () => {
    const g = graphOf([
      obj('GitRepository', 'flux-system/repo', { status: status(['False', 'AuthenticationFailed', 'x']) }),
    ]);
    const [f] = diagnose(g, { rules: [rule] }).findings;
    assert.ok(f);
    assert.equal(f.summary, "The token in Secret git creds; rm -rf '/' was refused by github.com");
    assert.deepEqual(f.remediation, [
      'Create a new token for github.com.',
      "kubectl get secret 'git creds; rm -rf '\\''/'\\''' -n flux-system",
    ]);
  });
  it('a cause without a template is a rule failure, not a silent finding', () => {
    assert.throws(() => render(rule.meta, { cause: 'nope', evidence: [] }), /no message template for cause 'nope'/);
    const bad: Rule = { ...rule, check: () => ({ cause: 'nope', evidence: [] }) };
    const g = graphOf([obj('GitRepository', 'flux-system/repo', { status: status(['False', 'X', 'x']) })]);
    const r = diagnose(g, { rules: [bad] });
    assert.equal(r.findings.length, 0);
    assert.match(JSON.stringify(r.problems), /no message template/);
  });
});
