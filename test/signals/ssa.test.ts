// fluxcd/pkg/ssa patterns: the ", error:" wording of ssa < v0.31 (kustomize-controller up to v1.0) and the
// current one map to the same code and cause and capture the same object; the innermost Kubernetes
// cause (immutable field, RBAC, missing kind) wins over the dry-run wrapper; captured user, verb,
// resource and namespace are right; and no pattern backtracks badly on hostile input.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PATTERNS as KC } from '../../src/signals/patterns/kustomize-controller.js';
import { PATTERNS as SSA } from '../../src/signals/patterns/ssa.js';
import { dataOf, hostileInputs, innermost, timeIt } from './innermost.js';

const CANDIDATES = [...KC, ...SSA];
const classify = (text: string) => {
  const hit = innermost(text, CANDIDATES);
  return { id: hit?.pattern.id, code: hit?.pattern.code, cause: hit?.pattern.cause, data: dataOf(hit) };
};
const pattern = (id: string) => {
  const p = SSA.find((x) => x.id === id);
  assert.ok(p, `no pattern ${id}`);
  return p;
};

describe('ssa patterns', () => {
  it('the dry-run wrapper of ssa < v0.31 and of v0.31+ captures the same object and reason', () => {
    const old = pattern('ssa/dry-run-failed-v0').re.exec(
      'Deployment/apps/web dry-run failed, reason: Invalid, error: Deployment.apps "web" is invalid',
    );
    const cur = pattern('ssa/dry-run-failed').re.exec(
      'Deployment/apps/web dry-run failed (Invalid): Deployment.apps "web" is invalid',
    );
    for (const m of [old, cur]) {
      assert.ok(m);
      assert.deepEqual(
        [m.groups?.kind, m.groups?.namespace, m.groups?.name, m.groups?.reason],
        ['Deployment', 'apps', 'web', 'Invalid'],
      );
    }
    // a cluster-scoped object has no namespace segment
    const cluster = pattern('ssa/dry-run-failed').re.exec('ClusterRole/tenant-admin dry-run failed (Forbidden): x');
    assert.deepEqual(
      [cluster?.groups?.kind, cluster?.groups?.namespace, cluster?.groups?.name],
      ['ClusterRole', undefined, 'tenant-admin'],
    );
    // the v0.0.1 typo
    assert.ok(
      pattern('ssa/dry-run-failed-v0').re.test('Deployment/apps/web dry-run falied, reason: Invalid, error: x'),
    );
  });

  it('an immutable field wins over the dry-run wrapper in both wordings and names the field', () => {
    const old = classify(
      'Job/application/pre-deploy dry-run failed, reason: Invalid, error: Job.batch "pre-deploy" is invalid: spec.template: Invalid value: core.PodTemplateSpec{}: field is immutable',
    );
    const cur = classify(
      'Deployment/apps/podinfo dry-run failed (Invalid): Deployment.apps "podinfo" is invalid: spec.selector: Invalid value: v1.LabelSelector{}: field is immutable',
    );
    assert.deepEqual(
      [old.code, old.cause, old.data.field],
      ['kustomize.immutable-field', 'immutable-field', 'spec.template'],
    );
    assert.deepEqual([cur.code, cur.data.field], ['kustomize.immutable-field', 'spec.selector']);
    // a webhook that enforces immutability is still immutability, not a generic admission denial
    const webhook = classify(
      'TargetGroupBinding/kube-system/tgb dry-run failed, reason: TargetGroupBinding update may not change these fields: spec.targetGroupARN, error: admission webhook "vtargetgroupbinding.elbv2.k8s.aws" denied the request: TargetGroupBinding update may not change these fields: spec.targetGroupARN',
    );
    assert.equal(webhook.code, 'kustomize.immutable-field');
    const denied = classify(
      'Ingress/apps/web dry-run failed, reason: BadRequest, error: admission webhook "validate.nginx.ingress.kubernetes.io" denied the request: host "web" is already defined',
    );
    assert.deepEqual([denied.cause, denied.data.webhook], ['admission-denied', 'validate.nginx.ingress.kubernetes.io']);
  });

  it('an RBAC denial wins over the dry-run wrapper and captures who may not do what where', () => {
    const c = classify(
      'Namespace/apps dry-run failed, reason: Forbidden, error: namespaces "apps" is forbidden: User "system:serviceaccount:flux-system:default" cannot patch resource "namespaces" in API group "" in the namespace "apps"',
    );
    assert.equal(c.code, 'kustomize.rbac-forbidden');
    assert.deepEqual(
      [c.data.user, c.data.verb, c.data.resource, c.data.group, c.data.namespace],
      ['system:serviceaccount:flux-system:default', 'patch', 'namespaces', '', 'apps'],
    );
    const escaped = classify(
      'gc query failed for DestinationRule: destinationrules.networking.istio.io is forbidden: User \\"system:serviceaccount:flux-system:flux-deployer\\" cannot list resource \\"destinationrules\\" in API group \\"networking.istio.io\\" in the namespace \\"kafka\\"',
    );
    assert.deepEqual(
      [escaped.data.user, escaped.data.group, escaped.data.namespace],
      ['system:serviceaccount:flux-system:flux-deployer', 'networking.istio.io', 'kafka'],
    );
    const esc = classify(
      'clusterroles.rbac.authorization.k8s.io "x" is forbidden: user "system:serviceaccount:t:r" (groups=["system:serviceaccounts"]) is attempting to grant RBAC permissions not currently held:',
    );
    assert.deepEqual([esc.cause, esc.data.user], ['rbac-escalation', 'system:serviceaccount:t:r']);
  });

  it('a kind without CRD names kind and version, in ssa and kubectl-era (escaped) renderings', () => {
    const a = classify(
      'ServiceMonitor/monitoring/podinfo dry-run failed: no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v1"',
    );
    const b = classify(
      'validation failed: error: unable to recognize "x.yaml": no matches for kind \\"Certificate\\" in version \\"cert-manager.io/v1alpha2\\"',
    );
    assert.deepEqual(
      [a.cause, a.data.kind, a.data.version],
      ['kind-not-registered', 'ServiceMonitor', 'monitoring.coreos.com/v1'],
    );
    assert.deepEqual(
      [b.cause, b.data.kind, b.data.version],
      ['kind-not-registered', 'Certificate', 'cert-manager.io/v1alpha2'],
    );
  });

  it('a missing namespace names it in the v0.36+ "not found" and the older dry-run wording', () => {
    for (const text of [
      'Deployment/apps/podinfo not found: namespaces "apps" not found',
      'ConfigMap/apps/x dry-run failed, reason: NotFound, error: namespaces "apps" not found',
    ]) {
      const c = classify(text);
      assert.deepEqual(
        [c.code, c.cause, c.data.namespace],
        ['kustomize.validation-failed', 'namespace-missing', 'apps'],
      );
    }
  });

  it('wait errors name the first object and its status, for a timeout and for stalled resources', () => {
    const t = classify(
      "timeout waiting for: [Deployment/apps/web status: 'InProgress', Deployment/apps/api status: 'Current']",
    );
    assert.deepEqual(
      [t.cause, t.data.kind, t.data.namespace, t.data.name, t.data.status],
      ['wait-timeout', 'Deployment', 'apps', 'web', 'InProgress'],
    );
    const s = classify(
      "health check failed after 1m0s: failed early due to stalled resources: [Deployment/apps/podinfo status: 'Failed': Progress deadline exceeded]",
    );
    assert.deepEqual([s.cause, s.data.status], ['stalled', 'Failed']);
    const cluster = classify(
      "timeout waiting for: [ClusterIssuer/letsencrypt status: 'InProgress': Issuer is not ready]",
    );
    assert.deepEqual(
      [cluster.data.kind, cluster.data.namespace, cluster.data.name],
      ['ClusterIssuer', undefined, 'letsencrypt'],
    );
  });

  it('an invalid object names its kind and name; the generic apply wrapper defers to it', () => {
    const c = classify(
      'Secret/apps/tls apply failed: Secret "tls" is invalid: data[tls.crt]: Invalid value: "<secret contents redacted>": must be valid PEM',
    );
    assert.deepEqual(
      [c.cause, c.data.kind, c.data.name, c.data.field],
      ['invalid-object', 'Secret', 'tls', 'data[tls.crt]'],
    );
  });

  it('every pattern stays fast on 100 KB of hostile input', () => {
    for (const p of SSA) {
      for (const input of hostileInputs(p)) {
        const ms = timeIt(p.re, input);
        assert.ok(ms < 250, `${p.id} took ${ms.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 30))}…`);
      }
    }
  });
});
