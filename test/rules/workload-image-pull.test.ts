import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose } from '../../src/diagnose/engine.js';
import type { Rule } from '../../src/rules/types.js';
import { rule as crashloop } from '../../src/rules/workload-crashloop.js';
import { rule } from '../../src/rules/workload-image-pull.js';
import { rule as notReady } from '../../src/rules/workload-not-ready.js';
import { rule as oom } from '../../src/rules/workload-oom.js';
import { rule as unschedulable } from '../../src/rules/workload-unschedulable.js';
import type { K8sObject } from '../../src/types.js';
import { event, graphOf, idOf, obj, ruleTester, status } from '../helpers.js';

// Messages: kubelet pkg/kubelet/images/image_manager.go —
//   waiting ImagePullBackOff message / event BackOff: fmt.Sprintf("Back-off pulling image %q", imgRef)
//   event Failed: fmt.Sprintf("Failed to pull image %q: %v", imgRef, err)   (+ "Error: ErrImagePull")
// Real reports: https://github.com/helm/helm/issues/623 (containerStatuses waiting ImagePullBackOff
// `Back-off pulling image "gcr.io/deis-sandbox/tiller:canary"`) and
// https://github.com/pfnet/image-pull-secrets-provisioner/issues/31 (the containerd error below).

// biome-ignore lint/suspicious/noExplicitAny: loose test input
type Any = any;

function deployment(name: string, image: string, ns = 'apps', labels?: Record<string, string>) {
  return obj('Deployment', `${ns}/${name}`, {
    uid: `uid-${name}`,
    labels,
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image }] } } },
    status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 0 },
  });
}

function replicaSet(deploy: string, hash: string, ns = 'apps') {
  const o = obj('ReplicaSet', `${ns}/${deploy}-${hash}`, { uid: `uid-${deploy}-${hash}`, spec: { replicas: 2 } });
  o.metadata.ownerReferences = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: deploy, uid: `uid-${deploy}`, controller: true },
  ];
  return o;
}

function pod(name: string, ns: string, owner: { kind: string; name: string } | undefined, image: string, cs: Any) {
  const o: K8sObject = obj('Pod', `${ns}/${name}`, {
    uid: `uid-${name}`,
    spec: { containers: [{ name: 'app', image }] },
    status: { phase: 'Pending', containerStatuses: [{ name: 'app', image, ready: false, restartCount: 0, ...cs }] },
  });
  if (owner) {
    o.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: `uid-${owner.name}`, controller: true },
    ];
  }
  return o;
}

const IMG = 'ghcr.io/acme/web:1.9.9';
const backOff = (image: string) => ({
  state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } },
});
const podRef = (name: string, ns = 'apps') => ({ kind: 'Pod', namespace: ns, name });

ruleTester(rule, {
  valid: [
    {
      name: 'pod running with its image',
      objects: [
        deployment('web', IMG),
        replicaSet('web', '6c9f8d7b5'),
        pod('web-6c9f8d7b5-aaaaa', 'apps', { kind: 'ReplicaSet', name: 'web-6c9f8d7b5' }, IMG, {
          ready: true,
          state: { running: { startedAt: '2026-11-24T09:00:00Z' } },
        }),
      ],
    },
    {
      name: 'look-alike: ContainerCreating is not an image pull failure',
      objects: [pod('tmp', 'default', undefined, IMG, { state: { waiting: { reason: 'ContainerCreating' } } })],
    },
    {
      name: 'look-alike: CreateContainerConfigError (missing ConfigMap) is another problem',
      objects: [
        pod('tmp', 'default', undefined, IMG, {
          state: {
            waiting: { reason: 'CreateContainerConfigError', message: 'configmap "web-config" not found' },
          },
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'Deployment: tag does not exist (ErrImagePull then ImagePullBackOff), two pods',
      source:
        'kubelet pkg/kubelet/images/image_manager.go; error text from https://github.com/pfnet/image-pull-secrets-provisioner/issues/31 and containerd "not found"',
      objects: [
        deployment('web', IMG, 'apps', {
          'helm.toolkit.fluxcd.io/name': 'web',
          'helm.toolkit.fluxcd.io/namespace': 'apps',
        }),
        replicaSet('web', '6c9f8d7b5'),
        pod('web-6c9f8d7b5-aaaaa', 'apps', { kind: 'ReplicaSet', name: 'web-6c9f8d7b5' }, IMG, backOff(IMG)),
        pod('web-6c9f8d7b5-bbbbb', 'apps', { kind: 'ReplicaSet', name: 'web-6c9f8d7b5' }, IMG, {
          state: {
            waiting: {
              reason: 'ErrImagePull',
              message: `rpc error: code = NotFound desc = failed to pull and unpack image "${IMG}": failed to resolve reference "${IMG}": ${IMG}: not found`,
            },
          },
        }),
        event(
          podRef('web-6c9f8d7b5-bbbbb'),
          'Failed',
          `Failed to pull image "${IMG}": rpc error: code = NotFound desc = failed to pull and unpack image "${IMG}": failed to resolve reference "${IMG}": ${IMG}: not found`,
        ),
        event(podRef('web-6c9f8d7b5-aaaaa'), 'BackOff', `Back-off pulling image "${IMG}"`, 'Normal'),
      ],
      expect: [
        {
          object: 'Deployment/apps/web',
          cause: 'not-found',
          data: { image: IMG, registry: 'ghcr.io', repository: 'ghcr.io/acme/web', container: 'app' },
          summary:
            'Deployment apps/web cannot pull image "ghcr.io/acme/web:1.9.9" (ImagePullBackOff in 2 of 2 pods (e.g. web-6c9f8d7b5-aaaaa), container app): the image or tag does not exist (or is private)',
          fixTarget: { kind: 'Deployment', namespace: 'apps', name: 'web' },
          evidence: [/Back-off pulling image "ghcr\.io\/acme\/web:1\.9\.9"/, /Failed to pull image .*: not found/],
          remediation: [
            /kubectl -n apps describe pod web-6c9f8d7b5-aaaaa/,
            /^Check that ghcr\.io\/acme\/web:1\.9\.9 exists in ghcr\.io/,
            /^Fix the name or tag in the chart values of HelmRelease apps\/web \(spec\.values \/ valuesFrom\), in Git/,
            // The pull secret goes in the chart values, not on a patched ServiceAccount or pod template.
            /^Give the pods of Deployment apps\/web the pull secret regcred: in the chart values of HelmRelease apps\/web \(spec\.values, e\.g\. imagePullSecrets: \[\{name: regcred\}\]/,
            /flux reconcile helmrelease web -n apps --with-source/,
          ],
        },
      ],
    },
    {
      name: 'bare Pod: private Docker Hub repository without pull secret',
      source: 'https://github.com/pfnet/image-pull-secrets-provisioner/issues/31',
      objects: [
        pod('controller', 'tools', undefined, 'controller:latest', {
          state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "controller:latest"' } },
        }),
        event(
          podRef('controller', 'tools'),
          'Failed',
          'Failed to pull image "controller:latest": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/controller:latest": failed to resolve reference "docker.io/library/controller:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
        ),
      ],
      expect: [
        {
          object: 'Pod/tools/controller',
          cause: 'auth',
          data: { registry: 'docker.io' },
          summary:
            'Pod tools/controller cannot pull image "controller:latest" (ImagePullBackOff, container app): the registry refused the pull credentials (or none were given)',
          remediation: [/create secret docker-registry regcred --docker-server=docker\.io/, /imagePullSecrets/],
        },
      ],
    },
    {
      name: 'InvalidImageName',
      source:
        'kubelet pkg/kubelet/images/image_manager.go: "Failed to apply default image tag %q: %v" → waiting reason InvalidImageName',
      objects: [
        pod('bad', 'default', undefined, 'nginx:', {
          state: {
            waiting: {
              reason: 'InvalidImageName',
              message:
                'Failed to apply default image tag "nginx:": couldn\'t parse image reference "nginx:": invalid reference format',
            },
          },
        }),
      ],
      expect: [
        {
          object: 'Pod/default/bad',
          cause: 'invalid-name',
          summary:
            'Pod default/bad cannot pull image "nginx:" (InvalidImageName, container app): the image reference is not valid',
        },
      ],
    },
    {
      name: 'rate limited by Docker Hub',
      source:
        'k8s.io/kubernetes@v1.34.0 pkg/kubelet/images/image_manager.go "Failed to pull image %q: %v" with the containerd error',
      objects: [
        pod('job', 'ci', undefined, 'nginx:1.25', {
          state: {
            waiting: {
              reason: 'ErrImagePull',
              message:
                'failed to pull and unpack image "docker.io/library/nginx:1.25": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/nginx/manifests/sha256:0000: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.',
            },
          },
        }),
      ],
      expect: [
        {
          object: 'Pod/ci/job',
          cause: 'rate-limit',
          summary:
            'Pod ci/job cannot pull image "nginx:1.25" (ErrImagePull, container app): the registry rate-limits anonymous pulls',
        },
      ],
    },
    {
      name: 'registry certificate not trusted',
      source:
        'k8s.io/kubernetes@v1.34.0 pkg/kubelet/images/image_manager.go "Failed to pull image %q: %v" with the containerd error',
      objects: [
        pod('job', 'ci', undefined, 'registry.internal:5000/app:1.0', {
          state: {
            waiting: {
              reason: 'ErrImagePull',
              message:
                'failed to pull and unpack image "registry.internal:5000/app:1.0": failed to resolve reference "registry.internal:5000/app:1.0": failed to do request: Head "https://registry.internal:5000/v2/app/manifests/1.0": x509: certificate signed by unknown authority',
            },
          },
        }),
      ],
      expect: [
        {
          object: 'Pod/ci/job',
          cause: 'tls',
          summary:
            'Pod ci/job cannot pull image "registry.internal:5000/app:1.0" (ErrImagePull, container app): the registry certificate is not trusted',
          data: { registry: 'registry.internal:5000' },
        },
      ],
    },
    {
      name: 'registry host does not resolve',
      source:
        'k8s.io/kubernetes@v1.34.0 pkg/kubelet/images/image_manager.go "Failed to pull image %q: %v" with the containerd error',
      objects: [
        pod('job', 'ci', undefined, 'registry.internal:5000/app:1.0', {
          state: {
            waiting: {
              reason: 'ErrImagePull',
              message:
                'failed to pull and unpack image "registry.internal:5000/app:1.0": failed to resolve reference "registry.internal:5000/app:1.0": failed to do request: Head "https://registry.internal:5000/v2/app/manifests/1.0": dial tcp: lookup registry.internal on 10.96.0.10:53: no such host',
            },
          },
        }),
      ],
      expect: [
        {
          object: 'Pod/ci/job',
          cause: 'unreachable',
          summary:
            'Pod ci/job cannot pull image "registry.internal:5000/app:1.0" (ErrImagePull, container app): the registry cannot be reached from the node',
        },
      ],
    },
    {
      name: 'imagePullPolicy Never and the image is not on the node',
      source:
        'k8s.io/kubernetes@v1.34.0 pkg/kubelet/images/image_manager.go "Failed to pull image %q: %v" with the containerd error',
      objects: [
        pod('job', 'ci', undefined, 'acme/tool:dev', {
          state: {
            waiting: {
              reason: 'ErrImageNeverPull',
              message: 'Container image "acme/tool:dev" is not present with pull policy of Never',
            },
          },
        }),
      ],
      expect: [
        {
          object: 'Pod/ci/job',
          cause: 'never-pull',
          summary:
            'Pod ci/job cannot pull image "acme/tool:dev" (ErrImageNeverPull, container app): imagePullPolicy is Never and the image is not on the node',
        },
      ],
    },
    {
      name: 'a pull error no pattern knows',
      source:
        'k8s.io/kubernetes@v1.34.0 pkg/kubelet/images/image_manager.go "Failed to pull image %q: %v" with the containerd error',
      objects: [
        pod('job', 'ci', undefined, 'acme/tool:dev', {
          state: {
            waiting: { reason: 'ErrImagePull', message: 'rpc error: code = Unknown desc = something unexpected' },
          },
        }),
      ],
      expect: [
        {
          object: 'Pod/ci/job',
          cause: 'unknown',
          summary: 'Pod ci/job cannot pull image "acme/tool:dev" (ErrImagePull, container app): the pull fails',
        },
      ],
    },
  ],
});

describe('workload rules in the engine', () => {
  const symptom: Rule = {
    meta: {
      code: 't.health',
      severity: 'error',
      title: 'health',
      kinds: ['Kustomization'],
      explainedBy: ['applied'],
      docs: { description: 'x', detection: 'x', fix: 'x', commands: ['x'] },
    },
    check: (o) =>
      o.status?.conditions?.[0]?.status === 'False'
        ? { summary: 'health check failed', evidence: [], remediation: ['x'] }
        : undefined,
  };

  it('reports the Deployment (not its pods) as the root cause of a failing health check, once', () => {
    const graph = graphOf([
      obj('Kustomization', 'flux-system/apps', {
        spec: { path: './apps' },
        status: status([
          'False',
          'HealthCheckFailed',
          "timeout waiting for: [Deployment/apps/web status: 'InProgress']",
        ]),
      }),
      deployment('web', IMG, 'apps', {
        'kustomize.toolkit.fluxcd.io/name': 'apps',
        'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
      }),
      replicaSet('web', '6c9f8d7b5'),
      pod('web-6c9f8d7b5-aaaaa', 'apps', { kind: 'ReplicaSet', name: 'web-6c9f8d7b5' }, IMG, backOff(IMG)),
      pod('web-6c9f8d7b5-bbbbb', 'apps', { kind: 'ReplicaSet', name: 'web-6c9f8d7b5' }, IMG, backOff(IMG)),
    ]);
    const report = diagnose(graph, { rules: [symptom, rule, crashloop, oom, unschedulable, notReady] });
    assert.deepEqual(
      report.findings.map((f) => [f.code, idOf(f.rootCause), f.affected.map(idOf)]),
      [['workload.image-pull', 'Deployment/apps/web', ['Kustomization/flux-system/apps']]],
    );
  });
});
