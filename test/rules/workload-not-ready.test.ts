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

// ReplicaSet controller: pkg/controller/replicaset/replica_set.go event FailedCreate "Error creating: %v" with
// the admission error (plugin/pkg/admission/serviceaccount, apiserver resourcequota, pod-security-admission,
// webhook statuserror.go); the Deployment copies it into ReplicaFailure=True (reason FailedCreate).
const RS_REF = { kind: 'ReplicaSet', namespace: 'apps', name: 'shop-6b7c8d9f5' };
const failedCreate = (message: string) => event(RS_REF, 'FailedCreate', `Error creating: ${message}`);
function noPods(conditions: Any[] = []) {
  return obj('Deployment', 'apps/shop', {
    uid: 'uid-shop',
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/shop:3.1.0' }] } } },
    status: { observedGeneration: 1, replicas: 0, conditions },
  });
}
function loadBalancer(
  name: string,
  ingress: Any[] = [],
  created = '2026-11-20T10:00:00Z',
  labels?: Record<string, string>,
) {
  const o = obj('Service', `apps/${name}`, {
    labels,
    spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
    status: { loadBalancer: ingress.length > 0 ? { ingress } : {} },
  });
  o.metadata.creationTimestamp = created;
  return o;
}
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
    {
      name: 'an old FailedCreate event on a ReplicaSet that has its pods now',
      objects: [
        obj('Deployment', 'apps/shop', {
          uid: 'uid-shop',
          spec: { replicas: 1 },
          status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
        }),
        (() => {
          const rs = replicaSet('shop', '6b7c8d9f5');
          rs.spec.replicas = 1;
          rs.status = { replicas: 1, readyReplicas: 1 };
          return rs;
        })(),
        failedCreate(
          'pods "shop-6b7c8d9f5-" is forbidden: exceeded quota: team-a, requested: pods=1, used: pods=10, limited: pods=10',
        ),
      ],
    },
    {
      name: 'LoadBalancer Service with its address',
      objects: [loadBalancer('web', [{ ip: '203.0.113.10' }])],
    },
    {
      name: 'LoadBalancer Service created a minute ago, still waiting for its address',
      objects: [loadBalancer('web', [], '2026-11-24T09:59:00Z')],
    },
    {
      name: 'LoadBalancer Service pending for days, no controller error and nothing waits on it',
      objects: [loadBalancer('web')],
    },
    {
      name: 'a ClusterIP Service has no load-balancer address to wait for',
      objects: [obj('Service', 'apps/web', { spec: { type: 'ClusterIP' }, status: { loadBalancer: {} } })],
    },
    {
      name: 'a Job still running within its deadline',
      objects: [obj('Job', 'apps/migrate', { spec: { activeDeadlineSeconds: 600 }, status: { active: 1 } })],
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
          cause: 'readiness-probe-failed',
          summary:
            'Deployment apps/shop is not ready: 1 of 2 pods (e.g. shop-6b7c8d9f5-aaaaa) run but never become ready (readiness probe failing)',
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
          cause: 'pods-not-ready',
          summary:
            'Deployment apps/shop is not ready: pod shop-6b7c8d9f5-aaaaa runs but never becomes ready; the rollout exceeded its progress deadline',
          evidence: [
            /Progressing=False \(ProgressDeadlineExceeded\): ReplicaSet "shop-6b7c8d9f5" has timed out progressing\./,
          ],
        },
      ],
    },
    {
      name: 'ReplicaSet cannot create pods: the ServiceAccount does not exist',
      source:
        'k8s.io/kubernetes@v1.34.0 plugin/pkg/admission/serviceaccount/admission.go "error looking up service account %s/%s: %v"',
      objects: [
        noPods(),
        replicaSet('shop', '6b7c8d9f5'),
        failedCreate(
          'pods "shop-6b7c8d9f5-" is forbidden: error looking up service account apps/shop: serviceaccount "shop" not found',
        ),
      ],
      expect: [
        {
          object: 'Deployment/apps/shop',
          cause: 'pods-cannot-be-created',
          data: { blocker: 'service-account-missing', serviceAccount: 'shop', saNamespace: 'apps' },
          summary:
            'Deployment apps/shop is not ready: ReplicaSet apps/shop-6b7c8d9f5 cannot create pods — ServiceAccount apps/shop does not exist',
          evidence: [
            /FailedCreate: Error creating: pods "shop-6b7c8d9f5-" is forbidden: error looking up service account/,
          ],
          remediation: [/^kubectl -n apps describe replicaset shop-6b7c8d9f5$/, /^Create ServiceAccount apps\/shop/],
        },
      ],
    },
    {
      name: 'ReplicaSet cannot create pods: the namespace quota is exhausted',
      source:
        'k8s.io/apiserver@v0.34.0 pkg/admission/plugin/resourcequota/controller.go "exceeded quota: %s, requested: %s, used: %s, limited: %s"',
      objects: [
        noPods(),
        replicaSet('shop', '6b7c8d9f5'),
        failedCreate(
          'pods "shop-6b7c8d9f5-x2k4p" is forbidden: exceeded quota: team-a, requested: limits.cpu=2, used: limits.cpu=3, limited: limits.cpu=4',
        ),
      ],
      expect: [
        {
          cause: 'pods-cannot-be-created',
          data: { blocker: 'quota-exceeded', quota: 'team-a', requested: 'limits.cpu=2' },
          summary:
            'Deployment apps/shop is not ready: ReplicaSet apps/shop-6b7c8d9f5 cannot create pods — ResourceQuota team-a is exceeded (requested limits.cpu=2)',
          remediation: [/^kubectl -n apps describe resourcequota team-a$/],
        },
      ],
    },
    {
      name: 'Deployment ReplicaFailure: the pods violate the namespace PodSecurity level',
      source: 'k8s.io/pod-security-admission@v0.34.0 admission/admission.go "violates PodSecurity %q: %s"',
      objects: [
        noPods([
          cond(
            'ReplicaFailure',
            'True',
            'FailedCreate',
            'pods "shop-6b7c8d9f5-9xq2m" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true)',
          ),
        ]),
      ],
      expect: [
        {
          cause: 'pods-cannot-be-created',
          data: { blocker: 'pod-security', level: 'restricted:latest' },
          summary:
            'Deployment apps/shop is not ready: Deployment apps/shop cannot create pods — the pods violate PodSecurity "restricted:latest": runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true)',
          remediation: [/Pod Security level restricted:latest/],
        },
      ],
    },
    {
      name: 'StatefulSet cannot create pods: an admission webhook denies them',
      source:
        'k8s.io/apiserver@v0.34.0 pkg/admission/plugin/webhook/errors/statuserror.go "admission webhook %q denied the request: %s"',
      objects: [
        obj('StatefulSet', 'apps/db', { spec: { replicas: 1 }, status: { observedGeneration: 1, replicas: 0 } }),
        event(
          { kind: 'StatefulSet', namespace: 'apps', name: 'db' },
          'FailedCreate',
          'create Pod db-0 in StatefulSet db failed error: admission webhook "validate.kyverno.svc-fail" denied the request: require-labels: label app.kubernetes.io/name is required',
        ),
      ],
      expect: [
        {
          object: 'StatefulSet/apps/db',
          cause: 'pods-cannot-be-created',
          data: { blocker: 'webhook-denied', webhook: 'validate.kyverno.svc-fail' },
          summary:
            'StatefulSet apps/db is not ready: StatefulSet apps/db cannot create pods — admission webhook "validate.kyverno.svc-fail" denied the request: require-labels: label app.kubernetes.io/name is required',
        },
      ],
    },
    {
      name: 'FailedCreate whose message was redacted: the reason alone tells',
      objects: [noPods(), replicaSet('shop', '6b7c8d9f5'), failedCreate('(redacted)')],
      expect: [
        {
          cause: 'pods-cannot-be-created',
          data: { blocker: 'pods-cannot-be-created' },
          summary:
            'Deployment apps/shop is not ready: ReplicaSet apps/shop-6b7c8d9f5 cannot create pods — Error creating: (redacted)',
        },
      ],
    },
    {
      name: 'LoadBalancer Service: the cloud provider cannot create the load balancer',
      source: 'k8s.io/cloud-provider@v0.34.0 controllers/service/controller.go "Error syncing load balancer: %v"',
      objects: [
        loadBalancer('web'),
        event(
          { kind: 'Service', namespace: 'apps', name: 'web' },
          'SyncLoadBalancerFailed',
          'Error syncing load balancer: failed to ensure load balancer: no available nodes for service',
        ),
      ],
      expect: [
        {
          object: 'Service/apps/web',
          cause: 'load-balancer-pending',
          data: { detail: 'failed to ensure load balancer: no available nodes for service' },
          summary:
            'Service apps/web (type LoadBalancer) has no load-balancer address after 4d: failed to ensure load balancer: no available nodes for service',
          remediation: [/^kubectl -n apps describe service web$/],
        },
      ],
    },
    {
      name: 'LoadBalancer Service without events that a Kustomization waits on',
      objects: [
        obj('Kustomization', 'flux-system/apps', {
          spec: { interval: '10m', path: './apps', wait: true },
          status: {
            observedGeneration: 1,
            conditions: [
              cond(
                'Ready',
                'False',
                'HealthCheckFailed',
                "timeout waiting for: [Service/apps/web status: 'InProgress']",
              ),
            ],
          },
        }),
        loadBalancer('web', [], '2026-11-20T10:00:00Z', {
          'kustomize.toolkit.fluxcd.io/name': 'apps',
          'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
        }),
      ],
      expect: [
        {
          object: 'Service/apps/web',
          cause: 'load-balancer-pending',
          summary:
            'Service apps/web (type LoadBalancer) has no load-balancer address after 4d (no service controller has assigned one)',
          remediation: [/load-balancer implementation/, /in Git, in the manifests of Kustomization flux-system\/apps/],
        },
      ],
    },
    {
      name: 'Job ran past its activeDeadlineSeconds',
      source:
        'k8s.io/kubernetes@v1.34.0 pkg/controller/job/job_controller.go reason DeadlineExceeded "Job was active longer than specified deadline"',
      objects: [
        obj('Job', 'apps/report', {
          spec: { activeDeadlineSeconds: 300 },
          status: {
            failed: 1,
            conditions: [cond('Failed', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline')],
          },
        }),
      ],
      expect: [
        {
          object: 'Job/apps/report',
          cause: 'job-deadline-exceeded',
          data: { deadline: '300s' },
          summary: 'Job apps/report failed: it ran longer than activeDeadlineSeconds (300s) and its pods were stopped',
          evidence: [/Failed=True \(DeadlineExceeded\): Job was active longer than specified deadline/],
        },
      ],
    },
    {
      name: 'rollout past its progress deadline with no pod running yet (ContainerCreating)',
      source:
        'k8s.io/kubernetes@v1.34.0 pkg/controller/deployment/util/deployment_util.go "ReplicaSet %q has timed out progressing."',
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
          { ready: false, state: { waiting: { reason: 'ContainerCreating' } } },
          'Pending',
        ),
      ],
      expect: [
        {
          cause: 'progress-deadline-exceeded',
          data: { replicaSet: 'shop-6b7c8d9f5' },
          summary:
            'Deployment apps/shop is not ready: the rollout exceeded its progress deadline (ReplicaSet "shop-6b7c8d9f5" has timed out progressing.)',
          remediation: [/^kubectl -n apps describe deployment shop$/],
        },
      ],
    },
    {
      name: 'older Kubernetes wording of a missing ServiceAccount',
      source:
        'https://github.com/fabric8io/fabric8/issues/5972 (k8s.io/kubernetes plugin/pkg/admission/serviceaccount, older releases)',
      objects: [
        noPods(),
        replicaSet('shop', '6b7c8d9f5'),
        failedCreate(
          'pods "shop-6b7c8d9f5-" is forbidden: service account apps/shop was not found, retry after the service account is created',
        ),
      ],
      expect: [
        {
          cause: 'pods-cannot-be-created',
          data: { blocker: 'service-account-missing', serviceAccount: 'shop', saNamespace: 'apps' },
          summary:
            'Deployment apps/shop is not ready: ReplicaSet apps/shop-6b7c8d9f5 cannot create pods — ServiceAccount apps/shop does not exist',
        },
      ],
    },
    {
      name: 'a mutating webhook that pods need cannot be called',
      source: 'k8s.io/apiserver@v0.34.0 pkg/admission/plugin/webhook/errors/errors.go "failed calling webhook %q: %v"',
      objects: [
        noPods(),
        replicaSet('shop', '6b7c8d9f5'),
        failedCreate(
          'Internal error occurred: failed calling webhook "mpod.elbv2.k8s.aws": failed to call webhook: Post "https://aws-load-balancer-webhook-service.kube-system.svc:443/mutate-v1-pod?timeout=10s": no endpoints available for service "aws-load-balancer-webhook-service"',
        ),
      ],
      expect: [
        {
          cause: 'pods-cannot-be-created',
          data: { blocker: 'webhook-unreachable', webhookDown: 'mpod.elbv2.k8s.aws' },
          summary:
            'Deployment apps/shop is not ready: ReplicaSet apps/shop-6b7c8d9f5 cannot create pods — admission webhook "mpod.elbv2.k8s.aws" cannot be called',
          remediation: [/^kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations$/],
        },
      ],
    },
  ],
});
