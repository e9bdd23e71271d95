// The deeper roots of a workload, through the whole engine (every rule): a HelmRelease or Kustomization
// that waits on a Deployment whose ReplicaSet cannot create pods, a Job (a Helm hook) that failed, a
// LoadBalancer Service without address, or a pod whose PVC never binds reports that object as the one
// root cause, with the Flux object among the affected — not as a second root.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose } from '../../src/diagnose/engine.js';
import type { K8sObject } from '../../src/types.js';
import { cond, event, graphOf, idOf, obj, status } from '../helpers.js';

const KS_LABELS = {
  'kustomize.toolkit.fluxcd.io/name': 'apps',
  'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
};
const HR_LABELS = { 'helm.toolkit.fluxcd.io/name': 'web', 'helm.toolkit.fluxcd.io/namespace': 'apps' };

function kustomization(message: string, entries: string[]) {
  return obj('Kustomization', 'flux-system/apps', {
    spec: {
      interval: '10m',
      path: './apps',
      wait: true,
      timeout: '5m',
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
    },
    status: status(['False', 'HealthCheckFailed', message], [], {
      inventory: { entries: entries.map((id) => ({ id, v: 'v1' })) },
    }),
  });
}

function deployment(labels: Record<string, string>) {
  return obj('Deployment', 'apps/web', {
    uid: 'uid-web',
    labels,
    spec: {
      replicas: 2,
      template: {
        spec: { serviceAccountName: 'web-sa', containers: [{ name: 'web', image: 'ghcr.io/acme/web:1.0.0' }] },
      },
    },
    status: {
      observedGeneration: 1,
      replicas: 0,
      conditions: [
        cond(
          'ReplicaFailure',
          'True',
          'FailedCreate',
          'pods "web-7f9c6d8b5-" is forbidden: error looking up service account apps/web-sa: serviceaccount "web-sa" not found',
        ),
      ],
    },
  });
}

function replicaSet(): K8sObject {
  const o = obj('ReplicaSet', 'apps/web-7f9c6d8b5', { uid: 'uid-rs', spec: { replicas: 2 }, status: { replicas: 0 } });
  o.metadata.ownerReferences = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-web', controller: true },
  ];
  return o;
}

const RS_EVENT = event(
  { kind: 'ReplicaSet', namespace: 'apps', name: 'web-7f9c6d8b5' },
  'FailedCreate',
  'Error creating: pods "web-7f9c6d8b5-" is forbidden: error looking up service account apps/web-sa: serviceaccount "web-sa" not found',
);

const roots = (docs: unknown[]) =>
  diagnose(graphOf(docs as K8sObject[]))
    .findings.filter((f) => f.severity === 'error')
    .map((f) => [f.code, idOf(f.rootCause), f.affected.map(idOf).sort()]);

describe('deeper workload roots through the engine', () => {
  it('Kustomization health check → Deployment whose ReplicaSet cannot create pods (ServiceAccount missing)', () => {
    const docs = [
      kustomization("timeout waiting for: [Deployment/apps/web status: 'InProgress']", ['apps_web_apps_Deployment']),
      deployment(KS_LABELS),
      replicaSet(),
      RS_EVENT,
    ];
    assert.deepEqual(roots(docs), [['workload.not-ready', 'Deployment/apps/web', ['Kustomization/flux-system/apps']]]);
    const f = diagnose(graphOf(docs as K8sObject[])).findings.find((x) => x.code === 'workload.not-ready')!;
    assert.equal(
      f.summary,
      'Deployment apps/web is not ready: ReplicaSet apps/web-7f9c6d8b5 cannot create pods — ServiceAccount apps/web-sa does not exist',
    );
    assert.ok(f.evidence.some((e) => e.object === 'ReplicaSet/apps/web-7f9c6d8b5' && /FailedCreate/.test(e.text)));
  });

  it('HelmRelease install waiting on the Deployment (managed labels) → the same root', () => {
    const hr = obj('HelmRelease', 'apps/web', {
      spec: { interval: '10m', chart: { spec: { chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'acme' } } } },
      status: status([
        'False',
        'InstallFailed',
        'Helm install failed for release apps/web with chart web@1.0.0: context deadline exceeded',
      ]),
    });
    const got = roots([hr, deployment(HR_LABELS), replicaSet(), RS_EVENT]);
    assert.deepEqual(got, [['workload.not-ready', 'Deployment/apps/web', ['HelmRelease/apps/web']]]);
  });

  it('a failed Helm hook Job is the root cause of the HelmRelease', () => {
    const hr = obj('HelmRelease', 'apps/web', {
      spec: { interval: '10m', chart: { spec: { chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'acme' } } } },
      status: status([
        'False',
        'InstallFailed',
        // helm.sh/helm/v3 pkg/action/install.go "failed post-install: %s" around the hook wait (a hook Job failing until the timeout)
        'Helm install failed for release apps/web with chart web@1.0.0: failed post-install: timed out waiting for the condition',
      ]),
    });
    const job = obj('Job', 'apps/web-migrate', {
      uid: 'uid-job',
      labels: HR_LABELS,
      annotations: { 'helm.sh/hook': 'post-install' },
      spec: { backoffLimit: 1 },
      status: {
        failed: 2,
        conditions: [cond('Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')],
      },
    });
    const pod = obj('Pod', 'apps/web-migrate-x2k4p', {
      uid: 'uid-pod',
      spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'ghcr.io/acme/web:1.0.0' }] },
      status: {
        phase: 'Failed',
        containerStatuses: [
          {
            name: 'migrate',
            ready: false,
            restartCount: 0,
            state: { terminated: { reason: 'Error', exitCode: 3, finishedAt: '2026-11-24T09:58:00Z' } },
          },
        ],
      },
    });
    pod.metadata.ownerReferences = [
      { apiVersion: 'batch/v1', kind: 'Job', name: 'web-migrate', uid: 'uid-job', controller: true },
    ];
    const docs = [hr, job, pod];
    assert.deepEqual(roots(docs), [['workload.crashloop', 'Job/apps/web-migrate', ['HelmRelease/apps/web']]]);
    const f = diagnose(graphOf(docs as K8sObject[])).findings.find((x) => x.code === 'workload.crashloop')!;
    assert.equal(
      f.summary,
      'Job apps/web-migrate failed: its pods failed 2 time(s) and reached backoffLimit 1 (Helm post-install hook); the last pod exited with code 3 (Error)',
    );
    assert.ok(f.remediation.includes('kubectl -n apps logs web-migrate-x2k4p -c migrate'), f.remediation.join('\n'));
  });

  it('a HelmRelease whose hook failed (job failed: BackoffLimitExceeded) has the labelled hook Job as its one root', () => {
    // helm.sh/helm/v3@v3.13.3 pkg/action/install.go "failed post-install: %s" around go-multierror and
    // pkg/kube/client.go "job failed: %s"; the Job carries helm-controller's post-render labels (Helm v4 post-renders hooks).
    const message =
      'Helm install failed for release apps/web with chart web@1.0.0: failed post-install: 1 error occurred:\n\t* job failed: BackoffLimitExceeded';
    const hr = obj('HelmRelease', 'apps/web', {
      spec: { interval: '10m', chart: { spec: { chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'acme' } } } },
      status: status(['False', 'InstallFailed', message], [cond('Released', 'False', 'InstallFailed', message)]),
    });
    const job = (labels: Record<string, string>) =>
      obj('Job', 'apps/web-migrate', {
        uid: 'uid-job',
        labels,
        annotations: { 'helm.sh/hook': 'post-install' },
        spec: { backoffLimit: 1 },
        status: {
          failed: 2,
          conditions: [cond('Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')],
        },
      });
    assert.deepEqual(roots([hr, job(HR_LABELS)]), [
      ['workload.crashloop', 'Job/apps/web-migrate', ['HelmRelease/apps/web']],
    ]);
    // Without the labels (Helm v3 does not post-render hooks) nothing links them: both stay, the release names the Job.
    const unlinked = diagnose(graphOf([hr, job({})] as K8sObject[])).findings.filter((f) => f.severity === 'error');
    assert.deepEqual(unlinked.map((f) => [f.code, idOf(f.rootCause)]).sort(), [
      ['helm.install-failed', 'HelmRelease/apps/web'],
      ['workload.crashloop', 'Job/apps/web-migrate'],
    ]);
    const rel = unlinked.find((f) => f.code === 'helm.install-failed')!;
    assert.match(
      rel.summary,
      /the post-install hook \(Job apps\/web-migrate\) failed: job failed: BackoffLimitExceeded/,
    );
  });

  it('Kustomization wait → a LoadBalancer Service that never gets its address', () => {
    const svc = obj('Service', 'apps/web', {
      labels: KS_LABELS,
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
      status: { loadBalancer: {} },
    });
    const got = roots([
      kustomization("timeout waiting for: [Service/apps/web status: 'InProgress']", ['apps_web__Service']),
      svc,
      event(
        { kind: 'Service', namespace: 'apps', name: 'web' },
        'SyncLoadBalancerFailed',
        'Error syncing load balancer: failed to ensure load balancer: no available nodes for service',
      ),
    ]);
    assert.deepEqual(got, [['workload.not-ready', 'Service/apps/web', ['Kustomization/flux-system/apps']]]);
  });

  it('Kustomization wait → StatefulSet pod Pending on a PVC whose StorageClass does not exist', () => {
    const sts = obj('StatefulSet', 'apps/db', {
      uid: 'uid-db',
      labels: KS_LABELS,
      spec: { replicas: 1 },
      status: { observedGeneration: 1, replicas: 1, readyReplicas: 0 },
    });
    const pod = obj('Pod', 'apps/db-0', {
      uid: 'uid-db-0',
      spec: {
        containers: [{ name: 'db', image: 'postgres:16.4' }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } }],
      },
      status: {
        phase: 'Pending',
        conditions: [
          cond(
            'PodScheduled',
            'False',
            'Unschedulable',
            '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
          ),
        ],
      },
    });
    pod.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'uid-db', controller: true },
    ];
    const pvc = obj('PersistentVolumeClaim', 'apps/data-db-0', {
      spec: { storageClassName: 'fast-ssd', accessModes: ['ReadWriteOnce'] },
      status: { phase: 'Pending' },
    });
    const docs = [
      kustomization("timeout waiting for: [StatefulSet/apps/db status: 'InProgress']", ['apps_db_apps_StatefulSet']),
      sts,
      pod,
      pvc,
      event(
        { kind: 'PersistentVolumeClaim', namespace: 'apps', name: 'data-db-0' },
        'ProvisioningFailed',
        'storageclass.storage.k8s.io "fast-ssd" not found',
      ),
    ];
    assert.deepEqual(roots(docs), [
      ['workload.unschedulable', 'StatefulSet/apps/db', ['Kustomization/flux-system/apps']],
    ]);
    const f = diagnose(graphOf(docs as K8sObject[])).findings.find((x) => x.code === 'workload.unschedulable')!;
    assert.equal(
      f.summary,
      'StatefulSet apps/db: pod db-0 cannot be scheduled: PersistentVolumeClaim apps/data-db-0 is not bound — StorageClass fast-ssd does not exist',
    );
    assert.ok(f.remediation.includes('kubectl -n apps describe pvc data-db-0'), f.remediation.join('\n'));
  });
});
