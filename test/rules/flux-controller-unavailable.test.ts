import assert from 'node:assert/strict';
import { it } from 'node:test';
import { doubled, rule } from '../../src/rules/flux-controller-unavailable.js';
import { cond, diagnoseDocs, findingKeys, idOf, obj, READY, ruleTester } from '../helpers.js';

// Kubernetes' own Deployment condition (kubernetes/kubernetes pkg/controller/deployment/sync.go,
// calculateStatus): Available=False, reason MinimumReplicasUnavailable,
// message "Deployment does not have minimum availability."
const notAvailable = cond(
  'Available',
  'False',
  'MinimumReplicasUnavailable',
  'Deployment does not have minimum availability.',
);

function controller(name: string, opts: { replicas?: number; available?: number; ns?: string; uid?: string } = {}) {
  const want = opts.replicas ?? 1;
  const available = opts.available ?? want;
  return obj('Deployment', `${opts.ns ?? 'flux-system'}/${name}`, {
    uid: opts.uid,
    spec: { replicas: want },
    status: {
      observedGeneration: 1,
      replicas: want,
      updatedReplicas: want,
      readyReplicas: available,
      availableReplicas: available,
      conditions:
        available > 0 || want === 0
          ? [cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')]
          : [notAvailable],
    },
  });
}

// The waiting message is the kubelet's (kubernetes pkg/kubelet/kuberuntime: "back-off %s restarting failed
// container=%s pod=%s"); the rule reads only the structured waiting.reason and lastState.terminated.reason.
const crashingPod = [
  obj('ReplicaSet', 'source-controller-5d8f7c9b6', {
    uid: 'rs-1',
    spec: { replicas: 1 },
    extra: {},
  }),
  obj('Pod', 'source-controller-5d8f7c9b6-x2x9q', {
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'manager',
          ready: false,
          restartCount: 12,
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message:
                'back-off 5m0s restarting failed container=manager pod=source-controller-5d8f7c9b6-x2x9q_flux-system(0f1e)',
            },
          },
          lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
        },
      ],
    },
  }),
];
crashingPod[0]!.metadata.ownerReferences = [
  { apiVersion: 'apps/v1', kind: 'Deployment', name: 'source-controller', uid: 'dep-sc', controller: true },
];
crashingPod[1]!.metadata.ownerReferences = [
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'source-controller-5d8f7c9b6', uid: 'rs-1', controller: true },
];

const coreControllers = ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'].map(
  (n) => controller(n),
);

ruleTester(rule, {
  valid: [
    {
      name: 'all controllers available',
      objects: [...coreControllers, obj('GitRepository', 'flux-system', { spec: { interval: '1m' }, status: READY() })],
    },
    {
      name: 'a rolling update with one of two replicas available still reconciles',
      objects: [controller('helm-controller', { replicas: 2, available: 1 })],
    },
    {
      name: 'an application Deployment in the Flux namespace is not a controller',
      objects: [controller('podinfo', { available: 0 })],
    },
    {
      name: 'a Deployment named like a controller in another namespace',
      objects: [controller('source-controller', { ns: 'apps', available: 0 })],
    },
    {
      name: 'no Deployment read at all: a missing controller cannot be told apart from an incomplete snapshot',
      objects: [obj('ImageRepository', 'podinfo', { spec: { interval: '5m', image: 'ghcr.io/stefanprodan/podinfo' } })],
    },
    {
      name: 'controller Deployment absent but its objects are freshly reconciled (it runs somewhere fluxdoctor did not read)',
      objects: [
        ...coreControllers,
        obj('ImageRepository', 'podinfo', {
          spec: { interval: '5m', image: 'ghcr.io/stefanprodan/podinfo' },
          status: READY('successful scan: found 12 tags'),
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'source-controller crash-looping after OOMKilled',
      objects: [
        controller('source-controller', { available: 0, uid: 'dep-sc' }),
        ...crashingPod,
        obj('GitRepository', 'flux-system', { spec: { interval: '1m' } }),
      ],
      expect: [
        {
          object: 'Deployment/flux-system/source-controller',
          cause: 'oom',
          data: { container: 'manager', memoryLimit: '(none)' },
          summary:
            'Flux controller Deployment flux-system/source-controller has 0 of 1 replica available (pod source-controller-5d8f7c9b6-x2x9q: CrashLoopBackOff after OOMKilled): GitRepository, OCIRepository, HelmRepository, Bucket, HelmChart objects are not reconciled (1 already shows a stale status)',
          fixTarget: { kind: 'Deployment', namespace: 'flux-system', name: 'source-controller' },
          evidence: [/Deployment does not have minimum availability/, /CrashLoopBackOff/],
          remediation: [
            /^Container manager of Deployment flux-system\/source-controller was OOMKilled: raise its memory limit \(now not set\) to 2Gi or more$/,
            /patches of the kustomization.yaml next to gotk-components.yaml \(applied by Kustomization flux-system\/flux-system\)/,
            /kubectl -n flux-system logs deploy\/source-controller --previous/,
            /flux check/,
          ],
        },
      ],
    },
    {
      name: 'helm-controller OOMKilled with a 1Gi limit, Flux installed in flux-ops: the patch doubles the limit',
      source:
        'flux2 manifests/bases/helm-controller (container manager, resources.limits.memory 1Gi); Flux docs "Increase the memory limit" (patches target Deployment)',
      objects: [
        {
          ...controller('helm-controller', { available: 0, uid: 'dep-hc', ns: 'flux-ops' }),
          spec: {
            replicas: 1,
            template: {
              spec: {
                containers: [
                  {
                    name: 'manager',
                    image: 'ghcr.io/fluxcd/helm-controller:v1.1.0',
                    resources: { limits: { memory: '1Gi' } },
                  },
                ],
              },
            },
          },
        },
        controller('source-controller', { ns: 'flux-ops' }),
        obj('ReplicaSet', 'flux-ops/helm-controller-7f9', {
          uid: 'rs-hc',
          extra: {},
        }),
        {
          ...obj('Pod', 'flux-ops/helm-controller-7f9-abcde', {
            status: {
              phase: 'Running',
              containerStatuses: [
                {
                  name: 'manager',
                  ready: false,
                  restartCount: 4,
                  state: { waiting: { reason: 'CrashLoopBackOff' } },
                  lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
                },
              ],
            },
          }),
        },
      ].map((o) => {
        if (o.kind === 'ReplicaSet')
          o.metadata.ownerReferences = [
            { apiVersion: 'apps/v1', kind: 'Deployment', name: 'helm-controller', uid: 'dep-hc', controller: true },
          ];
        if (o.kind === 'Pod')
          o.metadata.ownerReferences = [
            { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'helm-controller-7f9', uid: 'rs-hc', controller: true },
          ];
        return o;
      }),
      expect: [
        {
          object: 'Deployment/flux-ops/helm-controller',
          cause: 'oom',
          data: { container: 'manager', memoryLimit: '1Gi', namespace: 'flux-ops' },
          remediation: [
            /^Container manager of Deployment flux-ops\/helm-controller was OOMKilled: raise its memory limit \(now 1Gi\) to 2Gi or more$/,
            /applied by Kustomization flux-ops\/flux-system/,
            /^\{"target": \{"kind": "Deployment", "name": "helm-controller"\}, "patch": "\[\{\\"op\\": \\"replace\\", \\"path\\": \\"\/spec\/template\/spec\/containers\/0\/resources\/limits\/memory\\", \\"value\\": \\"2Gi\\"\}\]"\}$/,
            /^kubectl -n flux-ops set resources deployment helm-controller -c manager --limits=memory=2Gi$/,
            /^kubectl -n flux-ops describe deployment helm-controller$/,
          ],
        },
      ],
    },
    {
      name: 'helm-controller with no available replica, managed by the Flux Operator: check the FluxInstance',
      objects: [
        controller('helm-controller', { replicas: 2, available: 0 }),
        obj('FluxInstance', 'flux', { spec: { distribution: { version: '2.x' } }, status: READY() }),
      ],
      expect: [
        {
          cause: 'unavailable',
          data: { controller: 'helm-controller', instance: 'FluxInstance flux-system/flux' },
          summary:
            'Flux controller Deployment flux-system/helm-controller has 0 of 2 replicas available: HelmRelease objects are not reconciled',
          remediation: [
            /^kubectl -n flux-system describe deployment helm-controller$/,
            /^The Flux Operator manages the controllers: check FluxInstance flux-system\/flux \(spec.components, spec.kustomize.patches\) rather than editing the Deployment$/,
            /^kubectl -n flux-system rollout status deployment helm-controller$/,
          ],
        },
      ],
    },
    {
      name: 'kustomize-controller scaled to 0',
      objects: [controller('kustomize-controller', { replicas: 0 })],
      expect: [
        {
          cause: 'scaled-down',
          data: { controller: 'kustomize-controller', deployment: 'kustomize-controller', namespace: 'flux-system' },
          summary:
            'Flux controller Deployment flux-system/kustomize-controller is scaled to 0 replicas: Kustomization objects are not reconciled',
          remediation: [/kubectl -n flux-system scale deployment kustomize-controller --replicas=1/],
        },
      ],
    },
    {
      name: 'image-reflector-controller not installed while image objects wait: one finding, reported at the first object',
      objects: [
        ...coreControllers,
        obj('ImageRepository', 'podinfo', { spec: { interval: '5m', image: 'ghcr.io/stefanprodan/podinfo' } }),
        obj('ImagePolicy', 'podinfo', {
          spec: { imageRepositoryRef: { name: 'podinfo' }, policy: { semver: { range: '6.x' } } },
        }),
      ],
      expect: [
        {
          object: 'ImageRepository/flux-system/podinfo',
          reportAt: 'ImagePolicy/flux-system/podinfo',
          cause: 'not-installed',
          data: { controller: 'image-reflector-controller', namespace: 'flux-system' },
          summary:
            'Flux controller image-reflector-controller is not installed (no Deployment flux-system/image-reflector-controller): ImagePolicy flux-system/podinfo and ImageRepository flux-system/podinfo are not reconciled (ImagePolicy flux-system/podinfo: it has no status: the controller has never reconciled it (created 4d before the snapshot))',
          fixTarget: { kind: 'Deployment', namespace: 'flux-system', name: 'image-reflector-controller' },
          evidence: [/no Deployment named image-reflector-controller/],
          remediation: [/flux install --components-extra=image-reflector-controller/],
        },
        { object: 'ImagePolicy/flux-system/podinfo', evidence: [/no Deployment named image-reflector-controller/] },
      ],
    },
  ],
});

it('engine: stale objects are attributed to the crashed controller', () => {
  const r = diagnoseDocs([
    controller('source-controller', { available: 0, uid: 'dep-sc' }),
    ...crashingPod,
    obj('GitRepository', 'flux-system', { spec: { interval: '1m' } }),
  ]);
  const f = r.findings.find((x) => x.code === 'flux.controller-unavailable');
  assert.ok(f, findingKeys(r).join('\n'));
  assert.equal(idOf(f!.rootCause), 'Deployment/flux-system/source-controller');
  assert.deepEqual(f!.affected.map(idOf), ['GitRepository/flux-system/flux-system']);
  assert.ok(!r.findings.some((x) => x.code === 'flux.stale-generation'), findingKeys(r).join('\n'));
});

it('engine: a missing controller gives one finding with the other objects affected', () => {
  const r = diagnoseDocs([
    ...coreControllers,
    obj('ImageRepository', 'podinfo', { spec: { interval: '5m', image: 'ghcr.io/stefanprodan/podinfo' } }),
    obj('ImagePolicy', 'podinfo', { spec: { imageRepositoryRef: { name: 'podinfo' } } }),
  ]);
  const fs = r.findings.filter((x) => x.code === 'flux.controller-unavailable');
  assert.equal(fs.length, 1, findingKeys(r).join('\n'));
  assert.equal(idOf(fs[0]!.rootCause), 'ImagePolicy/flux-system/podinfo');
  assert.deepEqual(fs[0]!.affected.map(idOf), ['ImageRepository/flux-system/podinfo']);
  assert.ok(!r.findings.some((x) => x.code === 'flux.stale-generation'), findingKeys(r).join('\n'));
});

it('doubles a memory quantity for the suggested limit', () => {
  assert.deepEqual(['512Mi', '1Gi', '1.5Gi', '300M', '1024Mi', 'lots', undefined].map(doubled), [
    '1Gi',
    '2Gi',
    '3Gi',
    '600M',
    '2Gi',
    undefined,
    undefined,
  ]);
});
