// source-controller patterns: old (v0.1–v0.21) and new (v0.22+, v1.x) wordings of one cause map to the
// same code and cause, the Secret, chart, version, host and URL a fix needs are captured, the innermost
// cause of a wrapped error wins over its wrapper, and no pattern backtracks badly on hostile input.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import semver from 'semver';
import { PATTERNS as GIT } from '../../src/signals/patterns/go-git.js';
import { PATTERNS as SOURCE } from '../../src/signals/patterns/source-controller.js';
import { dataOf, hostileInputs, innermost, timeIt } from './innermost.js';

const CANDIDATES = [...SOURCE, ...GIT];
const classify = (text: string) => {
  const hit = innermost(text, CANDIDATES);
  return { id: hit?.pattern.id, code: hit?.pattern.code, cause: hit?.pattern.cause, data: dataOf(hit) };
};
const same = (a: string, b: string) => {
  const x = classify(a);
  const y = classify(b);
  assert.ok(x.code, `no pattern for ${a}`);
  assert.equal(x.code, y.code, `${a}\n${b}`);
  assert.equal(x.cause, y.cause, `${a}\n${b}`);
  return [x, y] as const;
};

describe('source-controller patterns', () => {
  it('a missing Secret reads the same before and after the v0.22 rewrite, and names the Secret', () => {
    const [old, cur] = same(
      'auth secret error: secrets "git-creds" not found',
      'failed to get secret \'flux-system/git-creds\': secrets "git-creds" not found',
    );
    assert.equal(old.code, 'source.secret-missing');
    assert.equal(old.cause, 'secret-not-found');
    assert.equal(old.data.secret, 'git-creds');
    assert.equal(cur.data.secret, 'flux-system/git-creds');
    // v1.7+ reads Secrets through fluxcd/pkg/runtime/secrets
    const v17 = classify("failed to get TLS authentication secret 'apps/repo-ca': secret 'apps/repo-ca' not found");
    assert.equal(v17.cause, 'secret-not-found');
    assert.equal(v17.data.secret, 'apps/repo-ca');
    assert.equal(v17.data.what, 'TLS authentication');
  });

  it('a Secret without the keys a source needs names the Secret in every era', () => {
    for (const [text, secret] of [
      ["invalid 'flux-system' secret data: required fields 'identity' and 'known_hosts'", 'flux-system'],
      ["invalid 'minio-creds' secret data: required fields 'accesskey' and 'secretkey'", 'minio-creds'],
    ] as const) {
      const c = classify(text);
      assert.equal(c.cause, 'secret-keys-missing');
      assert.equal(c.data.secret, secret);
    }
    const opt = classify("invalid 'ssh' auth option: 'known_hosts' is required");
    assert.equal(opt.code, 'source.secret-missing');
    assert.deepEqual([opt.data.transport, opt.data.key], ['ssh', 'known_hosts']);
  });

  it('a chart version that is not in the index reads the same in v0.18 and v1.x, with chart and version', () => {
    const [old, cur] = same(
      'no chart version found for podinfo-9.9.9',
      "chart pull error: failed to get chart version for remote reference: no 'podinfo' chart with version matching '9.9.9' found",
    );
    assert.equal(old.code, 'helm.chart-not-found');
    assert.deepEqual([old.data.chart, old.data.version], ['podinfo', '9.9.9']);
    assert.deepEqual([cur.data.chart, cur.data.version], ['podinfo', '9.9.9']);
    assert.deepEqual(
      [
        classify('no chart version found for cert-manager-1.2.3-rc.1').data.chart,
        classify('no chart version found for cert-manager-1.2.3-rc.1').data.version,
      ],
      ['cert-manager', '1.2.3-rc.1'],
    );
  });

  it('a DNS failure names the host, in plain text and in a JSON-escaped log line', () => {
    const plain = classify(
      'failed to download repository index: Get "https://charts.bitnami.com/bitnami/index.yaml": dial tcp: lookup charts.bitnami.com on 10.43.0.10:53: server misbehaving',
    );
    const json = classify(
      'failed to download repository index: Get \\"https://charts.bitnami.com/bitnami/index.yaml\\": dial tcp: lookup charts.bitnami.com on 10.43.0.10:53: server misbehaving',
    );
    for (const c of [plain, json]) {
      assert.equal(c.code, 'source.unreachable');
      assert.equal(c.cause, 'dns');
      assert.equal(c.data.host, 'charts.bitnami.com');
      assert.equal(c.data.resolver, '10.43.0.10:53');
    }
  });

  it('sorts the Helm index HTTP status: 401/403 is auth, 404 is a wrong URL, 5xx is the server', () => {
    const pre =
      'failed to fetch Helm repository index: failed to cache index to temporary file: failed to fetch https://charts.example.com/index.yaml : ';
    assert.equal(classify(`${pre}401 Unauthorized`).code, 'source.auth');
    assert.equal(classify(`${pre}403 Forbidden`).cause, 'helm-repository-unauthorized');
    assert.equal(classify(`${pre}404 Not Found`).cause, 'index-not-found');
    assert.equal(classify(`${pre}404 Not Found`).data.url, 'https://charts.example.com/index.yaml');
    assert.equal(classify(`${pre}503 Service Unavailable`).cause, 'server-error');
  });

  it('the innermost cause wins over the wrapper: a refused proxy is a proxy problem', () => {
    const c = classify(
      'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.example.com/index.yaml": proxyconnect tcp: dial tcp 10.1.1.1:3128: connect: connection refused',
    );
    assert.equal(c.cause, 'proxy');
    const direct = classify(
      'Get "https://charts.example.com/index.yaml": dial tcp 10.0.12.7:443: connect: connection refused',
    );
    assert.deepEqual([direct.cause, direct.data.host, direct.data.port], ['connection-refused', '10.0.12.7', '443']);
  });

  it('names the host a certificate was not valid for, and the CA problem apart from it', () => {
    const c = classify(
      'chart pull error: failed to download chart for remote reference: Get "https://github.com/kubernetes/ingress-nginx/releases/download/helm-chart-4.0.10/ingress-nginx-4.0.10.tgz": x509: certificate is valid for github.com, www.github.com, not kubernetes.github.io',
    );
    assert.deepEqual([c.code, c.cause, c.data.wanted], ['source.tls', 'hostname-mismatch', 'kubernetes.github.io']);
    const ca = classify(
      'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.internal.example/index.yaml": tls: failed to verify certificate: x509: certificate signed by unknown authority',
    );
    assert.deepEqual([ca.cause, ca.data.host], ['unknown-ca', 'charts.internal.example']);
  });

  it('a missing OCI tag is source.ref-not-found for an OCIRepository but helm.chart-not-found for a chart', () => {
    const oci = classify(
      'failed to determine artifact digest: GET https://ghcr.io/v2/stefanprodan/charts/podinfo/manifests/6.0.0: MANIFEST_UNKNOWN: manifest unknown',
    );
    assert.deepEqual([oci.code, oci.cause], ['source.ref-not-found', 'oci-tag-not-found']);
    const chart = classify(
      "chart pull error: failed to download chart for remote reference: failed to get 'oci://ghcr.io/org/charts/app:1.2.3': ghcr.io/org/charts/app:1.2.3: not found: MANIFEST_UNKNOWN: manifest unknown",
    );
    assert.equal(chart.code, 'helm.chart-not-found');
    const semverMiss = classify(
      "failed to determine the artifact tag for 'oci://ghcr.io/org/manifests': no match found for semver: 9.x",
    );
    assert.deepEqual([semverMiss.cause, semverMiss.data.semver], ['semver-no-match', '9.x']);
  });

  it('a registry 401 is source.auth with the registry cause, not the Git one', () => {
    const c = classify(
      'failed to determine artifact digest: GET https://ghcr.io/v2/org/private/manifests/latest: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:org/private Type:repository]]',
    );
    assert.deepEqual([c.id, c.code], ['source-controller/oci-registry-unauthorized', 'source.auth']);
  });

  it('commit signature failures of v0.16 and v1.x are both verification failures', () => {
    const [old, cur] = [
      classify("PGP signature 'AB12CD34EF56' of 'Jane Doe <jane@example.com>' can't be verified"),
      classify(
        "signature verification of commit 'main@sha1:1a2b3c4d5e6f' failed: unable to verify Git commit: unable to verify payload with any of the given key rings",
      ),
    ];
    assert.equal(old.code, 'source.verification-failed');
    assert.equal(cur.code, 'source.verification-failed');
    assert.equal(classify('no PGP signature found for commit: 1a2b3c4d').cause, 'not-signed');
    assert.equal(classify("cannot verify signature of tag 'v1.0.0' since it is not signed").data.tag, 'v1.0.0');
  });

  it('dates the v0.x-only wordings to v0.x', () => {
    const old = SOURCE.find((p) => p.id === 'source-controller/chart-version-not-found-v0')!;
    assert.equal(semver.satisfies('0.18.0', old.versions), true);
    assert.equal(semver.satisfies('0.19.0', old.versions), false);
    const cur = SOURCE.find((p) => p.id === 'source-controller/get-secret-not-found')!;
    assert.equal(semver.satisfies('0.21.0', cur.versions), false);
    assert.equal(semver.satisfies('1.9.1', cur.versions), true);
  });

  it('every pattern stays fast on 100 KB of hostile input', () => {
    for (const p of SOURCE) {
      for (const input of hostileInputs(p)) {
        const ms = timeIt(p.re, input);
        assert.ok(ms < 250, `${p.id} took ${ms.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 30))}…`);
      }
    }
  });
});
