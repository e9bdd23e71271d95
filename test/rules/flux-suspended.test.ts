import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rule } from '../../src/rules/flux-suspended.js';
import { diagnoseDocs, event, findingKeys, obj, READY, ruleTester, status } from '../helpers.js';

const gitSource = { kind: 'GitRepository', name: 'flux-system' };

ruleTester(rule, {
  valid: [
    {
      name: 'ready Kustomization, spec.suspend: false',
      objects: [obj('Kustomization', 'apps', { spec: { suspend: false, sourceRef: gitSource }, status: READY() })],
    },
    {
      name: 'annotation set to enabled is not a suspension',
      objects: [
        obj('ResourceSet', 'apps', {
          annotations: { 'fluxcd.controlplane.io/reconcile': 'enabled' },
          status: READY('Reconciliation finished in 2s'),
        }),
      ],
    },
    {
      name: 'a paused Deployment is not a Flux suspension',
      objects: [obj('Deployment', 'apps/web', { spec: { paused: true, replicas: 1 } })],
    },
  ],
  invalid: [
    {
      name: 'suspended Kustomization that another one depends on',
      objects: [
        obj('Kustomization', 'infra', { spec: { suspend: true, sourceRef: gitSource }, status: READY() }),
        obj('Kustomization', 'apps', {
          spec: { dependsOn: [{ name: 'infra' }], sourceRef: gitSource },
          status: status(['False', 'DependencyNotReady', "dependency 'flux-system/infra' is not ready"]),
        }),
      ],
      expect: [
        {
          object: 'Kustomization/flux-system/infra',
          severity: 'warning',
          cause: 'spec-suspend',
          data: { waiting: 'Kustomization flux-system/apps', resume: 'flux resume kustomization infra -n flux-system' },
          summary:
            'Kustomization flux-system/infra is suspended (spec.suspend: true): its controller does not reconcile it; Kustomization flux-system/apps waits on it',
          fixTarget: { kind: 'Kustomization', namespace: 'flux-system', name: 'infra' },
          evidence: [/spec.suspend: true/],
          remediation: [
            /^Resume Kustomization flux-system\/infra:$/,
            /^flux resume kustomization infra -n flux-system$/,
            /^If it must stay suspended, remove the references to it from Kustomization flux-system\/apps; otherwise they resume once it is reconciled:$/,
            /^flux reconcile kustomization apps -n flux-system$/,
          ],
        },
      ],
    },
    {
      name: 'ResourceSet disabled by the Flux Operator annotation',
      // controlplaneio-fluxcd/flux-operator internal/controller/resourceset_controller.go: when
      // obj.IsDisabled(), r.Event(obj, Warning, ReconciliationDisabledReason, ReconciliationDisabledMessage)
      // with api/v1/common_types.go ReconciliationDisabledReason = "ReconciliationDisabled",
      // ReconciliationDisabledMessage = "Reconciliation is disabled".
      source:
        'controlplaneio-fluxcd/flux-operator api/v1/common_types.go, internal/controller/resourceset_controller.go',
      objects: [
        obj('ResourceSet', 'tenants/apps', {
          annotations: { 'fluxcd.controlplane.io/reconcile': 'Disabled' },
          status: READY('Reconciliation finished in 2s'),
        }),
        event(
          { kind: 'ResourceSet', namespace: 'tenants', name: 'apps' },
          'ReconciliationDisabled',
          'Reconciliation is disabled',
        ),
      ],
      expect: [
        {
          object: 'ResourceSet/tenants/apps',
          cause: 'annotation',
          summary:
            'ResourceSet tenants/apps is suspended (the fluxcd.controlplane.io/reconcile: disabled annotation): its controller does not reconcile it',
          evidence: [
            /fluxcd.controlplane.io\/reconcile\]: Disabled/,
            /ReconciliationDisabled: Reconciliation is disabled/,
          ],
          remediation: [/flux-operator resume resourceset apps -n tenants/],
        },
      ],
    },
    {
      name: 'suspended Kustomization applied from Git by another Kustomization: change it in Git, or resume it',
      objects: [
        obj('Kustomization', 'flux-system', {
          spec: { path: './clusters/prod', sourceRef: gitSource },
          status: READY(),
        }),
        obj('Kustomization', 'infra', {
          labels: {
            'kustomize.toolkit.fluxcd.io/name': 'flux-system',
            'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
          },
          spec: { suspend: true, sourceRef: gitSource },
          status: READY(),
        }),
      ],
      expect: [
        {
          object: 'Kustomization/flux-system/infra',
          cause: 'spec-suspend',
          summary:
            'Kustomization flux-system/infra is suspended (spec.suspend: true): its controller does not reconcile it',
          remediation: [
            /^If it is in Git, remove spec.suspend: true from Kustomization flux-system\/infra in Git, in the manifests of Kustomization flux-system\/flux-system \(path .\/clusters\/prod of GitRepository flux-system\/flux-system\)/,
            /^Otherwise \(it was suspended from the command line, not in the manifests of Kustomization flux-system\/flux-system\), resume it with flux:$/,
            /^flux resume kustomization infra -n flux-system$/,
          ],
        },
      ],
    },
    {
      name: 'suspended Provider (statusless kind) uses the alert-provider CLI words',
      objects: [obj('Provider', 'slack', { spec: { type: 'slack', suspend: true } })],
      expect: [{ remediation: [/flux resume alert-provider slack -n flux-system/] }],
    },
  ],
});

it('engine: a suspended dependency that blocks another object becomes an error', () => {
  const r = diagnoseDocs([
    obj('Kustomization', 'infra', {
      spec: { suspend: true, sourceRef: gitSource },
      status: status(['Unknown', 'Progressing', 'Reconciliation in progress']),
    }),
    obj('Kustomization', 'apps', {
      spec: { dependsOn: [{ name: 'infra' }], sourceRef: gitSource },
      status: status(['False', 'DependencyNotReady', "dependency 'flux-system/infra' is not ready"]),
    }),
  ]);
  const keys = findingKeys(r);
  assert.ok(keys.includes('error flux.suspended Kustomization/flux-system/infra'), keys.join('\n'));
});
