// Kubernetes' own messages about workloads: what the ReplicaSet/StatefulSet/DaemonSet/Job controllers
// write when they cannot create pods (admission rejections carried in their FailedCreate events and
// ReplicaFailure conditions), the scheduler's reasons, the kubelet's image-pull and probe messages, the
// PersistentVolume controller's binding/provisioning events, the service controller's load-balancer
// events and the Job controller's failure conditions. `versions` is the Kubernetes range.
//
// Every pattern is limited to the workload kinds it appears on (`kinds`): the same admission texts also
// reach a Kustomization through server-side apply, where ssa.ts reads them as an apply failure.
//
// Wording by era (k8s.io/kubernetes tags v1.20 … v1.34):
//   scheduler          "0/N nodes are available: ..." with one fragment per plugin; the taint fragment was
//                      "node(s) had taint {k: v}, that the pod didn't tolerate" up to v1.24 and
//                      "node(s) had untolerated taint {k: v}" from v1.25; node affinity was
//                      "node(s) didn't match node selector" up to v1.21 and
//                      "node(s) didn't match Pod's node affinity/selector" from v1.22.
//   admission          PodSecurityPolicy "unable to validate against any pod security policy" up to v1.24,
//                      Pod Security admission "violates PodSecurity \"<level>:<version>\"" from v1.22.
//   kubelet            "Failed to pull image %q: %v", "Back-off pulling image %q" (every version; v1.30+
//                      quotes the image the same way); probes "%s probe failed: %s".
//   service controller k8s.io/kubernetes pkg/controller/service up to v1.18, k8s.io/cloud-provider
//                      controllers/service from v1.19: "Error syncing load balancer: %v".
//
// Order matters: within this file, more specific patterns come first.

import type { MessagePattern, ReasonSignal } from './types.js';

/** Kinds whose controllers create pods (their FailedCreate events and ReplicaFailure conditions). */
const CREATORS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'];
/** Kinds a pod problem is read at. */
const PODS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];
/** A double-quoted value, tolerating JSON/event escaping (`\"`). */
/** Only inside an image pull message (the cause word is matched first, the pull context behind it). */
const inPull = (alternatives: string) =>
  new RegExp(`(?:${alternatives})(?<=(?:[Pp]ull|[Ii]mage|manifest|registry)[^\\n]{0,3000}(?:${alternatives}))`, 'i');
const q = (name: string) => String.raw`\\?"(?<${name}>[^"\\]{1,253})\\?"`;

export const PATTERNS: MessagePattern[] = [
  // ---------------------------------------------------------------- pods cannot be created (admission)
  {
    id: 'kubernetes/create-service-account-missing',
    emitter: 'kubernetes',
    code: 'workload.not-ready',
    cause: 'service-account-missing',
    re: /error looking up service account (?<saNamespace>[\w.-]{1,253})\/(?<serviceAccount>[\w.-]{1,253}): serviceaccount/,
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 plugin/pkg/admission/serviceaccount/admission.go "error looking up service account %s/%s: %v" (the same at v1.20.0), carried by pkg/controller/replicaset/replica_set.go event FailedCreate "Error creating: %v"',
    reasons: ['FailedCreate'],
    kinds: CREATORS,
    samples: [
      // source-filled (ReplicaSet event FailedCreate)
      'Error creating: pods "podinfo-5d8f7c9b4-" is forbidden: error looking up service account apps/podinfo: serviceaccount "podinfo" not found',
      // source-filled (a Deployment's ReplicaFailure condition)
      'pods "nginx-ingress-controller-5c6d8cd7c-" is forbidden: error looking up service account ingress-nginx/nginx-ingress-serviceaccount: serviceaccount "nginx-ingress-serviceaccount" not found',
      // https://github.com/apecloud/kubeblocks/issues/3466 (statefulset-controller FailedCreate, Kubernetes v1.26)
      'create Pod apple97-mysql-0 in StatefulSet apple97-mysql failed error: pods "apple97-mysql-0" is forbidden: error looking up service account default/kb-sa-: serviceaccount "kb-sa-" not found',
    ],
  },
  {
    id: 'kubernetes/create-service-account-missing-v1',
    emitter: 'kubernetes',
    code: 'workload.not-ready',
    cause: 'service-account-missing',
    re: /service account (?<saNamespace>[\w.-]{1,253})\/(?<serviceAccount>[\w.-]{1,253}) was not found, retry after the service account is created/,
    versions: '>=1.0.0 <1.20.0',
    cite: 'k8s.io/kubernetes@v1.9.0 plugin/pkg/admission/serviceaccount/admission.go "service account %s/%s was not found, retry after the service account is created" (older releases; later ones return the lookup error above)',
    reasons: ['FailedCreate'],
    kinds: CREATORS,
    samples: [
      // https://github.com/fabric8io/fabric8/issues/5972 (2016)
      'Error creating: pods "fluentd-" is forbidden: service account default/fluentd was not found, retry after the service account is created',
    ],
  },
  {
    id: 'kubernetes/create-quota-exceeded',
    emitter: 'kubernetes',
    code: 'workload.not-ready',
    cause: 'quota-exceeded',
    re: /exceeded quota: (?<quota>[\w.-]{1,253})(?:, requested: (?<requested>[^\s,]{1,200}(?:,[^\s,:]{1,200}){0,20}))?/,
    versions: '>=1.0.0',
    cite: 'k8s.io/apiserver@v0.34.0 pkg/admission/plugin/resourcequota/controller.go "exceeded quota: %s, requested: %s, used: %s, limited: %s" (k8s.io/kubernetes@v1.20.0 staging/src/k8s.io/apiserver/... the same)',
    reasons: ['FailedCreate'],
    kinds: CREATORS,
    samples: [
      // source-filled
      'Error creating: pods "web-7f9c6d8b5-x2k4p" is forbidden: exceeded quota: compute-resources, requested: limits.cpu=2,limits.memory=2Gi, used: limits.cpu=3,limits.memory=3Gi, limited: limits.cpu=4,limits.memory=4Gi',
      // source-filled
      'Error creating: pods "busybox-6b6c9f4d8-" is forbidden: exceeded quota: pods-high, requested: pods=1, used: pods=10, limited: pods=10',
    ],
  },
  {
    id: 'kubernetes/create-quota-must-specify',
    emitter: 'kubernetes',
    code: 'workload.not-ready',
    cause: 'quota-exceeded',
    re: /failed quota: (?<quota>[\w.-]{1,253}): must specify (?<requested>[\w.,/-]{1,300})/,
    versions: '>=1.0.0',
    cite: 'k8s.io/apiserver@v0.34.0 pkg/admission/plugin/resourcequota/controller.go "failed quota: %s: must specify %s"',
    reasons: ['FailedCreate'],
    kinds: CREATORS,
    samples: [
      'Error creating: pods "api-6d5f8b7c9-" is forbidden: failed quota: compute-resources: must specify limits.cpu,limits.memory',
    ],
  },
  {
    id: 'kubernetes/create-limit-range',
    emitter: 'kubernetes',
    code: 'workload.not-ready',
    cause: 'limit-range',
    re: /(?:maximum|minimum) (?<resource>[\w./-]{1,100}) usage per (?:Container|Pod|PersistentVolumeClaim) is (?<limit>[\w.]{1,50}), but (?:limit|request) is (?<value>[\w.]{1,50})| max limit to request ratio per (?:Container|Pod) is/,
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 plugin/pkg/admission/limitranger/admission.go "maximum %s usage per %s is %s, but limit is %s", "minimum %s usage per %s is %s, but request is %s", "%s max limit to request ratio per %s is %s, but provided ratio is %f" (the same at v1.20.0)',
    reasons: ['FailedCreate'],
    kinds: CREATORS,
    samples: [
      'Error creating: pods "web-7f9c6d8b5-" is forbidden: maximum cpu usage per Container is 500m, but limit is 2',
      'Error creating: pods "web-7f9c6d8b5-" is forbidden: [minimum memory usage per Container is 64Mi, but request is 32Mi, maximum memory usage per Container is 1Gi, but limit is 2Gi]',
    ],
  },
  {
    id: 'kubernetes/create-pod-security',
    emitter: 'kubernetes',
    code: 'workload.not-ready',
    cause: 'pod-security',
    re: new RegExp(
      String.raw`violates PodSecurity ${q('level')}(?:: (?<detail>[^\n]{1,600}))?|unable to validate against any pod security policy`,
    ),
    versions: '>=1.8.0',
    cite: 'k8s.io/pod-security-admission@v0.34.0 admission/admission.go "violates PodSecurity %q: %s" (v1.22+); k8s.io/kubernetes@v1.24.0 plugin/pkg/admission/security/podsecuritypolicy/admission.go "unable to validate against any pod security policy: %v" (PodSecurityPolicy, removed in v1.25)',
    reasons: ['FailedCreate'],
    kinds: CREATORS,
    samples: [
      // source-filled
      'Error creating: pods "podinfo-5d8f7c9b4-9xq2m" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "podinfo" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "podinfo" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "podinfo" must set securityContext.runAsNonRoot=true)',
      // source-filled
      'Error creating: pods "coredns-66bff467f8-" is forbidden: unable to validate against any pod security policy: []',
      // https://github.com/open-policy-agent/gatekeeper/issues/2633 (EKS v1.23, replicaset-controller)
      'Error creating: pods "gatekeeper-controller-manager-75578bc95d-pc2wp" is forbidden: violates PodSecurity "restricted:v1.24": host namespaces (hostNetwork=true), hostPort (container "manager" uses hostPorts 8443, 8888, 9090)',
      // https://github.com/tektoncd/triggers/pull/1477 (an aggregated event)
      '(combined from similar events): Error creating: pods "tekton-triggers-controller-7887549bc5-htzd7" is forbidden: violates PodSecurity "restricted:latest": unrestricted capabilities (container "tekton-triggers-controller" must set securityContext.capabilities.drop=["ALL"])',
    ],
  },
  {
    id: 'kubernetes/create-webhook-denied',
    emitter: 'kubernetes',
    code: 'workload.not-ready',
    cause: 'webhook-denied',
    re: new RegExp(String.raw`admission webhook ${q('webhook')} denied the request(?:: (?<detail>[^\n]{1,600}))?`),
    versions: '>=1.9.0',
    cite: 'k8s.io/apiserver@v0.34.0 pkg/admission/plugin/webhook/errors/statuserror.go "admission webhook %q denied the request: %s" and "admission webhook %q denied the request without explanation" (the same at v0.20.0)',
    reasons: ['FailedCreate'],
    kinds: CREATORS,
    samples: [
      // source-filled (a Kyverno policy)
      'Error creating: admission webhook "validate.kyverno.svc-fail" denied the request: policy Pod/apps/web-7f9c6d8b5-x2k4p for resource violation: require-labels: check-for-labels: validation error: label app.kubernetes.io/name is required',
      'Error creating: admission webhook "validation.gatekeeper.sh" denied the request without explanation',
    ],
  },
  {
    id: 'kubernetes/create-webhook-unreachable',
    emitter: 'kubernetes',
    code: 'workload.not-ready',
    cause: 'webhook-unreachable',
    re: new RegExp(`failed calling webhook ${q('webhook')}`),
    versions: '>=1.9.0',
    cite: 'k8s.io/apiserver@v0.34.0 pkg/admission/plugin/webhook/errors/errors.go "failed calling webhook %q: %v" (the same at v0.20.0)',
    reasons: ['FailedCreate'],
    kinds: CREATORS,
    samples: [
      'Error creating: Internal error occurred: failed calling webhook "mpod.elbv2.k8s.aws": failed to call webhook: Post "https://aws-load-balancer-webhook-service.kube-system.svc:443/mutate-v1-pod?timeout=10s": no endpoints available for service "aws-load-balancer-webhook-service"',
    ],
  },
  // ---------------------------------------------------------------- rollout progress
  {
    id: 'kubernetes/progress-deadline-exceeded',
    emitter: 'kubernetes',
    code: 'workload.not-ready',
    cause: 'progress-deadline-exceeded',
    re: new RegExp(`ReplicaSet ${q('replicaSet')} has timed out progressing`),
    versions: '>=1.6.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/controller/deployment/util/deployment_util.go "ReplicaSet %q has timed out progressing." (reason ProgressDeadlineExceeded; the same at v1.20.0)',
    reasons: ['ProgressDeadlineExceeded'],
    kinds: ['Deployment'],
    samples: ['ReplicaSet "podinfo-5d8f7c9b4" has timed out progressing.'],
  },
  {
    id: 'kubernetes/probe-failed',
    emitter: 'kubernetes',
    code: 'workload.not-ready',
    cause: 'readiness-probe-failed',
    re: /(?<probe>Readiness|Startup) probe failed: (?<detail>[^\n]{0,400})/,
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/kubelet/prober/prober.go event Unhealthy "%s probe failed: %s" (v1.20.0 the same; probe type capitalised)',
    reasons: ['Unhealthy'],
    kinds: PODS,
    samples: [
      'Readiness probe failed: HTTP probe failed with statuscode: 503',
      // source-filled
      'Readiness probe failed: Get "http://10.244.1.5:8080/healthz": dial tcp 10.244.1.5:8080: connect: connection refused',
      'Startup probe failed: Get "http://10.0.0.7:9898/readyz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
    ],
  },
  {
    id: 'kubernetes/liveness-probe-failed',
    emitter: 'kubernetes',
    code: 'workload.crashloop',
    cause: 'liveness-probe-failed',
    re: /Liveness probe failed: (?<detail>[^\n]{0,400})/,
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/kubelet/prober/prober.go event Unhealthy "%s probe failed: %s"',
    reasons: ['Unhealthy'],
    kinds: PODS,
    samples: ['Liveness probe failed: HTTP probe failed with statuscode: 500'],
  },
  {
    id: 'kubernetes/back-off-restarting',
    emitter: 'kubernetes',
    code: 'workload.crashloop',
    cause: 'crash-loop',
    re: /[Bb]ack-off (?:\d+m?\d*s )?restarting failed container/,
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/kubelet/kuberuntime/kuberuntime_manager.go "back-off %s restarting failed container=%s pod=%s" (waiting message) and event BackOff "Back-off restarting failed container %s in pod %s" (v1.20.0: "Back-off restarting failed container")',
    reasons: ['BackOff'],
    kinds: PODS,
    samples: [
      'back-off 5m0s restarting failed container=app pod=app-7d4b9c8f6-x2k4p_apps(8f1c2d3e-0000-4000-8000-000000000000)',
      'Back-off restarting failed container app in pod app-7d4b9c8f6-x2k4p_apps(8f1c2d3e-0000-4000-8000-000000000000)',
      'Back-off restarting failed container',
    ],
  },
  // ---------------------------------------------------------------- image pull (kubelet + runtime)
  {
    id: 'kubernetes/image-pull-rate-limit',
    emitter: 'kubernetes',
    code: 'workload.image-pull',
    cause: 'rate-limit',
    re: inPull('toomanyrequests|429 Too Many Requests|pull rate limit'),
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/kubelet/images/image_manager.go "Failed to pull image %q: %v" wrapping the registry error (Docker Hub "toomanyrequests: You have reached your pull rate limit")',
    reasons: ['Failed'],
    kinds: ['Pod'],
    samples: [
      // source-filled (Docker Hub rate-limit text)
      'Failed to pull image "nginx:1.25": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/nginx:1.25": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/nginx/manifests/sha256:0000: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.',
    ],
  },
  {
    id: 'kubernetes/image-pull-auth',
    emitter: 'kubernetes',
    code: 'workload.image-pull',
    cause: 'auth',
    re: inPull(
      'unauthorized|authentication required|insufficient_scope|401 Unauthorized|403 Forbidden|denied: |no basic auth credentials',
    ),
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/kubelet/images/image_manager.go "Failed to pull image %q: %v" wrapping the containerd/CRI-O resolver error',
    reasons: ['Failed'],
    kinds: ['Pod'],
    samples: [
      // pfnet/image-pull-secrets-provisioner#31
      'Failed to pull image "controller:latest": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/controller:latest": failed to resolve reference "docker.io/library/controller:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
      'Failed to pull image "ghcr.io/acme/api:1.2.3": rpc error: code = Unknown desc = failed to pull and unpack image "ghcr.io/acme/api:1.2.3": failed to resolve reference "ghcr.io/acme/api:1.2.3": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized',
    ],
  },
  {
    id: 'kubernetes/image-pull-not-found',
    emitter: 'kubernetes',
    code: 'workload.image-pull',
    cause: 'not-found',
    re: inPull(': not found\\b|manifest unknown|NAME_UNKNOWN|repository does not exist'),
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/kubelet/images/image_manager.go "Failed to pull image %q: %v" wrapping the containerd resolver error "%s: not found"',
    reasons: ['Failed'],
    kinds: ['Pod'],
    samples: [
      'Failed to pull image "ghcr.io/stefanprodan/podinfo:9.9.9": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/stefanprodan/podinfo:9.9.9": failed to resolve reference "ghcr.io/stefanprodan/podinfo:9.9.9": ghcr.io/stefanprodan/podinfo:9.9.9: not found',
      'Failed to pull image "nginx:nope": rpc error: code = Unknown desc = Error response from daemon: manifest for nginx:nope not found: manifest unknown: manifest unknown',
    ],
  },
  {
    id: 'kubernetes/image-pull-tls',
    emitter: 'kubernetes',
    code: 'workload.image-pull',
    cause: 'tls',
    re: inPull('x509:|certificate signed by unknown authority|tls: failed to verify'),
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/kubelet/images/image_manager.go "Failed to pull image %q: %v" wrapping Go crypto/x509 errors',
    reasons: ['Failed'],
    kinds: ['Pod'],
    samples: [
      'Failed to pull image "registry.internal:5000/app:1.0": rpc error: code = Unknown desc = failed to pull and unpack image "registry.internal:5000/app:1.0": failed to resolve reference "registry.internal:5000/app:1.0": failed to do request: Head "https://registry.internal:5000/v2/app/manifests/1.0": x509: certificate signed by unknown authority',
    ],
  },
  {
    id: 'kubernetes/image-pull-unreachable',
    emitter: 'kubernetes',
    code: 'workload.image-pull',
    cause: 'unreachable',
    re: inPull('no such host|i/o timeout|connection refused|dial tcp|network is unreachable'),
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/kubelet/images/image_manager.go "Failed to pull image %q: %v" wrapping Go net errors',
    reasons: ['Failed'],
    kinds: ['Pod'],
    samples: [
      'Failed to pull image "registry.internal:5000/app:1.0": rpc error: code = Unknown desc = failed to pull and unpack image "registry.internal:5000/app:1.0": failed to resolve reference "registry.internal:5000/app:1.0": failed to do request: Head "https://registry.internal:5000/v2/app/manifests/1.0": dial tcp: lookup registry.internal on 10.96.0.10:53: no such host',
    ],
  },
  // ---------------------------------------------------------------- scheduling (kube-scheduler plugins)
  {
    id: 'kubernetes/sched-insufficient',
    emitter: 'kubernetes',
    code: 'workload.unschedulable',
    cause: 'insufficient-resources',
    re: /Insufficient (?<resource>[\w/-]{1,100}(?:\.[\w/-]{1,100}){0,5})/,
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/scheduler/framework/plugins/noderesources/fit.go "Insufficient %v" (v1.20.0 the same)',
    reasons: ['FailedScheduling'],
    kinds: PODS,
    samples: [
      // kubernetes/kubernetes#49896
      "0/10 nodes are available: 10 node(s) didn't match node selector, 4 Insufficient cpu.",
      '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    ],
  },
  {
    id: 'kubernetes/sched-taint',
    emitter: 'kubernetes',
    code: 'workload.unschedulable',
    cause: 'untolerated-taint',
    re: /node\(s\) had (?:untolerated )?taints? \{(?<taint>[^}\n]{0,300})\}|didn't tolerate/,
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go "node(s) had untolerated taint {%s: %s}" (v1.25+); v1.20.0 "node(s) had taint {%s: %s}, that the pod didn\'t tolerate"',
    reasons: ['FailedScheduling'],
    kinds: PODS,
    samples: [
      '0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      "0/1 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate.",
    ],
  },
  {
    id: 'kubernetes/sched-node-affinity',
    emitter: 'kubernetes',
    code: 'workload.unschedulable',
    cause: 'node-affinity',
    re: /didn't match Pod's node affinity|didn't match node selector|node affinity\/selector/,
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go "node(s) didn\'t match Pod\'s node affinity/selector" (v1.22+); v1.20.0 "node(s) didn\'t match node selector"',
    reasons: ['FailedScheduling'],
    kinds: PODS,
    samples: ["0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector."],
  },
  {
    id: 'kubernetes/sched-pvc-not-found',
    emitter: 'kubernetes',
    code: 'workload.unschedulable',
    cause: 'pvc-not-found',
    re: new RegExp(`persistentvolumeclaim ${q('pvc')} not found`),
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/scheduler/framework/plugins/volumebinding/volume_binding.go (PreFilter returns the lister\'s NotFound "persistentvolumeclaim %q not found")',
    reasons: ['FailedScheduling'],
    kinds: PODS,
    samples: [
      '0/3 nodes are available: persistentvolumeclaim "data-web-0" not found. preemption: 0/3 nodes are available',
    ],
  },
  {
    id: 'kubernetes/sched-pvc-unbound',
    emitter: 'kubernetes',
    code: 'workload.unschedulable',
    cause: 'pvc-unbound',
    re: /pod has unbound immediate PersistentVolumeClaims|didn't find available persistent volumes to bind/,
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/scheduler/framework/plugins/volumebinding/volume_binding.go "pod has unbound immediate PersistentVolumeClaims" and "node(s) didn\'t find available persistent volumes to bind" (v1.20.0 the same)',
    reasons: ['FailedScheduling'],
    kinds: PODS,
    samples: [
      '0/3 nodes are available: 3 pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      "0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind.",
    ],
  },
  {
    id: 'kubernetes/sched-volume-node-affinity',
    emitter: 'kubernetes',
    code: 'workload.unschedulable',
    cause: 'volume-node-affinity',
    re: /volume node affinity conflict/,
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/scheduler/framework/plugins/volumebinding/volume_binding.go "node(s) had volume node affinity conflict"',
    reasons: ['FailedScheduling'],
    kinds: PODS,
    samples: ['0/3 nodes are available: 3 node(s) had volume node affinity conflict.'],
  },
  {
    id: 'kubernetes/sched-pod-affinity',
    emitter: 'kubernetes',
    code: 'workload.unschedulable',
    cause: 'pod-affinity',
    re: /didn't match pod anti-affinity|didn't match pod affinity|didn't satisfy existing pods anti-affinity/,
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/scheduler/framework/plugins/interpodaffinity/filtering.go "node(s) didn\'t match pod anti-affinity rules", "node(s) didn\'t match pod affinity rules", "node(s) didn\'t satisfy existing pods anti-affinity rules"',
    reasons: ['FailedScheduling'],
    kinds: PODS,
    samples: ["0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules."],
  },
  {
    id: 'kubernetes/sched-host-port',
    emitter: 'kubernetes',
    code: 'workload.unschedulable',
    cause: 'host-port',
    re: /didn't have free ports/,
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/scheduler/framework/plugins/nodeports/node_ports.go "node(s) didn\'t have free ports for the requested pod ports"',
    reasons: ['FailedScheduling'],
    kinds: PODS,
    samples: ["0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports."],
  },
  {
    id: 'kubernetes/sched-cordoned',
    emitter: 'kubernetes',
    code: 'workload.unschedulable',
    cause: 'cordoned',
    re: /node\(s\) were unschedulable/,
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go "node(s) were unschedulable"',
    reasons: ['FailedScheduling'],
    kinds: PODS,
    samples: [
      // kubernetes/kubernetes#107194
      '0/5 nodes are available: 2 node(s) were unschedulable, 3 Insufficient pods.',
    ],
  },
  // ---------------------------------------------------------------- PersistentVolumeClaims (pv controller)
  {
    id: 'kubernetes/pvc-storage-class-not-found',
    emitter: 'kubernetes',
    code: 'workload.unschedulable',
    cause: 'storage-class-not-found',
    re: new RegExp(String.raw`storageclass\.storage\.k8s\.io ${q('storageClass')} not found`),
    versions: '>=1.6.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/controller/volume/persistentvolume/pv_controller.go provisionClaim event ProvisioningFailed with the lister error "storageclass.storage.k8s.io %q not found" (v1.20.0 the same)',
    reasons: ['ProvisioningFailed'],
    kinds: ['PersistentVolumeClaim'],
    samples: ['storageclass.storage.k8s.io "fast-ssd" not found'],
  },
  {
    id: 'kubernetes/pvc-provisioning-failed',
    emitter: 'kubernetes',
    code: 'workload.unschedulable',
    cause: 'provisioning-failed',
    re: new RegExp(
      String.raw`[Ff]ailed to provision volume with StorageClass ${q('storageClass')}(?:: (?<detail>[^\n]{1,600}))?`,
    ),
    versions: '>=1.6.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/controller/volume/persistentvolume/pv_controller.go "Failed to provision volume with StorageClass %q: %v"; sigs.k8s.io/sig-storage-lib-external-provisioner@v10.0.0 controller/controller.go "failed to provision volume with StorageClass %q: %v"',
    reasons: ['ProvisioningFailed'],
    kinds: ['PersistentVolumeClaim'],
    samples: [
      'failed to provision volume with StorageClass "gp3": rpc error: code = Internal desc = Could not create volume "pvc-0000": could not create volume in EC2: UnauthorizedOperation: You are not authorized to perform this operation.',
      'Failed to provision volume with StorageClass "standard": invalid AccessModes [ReadWriteMany]: only AccessModes [ReadWriteOnce] are supported',
    ],
  },
  {
    id: 'kubernetes/pvc-no-volume-no-class',
    emitter: 'kubernetes',
    code: 'workload.unschedulable',
    cause: 'no-storage-class',
    re: /no persistent volumes available for this claim and no storage class is set/,
    versions: '>=1.6.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/controller/volume/persistentvolume/pv_controller.go event FailedBinding "no persistent volumes available for this claim and no storage class is set" (v1.20.0 the same)',
    reasons: ['FailedBinding'],
    kinds: ['PersistentVolumeClaim'],
    samples: ['no persistent volumes available for this claim and no storage class is set'],
  },
  {
    id: 'kubernetes/pvc-waiting-for-provisioner',
    emitter: 'kubernetes',
    code: 'workload.unschedulable',
    cause: 'waiting-for-provisioner',
    re: new RegExp(`waiting for a volume to be created,? either by external provisioner ${q('provisioner')}`),
    versions: '>=1.9.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/controller/volume/persistentvolume/pv_controller.go event ExternalProvisioning "waiting for a volume to be created, either by external provisioner %q or manually created by system administrator" (v1.20.0 the same)',
    reasons: ['ExternalProvisioning'],
    kinds: ['PersistentVolumeClaim'],
    samples: [
      'waiting for a volume to be created, either by external provisioner "ebs.csi.aws.com" or manually created by system administrator',
    ],
  },
  // ---------------------------------------------------------------- Services (service controller)
  {
    id: 'kubernetes/service-lb-sync-failed',
    emitter: 'kubernetes',
    code: 'workload.not-ready',
    cause: 'load-balancer-pending',
    re: /Error syncing load balancer: (?<detail>[^\n]{1,600})/,
    versions: '>=1.0.0',
    cite: 'k8s.io/cloud-provider@v0.34.0 controllers/service/controller.go event SyncLoadBalancerFailed "Error syncing load balancer: %v" (k8s.io/kubernetes@v1.18.0 pkg/controller/service/controller.go the same)',
    reasons: ['SyncLoadBalancerFailed'],
    kinds: ['Service'],
    samples: [
      // source-filled (AWS and GCE cloud-provider errors)
      'Error syncing load balancer: failed to ensure load balancer: Multiple tagged security groups found for instance i-0123456789abcdef0; ensure only the k8s security group is tagged',
      "Error syncing load balancer: failed to ensure load balancer: googleapi: Error 403: Quota 'IN_USE_ADDRESSES' exceeded. Limit: 8.0 in region us-central1.",
    ],
  },
  // ---------------------------------------------------------------- Jobs (job controller)
  {
    id: 'kubernetes/job-backoff-limit',
    emitter: 'kubernetes',
    code: 'workload.crashloop',
    cause: 'job-backoff-limit',
    re: /Job has reached the specified backoff limit/,
    versions: '>=1.8.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/controller/job/job_controller.go condition Failed reason BackoffLimitExceeded "Job has reached the specified backoff limit" (v1.20.0 the same)',
    reasons: ['BackoffLimitExceeded'],
    kinds: ['Job'],
    samples: ['Job has reached the specified backoff limit'],
  },
  {
    id: 'kubernetes/job-deadline-exceeded',
    emitter: 'kubernetes',
    code: 'workload.not-ready',
    cause: 'job-deadline-exceeded',
    re: /Job was active longer than specified deadline/,
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/controller/job/job_controller.go condition Failed reason DeadlineExceeded "Job was active longer than specified deadline" (v1.20.0 the same)',
    reasons: ['DeadlineExceeded'],
    kinds: ['Job'],
    samples: ['Job was active longer than specified deadline'],
  },
];

/** Reasons that alone tell the cause (the message was cut, or is in a wording not listed above). */
export const REASONS: ReasonSignal[] = [
  {
    id: 'kubernetes/reason-FailedCreate',
    emitter: 'kubernetes',
    reason: 'FailedCreate',
    code: 'workload.not-ready',
    cause: 'pods-cannot-be-created',
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/controller/replicaset/replica_set.go FailedCreatePodReason "FailedCreate" (also pkg/controller/controller_utils.go, statefulset, daemon, job)',
    kinds: CREATORS,
  },
  {
    id: 'kubernetes/reason-ProgressDeadlineExceeded',
    emitter: 'kubernetes',
    reason: 'ProgressDeadlineExceeded',
    code: 'workload.not-ready',
    cause: 'progress-deadline-exceeded',
    versions: '>=1.6.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/controller/deployment/util/deployment_util.go TimedOutReason "ProgressDeadlineExceeded"',
    kinds: ['Deployment'],
  },
  {
    id: 'kubernetes/reason-SyncLoadBalancerFailed',
    emitter: 'kubernetes',
    reason: 'SyncLoadBalancerFailed',
    code: 'workload.not-ready',
    cause: 'load-balancer-pending',
    versions: '>=1.0.0',
    cite: 'k8s.io/cloud-provider@v0.34.0 controllers/service/controller.go event reason "SyncLoadBalancerFailed"',
    kinds: ['Service'],
  },
  {
    id: 'kubernetes/reason-BackoffLimitExceeded',
    emitter: 'kubernetes',
    reason: 'BackoffLimitExceeded',
    code: 'workload.crashloop',
    cause: 'job-backoff-limit',
    versions: '>=1.8.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/controller/job/job_controller.go condition reason "BackoffLimitExceeded"',
    kinds: ['Job'],
  },
  {
    id: 'kubernetes/reason-DeadlineExceeded',
    emitter: 'kubernetes',
    reason: 'DeadlineExceeded',
    code: 'workload.not-ready',
    cause: 'job-deadline-exceeded',
    versions: '>=1.0.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/controller/job/job_controller.go condition reason "DeadlineExceeded"',
    kinds: ['Job'],
  },
  {
    id: 'kubernetes/reason-ProvisioningFailed',
    emitter: 'kubernetes',
    reason: 'ProvisioningFailed',
    code: 'workload.unschedulable',
    cause: 'provisioning-failed',
    versions: '>=1.6.0',
    cite: 'k8s.io/kubernetes@v1.34.0 pkg/controller/volume/events/event.go ProvisioningFailed "ProvisioningFailed"',
    kinds: ['PersistentVolumeClaim'],
  },
];
