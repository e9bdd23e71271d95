// image-automation-controller patterns: the v0.x bare errors and the v0.39+ phase wrappers map to the same
// code, the Git server's refusal (GitHub GH006, GitLab protected branch hook, a read-only deploy key) is the
// cause inside the push wrapper, and no pattern backtracks on hostile input.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PATTERNS as GG } from '../../src/signals/patterns/go-git.js';
import { PATTERNS as IAC } from '../../src/signals/patterns/image-automation-controller.js';
import { dataOf, hostileInputs, innermost, timeIt } from './innermost.js';

// An ImageUpdateAutomation's messages are read with its controller's and go-git's patterns.
const CANDIDATES = [...GG, ...IAC];
const classify = (text: string) => {
  const hit = innermost(text, CANDIDATES);
  return { id: hit?.pattern.id, code: hit?.pattern.code, cause: hit?.pattern.cause, data: dataOf(hit) };
};

describe('image-automation-controller patterns', () => {
  it('protected branches of GitHub and GitLab are the cause inside the push wrapper', () => {
    for (const t of [
      'failed to update source: failed to push to remote: command error on refs/heads/main: protected branch hook declined',
      'failed to update source: failed to push to remote: command error on refs/heads/main: push declined due to repository rule violations',
      'failed to push to remote: unknown error: remote: error: GH006: Protected branch update failed for refs/heads/main.',
    ])
      assert.deepEqual([classify(t).code, classify(t).cause], ['image.git-push-failed', 'protected'], t);
    assert.equal(
      classify(
        'failed to push to remote: unknown error: remote: error: GH006: Protected branch update failed for refs/heads/main.',
      ).data.ref,
      'refs/heads/main.',
    );
  });

  it('a read-only key reads the same in v0.7–v0.10 and v0.39+', () => {
    for (const t of [
      'push rejected; check git secret has write access',
      'failed to update source: failed to push to remote: unknown error: ERROR: The key you are authenticating with has been marked as read only.',
    ])
      assert.equal(classify(t).cause, 'read-only', t);
  });

  it('the wrappers alone say which phase failed', () => {
    assert.equal(classify('failed to update source: failed to push to remote: EOF').cause, 'push');
    assert.equal(
      classify("failed to checkout source: unable to clone 'ssh://git@github.com/org/fleet': EOF").cause,
      'checkout',
    );
    assert.equal(classify('failed configuring source manager: something').cause, 'checkout');
  });

  it('go-git transport errors inside the wrapper keep their own code (auth)', () => {
    const c = classify('failed to update source: failed to push to remote: authentication required');
    assert.equal(c.code, 'source.auth');
  });

  it('a missing GitRepository and a missing auth Secret', () => {
    const repo = classify(
      'failed configuring source manager: referenced git repository does not exist: gitrepositories.source.toolkit.fluxcd.io "fleet" not found',
    );
    assert.deepEqual([repo.code, repo.data.name], ['flux.reference-missing', 'fleet']);
    assert.equal(classify('referenced git repository is missing').code, 'flux.reference-missing');
    const sec = classify(
      'failed configuring source manager: failed to get auth secret \'flux-system/flux-system\': secrets "flux-system" not found',
    );
    assert.deepEqual([sec.cause, sec.data.secret, sec.data.name], ['secret', 'flux-system/flux-system', 'flux-system']);
  });

  it('every pattern stays fast on 100 KB of hostile input', () => {
    for (const p of IAC) {
      for (const input of hostileInputs(p)) {
        const ms = timeIt(p.re, input);
        assert.ok(ms < 250, `${p.id} took ${ms.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 30))}…`);
      }
    }
  });
});
