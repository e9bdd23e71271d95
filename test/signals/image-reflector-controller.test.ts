// image-reflector-controller patterns: the bare v0.x errors and the v0.25+ wrapped ones map to the same
// code and cause, the registry, repository, Secret and policy values a fix needs are captured, the
// innermost cause of a wrapped error wins, and no pattern backtracks badly on hostile input.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import semver from 'semver';
import { PATTERNS as IMAGE, REASONS } from '../../src/signals/patterns/image-reflector-controller.js';
import { dataOf, hostileInputs, innermost, timeIt } from './innermost.js';

const classify = (text: string, kind = 'ImageRepository') => {
  const hit = innermost(
    text,
    IMAGE.filter((p) => !p.kinds || p.kinds.includes(kind)),
  );
  return { id: hit?.pattern.id, code: hit?.pattern.code, cause: hit?.pattern.cause, data: dataOf(hit) };
};

describe('image-reflector-controller patterns', () => {
  it('a missing pull Secret reads the same bare (v0.x) and wrapped (v0.25+), and names the Secret', () => {
    const old = classify('secrets "ghcr-auth" not found');
    const cur = classify('failed to configure authentication options: secrets "regcred" not found');
    for (const c of [old, cur]) assert.deepEqual([c.code, c.cause], ['source.secret-missing', 'secret-not-found']);
    assert.equal(old.data.secret, 'ghcr-auth');
    assert.equal(cur.data.secret, 'regcred');
    const host = classify('auth for "ghcr.io" not found in secret flux-system/regcred');
    assert.deepEqual(
      [host.cause, host.data.host, host.data.secret],
      ['dockerconfig-host-missing', 'ghcr.io', 'flux-system/regcred'],
    );
  });

  it('a registry 404 is a missing repository with registry and path, a 401 or DENIED is source.auth', () => {
    const nf = classify(
      'scan failed: GET https://ghcr.io/v2/acme/ap/tags/list?n=1000: NAME_UNKNOWN: repository name not known to registry',
    );
    assert.deepEqual(
      [nf.code, nf.cause, nf.data.registry, nf.data.repository],
      ['image.scan-failed', 'repository-not-found', 'ghcr.io', 'acme/ap'],
    );
    for (const t of [
      'scan failed: GET https://XXXXXXXX.dkr.ecr.us-east-2.amazonaws.com/v2/XXXXXXXX/tags/list?n=1000: unexpected status code 401 Unauthorized: Not Authorized',
      'GET https://gcr.io/v2/dx-kingdon/podinfo/tags/list?n=1000: DENIED: Failed to read tag',
      'scan failed: GET https://auth.docker.io/token?scope=repository: unexpected status code 401 U\nnauthorized: {"details":"incorrect username or password"}',
    ]) {
      const c = classify(t);
      assert.deepEqual([c.code, c.cause], ['source.auth', 'registry-unauthorized'], t);
    }
    assert.equal(
      classify(
        'scan failed: GET https://index.docker.io/v2/library/nginx/tags/list?n=1000: TOOMANYREQUESTS: You have reached your pull rate limit.',
      ).cause,
      'rate-limited',
    );
  });

  it('network and TLS errors of a scan are the Go standard-library causes, with the host', () => {
    const dns = classify(
      'scan failed: Get "https://registry.internal/v2/": dial tcp: lookup registry.internal on 10.96.0.10:53: no such host',
    );
    assert.deepEqual([dns.code, dns.cause, dns.data.host], ['source.unreachable', 'dns', 'registry.internal']);
    const ca = classify(
      'scan failed: Get "https://registry.internal.example/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority',
    );
    assert.deepEqual([ca.code, ca.cause], ['source.tls', 'unknown-ca']);
    // The shared patterns are this module's own entries, not source-controller's.
    assert.ok(
      IMAGE.every((p) => p.emitter === 'image-reflector-controller' && p.id.startsWith('image-reflector-controller/')),
    );
  });

  it('an image with a tag or a scheme reads the same in both wordings and keeps the tag', () => {
    const cur = classify("image 'ghcr.io/acme/app:1.0.0' should not include a tag; remove ':1.0.0'");
    const old = classify(".spec.image value should not contain a tag; remove ':latest'");
    for (const c of [cur, old]) assert.deepEqual([c.code, c.cause], ['image.scan-failed', 'image-url-invalid']);
    assert.deepEqual([cur.data.image, cur.data.tag], ['ghcr.io/acme/app:1.0.0', '1.0.0']);
  });

  it('policy errors: the innermost cause wins over the v0.10–v0.24 wrapper', () => {
    const empty = classify(
      'Cannot determine latest tag for policy: version list argument cannot be empty',
      'ImagePolicy',
    );
    assert.deepEqual([empty.code, empty.cause], ['image.policy-no-match', 'no-tags-left']);
    const none = classify(
      'Cannot determine latest tag for policy: unable to determine latest version from provided list',
      'ImagePolicy',
    );
    assert.equal(none.cause, 'no-tag-matches');
    assert.equal(classify('no image found for policy', 'ImagePolicy').cause, 'no-tag-matches');
    const re = classify(
      "invalid policy: failed to filter tags: invalid regular expression pattern '^main-(?P<ts>[0-9+)$': error parsing regexp: missing closing ]",
      'ImagePolicy',
    );
    assert.deepEqual([re.cause, re.data.pattern], ['invalid-policy', '^main-(?P<ts>[0-9+)$']);
    assert.equal(
      classify("failed to parse invalid numeric value 'main-3f2a1b'", 'ImagePolicy').data.value,
      'main-3f2a1b',
    );
  });

  it('a policy waiting for tags is told apart from a missing ImageRepository', () => {
    assert.equal(classify('retrying in 30s error: no tags in database', 'ImagePolicy').cause, 'waiting-for-repository');
    assert.equal(
      classify('referenced ImageRepository has not been scanned yet', 'ImagePolicy').cause,
      'waiting-for-repository',
    );
    const missing = classify(
      'failed to get the referred ImageRepository: referenced ImageRepository does not exist: imagerepositories.image.toolkit.fluxcd.io "podinfo" not found',
      'ImagePolicy',
    );
    assert.deepEqual([missing.code, missing.data.name], ['flux.reference-missing', 'podinfo']);
    // ImagePolicy patterns do not read ImageRepository messages and the other way round.
    assert.equal(classify('no tags in database', 'ImageRepository').code, undefined);
    assert.equal(classify('secrets "regcred" not found', 'ImagePolicy').code, undefined);
  });

  it('dates the v0.x-only wordings and keeps reasons well formed', () => {
    const old = IMAGE.find((p) => p.id === 'image-reflector-controller/policy-cannot-determine-latest')!;
    assert.equal(semver.satisfies('0.24.0', old.versions), true);
    assert.equal(semver.satisfies('0.25.0', old.versions), false);
    for (const r of REASONS) {
      assert.ok(r.id.startsWith('image-reflector-controller/reason-'), r.id);
      assert.ok(semver.validRange(r.versions), r.id);
      assert.match(r.cite, /@v\d+\.\d+\.\d+ \S+/, r.id);
    }
  });

  it('every pattern stays fast on 100 KB of hostile input', () => {
    for (const p of IMAGE) {
      for (const input of hostileInputs(p)) {
        const ms = timeIt(p.re, input);
        assert.ok(ms < 250, `${p.id} took ${ms.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 30))}…`);
      }
    }
  });
});
