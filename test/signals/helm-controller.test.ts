// helm-controller and Helm SDK patterns: the v2beta1-era wording (helm-controller v0.1–v0.36) and the
// v2beta2/v2 wording (v0.37+) map to the same code and cause; the Helm SDK error inside a wrapper wins
// over the wrapper; the release, chart, object and key a fix needs are captured; the wait-object list
// of fluxcd/pkg/ssa is parsed once (src/signals/wait.ts); no pattern backtracks badly on hostile input.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogueFor } from '../../src/signals/match.js';
import { PATTERNS as HC, REASONS } from '../../src/signals/patterns/helm-controller.js';
import { PATTERNS as SDK } from '../../src/signals/patterns/helm-sdk.js';
import { PATTERNS as SC } from '../../src/signals/patterns/source-controller.js';
import { PATTERNS as SSA } from '../../src/signals/patterns/ssa.js';
import { pendingWaitObjects, waitObjects } from '../../src/signals/wait.js';
import { dataOf, hostileInputs, innermost, timeIt } from './innermost.js';

// A HelmRelease's messages are read with helm-controller's, the Helm SDK's, source-controller's (the
// HelmChart message repeated) and fluxcd/pkg/ssa's patterns, in the catalogue's order.
const CANDIDATES = [...SC, ...SSA, ...HC, ...SDK];
const classify = (text: string) => {
  const hit = innermost(text, CANDIDATES);
  return { id: hit?.pattern.id, code: hit?.pattern.code, cause: hit?.pattern.cause, data: dataOf(hit) };
};

describe('helm-controller patterns', () => {
  it('every sample of this module is classified to its own pattern (or to the Helm SDK error it wraps)', () => {
    for (const p of HC) {
      for (const s of p.samples) {
        const c = classify(s);
        assert.equal(c.id, p.id, `${p.id}: ${JSON.stringify(s)} was classified as ${c.id}`);
      }
    }
  });

  it('retries exhausted reads the same in v0.x ("install retries exhausted") and v1.x ("Failed to install after N attempt(s)")', () => {
    const old = classify('reconciliation failed: install retries exhausted');
    const cur = classify('Failed to install after 3 attempt(s)');
    assert.deepEqual([old.code, old.cause], ['helm.install-failed', 'retries-exhausted']);
    assert.deepEqual([cur.code, cur.cause, cur.data.attempts], ['helm.install-failed', 'retries-exhausted', '3']);
    assert.deepEqual(
      [classify('upgrade retries exhausted').code, classify('Failed to upgrade after 1 attempt(s)').code],
      ['helm.upgrade-failed', 'helm.upgrade-failed'],
    );
  });

  it('the v2 install wrapper captures release, namespace, chart and version; the v0 wrapper the same code', () => {
    const c = classify('Helm install failed for release podinfo/podinfo with chart podinfo@6.5.4: some new Helm error');
    assert.deepEqual(
      [c.code, c.data.namespace, c.data.release, c.data.chart, c.data.version],
      ['helm.install-failed', 'podinfo', 'podinfo', 'podinfo', '6.5.4'],
    );
    assert.deepEqual([classify('Helm install failed: some old Helm error').code], ['helm.install-failed']);
    assert.equal(classify('Helm upgrade failed: some old Helm error').code, 'helm.upgrade-failed');
  });

  it('a kstatus wait error inside the wrapper is classified as the ssa wait, and wait.ts names the objects', () => {
    const text =
      "Helm install failed for release podinfo/podinfo with chart podinfo@6.5.4: timeout waiting for: [Deployment/podinfo/podinfo status: 'InProgress', ClusterRole/podinfo status: 'Current']";
    assert.equal(classify(text).id, 'ssa/wait-timeout');
    assert.deepEqual(
      waitObjects(text).map((w) => [w.ref.kind, w.ref.namespace, w.ref.name, w.status]),
      [
        ['Deployment', 'podinfo', 'podinfo', 'InProgress'],
        ['ClusterRole', undefined, 'podinfo', 'Current'],
      ],
    );
    assert.deepEqual(
      pendingWaitObjects(text).map((w) => w.ref.name),
      ['podinfo'],
    );
    const stalled = waitObjects(
      "failed early due to stalled resources: [Deployment/apps/api status: 'Failed': Progress deadline exceeded]",
    );
    assert.deepEqual(
      [stalled[0]?.ref.name, stalled[0]?.status, stalled[0]?.message],
      ['api', 'Failed', 'Progress deadline exceeded'],
    );
  });

  it('a values reference says which object and key, in the v0.x and the fluxcd/pkg chartutil wording', () => {
    const cur = classify(
      "could not resolve Secret chart values reference 'podinfo/podinfo-values' with key 'values.yaml': secrets \"podinfo-values\" not found",
    );
    const old = classify("could not find Secret 'podinfo/podinfo-values'");
    for (const c of [cur, old]) {
      assert.deepEqual(
        [c.code, c.cause, c.data.kind, c.data.namespace, c.data.name],
        ['helm.secret-missing', 'values-object-missing', 'Secret', 'podinfo', 'podinfo-values'],
      );
    }
    const key = classify("missing key 'extra.yaml' in ConfigMap 'apps/web'");
    const keyCur = classify(
      "could not resolve ConfigMap chart values reference 'apps/web' with key 'extra.yaml': key not found",
    );
    for (const c of [key, keyCur])
      assert.deepEqual([c.cause, c.data.key, c.data.name], ['values-key-missing', 'extra.yaml', 'web']);
    // a document that is not YAML is a values problem, not a missing reference
    assert.equal(
      classify(
        "could not resolve Secret chart values reference 'apps/web' with key 'values.yaml': failed to read values data: yaml: line 2: did not find expected key",
      ).code,
      'helm.values-invalid',
    );
  });

  it("a HelmChart message repeated by helm-controller is classified by the chart's own text", () => {
    const c = classify(
      "HelmChart 'podinfo/podinfo-podinfo' is not ready: invalid chart reference: failed to get chart version for remote reference: no 'podinfo' chart with version matching '9.*' found",
    );
    assert.deepEqual([c.code, c.data.chart, c.data.version], ['helm.chart-not-found', 'podinfo', '9.*']);
    // alone (v0.x), the wrapper is a symptom
    assert.equal(classify("HelmChart 'flux-system/podinfo' is not ready").code, 'none');
  });

  it('reasons that tell the cause alone name a real code', () => {
    assert.ok(REASONS.length >= 5);
    for (const r of REASONS) assert.ok(r.code.startsWith('helm.'), r.id);
  });

  it('every pattern stays fast on 100 KB of hostile input', () => {
    for (const p of [...HC, ...SDK]) {
      for (const input of hostileInputs(p)) {
        const ms = timeIt(p.re, input);
        assert.ok(ms < 250, `${p.id} took ${ms.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 30))}…`);
      }
    }
    const t0 = performance.now();
    waitObjects(`${'A'.repeat(100_000)} status: 'X'`);
    waitObjects('Ab/'.repeat(40_000));
    assert.ok(performance.now() - t0 < 250);
  });
});

describe('Helm SDK patterns', () => {
  it('every sample is classified to its own pattern', () => {
    for (const p of SDK) {
      for (const s of p.samples) {
        const c = classify(s);
        assert.equal(c.id, p.id, `${p.id}: ${JSON.stringify(s)} was classified as ${c.id}`);
      }
    }
  });

  it("a HelmChart is read only with the Helm SDK's dependency and repository patterns, not the release ones", () => {
    const ids = catalogueFor('HelmChart')
      .patterns.filter((p) => p.emitter === 'helm-sdk')
      .map((p) => p.id);
    assert.deepEqual(ids, ['helm-sdk/no-repository-definition', 'helm-sdk/protocol-handler-missing']);
    assert.ok(catalogueFor('HelmRelease').patterns.some((p) => p.id === 'helm-sdk/wait-timeout'));
  });

  it('the Helm error inside the wrapper wins, with the values a fix needs', () => {
    const schema = classify(
      "Helm upgrade failed for release apps/web with chart web@2.0.0: values don't meet the specifications of the schema(s) in the following chart(s):\nweb:\n- replicaCount: Invalid type. Expected: integer, given: string",
    );
    assert.deepEqual([schema.code, schema.cause], ['helm.values-invalid', 'schema-invalid']);
    const tpl = classify(
      'Helm install failed: template: web/templates/deployment.yaml:20:14: executing "web/templates/deployment.yaml" at <.Values.image.tag>: nil pointer evaluating interface {}.tag',
    );
    assert.deepEqual(
      [tpl.cause, tpl.data.file, tpl.data.line, tpl.data.value],
      ['template-error', 'web/templates/deployment.yaml', '20', '.Values.image.tag'],
    );
    const exists = classify(
      'Helm install failed for release apps/web with chart web@1.0.0: rendered manifests contain a resource that already exists. Unable to continue with install: ServiceAccount "web" in namespace "apps" exists and cannot be imported into the current release: invalid ownership metadata',
    );
    assert.deepEqual(
      [exists.cause, exists.data.kind, exists.data.name, exists.data.namespace],
      ['resource-conflict', 'ServiceAccount', 'web', 'apps'],
    );
    const kv = classify(
      'Helm install failed for release kube-system/traefik with chart traefik@26.0.0: chart requires kubeVersion: >=1.22.0-0 which is incompatible with Kubernetes v1.21.14',
    );
    assert.deepEqual(
      [kv.cause, kv.data.constraint, kv.data.kubeVersion],
      ['kube-version-incompatible', '>=1.22.0-0', 'v1.21.14'],
    );
    // a pending lock in the old and the new wrapper
    for (const t of [
      'Helm upgrade failed: another operation (install/upgrade/rollback) is in progress',
      'Helm upgrade failed for release a/b with chart c@1.0.0: another operation (install/upgrade/rollback) is in progress',
    ])
      assert.equal(classify(t).code, 'helm.release-pending');
  });
});
