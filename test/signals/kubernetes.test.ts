// Kubernetes' workload messages: every sample is classified innermost to its own pattern among the
// patterns of the kinds it appears on; admission rejections of a ReplicaSet name the ServiceAccount,
// quota and PodSecurity level; old and new scheduler wordings give the same cause; the patterns never
// reach a Flux object; and no pattern backtracks badly on hostile input.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify } from '../../src/signals/match.js';
import { PATTERNS, REASONS } from '../../src/signals/patterns/kubernetes.js';
import type { MessagePattern } from '../../src/signals/patterns/types.js';
import { event, graphOf, obj } from '../helpers.js';
import { dataOf, hostileInputs, innermost, timeIt } from './innermost.js';

const forKind = (kind: string): MessagePattern[] => PATTERNS.filter((p) => !p.kinds || p.kinds.includes(kind));
const hit = (text: string, kind = 'ReplicaSet') => {
  const h = innermost(text, forKind(kind));
  return { id: h?.pattern.id, code: h?.pattern.code, cause: h?.pattern.cause, data: dataOf(h) };
};

describe('kubernetes patterns', () => {
  it('every sample is classified to its own pattern on each kind the pattern is for', () => {
    for (const p of PATTERNS) {
      for (const kind of p.kinds ?? ['Pod']) {
        for (const s of p.samples) {
          const h = innermost(s, forKind(kind));
          // scheduler messages list several reasons: the sample may be innermost to another scheduler cause
          if (p.code === 'workload.unschedulable' && h?.pattern.code === p.code) continue;
          assert.equal(h?.pattern.id, p.id, `${kind}: ${JSON.stringify(s)} → ${h?.pattern.id}`);
        }
      }
    }
  });

  it('a ReplicaSet that cannot create pods names the ServiceAccount, the quota and the PodSecurity level', () => {
    const sa = hit(
      'Error creating: pods "web-7f9c6d8b5-" is forbidden: error looking up service account apps/web-sa: serviceaccount "web-sa" not found',
    );
    assert.deepEqual(
      [sa.code, sa.cause, sa.data.saNamespace, sa.data.serviceAccount],
      ['workload.not-ready', 'service-account-missing', 'apps', 'web-sa'],
    );
    const quota = hit(
      'Error creating: pods "web-7f9c6d8b5-x" is forbidden: exceeded quota: team-a, requested: requests.cpu=500m, used: requests.cpu=2, limited: requests.cpu=2',
    );
    assert.deepEqual(
      [quota.cause, quota.data.quota, quota.data.requested],
      ['quota-exceeded', 'team-a', 'requests.cpu=500m'],
    );
    const psa = hit(
      'Error creating: pods "web-7f9c6d8b5-x" is forbidden: violates PodSecurity "restricted:v1.29": runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true)',
    );
    assert.deepEqual([psa.cause, psa.data.level], ['pod-security', 'restricted:v1.29']);
    const hook = hit('Error creating: admission webhook \\"policy.example.com\\" denied the request: no');
    assert.deepEqual([hook.cause, hook.data.webhook], ['webhook-denied', 'policy.example.com']);
  });

  it('old and new scheduler wordings give the same cause', () => {
    for (const [text, cause] of [
      [
        "0/1 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate.",
        'untolerated-taint',
      ],
      ['0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: gpu}.', 'untolerated-taint'],
      ["0/4 nodes are available: 4 node(s) didn't match node selector.", 'node-affinity'],
      ["0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector.", 'node-affinity'],
    ] as const) {
      assert.equal(hit(text, 'Pod').cause, cause, text);
    }
  });

  it('a PVC event names the StorageClass', () => {
    const h = hit(
      'failed to provision volume with StorageClass "gp3": rpc error: code = Internal',
      'PersistentVolumeClaim',
    );
    assert.deepEqual([h.cause, h.data.storageClass], ['provisioning-failed', 'gp3']);
    assert.equal(
      hit('storageclass.storage.k8s.io "fast" not found', 'PersistentVolumeClaim').data.storageClass,
      'fast',
    );
  });

  it('never reaches a Flux object: a Kustomization carrying an admission text is not classified by it', () => {
    const g = graphOf([
      obj('Kustomization', 'flux-system/apps', {
        status: {
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'ReconciliationFailed',
              message:
                'Deployment/apps/web dry-run failed (Forbidden): admission webhook "validate.kyverno.svc-fail" denied the request: no',
            },
          ],
        },
      }),
    ]);
    const c = classify(g.get({ kind: 'Kustomization', namespace: 'flux-system', name: 'apps' })!, g);
    assert.notEqual(c?.pattern?.emitter, 'kubernetes');
  });

  it('a ReplicaSet FailedCreate event is classified, and the reason alone tells the cause', () => {
    const rs = obj('ReplicaSet', 'apps/web-7f9c6d8b5', { spec: { replicas: 1 }, status: {} });
    const ref = { kind: 'ReplicaSet', namespace: 'apps', name: 'web-7f9c6d8b5' };
    const g = graphOf([
      rs,
      event(ref, 'FailedCreate', 'Error creating: pods "web-7f9c6d8b5-" is forbidden: exceeded quota: team-a'),
    ]);
    const c = classify(g.get({ kind: 'ReplicaSet', namespace: 'apps', name: 'web-7f9c6d8b5' })!, g);
    assert.deepEqual([c?.code, c?.cause, c?.data.quota], ['workload.not-ready', 'quota-exceeded', 'team-a']);
    const g2 = graphOf([rs, event(ref, 'FailedCreate', 'Error creating: (redacted)')]);
    const c2 = classify(g2.get({ kind: 'ReplicaSet', namespace: 'apps', name: 'web-7f9c6d8b5' })!, g2);
    assert.deepEqual(
      [c2?.code, c2?.cause, c2?.reason?.id],
      ['workload.not-ready', 'pods-cannot-be-created', REASONS[0]!.id],
    );
  });

  it('every pattern stays fast on 100 KB of hostile input', () => {
    for (const p of PATTERNS) {
      for (const input of hostileInputs(p)) {
        const ms = timeIt(p.re, input);
        assert.ok(ms < 250, `${p.id} took ${ms.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 30))}…`);
      }
    }
  });
});
