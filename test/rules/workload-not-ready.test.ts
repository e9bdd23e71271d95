import { rule } from '../../src/rules/workload-not-ready.js';
import type { K8sObject } from '../../src/types.js';
import { cond, event, obj, ruleTester } from '../helpers.js';

// Messages:
//   kube-controller-manager pkg/controller/deployment/util/deployment_util.go:
//     Progressing=False reason ProgressDeadlineExceeded, message `ReplicaSet "%s" has timed out progressing.`
//   kubelet pkg/kubelet/prober/prober.go: event Unhealthy "%s probe failed: %s", with pkg/probe/http/http.go
//     output "HTTP probe failed with statuscode: %d" → "Readiness probe failed: HTTP probe failed with statuscode: 503"
//   kubelet pkg/kubelet/status/generate.go: pod Ready=False reason ContainersNotReady "containers with unready status: [app]"

// biome-ignore lint/suspicious/noExplicitAny: loose test input
type Any = any;

function deployment(name: string, ns = 'apps', conditions: Any[] = []) {
  return obj('Deployment', `${ns}/${name}`, {
    uid: `uid-${name}`,
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/shop:3.1.0' }] } } },
    status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 0, conditions },
  });
}

function replicaSet(deploy: string, hash: string, ns = 'apps') {
  const o = obj('ReplicaSet', `${ns}/${deploy}-${hash}`, { uid: `uid-${deploy}-${hash}`, spec: { replicas: 2 } });
  o.metadata.ownerReferences = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: deploy, uid: `uid-${deploy}`, controller: true },
  ];
  return o;
}

function pod(
  name: string,
  ns: string,
  owner: { kind: string; name: string },
  cs: Any,
  phase = 'Running',
  ready = false,
) {
  const o: K8sObject = obj('Pod', `${ns}/${name}`, {
    uid: `uid-${name}`,
    spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/shop:3.1.0' }] },
    status: {
      phase,
      conditions: [
        cond('PodScheduled', 'True', ''),
        ready
          ? cond('Ready', 'True', '')
          : cond('Ready', 'False', 'ContainersNotReady', 'containers with unready status: [app]'),
      ],
      containerStatuses: [{ name: 'app', image: 'ghcr.io/acme/shop:3.1.0', restartCount: 0, ...cs }],
    },
  });
  o.metadata.ownerReferences = [
    { apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: `uid-${owner.name}`, controller: true },
  ];
  return o;
}

const runningUnready = (startedAt = '2026-11-24T09:55:00Z') => ({ ready: false, state: { running: { startedAt } } });
const RS = { kind: 'ReplicaSet', name: 'shop-6b7c8d9f5' };
const PROBE = 'Readiness probe failed: HTTP probe failed with statuscode: 503';

ruleTester(rule, {
  valid: [
    {
      name: 'available Deployment',
      objects: [
        obj('Deployment', 'apps/shop', {
          spec: { replicas: 1 },
          status: {
            observedGeneration: 1,
            replicas: 1,
            updatedReplicas: 1,
            availableReplicas: 1,
            conditions: [
              cond(
                'Progressing',
                'True',
                'NewReplicaSetAvailable',
                'ReplicaSet "shop-6b7c8d9f5" has successfully progressed.',
              ),
            ],
          },
        }),
      ],
    },
    {
      name: 'progressing rollout: pod just started, no probe failure yet',
      objects: [
        deployment('shop', 'apps', [
          cond('Progressing', 'True', 'ReplicaSetUpdated', 'ReplicaSet "shop-6b7c8d9f5" is progressing.'),
        ]),
        replicaSet('shop', '6b7c8d9f5'),
        pod('shop-6b7c8d9f5-aaaaa', 'apps', RS, runningUnready('2026-11-24T09:59:30Z')),
      ],
    },
    {
      name: 'look-alike: ProgressDeadlineExceeded caused by ImagePullBackOff belongs to workload.image-pull',
      objects: [
        deployment('shop', 'apps', [
          cond(
            'Progressing',
            'False',
            'ProgressDeadlineExceeded',
            'ReplicaSet "shop-6b7c8d9f5" has timed out progressing.',
          ),
        ]),
        replicaSet('shop', '6b7c8d9f5'),
        pod(
          'shop-6b7c8d9f5-aaaaa',
          'apps',
          RS,
          {
            ready: false,
            state: {
              waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "ghcr.io/acme/shop:3.1.0"' },
            },
          },
          'Pending',
        ),
      ],
    },
  ],
  invalid: [
    {
      name: 'pods running, readiness probe failing (Unhealthy events)',
      source: 'kubelet pkg/kubelet/prober/prober.go (event Unhealthy) + pkg/probe/http/http.go',
      objects: [
        deployment('shop', 'apps', [
          cond('Progressing', 'True', 'ReplicaSetUpdated', 'ReplicaSet "shop-6b7c8d9f5" is progressing.'),
        ]),
        replicaSet('shop', '6b7c8d9f5'),
        pod('shop-6b7c8d9f5-aaaaa', 'apps', RS, runningUnready()),
        pod('shop-6b7c8d9f5-bbbbb', 'apps', RS, runningUnready()),
        event({ kind: 'Pod', namespace: 'apps', name: 'shop-6b7c8d9f5-aaaaa' }, 'Unhealthy', PROBE),
      ],
      expect: [
        {
          object: 'Deployment/apps/shop',
          summary:
            /Deployment apps\/shop is not ready: 1 of 2 pods \(e\.g\. shop-6b7c8d9f5-aaaaa\) run but never become ready \(readiness probe failing\)/,
          fixTarget: { kind: 'Deployment', namespace: 'apps', name: 'shop' },
          evidence: [
            /Readiness probe failed: HTTP probe failed with statuscode: 503/,
            /containers with unready status: \[app\]/,
          ],
          remediation: [
            /kubectl -n apps describe pod shop-6b7c8d9f5-aaaaa/,
            /readinessProbe/,
            /kubectl -n apps rollout status deployment\/shop/,
          ],
        },
      ],
    },
    {
      name: 'Deployment rollout exceeded its progress deadline',
      source: 'kube-controller-manager pkg/controller/deployment/util/deployment_util.go (ProgressDeadlineExceeded)',
      objects: [
        deployment('shop', 'apps', [
          cond(
            'Progressing',
            'False',
            'ProgressDeadlineExceeded',
            'ReplicaSet "shop-6b7c8d9f5" has timed out progressing.',
          ),
        ]),
        replicaSet('shop', '6b7c8d9f5'),
        pod('shop-6b7c8d9f5-aaaaa', 'apps', RS, runningUnready('2026-11-24T09:58:00Z')),
      ],
      expect: [
        {
          object: 'Deployment/apps/shop',
          summary:
            /Deployment apps\/shop is not ready: pod shop-6b7c8d9f5-aaaaa runs but never becomes ready; the rollout exceeded its progress deadline/,
          evidence: [
            /Progressing=False \(ProgressDeadlineExceeded\): ReplicaSet "shop-6b7c8d9f5" has timed out progressing\./,
          ],
        },
      ],
    },
  ],
});
