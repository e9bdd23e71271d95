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

// PV controller (k8s.io/kubernetes@v1.34.0 pkg/controller/volume/persistentvolume/pv_controller.go):
// FailedBinding "no persistent volumes available for this claim and no storage class is set" (a Normal
// event), ProvisioningFailed "Failed to provision volume with StorageClass %q: %v" or the lister's
// `storageclass.storage.k8s.io "x" not found`.
const UNBOUND =
  '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
function withClaim(p: K8sObject, claim: string): K8sObject {
  p.spec.volumes = [{ name: 'data', persistentVolumeClaim: { claimName: claim } }];
  return p;
}
function claim(name: string, storageClassName?: string, phase = 'Pending', created = '2026-11-20T10:00:00Z') {
  const o = obj('PersistentVolumeClaim', `apps/${name}`, {
    spec: { accessModes: ['ReadWriteOnce'], ...(storageClassName ? { storageClassName } : {}) },
    status: { phase },
  });
  o.metadata.creationTimestamp = created;
  return o;
}
const pvcEvent = (name: string, reason: string, message: string, type = 'Warning') =>
  event({ kind: 'PersistentVolumeClaim', namespace: 'apps', name }, reason, message, type);
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
    {
      name: 'a Pending claim without events that no pod mounts yet (WaitForFirstConsumer)',
      objects: [
        claim('data', 'local-path'),
        pvcEvent('data', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding', 'Normal'),
      ],
    },
    {
      name: 'a claim created a minute ago, still provisioning',
      objects: [
        claim('data', 'gp3', 'Pending', '2026-11-24T09:59:00Z'),
        pvcEvent(
          'data',
          'ProvisioningFailed',
          'failed to provision volume with StorageClass "gp3": rpc error: code = DeadlineExceeded',
        ),
      ],
    },
    {
      name: 'a bound claim with an old provisioning error',
      objects: [
        claim('data', 'gp3', 'Bound'),
        pvcEvent(
          'data',
          'ProvisioningFailed',
          'failed to provision volume with StorageClass "gp3": rpc error: code = DeadlineExceeded',
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
          cause: 'insufficient-resources',
          data: { causes: 'insufficient-resources,node-affinity' },
          summary:
            'Deployment apps/api: pod api-7b9c6d5f4-zzzzz cannot be scheduled — not enough free cpu on any node; no node matches the pod\'s nodeSelector/affinity ("0/10 nodes are available: 10 node(s) didn\'t match node selector, 4 Insufficient cpu.")',
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
          cause: 'insufficient-resources',
          data: { causes: 'insufficient-resources,cordoned' },
          summary: /not enough free pods on any node; the nodes are cordoned/,
          remediation: [/kubectl uncordon/],
        },
      ],
    },
    {
      name: 'Deployment pod Pending on a claim that no PersistentVolume matches and that names no StorageClass',
      source:
        'pv_controller.go FailedBinding "no persistent volumes available for this claim and no storage class is set"',
      objects: [
        deployment('api'),
        replicaSet('api', '7b9c6d5f4'),
        withClaim(pendingPod('api-7b9c6d5f4-zzzzz', 'apps', 'api-7b9c6d5f4', UNBOUND), 'api-data'),
        claim('api-data'),
        pvcEvent(
          'api-data',
          'FailedBinding',
          'no persistent volumes available for this claim and no storage class is set',
          'Normal',
        ),
      ],
      expect: [
        {
          object: 'Deployment/apps/api',
          cause: 'no-storage-class',
          data: { pvc: 'api-data' },
          summary:
            'Deployment apps/api: pod api-7b9c6d5f4-zzzzz cannot be scheduled: PersistentVolumeClaim apps/api-data is not bound — no PersistentVolume matches it and no StorageClass is set (the cluster has no default StorageClass)',
          evidence: [
            /PodScheduled=False \(Unschedulable\): 0\/3 nodes/,
            /FailedBinding: no persistent volumes available/,
          ],
          remediation: [
            /^kubectl -n apps describe pvc api-data$/,
            /^kubectl get storageclass$/,
            /^Set storageClassName/,
          ],
        },
      ],
    },
    {
      name: 'bare Pod on a claim whose provisioner fails',
      source:
        'sig-storage-lib-external-provisioner controller.go "failed to provision volume with StorageClass %q: %v"',
      objects: [
        withClaim(pendingPod('loader', 'apps', undefined, UNBOUND), 'scratch'),
        claim('scratch', 'gp3'),
        pvcEvent(
          'scratch',
          'ProvisioningFailed',
          'failed to provision volume with StorageClass "gp3": rpc error: code = Internal desc = could not create volume in EC2: UnauthorizedOperation',
        ),
      ],
      expect: [
        {
          object: 'Pod/apps/loader',
          cause: 'provisioning-failed',
          data: { pvc: 'scratch', storageClass: 'gp3' },
          summary:
            'Pod apps/loader cannot be scheduled: PersistentVolumeClaim apps/scratch is not bound — provisioning with StorageClass gp3 fails: rpc error: code = Internal desc = could not create volume in EC2: UnauthorizedOperation',
        },
      ],
    },
    {
      name: 'the claim a pod mounts does not exist',
      source: 'kube-scheduler volumebinding: persistentvolumeclaim "x" not found',
      objects: [
        withClaim(
          pendingPod(
            'loader',
            'apps',
            undefined,
            '0/3 nodes are available: persistentvolumeclaim "scratch" not found.',
          ),
          'scratch',
        ),
        claim('other', 'gp3', 'Bound'),
      ],
      expect: [
        {
          object: 'Pod/apps/loader',
          cause: 'pvc-not-found',
          summary:
            'Pod apps/loader cannot be scheduled: PersistentVolumeClaim apps/scratch is not bound — it does not exist',
          remediation: [/^Create PersistentVolumeClaim scratch/],
        },
      ],
    },
    {
      name: 'a Pending claim no pod mounts, whose StorageClass does not exist (a Kustomization waits on it)',
      objects: [
        claim('archive', 'fast-ssd'),
        pvcEvent('archive', 'ProvisioningFailed', 'storageclass.storage.k8s.io "fast-ssd" not found'),
      ],
      expect: [
        {
          object: 'PersistentVolumeClaim/apps/archive',
          cause: 'storage-class-not-found',
          data: { storageClass: 'fast-ssd' },
          summary: 'PersistentVolumeClaim apps/archive is not bound — StorageClass fast-ssd does not exist',
        },
      ],
    },
  ],
});
