import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rule } from '../../src/rules/flux-stale-generation.js';
import { parseDuration } from '../../src/signals/index.js';
import { cond, obj, READY, ruleTester } from '../helpers.js';

const src = { kind: 'GitRepository', name: 'flux-system' };
// An object whose condition moves the snapshot time ("graph.now") to 2026-11-24T16:00:00Z.
const clock = obj('GitRepository', 'clock', {
  spec: { interval: '1m', url: 'https://github.com/org/repo' },
  status: {
    observedGeneration: 1,
    conditions: [
      cond('Ready', 'True', 'Succeeded', "stored artifact for revision 'main@sha1:1234'", '2026-11-24T16:00:00Z'),
    ],
  },
});

ruleTester(rule, {
  valid: [
    {
      name: 'ready object whose Ready transition is old (Flux does not move it on unchanged success)',
      objects: [
        clock,
        obj('Kustomization', 'apps', {
          spec: { interval: '5m', sourceRef: src },
          status: {
            observedGeneration: 1,
            conditions: [
              cond('Ready', 'True', 'ReconciliationSucceeded', 'Applied revision: main@sha1:1', '2026-11-01T00:00:00Z'),
            ],
          },
        }),
      ],
    },
    {
      name: 'failing Kustomization: status.observedGeneration lags (only advanced on success) but the conditions saw generation 2',
      objects: [
        obj('Kustomization', 'apps', {
          generation: 2,
          spec: { interval: '5m', sourceRef: src },
          status: {
            observedGeneration: 1,
            conditions: [
              { ...cond('Ready', 'False', 'BuildFailed', 'kustomization path not found'), observedGeneration: 2 },
            ],
          },
        }),
      ],
    },
    {
      name: 'suspended object without status',
      objects: [obj('Kustomization', 'apps', { spec: { suspend: true, sourceRef: src } })],
    },
    {
      name: 'object created less than 5 minutes before the snapshot has no status yet',
      objects: [
        clock,
        {
          ...obj('HelmRelease', 'apps/web', { spec: { interval: '10m' } }),
          metadata: { name: 'web', namespace: 'apps', generation: 1, creationTimestamp: '2026-11-24T15:58:00Z' },
        },
      ],
    },
    {
      name: 'Provider v1beta3 has no status by design',
      objects: [obj('Provider', 'slack', { spec: { type: 'slack' } })],
    },
    {
      name: 'Helm install in progress for 20 minutes with a 30m timeout is not stuck',
      objects: [
        clock,
        obj('HelmRelease', 'apps/web', {
          spec: { interval: '10m', timeout: '30m' },
          status: {
            observedGeneration: 1,
            conditions: [
              cond(
                'Ready',
                'Unknown',
                'Progressing',
                "Running 'install' action with timeout of 30m0s",
                '2026-11-24T15:40:00Z',
              ),
            ],
          },
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'generation 3 was never observed (conditions still at generation 2)',
      objects: [
        obj('Kustomization', 'apps', {
          generation: 3,
          spec: { interval: '10m', sourceRef: src },
          status: {
            observedGeneration: 2,
            conditions: [
              {
                ...cond('Ready', 'True', 'ReconciliationSucceeded', 'Applied revision: main@sha1:1'),
                observedGeneration: 2,
              },
            ],
          },
        }),
      ],
      expect: [
        {
          object: 'Kustomization/flux-system/apps',
          severity: 'warning',
          cause: 'generation',
          summary:
            'Kustomization flux-system/apps is not being reconciled: the controller has not observed the latest spec (generation 3, last observed 2)',
          evidence: [/metadata.generation: 3, status.observedGeneration: 2/],
          remediation: [
            /kubectl -n flux-system get deployment kustomize-controller/,
            /^Look for errors about it in the kustomize-controller logs:$/,
            /^kubectl -n flux-system logs deploy\/kustomize-controller \| grep '"name":"apps"'$/,
            /flux reconcile kustomization apps/,
          ],
        },
      ],
    },
    {
      name: 'never reconciled: no status at all',
      objects: [
        clock,
        obj('OCIRepository', 'podinfo', {
          spec: { interval: '5m', url: 'oci://ghcr.io/stefanprodan/manifests/podinfo' },
        }),
      ],
      expect: [
        {
          object: 'OCIRepository/flux-system/podinfo',
          cause: 'no-status',
          summary:
            'OCIRepository flux-system/podinfo is not being reconciled: it has no status: the controller has never reconciled it (created 4d6h before the snapshot)',
          evidence: [/no conditions/],
          remediation: [/source-controller/, /flux reconcile source oci podinfo -n flux-system/],
        },
      ],
    },
    {
      name: 'helm install stuck in progress for 6h (controller died mid-install)',
      // fluxcd/helm-controller internal/reconcile/atomic_release.go: reconcilingMsg :=
      // fmt.Sprintf("Running '%s' action with timeout of %s", ...); conditions.MarkUnknown(Ready, ProgressingReason, ...)
      source: 'fluxcd/helm-controller internal/reconcile/atomic_release.go',
      objects: [
        clock,
        obj('HelmRelease', 'apps/web', {
          spec: { interval: '10m' },
          status: {
            observedGeneration: 1,
            conditions: [
              cond(
                'Ready',
                'Unknown',
                'Progressing',
                "Running 'install' action with timeout of 5m0s",
                '2026-11-24T10:00:00Z',
              ),
              cond(
                'Reconciling',
                'True',
                'Progressing',
                "Running 'install' action with timeout of 5m0s",
                '2026-11-24T10:00:00Z',
              ),
            ],
          },
        }),
      ],
      expect: [
        {
          object: 'HelmRelease/apps/web',
          cause: 'stuck',
          data: { controller: 'helm-controller' },
          summary:
            'HelmRelease apps/web is not being reconciled: a reconcile has been in progress for 6h (Ready=Unknown (Progressing) since 2026-11-24T10:00:00Z), far longer than its interval allows (1h)',
          evidence: [/Running 'install' action with timeout of 5m0s/],
        },
      ],
    },
    {
      name: 'a flux reconcile request that was never handled, on a sharded object',
      objects: [
        clock,
        obj('Kustomization', 'apps', {
          labels: { 'sharding.fluxcd.io/key': 'shard2' },
          annotations: { 'reconcile.fluxcd.io/requestedAt': '2026-11-24T13:00:00Z' },
          spec: { interval: '10m', sourceRef: src },
          status: READY(),
        }),
      ],
      expect: [
        {
          cause: 'request',
          data: { shard: 'shard2' },
          summary:
            'Kustomization flux-system/apps is not being reconciled: a reconcile requested 3h before the snapshot (reconcile.fluxcd.io/requestedAt: 2026-11-24T13:00:00Z) was never handled (status.lastHandledReconcileAt: (unset)) (sharding key shard2)',
          evidence: [/status.lastHandledReconcileAt: \(unset\)/],
          remediation: [/--watch-label-selector=sharding.fluxcd.io\/key in \(shard2\)/],
        },
      ],
    },
  ],
});

it('parses Go durations', () => {
  assert.equal(parseDuration('10m'), 600_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('5m0s'), 300_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('ten minutes'), undefined);
});
