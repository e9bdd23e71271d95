import { rule } from '../../src/rules/workload-crashloop.js';
import type { K8sObject } from '../../src/types.js';
import { event, obj, ruleTester } from '../helpers.js';

// Messages: kubelet pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff —
//   waiting message: fmt.Errorf("back-off %s restarting failed container=%s pod=%s", backOff.Get(key), container.Name, format.Pod(pod))
//   event BackOff:   "Back-off restarting failed container %s in pod %s"  (format.Pod = name_namespace(uid))

// biome-ignore lint/suspicious/noExplicitAny: loose test input
type Any = any;

function deployment(name: string, ns = 'apps', extra: { labels?: Record<string, string>; status?: Any } = {}) {
  return obj('Deployment', `${ns}/${name}`, {
    uid: `uid-${name}`,
    labels: extra.labels,
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/app:1.4.2' }] } } },
    status: extra.status ?? { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 0 },
  });
}

function replicaSet(deploy: string, hash: string, ns = 'apps') {
  const o = obj('ReplicaSet', `${ns}/${deploy}-${hash}`, { uid: `uid-${deploy}-${hash}`, spec: { replicas: 1 } });
  o.metadata.ownerReferences = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: deploy, uid: `uid-${deploy}`, controller: true },
  ];
  return o;
}

function pod(name: string, ns: string, owner: { kind: string; name: string } | undefined, containerStatus: Any) {
  const o: K8sObject = obj('Pod', `${ns}/${name}`, {
    uid: `uid-${name}`,
    spec: {
      restartPolicy: 'Always',
      containers: [{ name: 'app', image: 'ghcr.io/acme/app:1.4.2' }],
    },
    status: { phase: 'Running', containerStatuses: [containerStatus] },
  });
  if (owner) {
    o.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: `uid-${owner.name}`, controller: true },
    ];
    const hash = owner.name.split('-').pop();
    if (owner.kind === 'ReplicaSet' && hash) o.metadata.labels = { 'pod-template-hash': hash };
  }
  return o;
}

const crashing = (podName: string, ns = 'apps') => ({
  name: 'app',
  image: 'ghcr.io/acme/app:1.4.2',
  ready: false,
  restartCount: 12,
  state: {
    waiting: {
      reason: 'CrashLoopBackOff',
      message: `back-off 5m0s restarting failed container=app pod=${podName}_${ns}(0c9b6c1e-2a4f-4d47-9a53-2f7c2b1d9e11)`,
    },
  },
  lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: '2026-11-24T09:58:00Z' } },
});

ruleTester(rule, {
  valid: [
    {
      name: 'healthy Deployment with a running, ready pod',
      objects: [
        deployment('web', 'apps', {
          status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1, readyReplicas: 1 },
        }),
        replicaSet('web', '7d4b9c8f6'),
        pod(
          'web-7d4b9c8f6-x2k4p',
          'apps',
          { kind: 'ReplicaSet', name: 'web-7d4b9c8f6' },
          {
            name: 'app',
            ready: true,
            restartCount: 0,
            state: { running: { startedAt: '2026-11-24T09:00:00Z' } },
          },
        ),
      ],
    },
    {
      name: 'look-alike: container OOMKilled then in back-off belongs to workload.oom',
      source: 'workload.oom owns OOMKilled terminations',
      objects: [
        deployment('web'),
        replicaSet('web', '7d4b9c8f6'),
        pod(
          'web-7d4b9c8f6-x2k4p',
          'apps',
          { kind: 'ReplicaSet', name: 'web-7d4b9c8f6' },
          {
            ...crashing('web-7d4b9c8f6-x2k4p'),
            lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
          },
        ),
      ],
    },
    {
      name: 'look-alike: ImagePullBackOff is not a crash loop',
      objects: [
        pod('debug', 'apps', undefined, {
          name: 'app',
          ready: false,
          restartCount: 0,
          state: {
            waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "ghcr.io/acme/app:1.4.2"' },
          },
        }),
      ],
    },
    {
      name: 'a completed Job pod (exit 0, restartPolicy Never) is fine',
      objects: [
        (() => {
          const p = pod('migrate-abcde', 'apps', undefined, {
            name: 'app',
            ready: false,
            restartCount: 0,
            state: { terminated: { reason: 'Completed', exitCode: 0 } },
          });
          p.spec.restartPolicy = 'Never';
          p.status.phase = 'Succeeded';
          return p;
        })(),
      ],
    },
  ],
  invalid: [
    {
      name: 'Deployment whose pod is in CrashLoopBackOff: reported at the Deployment, not the Pod',
      source: 'kubelet pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff (waiting message and BackOff event)',
      objects: [
        deployment('web', 'apps', {
          labels: {
            'kustomize.toolkit.fluxcd.io/name': 'apps',
            'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
          },
        }),
        obj('Kustomization', 'flux-system/apps', { spec: { path: './apps/production' } }),
        replicaSet('web', '7d4b9c8f6'),
        pod(
          'web-7d4b9c8f6-x2k4p',
          'apps',
          { kind: 'ReplicaSet', name: 'web-7d4b9c8f6' },
          crashing('web-7d4b9c8f6-x2k4p'),
        ),
        event(
          { kind: 'Pod', namespace: 'apps', name: 'web-7d4b9c8f6-x2k4p' },
          'BackOff',
          'Back-off restarting failed container app in pod web-7d4b9c8f6-x2k4p_apps(0c9b6c1e-2a4f-4d47-9a53-2f7c2b1d9e11)',
        ),
      ],
      expect: [
        {
          object: 'Deployment/apps/web',
          cause: 'crash-loop',
          data: { container: 'app', pod: 'web-7d4b9c8f6-x2k4p', exitCode: 1 },
          summary:
            'Deployment apps/web: container app (ghcr.io/acme/app:1.4.2) keeps crashing in pod web-7d4b9c8f6-x2k4p (CrashLoopBackOff, 12 restarts, last exit code 1 (Error))',
          fixTarget: { kind: 'Deployment', namespace: 'apps', name: 'web' },
          evidence: [
            /back-off 5m0s restarting failed container=app pod=web-7d4b9c8f6-x2k4p_apps/,
            /Back-off restarting failed container app in pod web-7d4b9c8f6-x2k4p_apps/,
          ],
          remediation: [
            /kubectl -n apps logs web-7d4b9c8f6-x2k4p -c app --previous/,
            /in Git, in the manifests of Kustomization flux-system\/apps \(path \.\/apps\/production\)/,
            /flux reconcile kustomization apps -n flux-system --with-source/,
            /kubectl -n apps rollout status deployment\/web/,
          ],
        },
      ],
    },
    {
      name: 'ReplicaSet not in the snapshot: the pod is still matched to its Deployment by pod-template-hash',
      source: 'kubelet pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff',
      objects: [
        deployment('api'),
        pod(
          'api-5f6d8b7c9-abcde',
          'apps',
          { kind: 'ReplicaSet', name: 'api-5f6d8b7c9' },
          {
            ...crashing('api-5f6d8b7c9-abcde'),
            lastState: { terminated: { reason: 'Error', exitCode: 127 } },
          },
        ),
      ],
      expect: [
        {
          object: 'Deployment/apps/api',
          cause: 'command-not-found',
          data: { exitCode: 127 },
          summary: /last exit code 127/,
          remediation: [/Exit code 127\/126 means the command or entrypoint is not found/],
        },
      ],
    },
    {
      name: 'bare Pod (no owner) gets its own finding',
      source: 'kubelet pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff',
      objects: [pod('debug', 'default', undefined, crashing('debug', 'default'))],
      expect: [
        {
          object: 'Pod/default/debug',
          cause: 'crash-loop',
          summary:
            'Pod default/debug: container app (ghcr.io/acme/app:1.4.2) keeps crashing (CrashLoopBackOff, 12 restarts, last exit code 1 (Error))',
          fixTarget: { kind: 'Pod', namespace: 'default', name: 'debug' },
          remediation: [/kubectl -n default get pod debug -w/],
        },
      ],
    },
    {
      name: 'killed by a failing liveness probe (kubelet Unhealthy event)',
      source: 'k8s.io/kubernetes@v1.34.0 pkg/kubelet/prober/prober.go event Unhealthy "%s probe failed: %s"',
      objects: [
        pod('probe', 'default', undefined, {
          ...crashing('probe', 'default'),
          lastState: { terminated: { reason: 'Error', exitCode: 137 } },
        }),
        event(
          { kind: 'Pod', namespace: 'default', name: 'probe' },
          'Unhealthy',
          'Liveness probe failed: HTTP probe failed with statuscode: 500',
        ),
      ],
      expect: [
        {
          cause: 'liveness-probe-failed',
          data: { probe: 'HTTP probe failed with statuscode: 500' },
          summary:
            'Pod default/probe: container app (ghcr.io/acme/app:1.4.2) keeps crashing (CrashLoopBackOff, 12 restarts, last exit code 137 (Error)): its liveness probe fails (HTTP probe failed with statuscode: 500)',
          evidence: [/Liveness probe failed/],
        },
      ],
    },
    {
      name: 'exit code 137 without OOMKilled and without a probe event',
      objects: [
        pod('killed', 'default', undefined, {
          ...crashing('killed', 'default'),
          lastState: { terminated: { reason: 'Error', exitCode: 137 } },
        }),
      ],
      expect: [{ cause: 'killed', remediation: [/Exit code 137 without OOMKilled/] }],
    },
    {
      name: 'a Job whose pods kept failing reached its backoff limit',
      source:
        'k8s.io/kubernetes@v1.34.0 pkg/controller/job/job_controller.go reason BackoffLimitExceeded "Job has reached the specified backoff limit"',
      objects: [
        obj('Job', 'ops/backup', {
          uid: 'uid-backup',
          spec: { backoffLimit: 2 },
          status: {
            failed: 3,
            conditions: [
              {
                type: 'Failed',
                status: 'True',
                reason: 'BackoffLimitExceeded',
                message: 'Job has reached the specified backoff limit',
              },
            ],
          },
        }),
        (() => {
          const p = pod('backup-abcde', 'ops', undefined, {
            name: 'app',
            ready: false,
            restartCount: 0,
            state: { terminated: { reason: 'Error', exitCode: 2, finishedAt: '2026-11-24T09:50:00Z' } },
          });
          p.spec.restartPolicy = 'Never';
          p.status.phase = 'Failed';
          p.metadata.ownerReferences = [
            { apiVersion: 'batch/v1', kind: 'Job', name: 'backup', uid: 'uid-backup', controller: true },
          ];
          return p;
        })(),
      ],
      expect: [
        {
          object: 'Job/ops/backup',
          cause: 'job-backoff-limit',
          data: { failed: 3, backoffLimit: 2, pod: 'backup-abcde', container: 'app' },
          summary:
            'Job ops/backup failed: its pods failed 3 time(s) and reached backoffLimit 2; the last pod exited with code 2 (Error)',
          evidence: [/Failed=True \(BackoffLimitExceeded\)/, /terminated Error \(exit code 2\)/],
          remediation: [/^kubectl -n ops logs backup-abcde -c app$/, /not retried/],
        },
      ],
    },
  ],
});
