import assert from 'node:assert/strict';
import { it } from 'node:test';
import { diagnose } from '../../src/diagnose/engine.js';
import { rule } from '../../src/rules/helm-release-pending.js';
import { rule as upgradeFailed } from '../../src/rules/helm-upgrade-failed.js';
import { cond, findingKeys, graphOf, logLine, obj, ruleTester, status } from '../helpers.js';

// Helm's errPending surfaced by helm-controller (v2beta1 format "Helm %s failed: %w"), as reported in
// https://github.com/fluxcd/helm-controller/issues/149 (log "error":"Helm upgrade failed: another operation ...").
const PENDING_OLD = 'Helm upgrade failed: another operation (install/upgrade/rollback) is in progress';
// The same Helm error wrapped by the current internal/reconcile/upgrade.go fmtUpgradeFailure.
const PENDING =
  'Helm upgrade failed for release podinfo/podinfo with chart podinfo@6.5.4: another operation (install/upgrade/rollback) is in progress';
// internal/reconcile/unlock.go fmtUnlockFailure; unlock_test.go expects Ready and Released =False reason
// PendingRelease "... in pending-rollback state failed: storage update error".
const UNLOCK_FAILED =
  'Unlock of Helm release podinfo/podinfo.v3 with chart podinfo@6.5.4 in pending-rollback state failed: storage update error';

const hr = (
  ready: [string, string, string?],
  conditions: ReturnType<typeof cond>[] = [],
  historyStatus = 'deployed',
  at?: string,
) =>
  obj('HelmRelease', 'podinfo/podinfo', {
    spec: {
      timeout: '5m',
      chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } },
    },
    status: {
      ...status(ready, conditions),
      ...(at ? { conditions: [cond('Ready', ready[0], ready[1], ready[2] ?? '', at), ...conditions] } : {}),
      history: [
        {
          chartName: 'podinfo',
          chartVersion: '6.5.4',
          name: 'podinfo',
          namespace: 'podinfo',
          status: historyStatus,
          version: 3,
        },
      ],
    },
  });

ruleTester(rule, {
  valid: [
    {
      name: 'deployed release',
      objects: [
        hr([
          'True',
          'UpgradeSucceeded',
          'Helm upgrade succeeded for release podinfo/podinfo.v3 with chart podinfo@6.5.4',
        ]),
      ],
    },
    {
      name: 'upgrade running right now (pending-upgrade while progressing, within the timeout)',
      source: 'internal/reconcile/atomic_release.go "Running \'%s\' action with timeout of %s"',
      objects: [
        hr(
          ['Unknown', 'Progressing', "Running 'upgrade' action with timeout of 5m0s"],
          [],
          'pending-upgrade',
          '2026-11-24T10:00:00Z',
        ),
        // Something newer in the snapshot so that "now" is two minutes later.
        obj('GitRepository', 'clock', {
          status: status(
            ['True', 'Succeeded', ''],
            [cond('ArtifactInStorage', 'True', 'Succeeded', '', '2026-11-24T10:02:00Z')],
          ),
        }),
      ],
    },
    {
      name: 'unlocked successfully (PendingRelease is not a failure by itself)',
      source: 'internal/reconcile/unlock.go fmtUnlockSuccess "Unlocked Helm release %s with chart %s in %s state"',
      objects: [
        hr(
          ['Unknown', 'Progressing', "Running 'upgrade' action with timeout of 5m0s"],
          [
            cond(
              'Released',
              'False',
              'PendingRelease',
              'Unlocked Helm release podinfo/podinfo.v3 with chart podinfo@6.5.4 in pending-upgrade state',
            ),
          ],
        ),
      ],
    },
  ],
  invalid: [
    {
      name: 'upgrade refused: another operation is in progress',
      source: 'https://github.com/fluxcd/helm-controller/issues/149; internal/reconcile/upgrade.go',
      objects: [
        hr(
          ['False', 'UpgradeFailed', PENDING],
          [cond('Released', 'False', 'UpgradeFailed', PENDING)],
          'pending-upgrade',
        ),
      ],
      expect: [
        {
          cause: 'operation-in-progress',
          data: { releaseName: 'podinfo', storageNamespace: 'podinfo', revision: 3 },
          summary:
            'Helm release podinfo/podinfo of HelmRelease podinfo/podinfo is locked in pending-upgrade (revision 3): Helm refuses new operations while another one is in progress',
          evidence: [/another operation \(install\/upgrade\/rollback\) is in progress/, /status pending-upgrade/],
          remediation: [
            /helm history podinfo -n podinfo/,
            /flux reconcile helmrelease podinfo -n podinfo --force/,
            /sh\.helm\.release\.v1\.podinfo\.v3/,
          ],
        },
      ],
    },
    {
      name: 'pending-upgrade in status.history while "Running upgrade" for 30m (timeout 5m): the lock is stale',
      source: 'internal/reconcile/atomic_release.go (Ready=Unknown while an action runs); api/v2 Snapshot.status',
      objects: [
        hr(
          ['Unknown', 'Progressing', "Running 'upgrade' action with timeout of 5m0s"],
          [],
          'pending-upgrade',
          '2026-11-24T10:00:00Z',
        ),
        obj('GitRepository', 'clock', {
          status: status(
            ['True', 'Succeeded', ''],
            [cond('ArtifactInStorage', 'True', 'Succeeded', '', '2026-11-24T10:30:00Z')],
          ),
        }),
      ],
      expect: [
        {
          cause: 'pending-too-long',
          summary:
            'Helm release podinfo/podinfo of HelmRelease podinfo/podinfo is locked in pending-upgrade (revision 3): Helm refuses new operations while another one is in progress',
          evidence: [/status\.history\[0\]: version 3, chart podinfo@6\.5\.4, status pending-upgrade/],
        },
      ],
    },
    {
      name: 'helm-controller could not unlock the release',
      source: 'fluxcd/helm-controller internal/reconcile/unlock.go, unlock_test.go',
      objects: [
        hr(
          ['False', 'PendingRelease', UNLOCK_FAILED],
          [cond('Released', 'False', 'PendingRelease', UNLOCK_FAILED)],
          'pending-rollback',
        ),
      ],
      expect: [
        {
          cause: 'unlock-failed',
          data: { error: 'storage update error' },
          summary:
            'Helm release podinfo/podinfo of HelmRelease podinfo/podinfo is locked in pending-rollback (revision 3), and helm-controller could not unlock it: storage update error',
        },
      ],
    },
    {
      name: 'old controller: the error only in the controller log',
      source: 'https://github.com/fluxcd/helm-controller/issues/149 (log line "Reconciler error")',
      objects: [hr(['False', 'UpgradeFailed', 'upgrade retries exhausted'])],
      logs: [logLine({ kind: 'HelmRelease', namespace: 'podinfo', name: 'podinfo' }, 'Reconciler error', PENDING_OLD)],
      expect: [
        {
          cause: 'operation-in-progress',
          summary:
            'Helm release podinfo/podinfo of HelmRelease podinfo/podinfo is locked by another operation (revision 3): Helm refuses new operations while another one is in progress',
          evidence: [/Reconciler error: Helm upgrade failed: another operation/],
        },
      ],
    },
    {
      name: 'v2beta1 (no status.history): the v0.x event "reconciliation failed: Helm upgrade failed: another operation …"',
      source: 'https://github.com/fluxcd/helm-controller/issues/149 (event of a v2beta1 HelmRelease)',
      objects: [
        {
          ...obj('HelmRelease', 'infra/monitoring', {
            spec: {
              chart: { spec: { chart: 'kube-prometheus-stack', sourceRef: { kind: 'HelmRepository', name: 'prom' } } },
            },
            status: status(
              ['False', 'UpgradeFailed', PENDING_OLD],
              [cond('Released', 'False', 'UpgradeFailed', PENDING_OLD)],
            ),
          }),
          apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        },
      ],
      expect: [
        {
          cause: 'operation-in-progress',
          summary:
            'Helm release infra/monitoring of HelmRelease infra/monitoring is locked by another operation: Helm refuses new operations while another one is in progress',
          remediation: [/^flux reconcile helmrelease monitoring -n infra --force$/],
        },
      ],
    },
  ],
});

it('helm.release-pending replaces helm.upgrade-failed on the same HelmRelease', () => {
  const g = graphOf([hr(['False', 'UpgradeFailed', PENDING], [cond('Released', 'False', 'UpgradeFailed', PENDING)])]);
  const r = diagnose(g, { rules: [rule, upgradeFailed] });
  assert.deepEqual(findingKeys(r), ['error helm.release-pending HelmRelease/podinfo/podinfo']);
});
