// flux.controller-unavailable: a Flux controller Deployment has no available replica (crashing,
// unschedulable, scaled to 0), or — when Deployments were read — does not exist at all while
// objects of its kinds wait to be reconciled.

import { BAD_WAITING_REASONS, condition, containerStatuses, suspendedBy } from '../kinds/status.js';
import { changeInGit } from '../render/advice.js';
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

/** The summary of a controller with no available replica ({pods}: " (pod …: reason; …)"). */
const DOWN =
  'Flux controller {object} has 0 of {want} {replicas} available{?pods}: {reconciles} are not reconciled{?stale}';
/** Given only when the Flux Operator manages the controllers and no Kustomization applies the Deployment. */
const OPERATOR =
  'The Flux Operator manages the controllers: check {instance} (spec.components, spec.kustomize.patches)';
const CONFIRM = [
  'Confirm the controller is back:',
  'kubectl -n {sh:namespace} rollout status deployment {sh:deployment}',
  'flux check',
];
const SEE_WHY = [
  'See why the pods do not become ready:',
  'kubectl -n {sh:namespace} describe deployment {sh:deployment}',
  'Read the logs of the last crash:',
  'kubectl -n {sh:namespace} logs {sh:deploy} --previous',
  'The Deployment is applied by {appliedBy}: make the fix in its source (Git), or the next sync reverts it',
  `${OPERATOR} rather than editing the Deployment`,
];
/**
 * How to give the OOMKilled container more memory: a kustomize patch (one line of YAML, flow style: a
 * JSON6902 patch of the container's memory limit) on the Kustomization that applies the Flux controllers
 * (the flux-system Kustomization of a bootstrap, {at}), or the FluxInstance's spec.kustomize.patches with the
 * Flux Operator ({operator}); an in-place `kubectl set resources` only as a stopgap.
 */
const RAISE_MEMORY = [
  'Container {container} of {object} was OOMKilled: raise its memory limit (now {limitNow}) to {target} or more',
  'With the Flux Operator, add this entry to spec.kustomize.patches of {operator}:',
  'In Git, add this entry to the patches of the kustomization.yaml next to gotk-components.yaml (applied by {at}), or to spec.patches of {at}:',
  '{"target": {"kind": "Deployment", "name": "{deployment}"}, "patch": "[{\\"op\\": \\"{op}\\", \\"path\\": \\"/spec/template/spec/containers/{index}/resources/limits/memory\\", \\"value\\": \\"{target}\\"}]"}',
  'As a stopgap until that sync (the next one reverts it if the Deployment is applied from Git):',
  'kubectl -n {sh:namespace} set resources deployment {sh:deployment} -c {sh:container} --limits=memory={sh:target}',
];

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
    messages: {
      'scaled-down': {
        summary: 'Flux controller {object} is scaled to 0 replicas: {reconciles} are not reconciled{?stale}',
        remediation: ['{change}', '{changeCmd}', `${OPERATOR} rather than scaling the Deployment by hand`, ...CONFIRM],
      },
      oom: { summary: DOWN, remediation: [...RAISE_MEMORY, ...SEE_WHY, ...CONFIRM] },
      unavailable: { summary: DOWN, remediation: [...SEE_WHY, ...CONFIRM] },
      'not-installed': {
        // {detail}: the first affected object and why it counts as not reconciled
        summary:
          'Flux controller {controller} is not installed (no Deployment {namespace}/{controller}): {affected} {are} not reconciled{?detail}',
        remediation: [
          'Install {controller} in {namespace} (with the Flux Operator, add it to the FluxInstance spec.components):',
          // flux install, flux install --components-extra or the flux-operator Helm chart, built in checkMissing
          '{install}',
          'Confirm it runs:',
          'kubectl -n {sh:namespace} get deployment {sh:controller}',
          'flux check',
        ],
      },
    },
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
  const parents = graph.appliedBy(d);
  const instance = parents.length === 0 ? graph.byKind('FluxInstance')[0] : undefined;
  // Scaled to 0: in Git, or in place for a Deployment nothing applies (not with the Flux Operator).
  const change =
    scaledDown && !instance
      ? parents.length > 0
        ? changeInGit(graph, d, `scale ${show(d)} back up: set spec.replicas to 1 (or remove it)`)
        : changeInGit(graph, d, `scale ${show(d)} back up`, {
            inPlace: `kubectl -n ${shq(ns)} scale deployment ${shq(d.metadata.name)} --replicas=1`,
          })
      : [];
  // Flux controllers run one container (manager): the memory steps are for the first OOMKilled one.
  const container = [...oomContainers][0];
  const limit = container ? memoryLimit(d, container) : undefined;
  const target = container ? (doubled(limit) ?? '2Gi') : undefined;

  return {
    cause: scaledDown ? 'scaled-down' : container ? 'oom' : 'unavailable',
    data: {
      object: show(d),
      controller: ctrl,
      deployment: d.metadata.name,
      namespace: ns,
      want,
      replicas: want === 1 ? 'replica' : 'replicas',
      pods: podReasons.length ? ` (${podReasons.slice(0, 2).join('; ')})` : undefined,
      reconciles: kinds.length ? `${kinds.join(', ')} objects` : 'the objects it manages',
      stale:
        kinds.length && waiting.length
          ? ` (${waiting.length} already show${waiting.length === 1 ? 's' : ''} a stale status)`
          : undefined,
      change: change[0],
      changeCmd: change[1],
      instance: instance ? show(instance) : undefined,
      appliedBy: parents.length > 0 ? listRefs(parents) : undefined,
      deploy: `deploy/${d.metadata.name}`,
      container,
      memoryLimit: container ? (limit ?? '(none)') : undefined,
      limitNow: container ? (limit ?? 'not set') : undefined,
      target,
      op: container ? (limit ? 'replace' : 'add') : undefined,
      index: container
        ? Math.max(
            containersOf(d).findIndex((c) => c.name === container),
            0,
          )
        : undefined,
      operator: container && instance ? show(instance) : undefined,
      at: container && !instance ? (parents[0] ? show(parents[0]) : `Kustomization ${ns}/flux-system`) : undefined,
    },
    evidence,
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
  const evidence: Evidence[] = [
    {
      kind: 'missing',
      object: `Deployment/${ns}/${ctrl}`,
      text: `no Deployment named ${ctrl} (or a shard of it) was found, although Deployments were read`,
    },
    ...(s?.evidence ?? []),
  ];
  return {
    cause: 'not-installed',
    data: {
      controller: ctrl,
      namespace: ns,
      affected: listRefs(affected),
      are: affected.length === 1 ? 'is' : 'are',
      detail: sAt ? ` (${show(at)}: ${sAt.why})` : undefined,
      install,
    },
    evidence,
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
