// go-git / x/crypto ssh / libgit2 transport patterns: the wording of every source-controller era maps
// to one code and cause, the URL, branch, tag and host a fix needs are captured, look-alike texts of
// other causes are not claimed, and no pattern backtracks badly on hostile input.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import semver from 'semver';
import { PATTERNS as GIT } from '../../src/signals/patterns/go-git.js';
import { PATTERNS as SOURCE } from '../../src/signals/patterns/source-controller.js';
import { dataOf, hostileInputs, innermost, timeIt } from './innermost.js';

// A GitRepository's messages are read with both source-controller's and the transport's patterns.
const CANDIDATES = [...SOURCE, ...GIT];
const classify = (text: string) => {
  const hit = innermost(text, CANDIDATES);
  return { id: hit?.pattern.id, code: hit?.pattern.code, cause: hit?.pattern.cause, data: dataOf(hit) };
};
const byId = (id: string) => {
  const p = GIT.find((x) => x.id === id);
  assert.ok(p, `no pattern ${id}`);
  return p;
};

describe('go-git patterns', () => {
  it('reads the SSH key rejection the same in v0.2 (", error:"), v0.17 and v0.22+ wrappers, with the URL', () => {
    const v02 =
      "unable to clone 'ssh://git@github.com/org/fleet', error: ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain";
    const v17 =
      "unable to clone 'ssh://git@github.com/org/fleet': ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain";
    const v1 =
      "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/org/fleet': ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain";
    for (const text of [v02, v17, v1]) {
      const c = classify(text);
      assert.equal(c.code, 'source.auth', text);
      assert.equal(c.cause, 'ssh-key-rejected', text);
      assert.equal(c.data.url, 'ssh://git@github.com/org/fleet');
      assert.equal(c.data.methods, 'none publickey');
    }
  });

  it('tells a host key mismatch from an unknown host key, in old and new wording', () => {
    const mismatch = [
      "unable to clone 'ssh://git@github.com/user/repository', error: ssh: handshake failed: knownhosts: key mismatch",
      "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/myrepo': ssh: handshake failed: knownhosts: key mismatch",
    ];
    for (const text of mismatch) assert.equal(classify(text).cause, 'host-key-mismatch');
    assert.equal(classify(mismatch[0]!).data.url, 'ssh://git@github.com/user/repository');
    assert.equal(classify('ssh: handshake failed: knownhosts: key is unknown').cause, 'host-key-unknown');
    // libgit2 (source-controller v0.5–v0.32) said it differently; same code
    const libgit2 = classify("unable to clone 'ssh://git@example.com/repo.git', error: Certificate");
    assert.equal(libgit2.code, 'source.auth');
    assert.equal(libgit2.cause, 'host-key-verification-failed');
    assert.equal(libgit2.data.url, 'ssh://git@example.com/repo.git');
  });

  it('reads an SSH handshake that the network broke as unreachable, not as an auth problem', () => {
    const c = classify(
      "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/x/y': ssh: handshake failed: read tcp 11.11.1.11:45906->140.82.121.4:22: read: connection timed out",
    );
    assert.equal(c.code, 'source.unreachable');
    assert.equal(c.cause, 'ssh-connection-dropped');
    assert.equal(c.data.host, '140.82.121.4');
    assert.equal(c.data.port, '22');
    assert.equal(c.data.url, 'ssh://git@github.com/x/y');
  });

  it('reads "authentication required" over HTTPS in every wrapper, also HTML-escaped by an alert provider', () => {
    const texts = [
      "unable to clone 'https://github.example.com/test/gitops-test', error: authentication required",
      "unable to clone 'https://github.com/13567436138/mygit4.git': authentication required",
      'Reconciler error unable to clone &#39;https://[repoaddress]&#39;, error: authentication required',
    ];
    const urls = [
      'https://github.example.com/test/gitops-test',
      'https://github.com/13567436138/mygit4.git',
      'https://[repoaddress]',
    ];
    texts.forEach((text, i) => {
      const c = classify(text);
      assert.equal(c.id, 'go-git/http-authentication-required', text);
      assert.equal(c.data.url, urls[i]);
    });
  });

  it('leaves a registry 401 and libgit2 "remote authentication required" to their own patterns', () => {
    const http = byId('go-git/http-authentication-required');
    assert.equal(
      http.re.test('GET https://ghcr.io/v2/org/app/manifests/1.0: UNAUTHORIZED: authentication required'),
      false,
    );
    assert.equal(http.re.test('unexpected status code 401: unauthorized: authentication required'), false);
    assert.equal(
      http.re.test("unable to clone 'https://x/y', error: remote authentication required but no callback set"),
      false,
    );
    const c = classify("unable to clone 'https://x/y', error: remote authentication required but no callback set");
    assert.equal(c.cause, 'libgit2-auth-failed');
  });

  it('captures the missing branch or tag from go-git and fluxcd/pkg/git/gogit wordings, escaped or not', () => {
    assert.deepEqual(classify('git clone error: couldn\'t find remote ref "refs/heads/main"').data, { branch: 'main' });
    const tag = classify(
      "unable to clone 'ssh://git@github.com/org/fleet': couldn't find remote ref 'refs/tags/v1.2.3'",
    );
    assert.equal(tag.data.tag, 'v1.2.3');
    assert.equal(tag.data.url, 'ssh://git@github.com/org/fleet');
    const escaped = classify(
      "failed to checkout and determine revision: unable to clone 'https://github.com/org/fleet': couldn't find remote ref \\\"refs/heads/dev\\\"",
    );
    assert.equal(escaped.code, 'source.ref-not-found');
    assert.equal(escaped.data.branch, 'dev');
    assert.equal(classify("unable to find tag 'v1.4.0': reference not found").data.tag, 'v1.4.0');
  });

  it('dates the libgit2 texts to the releases that had libgit2 (v0.5–v0.32)', () => {
    for (const id of ['go-git/libgit2-host-key', 'go-git/libgit2-auth-failed']) {
      const p = byId(id);
      assert.equal(semver.satisfies('0.24.0', p.versions), true, id);
      assert.equal(semver.satisfies('0.33.0', p.versions), false, id);
      assert.equal(semver.satisfies('1.0.0', p.versions), false, id);
    }
  });

  it('every pattern stays fast on 100 KB of hostile input', () => {
    for (const p of GIT) {
      for (const input of hostileInputs(p)) {
        const ms = timeIt(p.re, input);
        assert.ok(ms < 250, `${p.id} took ${ms.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 30))}…`);
      }
    }
  });
});
