// flux.controller-unavailable: a Flux controller Deployment has no available replica (crashing,
// unschedulable, scaled to 0), or — when Deployments were read — does not exist at all while
// objects of its kinds wait to be reconciled.

import { BAD_WAITING_REASONS, condition, containerStatuses, suspendedBy } from '../kinds/status.js';
import { changeInGit, titled } from '../render/advice.js';
import { shq } from '../render/shell.js';
import {
  compareRef,
  controllerOf,
  EXTRA_COMPONENTS,
  FLUX_CONTROLLERS,
  kindsOf,
  listRefs,
  staleness,
} from '../signals/index.js';
import type { Evidence, K8sObject, ObjRef } from '../types.js';
import { objRef, sameRef } from '../types.js';
import type { Rule, RuleContext } from './types.js';
import { bound, conditionEvidence, namespaceFlag, objId, show } from './util.js';

type Graph = RuleContext['graph'];

export const rule: Rule = {
  meta: {
    code: 'flux.controller-unavailable',
    severity: 'error',
    title: 'A Flux controller is not running or not ready',
    kinds: ['Deployment', '*'],
    // The Flux-specific code says what the broken Deployment stops; the pod-level reason is part
    // of its summary and evidence, so the generic workload codes would only repeat it.
    overrides: [
      'flux.stale-generation',
      'workload.not-ready',
      'workload.crashloop',
      'workload.image-pull',
      'workload.unschedulable',
      'workload.oom',
    ],
  },
  check(obj, { graph }) {
    if (obj.kind === 'Deployment') return checkDeployment(obj, graph);
    return checkMissing(obj, graph);
  },
};

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Flux objects reconciled by a controller, excluding suspended ones. */
function objectsOf(graph: Graph, controller: string): K8sObject[] {
  return kindsOf(controller)
    .flatMap((k) => graph.byKind(k))
    .filter((o) => !suspendedBy(o));
}

function checkDeployment(d: K8sObject, graph: Graph) {
  if (d.metadata.namespace !== graph.fluxNamespace) return undefined;
  const ctrl = controllerOf(d.metadata.name);
  if (!ctrl) return undefined;
  const want = typeof d.spec?.replicas === 'number' ? d.spec.replicas : 1;
  const available = num(d.status?.availableReplicas);
  const availableCond = condition(d, 'Available');
  const scaledDown = want === 0;
  const down = scaledDown || available === 0 || availableCond?.status === 'False';
  if (!down || (available > 0 && !scaledDown)) return undefined;

  const ns = graph.fluxNamespace;
  const evidence: Evidence[] = [
    {
      kind: 'status',
      object: objId(d),
      text: `spec.replicas: ${want}, status.availableReplicas: ${available}, readyReplicas: ${num(d.status?.readyReplicas)}`,
    },
  ];
  for (const t of ['Available', 'Progressing', 'ReplicaFailure']) {
    const c = condition(d, t);
    if (c && (c.status !== 'True' || t === 'ReplicaFailure')) evidence.push(conditionEvidence(d, c));
  }
  const podReasons: string[] = [];
  const oomContainers = new Set<string>();
  for (const p of graph.podsOf(d)) {
    for (const c of oomKilled(p)) oomContainers.add(c);
    const why = podProblem(p);
    if (!why) continue;
    podReasons.push(`pod ${p.metadata.name}: ${why.short}`);
    evidence.push({ kind: 'status', object: objId(p), text: bound(why.long) });
  }
  for (const e of graph
    .events(d)
    .filter((x) => x.type === 'Warning')
    .slice(0, 2))
    evidence.push({ kind: 'event', object: objId(d), text: bound(`Warning ${e.reason}: ${e.message}`) });

  const waiting = objectsOf(graph, ctrl).filter((o) => staleness(o, graph));
  const kinds = kindsOf(ctrl);
  const state = scaledDown
    ? 'is scaled to 0 replicas'
    : `has 0 of ${want} replica${want === 1 ? '' : 's'} available${podReasons.length ? ` (${podReasons.slice(0, 2).join('; ')})` : ''}`;
  const consequence = kinds.length
    ? `${kinds.join(', ')} objects are not reconciled${waiting.length ? ` (${waiting.length} already show${waiting.length === 1 ? 's' : ''} a stale status)` : ''}`
    : 'the objects it manages are not reconciled';

  const remediation: string[] = [];
  const parents = graph.appliedBy(d);
  const fluxInstances = graph.byKind('FluxInstance');
  if (scaledDown) {
    if (parents.length > 0)
      remediation.push(...changeInGit(graph, d, `scale ${show(d)} back up: set spec.replicas to 1 (or remove it)`));
    else if (fluxInstances.length > 0)
      remediation.push(
        `The Flux Operator manages the controllers: check ${show(fluxInstances[0]!)} (spec.components, spec.kustomize.patches) rather than scaling the Deployment by hand`,
      );
    else
      remediation.push(
        ...changeInGit(graph, d, `scale ${show(d)} back up`, {
          inPlace: `kubectl -n ${shq(ns)} scale deployment ${shq(d.metadata.name)} --replicas=1`,
        }),
      );
  } else {
    if (oomContainers.size > 0) remediation.push(...raiseMemory(d, [...oomContainers], graph));
    remediation.push(
      ...titled(
        'See why the pods do not become ready',
        `kubectl -n ${shq(ns)} describe deployment ${shq(d.metadata.name)}`,
      ),
    );
    remediation.push(
      ...titled(
        'Read the logs of the last crash',
        `kubectl -n ${shq(ns)} logs ${shq(`deploy/${d.metadata.name}`)} --previous`,
      ),
    );
    if (parents.length > 0)
      remediation.push(
        `The Deployment is applied by ${listRefs(parents)}: make the fix in its source (Git), or the next sync reverts it`,
      );
    else if (fluxInstances.length > 0)
      remediation.push(
        `The Flux Operator manages the controllers: check ${show(fluxInstances[0]!)} (spec.components, spec.kustomize.patches) rather than editing the Deployment`,
      );
  }
  remediation.push(
    'Confirm the controller is back:',
    `kubectl -n ${shq(ns)} rollout status deployment ${shq(d.metadata.name)}`,
    'flux check',
  );

  return {
    cause: scaledDown ? 'scaled-down' : oomContainers.size > 0 ? 'oom' : 'unavailable',
    data: {
      controller: ctrl,
      deployment: d.metadata.name,
      namespace: ns,
      ...(oomContainers.size > 0 ? { container: [...oomContainers][0] } : {}),
      ...(oomContainers.size > 0 ? { memoryLimit: memoryLimit(d, [...oomContainers][0]!) ?? '(none)' } : {}),
    },
    summary: `Flux controller ${show(d)} ${state}: ${consequence}`,
    evidence,
    remediation,
    fixTarget: objRef(d),
  };
}

/** Containers of a pod whose current or last termination was OOMKilled. */
function oomKilled(p: K8sObject): string[] {
  return containerStatuses(p)
    .filter((cs) => cs.state?.terminated?.reason === 'OOMKilled' || cs.lastState?.terminated?.reason === 'OOMKilled')
    .map((cs) => cs.name);
}

interface ContainerSpec {
  name?: string;
  resources?: { limits?: { memory?: string | number } };
}

function containersOf(d: K8sObject): ContainerSpec[] {
  const c = d.spec?.template?.spec?.containers;
  return Array.isArray(c) ? c : [];
}

function memoryLimit(d: K8sObject, container: string): string | undefined {
  const v = containersOf(d).find((c) => c.name === container)?.resources?.limits?.memory;
  return v === undefined ? undefined : String(v);
}

const QUANTITY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/;

/** Twice a memory quantity (`512Mi` → `1Gi`), or undefined when it is not a plain quantity. */
export function doubled(q: string | undefined): string | undefined {
  const m = q ? QUANTITY.exec(q) : null;
  if (!m) return undefined;
  const n = Number(m[1]) * 2;
  const unit = m[2] ?? '';
  if (unit === 'Mi' && n >= 1024 && n % 1024 === 0) return `${n / 1024}Gi`;
  return `${n}${unit}`;
}

/**
 * How to give an OOMKilled controller container more memory: a kustomize patch on the Kustomization that
 * applies the Flux controllers (the flux-system Kustomization of a bootstrap), or the FluxInstance's
 * spec.kustomize.patches with the Flux Operator; an in-place `kubectl set resources` only as a stopgap.
 */
function raiseMemory(d: K8sObject, containers: string[], graph: Graph): string[] {
  const ns = graph.fluxNamespace;
  const name = d.metadata.name;
  const out: string[] = [];
  for (const container of containers) {
    const index = Math.max(
      containersOf(d).findIndex((c) => c.name === container),
      0,
    );
    const limit = memoryLimit(d, container);
    const target = doubled(limit) ?? '2Gi';
    // One line of YAML (flow style): a JSON6902 patch of the container's memory limit.
    const patch = `{"target": {"kind": "Deployment", "name": "${name}"}, "patch": "[{\\"op\\": \\"${limit ? 'replace' : 'add'}\\", \\"path\\": \\"/spec/template/spec/containers/${index}/resources/limits/memory\\", \\"value\\": \\"${target}\\"}]"}`;
    out.push(
      `Container ${container} of ${show(d)} was OOMKilled: raise its memory limit (now ${limit ?? 'not set'}) to ${target} or more`,
    );
    const parents = graph.appliedBy(d);
    const instances = graph.byKind('FluxInstance');
    if (instances.length > 0 && parents.length === 0)
      out.push(`With the Flux Operator, add this entry to spec.kustomize.patches of ${show(instances[0]!)}:`, patch);
    else {
      const at = parents[0] ? show(parents[0]) : `Kustomization ${ns}/flux-system`;
      out.push(
        `In Git, add this entry to the patches of the kustomization.yaml next to gotk-components.yaml (applied by ${at}), or to spec.patches of ${at}:`,
        patch,
      );
    }
    out.push(
      ...titled(
        'As a stopgap until that sync (the next one reverts it if the Deployment is applied from Git)',
        `kubectl -n ${shq(ns)} set resources deployment ${shq(name)} -c ${shq(container)} --limits=memory=${shq(target)}`,
      ),
    );
  }
  return out;
}

function podProblem(p: K8sObject): { short: string; long: string } | undefined {
  for (const cs of containerStatuses(p)) {
    const w = cs.state?.waiting;
    if (w?.reason && BAD_WAITING_REASONS.has(w.reason)) {
      const last = cs.lastState?.terminated;
      const lastTxt = last?.reason ? `, last terminated: ${last.reason} (exit ${last.exitCode})` : '';
      return {
        short: `${w.reason}${last?.reason === 'OOMKilled' ? ' after OOMKilled' : ''}`,
        long: `container ${cs.name} waiting: ${w.reason}${w.message ? `: ${w.message}` : ''}${lastTxt}`,
      };
    }
    const t = cs.state?.terminated;
    if (t?.reason && t.exitCode !== 0)
      return { short: t.reason, long: `container ${cs.name} terminated: ${t.reason} (exit ${t.exitCode})` };
  }
  const sched = condition(p, 'PodScheduled');
  if (sched?.status === 'False')
    return {
      short: `unschedulable (${sched.reason ?? 'Unschedulable'})`,
      long: `PodScheduled=False${sched.reason ? ` (${sched.reason})` : ''}: ${sched.message ?? ''}`,
    };
  return undefined;
}

/** Were the Flux namespace's Deployments really read (not just some app Deployments in a file)? */
function deploymentsRead(graph: Graph): boolean {
  if (!graph.kindRead('Deployment')) return false;
  if (graph.snapshot.info.kindsRead?.includes('Deployment')) return true;
  return graph.byKind('Deployment').some((d) => d.metadata.namespace === graph.fluxNamespace);
}

function checkMissing(obj: K8sObject, graph: Graph) {
  const ctrl = kindsOfController(obj.kind);
  if (!ctrl || suspendedBy(obj) || !deploymentsRead(graph)) return undefined;
  if (graph.byKind('Deployment').some((d) => controllerOf(d.metadata.name) === ctrl)) return undefined;
  const unreconciled = (o: K8sObject) => !!staleness(o, graph) || graph.health(o).state === 'Static';
  if (!unreconciled(obj)) return undefined;
  const affected = cached(graph, ctrl, () => objectsOf(graph, ctrl).filter(unreconciled).map(objRef).sort(compareRef));
  const at = affected[0]!;
  const s = staleness(obj, graph);
  // The same summary on every member, so the engine's merge at `at` reads the same whichever comes first.
  const atObj = graph.get(at);
  const sAt = atObj ? staleness(atObj, graph) : undefined;
  const ns = graph.fluxNamespace;
  const install = EXTRA_COMPONENTS.has(ctrl)
    ? `flux install --components-extra=${shq(ctrl)}${namespaceFlag(ns)}`
    : ctrl === 'flux-operator'
      ? `helm install flux-operator oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator -n ${shq(ns)}`
      : `flux install${namespaceFlag(ns)}`;
  const remediation = [
    ...titled(`Install ${ctrl} in ${ns} (with the Flux Operator, add it to the FluxInstance spec.components)`, install),
    'Confirm it runs:',
    `kubectl -n ${shq(ns)} get deployment ${shq(ctrl)}`,
    'flux check',
  ];
  const evidence: Evidence[] = [
    {
      kind: 'missing',
      object: `Deployment/${ns}/${ctrl}`,
      text: `no Deployment named ${ctrl} (or a shard of it) was found, although Deployments were read`,
    },
    ...(s?.evidence ?? []),
  ];
  return {
    summary: `Flux controller ${ctrl} is not installed (no Deployment ${ns}/${ctrl}): ${listRefs(affected)} ${affected.length === 1 ? 'is' : 'are'} not reconciled${sAt ? ` (${show(at)}: ${sAt.why})` : ''}`,
    evidence,
    remediation,
    fixTarget: { kind: 'Deployment', namespace: ns, name: ctrl },
    ...(sameRef(at, objRef(obj)) ? {} : { reportAt: at }),
  };
}

/** Per-graph memo, so the list of affected objects is computed once per controller, not per object. */
const memo = new WeakMap<Graph, Map<string, ObjRef[]>>();
function cached(graph: Graph, key: string, make: () => ObjRef[]): ObjRef[] {
  let m = memo.get(graph);
  if (!m) {
    m = new Map();
    memo.set(graph, m);
  }
  let v = m.get(key);
  if (!v) {
    v = make();
    m.set(key, v);
  }
  return v;
}

function kindsOfController(kind: string): string | undefined {
  return FLUX_CONTROLLERS.find((c) => kindsOf(c).includes(kind));
}
