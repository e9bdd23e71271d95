// kustomize-controller patterns: the wording of each era (kubectl-based v0.1–v0.14, ssa-based v0.15+,
// v1.x) maps to one code and cause, the path, Secret, variable, dependency and object a fix needs are
// captured, look-alikes of other codes are not claimed, and no pattern backtracks badly on hostile input.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PATTERNS as KC } from '../../src/signals/patterns/kustomize-controller.js';
import { PATTERNS as SSA } from '../../src/signals/patterns/ssa.js';
import { dataOf, hostileInputs, innermost, timeIt } from './innermost.js';

// A Kustomization's messages are read with kustomize-controller's and fluxcd/pkg/ssa's patterns.
const CANDIDATES = [...KC, ...SSA];
const classify = (text: string) => {
  const hit = innermost(text, CANDIDATES);
  return { id: hit?.pattern.id, code: hit?.pattern.code, cause: hit?.pattern.cause, data: dataOf(hit) };
};

describe('kustomize-controller patterns', () => {
  it('a health check timeout of v0.26 and of v1.2+ names the same object with the same code', () => {
    const old = classify(
      "Health check failed after 2m0.013489487s, timeout waiting for: [HelmRelease/wpb-services/httpbin status: 'InProgress']",
    );
    const cur = classify(
      "health check failed after 5m0.04s: timeout waiting for: [HelmRelease/wpb-services/httpbin status: 'InProgress']",
    );
    for (const c of [old, cur]) {
      assert.equal(c.code, 'kustomize.health-check-failed');
      assert.equal(c.cause, 'wait-timeout');
      assert.deepEqual(
        [c.data.kind, c.data.namespace, c.data.name, c.data.status],
        ['HelmRelease', 'wpb-services', 'httpbin', 'InProgress'],
      );
    }
    // the kstatus era (v0.1–v0.13) had its own wording; same code
    assert.equal(
      classify("Health check timed out for [deployments.apps 'keycloak-operator/keycloak-operator']").code,
      'kustomize.health-check-failed',
    );
    // the wrapper alone still names the duration
    const wrapper = KC.find((p) => p.id === 'kustomize-controller/health-check-failed')!;
    assert.equal(
      wrapper.re.exec('Health check failed after 2m0.013489487s, timeout waiting for: [')?.groups?.after,
      '2m0.013489487s',
    );
  });

  it('a missing substituteFrom object reads the same in v0.x and v1.x, with its kind and name', () => {
    const old = classify(
      "var substitution failed for 'apps': substitute from 'ConfigMap/cluster-vars' error: configmaps \"cluster-vars\" not found",
    );
    const cur = classify(
      "post build failed for 'Kustomization.v1.kustomize.toolkit.fluxcd.io/apps': unable to get subsituteFrom: substitute from 'Secret/cluster-secrets' error: secrets \"cluster-secrets\" not found",
    );
    assert.deepEqual(
      [old.code, old.cause, old.data.kind, old.data.name],
      ['kustomize.substitution-failed', 'substitute-from-missing', 'ConfigMap', 'cluster-vars'],
    );
    assert.deepEqual(
      [cur.cause, cur.data.kind, cur.data.name],
      ['substitute-from-missing', 'Secret', 'cluster-secrets'],
    );
  });

  it('a strict-mode variable names the variable, even when the message was pasted across lines', () => {
    const c = classify(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the reporter's manifest uses a literal Flux variable
      'post build failed for \'HelmRelease.v2.helm.toolkit.fluxcd.io/${APP}\':\n  envsubst error: variable substitution failed: variable not set (strict mode): "REV"',
    );
    assert.deepEqual([c.cause, c.data.variable], ['variable-not-set', 'REV']);
  });

  it('a missing SOPS key Secret reads the same in v0.23 and v1.x', () => {
    const old = classify('decryption secret error: secrets "sops-gpg" not found');
    const cur = classify(
      'error decrypting sources: cannot get sops decryption Secret \'flux-system/sops-age\': secrets "sops-age" not found',
    );
    assert.deepEqual(
      [old.code, old.cause, old.data.name],
      ['kustomize.decryption-failed', 'decryption-secret-missing', 'sops-gpg'],
    );
    assert.deepEqual([cur.cause, cur.data.secret], ['decryption-secret-missing', 'flux-system/sops-age']);
  });

  it('a key that cannot decrypt is no-matching-key, not the generic decryption wrapper', () => {
    const c = classify(
      "decryption failed for 'cas-user-pass': failed to decrypt and format 'se-2/cas-user-pass' Secret data: cannot get sops data key: Failed to get the data key required to decrypt the SOPS file.\n\nGroup 0: FAILED",
    );
    assert.equal(c.cause, 'no-matching-key');
  });

  it('an invalid kustomization.yaml found by the decryptor is a build failure, not a decryption failure', () => {
    const text =
      'error decrypting env sources: failed to unmarshal kustomization file: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Kustomization.patches of type types.Patch';
    assert.deepEqual(
      [classify(text).code, classify(text).cause],
      ['kustomize.build-failed', 'kustomization-file-invalid'],
    );
    const generic = KC.find((p) => p.id === 'kustomize-controller/decryption-failed')!;
    assert.equal(generic.re.test(text), false);
  });

  it('a missing path names the path the controller looked for', () => {
    const c = classify(
      'kustomization path not found: stat /tmp/kustomization-878691743/kustomize/tester: no such file or directory',
    );
    assert.deepEqual(
      [c.code, c.data.path],
      ['kustomize.build-failed', '/tmp/kustomization-878691743/kustomize/tester'],
    );
  });

  it('dependsOn: "not updated yet" (v0.19) and "revision is not up to date" (v0.30+) are one cause; a missing one is a reference', () => {
    const a = classify("dependency 'flux-system/infra' is not updated yet");
    const b = classify("dependency 'flux-system/infra' revision is not up to date");
    assert.deepEqual(
      [a.code, a.cause, a.data.dependency],
      ['kustomize.dependency-not-ready', 'dependency-not-ready', 'flux-system/infra'],
    );
    assert.deepEqual([b.code, b.cause], [a.code, a.cause]);
    const missing = classify(
      'dependency \'flux-system/infra\' not found: kustomizations.kustomize.toolkit.fluxcd.io "infra" not found',
    );
    assert.deepEqual([missing.code, missing.data.dependency], ['flux.reference-missing', 'flux-system/infra']);
  });

  it('a missing source is flux.reference-missing; a source without artifact is source-not-ready', () => {
    // kustomize-controller@v1.9.3 getSource returns a NotFound unwrapped (the Ready message is the bare
    // Kubernetes text); v0.26.3 wrote "Source '%s' not found". Neither wraps it in "unable to get source".
    const c = classify('gitrepositories.source.toolkit.fluxcd.io "apps" not found');
    assert.deepEqual([c.code, c.data.plural, c.data.name], ['flux.reference-missing', 'gitrepositories', 'apps']);
    assert.equal(classify("Source 'GitRepository/flux-system/apps' not found").code, 'flux.reference-missing');
    assert.equal(classify('Source artifact not found, retrying in 30s').code, 'kustomize.source-not-ready');
    assert.equal(classify('Source is not ready, artifact not found').code, 'kustomize.source-not-ready');
  });

  it('the kubectl-era wrapper does not claim fluxcd/pkg/ssa "<id> apply failed" messages', () => {
    const kubectl = KC.find((p) => p.id === 'kustomize-controller/kubectl-validation-failed')!;
    assert.equal(kubectl.re.test('apply failed: error: error validating "x.yaml"'), true);
    assert.equal(kubectl.re.test('Secret/apps/tls apply failed: Secret "tls" is invalid'), false);
    assert.equal(kubectl.re.test('Deployment/web apply failed, error: boom'), false);
    // and a kubectl-era RBAC denial resolves to the RBAC cause inside it
    const c = classify(
      'apply failed: Error from server (Forbidden): error when creating "x.yaml": namespaces is forbidden: User "system:serviceaccount:apps:reconciler" cannot create resource "namespaces" in API group "" at the cluster scope',
    );
    assert.deepEqual([c.code, c.data.user], ['kustomize.rbac-forbidden', 'system:serviceaccount:apps:reconciler']);
  });

  it('the artifact texts: no artifact in the source status vs. the artifact file missing (v0.x and v1 wordings)', () => {
    assert.equal(classify('Source is not ready, artifact not found').cause, 'no-artifact');
    assert.equal(classify('Source artifact not found, retrying in 30s').cause, 'no-artifact');
    assert.equal(classify('Source is not ready').cause, 'no-artifact');
    assert.equal(classify('Source is not ready, artifact not found, retrying in 30s').cause, 'artifact-not-in-storage');
    const get = classify(
      'unable to get source \'flux-system/apps\': Get "https://10.96.0.1:443/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/apps": context deadline exceeded',
    );
    assert.deepEqual(
      [get.code, get.cause, get.data.source],
      ['kustomize.source-not-ready', 'get-source-failed', 'flux-system/apps'],
    );
  });

  it('bare NotFound texts: a source is a missing reference, the decryption Secret a decryption failure', () => {
    const src = classify('gitrepositories.source.toolkit.fluxcd.io "apps" not found');
    assert.deepEqual([src.code, src.data.plural, src.data.name], ['flux.reference-missing', 'gitrepositories', 'apps']);
    const sec = classify('secrets "sops-age" not found');
    assert.deepEqual(
      [sec.code, sec.cause, sec.data.name],
      ['kustomize.decryption-failed', 'decryption-secret-missing', 'sops-age'],
    );
    // only the whole message: a Secret NotFound inside another error is not the decryptor's
    assert.notEqual(
      classify('substitute from \'Secret/vars\' error: secrets "vars" not found').code,
      'kustomize.decryption-failed',
    );
  });

  it('a SOPS error wrapped in a build error is a decryption failure (innermost), not a build failure', () => {
    const c = classify(
      "kustomize build failed: accumulating resources: accumulation err='accumulating resources from 'secrets.yaml': failed to decrypt and format 'apps/db' Secret data: cannot get sops data key: Failed to get the data key required to decrypt the SOPS file.",
    );
    assert.deepEqual([c.code, c.cause], ['kustomize.decryption-failed', 'no-matching-key']);
  });

  it('an ssa NotFound names the missing namespace when it is one, else the referenced object', () => {
    assert.equal(classify('Deployment/apps/podinfo not found: namespaces "apps" not found').cause, 'namespace-missing');
    assert.equal(
      classify('RoleBinding/tenant-a/rb not found: rolebindings.rbac.authorization.k8s.io "rb" not found').cause,
      'referenced-object-missing',
    );
  });

  it('every pattern stays fast on 100 KB of hostile input', () => {
    for (const p of KC) {
      for (const input of hostileInputs(p)) {
        const ms = timeIt(p.re, input);
        assert.ok(ms < 250, `${p.id} took ${ms.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 30))}…`);
      }
    }
  });
});
