// helm.release-pending: the Helm release is locked in pending-install / pending-upgrade /
// pending-rollback (an operation was interrupted, or another client is operating on the release), so
// Helm refuses new operations with "another operation (install/upgrade/rollback) is in progress".

import type { Graph } from '../graph/graph.js';
import { titled } from '../render/advice.js';
import { shq } from '../render/shell.js';
import type { K8sObject } from '../types.js';
import { objRef } from '../types.js';
import { cond, goDurationMs, hrCmds, PENDING_OPERATION, releaseOf, UNLOCK_FAILURE } from './helm-common.js';
import type { Rule } from './types.js';
import type { Signal } from './util.js';
import { evidenceOf, matchSignals, objId, show } from './util.js';

const PENDING_STATUS = /^pending-(install|upgrade|rollback)$/;

interface Latest {
  status: string;
  version?: number;
  chart?: string;
}

function latest(hr: K8sObject): Latest | undefined {
  const h = Array.isArray(hr.status?.history) ? hr.status.history[0] : undefined;
  if (!h || typeof h.status !== 'string') return undefined;
  return {
    status: h.status,
    version: typeof h.version === 'number' ? h.version : undefined,
    chart: h.chartName ? `${h.chartName}@${h.chartVersion ?? '?'}` : undefined,
  };
}

/** A pending history entry is stuck when the HelmRelease failed, or has been progressing for over twice its timeout. */
function pendingTooLong(hr: K8sObject, graph: Graph): boolean {
  const h = graph.health(hr);
  if (h.state === 'Failed') return true;
  if (h.state !== 'Progressing') return false;
  const since = cond(hr, 'Reconciling')?.lastTransitionTime ?? cond(hr, 'Ready')?.lastTransitionTime;
  const t = since ? Date.parse(since) : Number.NaN;
  if (Number.isNaN(t)) return false;
  const timeout = goDurationMs(hr.spec?.timeout, 5 * 60_000);
  return graph.now.getTime() - t > 2 * timeout;
}

export const rule: Rule = {
  meta: {
    code: 'helm.release-pending',
    severity: 'error',
    title: 'The Helm release is stuck in a pending state',
    kinds: ['HelmRelease'],
    overrides: ['helm.install-failed', 'helm.upgrade-failed'],
    docs: {
      description:
        'Helm marks a release `pending-install`, `pending-upgrade` or `pending-rollback` while an operation runs, and refuses any other operation on it (`another operation (install/upgrade/rollback) is in progress`). When the operation is interrupted — helm-controller was OOM-killed or restarted mid-upgrade, a node drained, or someone ran `helm upgrade` by hand at the same time — the lock stays. Current helm-controller versions unlock a stale pending release automatically (marking it failed and retrying); the state persists when that unlock fails, with older controllers, or while another client keeps operating on the same release.',
      detection: [
        "- Helm's `another operation (install/upgrade/rollback) is in progress` in a condition, event or log of the HelmRelease (e.g. `Helm upgrade failed: another operation (install/upgrade/rollback) is in progress`).",
        '- `Released=False` reason `PendingRelease` with `Unlock of Helm release <ns>/<name>.v<n> with chart <chart> in pending-<action> state failed: <error>` (helm-controller internal/reconcile/unlock.go).',
        '- `status.history[0].status` is `pending-install|upgrade|rollback` and the HelmRelease is failing, or has been progressing for more than twice `spec.timeout`.',
        '- Replaces `helm.install-failed` / `helm.upgrade-failed` on the same HelmRelease.',
      ].join('\n'),
      fix: [
        '- Make sure nothing else operates on the release (a `helm` CLI run, a second helm-controller, another GitOps tool).',
        '- Check helm-controller restarts (`kubectl get pods -n flux-system`; OOMKilled → raise its memory limit).',
        '- Let helm-controller unlock and retry: `flux reconcile helmrelease <name> -n <namespace> --force`.',
        '- If it stays locked: `helm history <release> -n <storage-namespace>`, then `helm rollback <release> <last deployed revision> -n <storage-namespace>`, or delete the storage Secret of the pending revision (`sh.helm.release.v1.<release>.v<revision>`) as a last resort.',
      ].join('\n'),
      commands: [
        'helm history <release> -n <storage-namespace>',
        "kubectl get helmrelease <name> -n <namespace> -o jsonpath='{.status.history[0].status}'",
        'kubectl get secrets -n <storage-namespace> -l owner=helm,name=<release>,status=pending-upgrade',
      ],
      examples: [
        {
          message: 'Helm upgrade failed: another operation (install/upgrade/rollback) is in progress',
          source: 'https://github.com/fluxcd/helm-controller/issues/149',
        },
        {
          message:
            'Unlock of Helm release podinfo/podinfo.v3 with chart podinfo@6.5.4 in pending-upgrade state failed: storage update error',
          source:
            'fluxcd/helm-controller internal/reconcile/unlock.go fmtUnlockFailure; unlock_test.go expects Ready/Released=False PendingRelease "... in pending-rollback state failed: storage update error"',
        },
      ],
    },
  },
  check(obj, { graph }) {
    const h = graph.health(obj);
    if (h.state === 'Suspended' || h.state === 'Ready') return undefined;
    const signals: Signal[] = matchSignals(obj, graph, { patterns: [PENDING_OPERATION, UNLOCK_FAILURE] });
    const last = latest(obj);
    const pendingHistory = last && PENDING_STATUS.test(last.status) && pendingTooLong(obj, graph);
    // A message alone counts only while the HelmRelease is failing (old events outlive the lock).
    if (!(h.state === 'Failed' && signals.length > 0) && !pendingHistory) return undefined;
    const rel = releaseOf(obj);
    const cmds = hrCmds(obj);
    const unlock = signals.map((s) => UNLOCK_FAILURE.exec(s.text)).find(Boolean);
    const state = unlock?.[3] ?? (last && PENDING_STATUS.test(last.status) ? last.status : undefined);
    const evidence = evidenceOf(signals);
    if (pendingHistory && last)
      evidence.push({
        kind: 'status',
        object: objId(obj),
        text: `status.history[0]: version ${last.version ?? '?'}${last.chart ? `, chart ${last.chart}` : ''}, status ${last.status}`,
      });
    const revision = last?.version;
    return {
      summary: `Helm release ${rel.namespace}/${rel.name} of ${show(obj)} is locked${state ? ` in ${state}` : ' by another operation'}${revision ? ` (revision ${revision})` : ''}${unlock ? `, and helm-controller could not unlock it: ${unlock[4]!.split('\n')[0]}` : ': Helm refuses new operations while another one is in progress'}`,
      evidence,
      remediation: [
        `Make sure no other client (the Helm CLI, another controller) is operating on release ${rel.name} in namespace ${rel.storageNamespace}`,
        ...titled(
          'Check helm-controller restarts',
          `kubectl get pods -n ${shq(graph.fluxNamespace)} -l app=helm-controller`,
        ),
        ...titled('Inspect the release', cmds.history),
        ...titled('Let helm-controller unlock and retry', cmds.force),
        ...titled(
          `If it stays locked, roll back to the last deployed revision (last resort: delete Secret sh.helm.release.v1.${rel.name}.v${revision ?? '<revision>'} in namespace ${rel.storageNamespace})`,
          `helm rollback ${shq(rel.name)} <revision> -n ${shq(rel.storageNamespace)}`,
        ),
        cmds.get,
      ],
      fixTarget: objRef(obj),
    };
  },
};
