// Workloads as facts: which object a pod problem is reported at (the Deployment/StatefulSet/DaemonSet/Job
// that owns the pod, or a bare Pod), the pods of a workload, the objects that create its pods (their
// FailedCreate events), the claims its pods mount, their container states, and evidence built from
// container statuses and pod events. Used by the workload.* rules (src/rules/workload-*.ts).

import type { Graph } from '../graph/graph.js';
import { condition } from '../kinds/status.js';
import type { Evidence, K8sObject, ObjRef } from '../types.js';
import { objRef, refKey } from '../types.js';
import { objId } from './refs.js';
import { bound } from './text.js';

/** The workload kinds a pod problem is reported at. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

/** Kinds the workload.* rules look at. */
export const WORKLOAD_RULE_KINDS = ['Pod', ...WORKLOAD_KINDS];

/** Container waiting reasons that mean the image cannot be pulled (kubelet pkg/kubelet/images/types.go). */
export const IMAGE_PULL_REASONS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
]);

// biome-ignore lint/suspicious/noExplicitAny: container status/spec are untyped
type Any = any;

/** One container of a pod: its status joined with its spec. */
export interface ContainerInfo {
  pod: K8sObject;
  name: string;
  init: boolean;
  status: Any;
  spec: Any;
  /** The image the spec asks for (falls back to the status image). */
  image?: string;
}

/** What a workload finding is about: the object it is reported at and the pods looked at. */
export interface Subject {
  obj: K8sObject;
  pods: K8sObject[];
}

/**
 * The Deployment/StatefulSet/DaemonSet in the snapshot that owns a pod (through its ReplicaSet),
 * or undefined for a bare pod or one whose owner was not read. When the ReplicaSet itself is not
 * in the snapshot, the Deployment is recognised by the ReplicaSet name `<deployment>-<pod-template-hash>`.
 */
export function ownerWorkload(pod: K8sObject, graph: Graph): ObjRef | undefined {
  let cur: ObjRef = objRef(pod);
  for (let i = 0; i < 5; i++) {
    const edge = graph.in(cur, 'owner')[0];
    if (!edge) return undefined;
    const owner = graph.get(edge.from);
    if (owner && WORKLOAD_KINDS.includes(owner.kind)) return objRef(owner);
    if (!owner) {
      const hash = pod.metadata.labels?.['pod-template-hash'];
      if (edge.from.kind === 'ReplicaSet' && hash && edge.from.name.endsWith(`-${hash}`)) {
        const deploy = {
          kind: 'Deployment',
          namespace: edge.from.namespace,
          name: edge.from.name.slice(0, -(hash.length + 1)),
        };
        if (graph.has(deploy)) return deploy;
      }
      return undefined;
    }
    cur = edge.from;
  }
  return undefined;
}

/** Per graph: workload key → the pods whose owner chain leads to it (built once, rules are called per object). */
const podIndex = new WeakMap<Graph, Map<string, K8sObject[]>>();

function podsByOwner(graph: Graph): Map<string, K8sObject[]> {
  let idx = podIndex.get(graph);
  if (!idx) {
    idx = new Map();
    for (const p of graph.byKind('Pod')) {
      const owner = ownerWorkload(p, graph);
      if (!owner) continue;
      const k = refKey(owner);
      const list = idx.get(k) ?? [];
      list.push(p);
      idx.set(k, list);
    }
    podIndex.set(graph, idx);
  }
  return idx;
}

/** The pods of a workload: through ownerReferences, and by ReplicaSet name when the ReplicaSet was not read. */
export function podsFor(workload: K8sObject, graph: Graph): K8sObject[] {
  const seen = new Set<string>();
  const out: K8sObject[] = [];
  const add = (p: K8sObject) => {
    if (p.metadata.deletionTimestamp) return;
    const k = `${p.metadata.namespace}/${p.metadata.name}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(p);
  };
  for (const p of graph.podsOf(workload)) add(p);
  for (const p of podsByOwner(graph).get(refKey(objRef(workload))) ?? []) add(p);
  return out.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/**
 * The object a workload finding is reported at, with its pods. A Pod owned by a workload that is
 * in the snapshot gets no finding of its own (its owner does): then this returns undefined.
 */
export function subjectOf(obj: K8sObject, graph: Graph): Subject | undefined {
  if (obj.kind === 'Pod') {
    if (obj.metadata.deletionTimestamp) return undefined;
    if (ownerWorkload(obj, graph)) return undefined;
    return { obj, pods: [obj] };
  }
  if (!WORKLOAD_KINDS.includes(obj.kind)) return undefined;
  return { obj, pods: podsFor(obj, graph) };
}

/** Every container (init containers first) of a pod, with its status and spec. */
export function containersOf(pod: K8sObject): ContainerInfo[] {
  const spec = pod.spec ?? {};
  const st = pod.status ?? {};
  const out: ContainerInfo[] = [];
  const join = (statuses: Any[] | undefined, specs: Any[] | undefined, init: boolean) => {
    for (const s of Array.isArray(statuses) ? statuses : []) {
      if (!s || typeof s.name !== 'string') continue;
      const cspec = (Array.isArray(specs) ? specs : []).find((c: Any) => c?.name === s.name) ?? {};
      out.push({ pod, name: s.name, init, status: s, spec: cspec, image: cspec.image ?? s.image });
    }
  };
  join(st.initContainerStatuses, spec.initContainers, true);
  join(st.containerStatuses, spec.containers, false);
  return out;
}

// ---------- per-container judgements shared by the rules ----------

export function isImagePull(c: ContainerInfo): boolean {
  return IMAGE_PULL_REASONS.has(c.status.state?.waiting?.reason);
}

/** The termination that matters: the current one, or the last one. */
export function lastTermination(c: ContainerInfo): Any | undefined {
  return c.status.state?.terminated ?? c.status.lastState?.terminated;
}

export function isOomKilled(c: ContainerInfo, now: Date): boolean {
  const t = lastTermination(c);
  if (t?.reason !== 'OOMKilled') return false;
  // A container that was OOMKilled long ago and has been running ready since is not a current problem.
  const running = !!c.status.state?.running;
  if (!running || c.status.ready === false) return true;
  const at = Date.parse(t.finishedAt ?? '');
  return !Number.isNaN(at) && now.getTime() - at <= 60 * 60 * 1000;
}

export function isCrashLoop(c: ContainerInfo): boolean {
  const t = lastTermination(c);
  if (t?.reason === 'OOMKilled') return false; // workload.oom says more
  if (c.status.state?.waiting?.reason === 'CrashLoopBackOff') return true;
  // Between two back-offs the container shows as terminated with an error.
  const cur = c.status.state?.terminated;
  return (
    !!cur &&
    typeof cur.exitCode === 'number' &&
    cur.exitCode !== 0 &&
    (c.status.restartCount ?? 0) >= 1 &&
    c.pod.spec?.restartPolicy !== 'Never'
  );
}

/** PodScheduled=False (reason Unschedulable): the scheduler's condition, when the pod cannot be placed. */
export function unschedulableCondition(pod: K8sObject) {
  const c = condition(pod, 'PodScheduled');
  if (c?.status !== 'False') return undefined;
  if (c.reason && c.reason !== 'Unschedulable' && c.reason !== 'SchedulerError') return undefined;
  return c;
}

/** Does any pod of the subject show a problem one of the specific workload codes reports? */
export function hasSpecificProblem(pods: K8sObject[], now: Date): boolean {
  for (const p of pods) {
    if (unschedulableCondition(p)) return true;
    for (const c of containersOf(p)) if (isImagePull(c) || isCrashLoop(c) || isOomKilled(c, now)) return true;
  }
  return false;
}

// ---------- evidence ----------

/** A container status as evidence: `pod app-1 container app: waiting CrashLoopBackOff: back-off 5m0s ...`. */
export function containerEvidence(c: ContainerInfo): Evidence {
  const s = c.status;
  const parts: string[] = [];
  const w = s.state?.waiting;
  const t = s.state?.terminated;
  if (w) parts.push(`waiting ${w.reason ?? ''}${w.message ? `: ${w.message}` : ''}`.trim());
  else if (t)
    parts.push(`terminated ${t.reason ?? ''} (exit code ${t.exitCode ?? '?'})${t.message ? `: ${t.message}` : ''}`);
  else if (s.state?.running) parts.push(`running${s.ready === false ? ', not ready' : ''}`);
  const lt = s.lastState?.terminated;
  if (lt) parts.push(`last terminated ${lt.reason ?? ''} (exit code ${lt.exitCode ?? '?'})`);
  if (typeof s.restartCount === 'number' && s.restartCount > 0) parts.push(`${s.restartCount} restarts`);
  const text = `pod ${c.pod.metadata.name} ${c.init ? 'init container' : 'container'} ${c.name}${c.image ? ` (${c.image})` : ''}: ${parts.join('; ')}`;
  return { kind: 'status', object: objId(c.pod), text: bound(text) };
}

/** Events about the pods (newest first), optionally only with these reasons or matching a pattern. */
export function podEventEvidence(
  pods: K8sObject[],
  graph: Graph,
  filter: { reasons?: string[]; pattern?: RegExp },
  max = 3,
): Evidence[] {
  const out: Evidence[] = [];
  const seen = new Set<string>();
  for (const p of pods) {
    const evs = eventsNewestFirst(p, graph);
    for (const e of evs) {
      const okReason = !filter.reasons || filter.reasons.includes(e.reason);
      const okText = !filter.pattern || filter.pattern.test(e.message);
      if (!okReason || !okText) continue;
      const text = bound(`${e.type} ${e.reason}${e.count > 1 ? ` (x${e.count})` : ''}: ${e.message}`);
      if (seen.has(text)) continue;
      seen.add(text);
      out.push({ kind: 'event', object: objId(p), text });
      if (out.length >= max) return out;
    }
  }
  return out;
}

// ---------- what creates the pods, and what they mount ----------

/**
 * The objects whose controller creates the workload's pods and writes FailedCreate when it cannot:
 * the StatefulSet/DaemonSet/Job itself, and a Deployment's ReplicaSets that should have pods (newest first).
 */
export function podCreators(workload: K8sObject, graph: Graph): K8sObject[] {
  if (workload.kind !== 'Deployment') return [workload];
  const sets: K8sObject[] = [];
  for (const e of graph.out(workload, 'owner')) {
    const rs = graph.get(e.to);
    if (rs?.kind === 'ReplicaSet' && rs.spec?.replicas !== 0) sets.push(rs);
  }
  return sets.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
}

/** The PersistentVolumeClaims a pod mounts (spec.volumes[].persistentVolumeClaim.claimName). */
export function claimsOf(pod: K8sObject): ObjRef[] {
  const out: ObjRef[] = [];
  for (const v of Array.isArray(pod.spec?.volumes) ? pod.spec.volumes : []) {
    const name = v?.persistentVolumeClaim?.claimName;
    if (typeof name === 'string' && name)
      out.push({ kind: 'PersistentVolumeClaim', namespace: pod.metadata.namespace, name });
  }
  return out;
}

/** Events of an object of any type (newest first): the PV controller's FailedBinding is a Normal event. */
export function eventsNewestFirst(o: ObjRef | K8sObject, graph: Graph) {
  return [...graph.events(o)].sort((a, b) => (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''));
}

/** `3 of 4 pods (e.g. app-x)` / `pod app-x`: which of a workload's pods show the problem. */
export function podsPhrase(affected: K8sObject[], all: K8sObject[]): string {
  if (affected.length === 1 && all.length <= 1) return `pod ${affected[0]!.metadata.name}`;
  return `${affected.length} of ${all.length} pods (e.g. ${affected[0]!.metadata.name})`;
}
