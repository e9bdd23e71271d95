// One function derives every object's health, the way Flux (pkg/runtime/conditions) and kstatus do.

import type { Condition, K8sObject } from '../types.js';
import { kindInfo } from './table.js';

export type HealthState =
  | 'Ready' // reconciled and healthy (or a finished Job / completed Pod)
  | 'Failed' // the last reconcile failed, or the workload is broken
  | 'Progressing' // reconciling now, or the controller has not observed the latest spec
  | 'Waiting' // waiting on a dependency (Flux reason DependencyNotReady)
  | 'Suspended' // spec.suspend or the Flux Operator's reconcile: disabled annotation
  | 'Unknown' // a Flux object with no status yet: never reconciled
  | 'Static'; // a kind without status (Secret, ConfigMap, Provider v1beta3, …)

export interface Health {
  state: HealthState;
  reason?: string;
  message?: string;
  /** Stalled=True: the controller gave up retrying until the spec changes. */
  stalled: boolean;
  /** status.observedGeneration (or the Ready condition's) is behind metadata.generation. */
  stale: boolean;
  suspended: boolean;
  /** The artifact or applied revision, when the kind reports one. */
  revision?: string;
  /** When the Ready condition last changed, or when the object last reported anything. */
  lastTransition?: string;
}

export const DEPENDENCY_NOT_READY = 'DependencyNotReady';
export const RECONCILE_ANNOTATION = 'fluxcd.controlplane.io/reconcile';

export function conditions(o: K8sObject): Condition[] {
  const c = o.status?.conditions;
  return Array.isArray(c) ? c.filter((x) => x && typeof x.type === 'string') : [];
}

export function condition(o: K8sObject, type: string): Condition | undefined {
  return conditions(o).find((c) => c.type === type);
}

/**
 * How an object is suspended: `spec.suspend: true` (every Flux kind), or the Flux Operator's
 * `fluxcd.controlplane.io/reconcile: disabled` annotation (compared case-insensitively, as the
 * operator does in api/v1 IsDisabled).
 */
export function suspendedBy(o: K8sObject): 'spec.suspend' | 'annotation' | undefined {
  if (o.spec?.suspend === true) return 'spec.suspend';
  const a = o.metadata.annotations?.[RECONCILE_ANNOTATION];
  if (typeof a === 'string' && a.toLowerCase() === 'disabled') return 'annotation';
  return undefined;
}

export function isSuspended(o: K8sObject): boolean {
  return suspendedBy(o) !== undefined;
}

function revisionOf(o: K8sObject): string | undefined {
  const s = o.status ?? {};
  return (
    s.artifact?.revision ??
    s.lastAppliedRevision ??
    s.lastAttemptedRevision ??
    s.history?.[0]?.chartVersion ??
    s.lastAttemptedRevision ??
    s.latestRef?.tag ??
    s.latestImage ??
    s.lastPushCommit ??
    undefined
  );
}

function observedBehind(o: K8sObject, ready?: Condition): boolean {
  const gen = o.metadata.generation;
  if (typeof gen !== 'number') return false;
  const observed =
    typeof o.status?.observedGeneration === 'number' ? o.status.observedGeneration : ready?.observedGeneration;
  return typeof observed === 'number' && observed >= 0 && observed < gen;
}

export function health(o: K8sObject): Health {
  const info = kindInfo(o.kind);
  if (info?.flux) return fluxHealth(o, info.statusless === true);
  switch (o.kind) {
    case 'Deployment':
      return deploymentHealth(o);
    case 'StatefulSet':
      return statefulSetHealth(o);
    case 'DaemonSet':
      return daemonSetHealth(o);
    case 'ReplicaSet':
      return replicaSetHealth(o);
    case 'Pod':
      return podHealth(o);
    case 'Job':
      return jobHealth(o);
    case 'CustomResourceDefinition': {
      const est = condition(o, 'Established');
      if (est && est.status !== 'True') return base('Failed', est.reason, est.message);
      return base('Static');
    }
    default:
      return base('Static');
  }
}

function base(state: HealthState, reason?: string, message?: string, extra: Partial<Health> = {}): Health {
  return { state, reason, message, stalled: false, stale: false, suspended: false, ...extra };
}

function fluxHealth(o: K8sObject, statusless: boolean): Health {
  const suspended = isSuspended(o);
  const ready = condition(o, 'Ready');
  const stalledC = condition(o, 'Stalled');
  const reconciling = condition(o, 'Reconciling');
  const stalled = stalledC?.status === 'True';
  const stale = observedBehind(o, ready);
  const common = {
    stalled,
    stale,
    suspended,
    revision: revisionOf(o),
    lastTransition: ready?.lastTransitionTime,
  };
  if (suspended) {
    return { state: 'Suspended', reason: ready?.reason ?? 'Suspended', message: ready?.message, ...common };
  }
  if (!ready) {
    if (statusless) return { state: 'Static', ...common };
    if (stalled) return { state: 'Failed', reason: stalledC?.reason, message: stalledC?.message, ...common };
    if (reconciling?.status === 'True')
      return { state: 'Progressing', reason: reconciling.reason, message: reconciling.message, ...common };
    return { state: 'Unknown', reason: 'NoStatus', message: 'the controller has not reported any status', ...common };
  }
  if (stalled)
    return {
      state: 'Failed',
      reason: stalledC?.reason ?? ready.reason,
      message: stalledC?.message ?? ready.message,
      ...common,
    };
  if (ready.status === 'True') {
    if (stale) return { state: 'Progressing', reason: ready.reason, message: ready.message, ...common };
    return { state: 'Ready', reason: ready.reason, message: ready.message, ...common };
  }
  if (ready.status === 'False') {
    if (ready.reason === DEPENDENCY_NOT_READY)
      return { state: 'Waiting', reason: ready.reason, message: ready.message, ...common };
    return { state: 'Failed', reason: ready.reason, message: ready.message, ...common };
  }
  // Ready=Unknown: a reconcile is in progress.
  return { state: 'Progressing', reason: ready.reason ?? reconciling?.reason, message: ready.message, ...common };
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

function deploymentHealth(o: K8sObject): Health {
  const spec = o.spec ?? {};
  const st = o.status ?? {};
  const want = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const progressing = condition(o, 'Progressing');
  const stale = observedBehind(o);
  if (spec.paused) return base('Suspended', 'Paused', 'the Deployment rollout is paused', { suspended: true });
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded')
    return base('Failed', progressing.reason, progressing.message, { stale });
  const replicaFailure = condition(o, 'ReplicaFailure');
  if (replicaFailure?.status === 'True')
    return base('Failed', replicaFailure.reason, replicaFailure.message, { stale });
  if (want === 0) return base('Ready', 'ScaledToZero', undefined, { stale });
  const available = num(st.availableReplicas);
  const updated = num(st.updatedReplicas);
  if (!stale && available >= want && updated >= want && num(st.replicas) <= want)
    return base('Ready', 'MinimumReplicasAvailable', `${available}/${want} replicas available`);
  return base(
    'Progressing',
    progressing?.reason ?? 'ReplicasNotReady',
    `${available}/${want} replicas available, ${updated} updated`,
    {
      stale,
    },
  );
}

function statefulSetHealth(o: K8sObject): Health {
  const want = typeof o.spec?.replicas === 'number' ? o.spec.replicas : 1;
  const st = o.status ?? {};
  const stale = observedBehind(o);
  const ready = num(st.readyReplicas);
  const updating = st.updateRevision && st.currentRevision && st.updateRevision !== st.currentRevision;
  if (!stale && ready >= want && !updating) return base('Ready', 'ReplicasReady', `${ready}/${want} replicas ready`);
  return base('Progressing', 'ReplicasNotReady', `${ready}/${want} replicas ready`, { stale });
}

function daemonSetHealth(o: K8sObject): Health {
  const st = o.status ?? {};
  const want = num(st.desiredNumberScheduled);
  const ready = num(st.numberReady);
  const stale = observedBehind(o);
  if (!stale && ready >= want && num(st.updatedNumberScheduled) >= want)
    return base('Ready', 'PodsReady', `${ready}/${want} pods ready`);
  return base('Progressing', 'PodsNotReady', `${ready}/${want} pods ready`, { stale });
}

function replicaSetHealth(o: K8sObject): Health {
  const want = typeof o.spec?.replicas === 'number' ? o.spec.replicas : 1;
  const ready = num(o.status?.readyReplicas);
  if (ready >= want) return base('Ready', 'ReplicasReady', `${ready}/${want} replicas ready`);
  return base('Progressing', 'ReplicasNotReady', `${ready}/${want} replicas ready`);
}

/** Container waiting reasons that mean the pod is broken rather than starting. */
export const BAD_WAITING_REASONS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreStartHookError',
  'PostStartHookError',
]);

// biome-ignore lint/suspicious/noExplicitAny: pod status is untyped
export function containerStatuses(o: K8sObject): any[] {
  const st = o.status ?? {};
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  return [...list(st.initContainerStatuses), ...list(st.containerStatuses)].filter(Boolean);
}

function podHealth(o: K8sObject): Health {
  const st = o.status ?? {};
  if (st.phase === 'Succeeded') return base('Ready', 'Completed');
  for (const cs of containerStatuses(o)) {
    const w = cs.state?.waiting;
    if (w?.reason && BAD_WAITING_REASONS.has(w.reason))
      return base('Failed', w.reason, w.message ?? `container ${cs.name} is waiting: ${w.reason}`);
    const t = cs.state?.terminated;
    if (t && t.exitCode !== 0 && t.reason)
      return base('Failed', t.reason, `container ${cs.name} terminated: ${t.reason} (exit ${t.exitCode})`);
  }
  if (st.phase === 'Failed') return base('Failed', st.reason ?? 'Failed', st.message);
  const scheduled = condition(o, 'PodScheduled');
  if (scheduled?.status === 'False') return base('Failed', scheduled.reason ?? 'Unschedulable', scheduled.message);
  const ready = condition(o, 'Ready');
  if (st.phase === 'Running' && ready?.status === 'True') return base('Ready', 'Running');
  return base('Progressing', ready?.reason ?? st.phase ?? 'Pending', ready?.message);
}

function jobHealth(o: K8sObject): Health {
  const complete = condition(o, 'Complete');
  const failed = condition(o, 'Failed');
  if (failed?.status === 'True') return base('Failed', failed.reason, failed.message);
  if (complete?.status === 'True') return base('Ready', 'Complete');
  return base('Progressing', 'Running');
}

export function isFailing(h: Health): boolean {
  return h.state === 'Failed';
}
