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
