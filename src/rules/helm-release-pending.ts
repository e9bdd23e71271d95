// helm.release-pending: the Helm release is locked in pending-install / pending-upgrade /
// pending-rollback (an operation was interrupted, or another client is operating on the release), so
// Helm refuses new operations with "another operation (install/upgrade/rollback) is in progress".
// The messages are in src/signals/patterns/helm-sdk.ts (errPending) and helm-controller.ts (unlock).

import type { Graph } from '../graph/graph.js';
import { condition } from '../kinds/status.js';
import { helmError, latestSnapshot, releaseOf } from '../signals/helm.js';
import { durationOr, evidenceOf, firstLine, objId, parseTime, show } from '../signals/index.js';
import type { K8sObject } from '../types.js';
import { objRef } from '../types.js';
import type { Rule } from './types.js';
import { reconcileCmd } from './util.js';

const PENDING_STATUS = /^pending-(install|upgrade|rollback)$/;

/** A pending history entry is stuck when the HelmRelease failed, or has been progressing for over twice its timeout. */
function pendingTooLong(hr: K8sObject, graph: Graph): boolean {
  const h = graph.health(hr);
  if (h.state === 'Failed') return true;
  if (h.state !== 'Progressing') return false;
  const since = parseTime(
    condition(hr, 'Reconciling')?.lastTransitionTime ?? condition(hr, 'Ready')?.lastTransitionTime,
  );
  if (since === undefined) return false;
  return graph.now.getTime() - since > 2 * durationOr(hr.spec?.timeout, 5 * 60_000);
}

const STEPS = [
  'Make sure no other client (the Helm CLI, another controller) is operating on release {releaseName} in namespace {storageNamespace}',
  'Check helm-controller restarts (an OOM kill mid-upgrade leaves the lock):',
  'kubectl get pods -n {sh:fluxNamespace} -l app=helm-controller',
  'Inspect the release:',
  'helm history {sh:releaseName} -n {sh:storageNamespace}',
  'Let helm-controller unlock and retry:',
  '{force}',
  'If it stays locked, roll back to the last deployed revision (last resort: delete Secret sh.helm.release.v1.{releaseName}.v{revision} in namespace {storageNamespace}):',
  'helm rollback {sh:releaseName} <revision> -n {sh:storageNamespace}',
];

export const rule: Rule = {
  meta: {
    code: 'helm.release-pending',
    severity: 'error',
    title: 'The Helm release is stuck in a pending state',
    kinds: ['HelmRelease'],
    overrides: ['helm.install-failed', 'helm.upgrade-failed'],
    messages: {
      'operation-in-progress': {
        summary:
          'Helm release {release} of {object} is locked {state}: Helm refuses new operations while another one is in progress',
        remediation: STEPS,
      },
      'pending-too-long': {
        summary:
          'Helm release {release} of {object} is locked {state}: Helm refuses new operations while another one is in progress',
        remediation: STEPS,
      },
      'unlock-failed': {
        summary:
          'Helm release {release} of {object} is locked {state}, and helm-controller could not unlock it: {error}',
        remediation: STEPS,
      },
    },
    docs: {
      description:
        'Helm marks a release `pending-install`, `pending-upgrade` or `pending-rollback` while an operation runs, and refuses any other operation on it (`another operation (install/upgrade/rollback) is in progress`). When the operation is interrupted — helm-controller was OOM-killed or restarted mid-upgrade, a node drained, or someone ran `helm upgrade` by hand at the same time — the lock stays. Current helm-controller versions unlock a stale pending release automatically (marking it failed and retrying); the state persists when that unlock fails, with older controllers, or while another client keeps operating on the same release.',
      detection: [
        "- Helm's `another operation (install/upgrade/rollback) is in progress` (src/signals/patterns/helm-sdk.ts) in the HelmRelease's Helm error — a condition, an event or a controller log line, in the v0.x (`Helm upgrade failed: …`) and the v0.37+ wrapping.",
        '- `Released=False` reason `PendingRelease` with `Unlock of Helm release <ns>/<name>.v<n> with chart <chart> in pending-<action> state failed: <error>` (src/signals/patterns/helm-controller.ts).',
        '- `status.history[0].status` (v2beta2, v2) is `pending-install|upgrade|rollback` and the HelmRelease is failing, or has been progressing for more than twice `spec.timeout`.',
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
    // The Helm error of the HelmRelease (conditions first; "retries exhausted" is an outcome, not a cause).
    const e = helmError(obj, graph);
    const told = e?.match.pattern.code === 'helm.release-pending' ? e : undefined;
    const last = latestSnapshot(obj);
    const pendingHistory = !!last?.status && PENDING_STATUS.test(last.status) && pendingTooLong(obj, graph);
    // A message alone counts only while the HelmRelease is failing (old events outlive the lock).
    if (!(h.state === 'Failed' && told) && !pendingHistory) return undefined;
    const rel = releaseOf(obj);
    const cause = told
      ? told.match.pattern.cause === 'unlock-failed'
        ? 'unlock-failed'
        : 'operation-in-progress'
      : 'pending-too-long';
    const state =
      told?.match.data.state ?? (last?.status && PENDING_STATUS.test(last.status) ? last.status : undefined);
    const evidence = evidenceOf(told ? [told.signal] : []);
    if (pendingHistory && last)
      evidence.push({
        kind: 'status',
        object: objId(obj),
        text: `status.history[0]: version ${last.version ?? '?'}${last.chart ? `, chart ${last.chart}` : ''}, status ${last.status}`,
      });
    return {
      cause,
      data: {
        object: show(obj),
        release: `${rel.namespace}/${rel.name}`,
        releaseName: rel.name,
        storageNamespace: rel.storageNamespace,
        state: `${state ? `in ${state}` : 'by another operation'}${last?.version ? ` (revision ${last.version})` : ''}`,
        revision: last?.version,
        error: cause === 'unlock-failed' ? firstLine(told?.match.data.error ?? '') || undefined : undefined,
        fluxNamespace: graph.fluxNamespace,
        force: `${reconcileCmd(obj)} --force`,
      },
      evidence,
      fixTarget: objRef(obj),
    };
  },
};
