// Staleness: whether the controller has not (recently) reconciled an object, judged against the
// snapshot time. flux.stale-generation reports it; flux.controller-unavailable counts the objects a
// down controller leaves stale.

import type { Graph } from '../graph/graph.js';
import { condition, conditions } from '../kinds/status.js';
import { kindInfo } from '../kinds/table.js';
import type { Evidence, K8sObject } from '../types.js';
import { conditionEvidence } from './current.js';
import { objId } from './refs.js';
import { age, bound, formatDuration, parseDuration, parseTime } from './text.js';

/** Grace period after a spec change or creation before a missing reconcile is suspicious. */
export const GRACE_MS = 5 * 60_000;
/** Never call an in-progress reconcile stuck before this long. */
export const MIN_STUCK_MS = 60 * 60_000;

/** Default intervals where the API makes spec.interval optional (HelmRepository: 1m). */
const DEFAULT_INTERVAL_MS: Record<string, number> = { HelmRepository: 60_000 };

export function intervalOf(o: K8sObject): number | undefined {
  return parseDuration(o.spec?.interval) ?? DEFAULT_INTERVAL_MS[o.kind];
}

/** How long an in-progress reconcile may legitimately take before it counts as stuck. */
export function stuckThreshold(o: K8sObject): number {
  const interval = intervalOf(o) ?? 10 * 60_000;
  const timeout = parseDuration(o.spec?.timeout) ?? 0;
  return Math.max(3 * interval + GRACE_MS, 2 * timeout + GRACE_MS, MIN_STUCK_MS);
}

export interface Staleness {
  /** One sentence: what shows the controller has not (recently) reconciled the object. */
  why: string;
  /** Short tag: generation | no-status | stuck | request. */
  kind: 'generation' | 'no-status' | 'stuck' | 'request';
  evidence: Evidence[];
}

/**
 * Whether the controller has not reconciled the object recently, judged against graph.now:
 * - `generation`: metadata.generation is newer than every observedGeneration the controller wrote
 *   (conditions carry their own observedGeneration in Flux; status.observedGeneration is only
 *   advanced on success by kustomize-controller, so a failing object is not stale by that alone);
 * - `no-status`: a kind with status that has none, created more than 5 minutes ago;
 * - `stuck`: Ready=Unknown (or Reconciling=True without Ready) since longer than the stuck threshold;
 * - `request`: a `reconcile.fluxcd.io/requestedAt` request older than 5 minutes was never handled.
 * The Ready condition's lastTransitionTime is not used for healthy objects: Flux only moves it when
 * status, reason or message change (fluxcd/pkg runtime/conditions setter.go), so a Ready object
 * that has been reconciled every interval for a week still shows a week-old transition.
 */
export function staleness(o: K8sObject, graph: Graph): Staleness | undefined {
  const info = kindInfo(o.kind);
  if (!info?.flux || info.statusless) return undefined;
  if (o.metadata.deletionTimestamp) return undefined;
  const now = graph.now.getTime();
  const id = objId(o);
  const gen = typeof o.metadata.generation === 'number' ? o.metadata.generation : undefined;
  const created = parseTime(o.metadata.creationTimestamp);
  const conds = conditions(o);
  const st = o.status;

  // Never reconciled: no conditions, no observed generation, nothing the controller writes.
  const observedAny = typeof st?.observedGeneration === 'number' && st.observedGeneration > 0;
  if (conds.length === 0 && !observedAny && !st?.artifact && !st?.lastAppliedRevision && !st?.history) {
    if (created !== undefined && now - created < GRACE_MS) return undefined;
    return {
      kind: 'no-status',
      why: `it has no status: the controller has never reconciled it${created !== undefined ? ` (created ${age(now - created)} before the snapshot)` : ''}`,
      evidence: [{ kind: 'status', object: id, text: 'status: no conditions and no observedGeneration' }],
    };
  }

  // The controller has not observed the latest generation.
  if (gen !== undefined) {
    const condGens = conds.map((c) => c.observedGeneration).filter((g): g is number => typeof g === 'number');
    const statusGen = typeof st?.observedGeneration === 'number' ? st.observedGeneration : undefined;
    const ready = condition(o, 'Ready');
    let observed: number | undefined;
    if (condGens.length > 0) observed = Math.max(...condGens);
    else if (statusGen !== undefined && ready?.status !== 'False') observed = statusGen;
    if (observed !== undefined && observed < gen) {
      const ev: Evidence[] = [
        {
          kind: 'status',
          object: id,
          text: `metadata.generation: ${gen}, status.observedGeneration: ${statusGen ?? '(unset)'}${condGens.length ? `, newest condition observedGeneration: ${Math.max(...condGens)}` : ''}`,
        },
      ];
      if (ready) ev.push(conditionEvidence(o, ready));
      return {
        kind: 'generation',
        why: `the controller has not observed the latest spec (generation ${gen}, last observed ${observed})`,
        evidence: ev,
      };
    }
  }

  // A reconcile that started long ago and never finished.
  const ready = condition(o, 'Ready');
  const reconciling = condition(o, 'Reconciling');
  const inProgress =
    ready?.status === 'Unknown' ? ready : !ready && reconciling?.status === 'True' ? reconciling : undefined;
  const since = parseTime(inProgress?.lastTransitionTime);
  if (inProgress && since !== undefined) {
    const threshold = stuckThreshold(o);
    if (now - since > threshold) {
      return {
        kind: 'stuck',
        why: `a reconcile has been in progress for ${age(now - since)} (${inProgress.type}=Unknown${inProgress.reason ? ` (${inProgress.reason})` : ''} since ${inProgress.lastTransitionTime}), far longer than its interval allows (${formatDuration(threshold)})`,
        evidence: [conditionEvidence(o, inProgress)],
      };
    }
  }

  // A manual reconcile request that was never handled.
  const requested = o.metadata.annotations?.['reconcile.fluxcd.io/requestedAt'];
  const handled = st?.lastHandledReconcileAt;
  const reqAt = parseTime(requested);
  if (requested && requested !== handled && reqAt !== undefined && now - reqAt > GRACE_MS) {
    return {
      kind: 'request',
      why: `a reconcile requested ${age(now - reqAt)} before the snapshot (reconcile.fluxcd.io/requestedAt: ${requested}) was never handled (status.lastHandledReconcileAt: ${handled ?? '(unset)'})`,
      evidence: [
        {
          kind: 'field',
          object: id,
          text: bound(
            `metadata.annotations[reconcile.fluxcd.io/requestedAt]: ${requested}; status.lastHandledReconcileAt: ${handled ?? '(unset)'}`,
          ),
        },
      ],
    };
  }
  return undefined;
}
