import { rule } from '../../src/rules/kustomize-dependency-not-ready.js';
import { obj, READY, ruleTester, status } from '../helpers.js';

// Message format: fluxcd/kustomize-controller internal/controller/kustomization_controller.go
// checkDependencies returns fmt.Errorf("dependency '%s' is not ready", depName) and the reconciler
// sets conditions.MarkFalse(obj, meta.ReadyCondition, meta.DependencyNotReadyReason, "%s", err).
const waiting = (name: string, dep: string) =>
  obj('Kustomization', name, {
    spec: { dependsOn: [{ name: dep }], sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    status: status(['False', 'DependencyNotReady', `dependency 'flux-system/${dep}' is not ready`]),
  });

ruleTester(rule, {
  valid: [
    {
      name: 'ready Kustomization with dependsOn',
      objects: [obj('Kustomization', 'apps', { spec: { dependsOn: [{ name: 'infra' }] }, status: READY() })],
    },
    {
      name: 'failed for another reason (not DependencyNotReady)',
      objects: [
        obj('Kustomization', 'apps', {
          spec: { dependsOn: [{ name: 'infra' }] },
          status: status(['False', 'BuildFailed', 'kustomization path not found']),
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'waits on a failing Kustomization',
      source: 'fluxcd/kustomize-controller internal/controller/kustomization_controller.go checkDependencies',
      objects: [
        waiting('apps', 'infra'),
        obj('Kustomization', 'infra', { status: status(['False', 'HealthCheckFailed', 'timeout']) }),
      ],
      expect: [
        {
          object: 'Kustomization/flux-system/apps',
          summary: /waits for Kustomization flux-system\/infra, which is not ready \(it is failed: HealthCheckFailed\)/,
          fixTarget: { kind: 'Kustomization', namespace: 'flux-system', name: 'infra' },
          evidence: [/dependency 'flux-system\/infra' is not ready/],
          remediation: [/flux reconcile kustomization infra -n flux-system/],
        },
      ],
    },
    {
      name: 'HelmRelease waits on a HelmRelease in a namespace that was not read',
      source: 'fluxcd/helm-controller: Ready=False DependencyNotReady "dependency \'db/postgres\' is not ready"',
      objects: [
        obj('HelmRelease', 'apps/web', {
          spec: { dependsOn: [{ name: 'postgres', namespace: 'db' }] },
          status: status(['False', 'DependencyNotReady', "dependency 'db/postgres' is not ready"]),
        }),
      ],
      expect: [
        {
          object: 'HelmRelease/apps/web',
          summary: /HelmRelease db\/postgres, which is not ready \(it was not in what fluxdoctor read/,
        },
      ],
    },
    {
      name: 'HelmRelease waits on a HelmRelease that does not exist in a namespace that was read',
      objects: [
        obj('HelmRelease', 'apps/web', {
          spec: { dependsOn: [{ name: 'postgres' }] },
          status: status(['False', 'DependencyNotReady', "dependency 'apps/postgres' is not ready"]),
        }),
      ],
      expect: [
        {
          object: 'HelmRelease/apps/web',
          summary: /HelmRelease apps\/postgres, which is not ready \(it does not exist\)/,
        },
      ],
    },
  ],
});
