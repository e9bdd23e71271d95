import { rule } from '../../src/rules/workload-unschedulable.js';
import type { K8sObject } from '../../src/types.js';
import { cond, event, obj, ruleTester } from '../helpers.js';

// The scheduler sets PodScheduled=False reason Unschedulable with its "0/N nodes are available: ..."
// message and records FailedScheduling events. Real messages:
//   https://github.com/kubernetes/kubernetes/issues/49896 — PodScheduled condition
//     "0/10 nodes are available: 10 node(s) didn't match node selector, 4 Insufficient cpu."
//   https://github.com/kubernetes/kubernetes/issues/107194 — "0/5 nodes are available: 2 node(s) were unschedulable, 3 Insufficient pods."

function deployment(name: string, ns = 'apps') {
  return obj('Deployment', `${ns}/${name}`, {
    uid: `uid-${name}`,
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/api:2.0.0' }] } } },
    status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 0 },
  });
}

function replicaSet(deploy: string, hash: string, ns = 'apps') {
  const o = obj('ReplicaSet', `${ns}/${deploy}-${hash}`, { uid: `uid-${deploy}-${hash}`, spec: { replicas: 1 } });
  o.metadata.ownerReferences = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: deploy, uid: `uid-${deploy}`, controller: true },
  ];
  return o;
}

function pendingPod(name: string, ns: string, owner: string | undefined, message: string, reason = 'Unschedulable') {
  const o: K8sObject = obj('Pod', `${ns}/${name}`, {
    uid: `uid-${name}`,
    spec: {
      containers: [
        { name: 'app', image: 'ghcr.io/acme/api:2.0.0', resources: { requests: { cpu: '4', memory: '8Gi' } } },
      ],
    },
    status: { phase: 'Pending', conditions: [cond('PodScheduled', 'False', reason, message)] },
  });
  if (owner)
    o.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: `uid-${owner}`, controller: true },
    ];
  return o;
}

const MSG = "0/10 nodes are available: 10 node(s) didn't match node selector, 4 Insufficient cpu.";

ruleTester(rule, {
  valid: [
    {
      name: 'scheduled pod',
      objects: [
        obj('Pod', 'apps/ok', {
          status: { phase: 'Running', conditions: [cond('PodScheduled', 'True', ''), cond('Ready', 'True', '')] },
        }),
      ],
    },
    {
      name: 'look-alike: pod scheduled but waiting for its image (ContainerCreating)',
      objects: [
        obj('Pod', 'apps/starting', {
          status: {
            phase: 'Pending',
            conditions: [cond('PodScheduled', 'True', '')],
            containerStatuses: [{ name: 'app', ready: false, state: { waiting: { reason: 'ContainerCreating' } } }],
          },
        }),
      ],
    },
    {
      name: 'look-alike: PodScheduled=False reason SchedulingGated (scheduling gates, waiting on purpose)',
      source: 'kube-apiserver pkg/registry/core/pod/strategy.go (applySchedulingGatedCondition)',
      objects: [
        pendingPod(
          'gated',
          'apps',
          undefined,
          'Scheduling is blocked due to non-empty scheduling gates',
          'SchedulingGated',
        ),
      ],
    },
  ],
  invalid: [
    {
      name: 'Deployment whose pod does not fit: node selector and cpu',
      source: 'https://github.com/kubernetes/kubernetes/issues/49896',
      objects: [
        deployment('api'),
        replicaSet('api', '7b9c6d5f4'),
        pendingPod('api-7b9c6d5f4-zzzzz', 'apps', 'api-7b9c6d5f4', MSG),
        event({ kind: 'Pod', namespace: 'apps', name: 'api-7b9c6d5f4-zzzzz' }, 'FailedScheduling', MSG),
      ],
      expect: [
        {
          object: 'Deployment/apps/api',
          summary:
            /Deployment apps\/api: pod api-7b9c6d5f4-zzzzz cannot be scheduled — not enough free cpu on any node; no node matches the pod's nodeSelector\/affinity/,
          fixTarget: { kind: 'Deployment', namespace: 'apps', name: 'api' },
          evidence: [
            /PodScheduled=False \(Unschedulable\): 0\/10 nodes are available/,
            /FailedScheduling: 0\/10 nodes/,
          ],
          remediation: [
            /kubectl -n apps describe pod api-7b9c6d5f4-zzzzz/,
            /cpu 4, memory 8Gi/,
            /Lower the resources\.requests/,
          ],
        },
      ],
    },
    {
      name: 'bare Pod: nodes cordoned and full',
      source: 'https://github.com/kubernetes/kubernetes/issues/107194',
      objects: [
        pendingPod(
          'runner',
          'ci',
          undefined,
          '0/5 nodes are available: 2 node(s) were unschedulable, 3 Insufficient pods.',
        ),
      ],
      expect: [
        {
          object: 'Pod/ci/runner',
          summary: /not enough free pods on any node; the nodes are cordoned/,
          remediation: [/kubectl uncordon/],
        },
      ],
    },
  ],
});
