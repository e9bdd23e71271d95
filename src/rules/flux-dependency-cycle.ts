// flux.dependency-cycle: dependsOn entries form a cycle, so every member waits for another forever.
// Found on the graph; reported once per cycle, at its smallest member (kind/namespace/name), with
// the other members listed as affected.

import { changeInGit } from '../render/advice.js';
import { compareRef } from '../signals/index.js';
import type { ObjRef } from '../types.js';
import { objRef, refKey, sameRef } from '../types.js';
import type { RawFinding, Rule, RuleContext } from './types.js';
import { bound, evidenceOf, matchSignals, objId, reconcileCmd, show } from './util.js';

type Graph = RuleContext['graph'];

/**
 * kustomize-controller sorts Kustomizations with fluxcd/pkg runtime/dependency.Sort when a watched
 * ConfigMap/Secret changes, and logs "failed to sort dependencies for config dependency change"
 * with the error "circular dependency detected: ns/a -> ns/b -> ns/a".
 */
export const CYCLE_LOG = /circular dependency detected: ((?:[^\s/]+\/[^\s/]+)(?: -> [^\s/]+\/[^\s/]+)+)/;

/** dependsOn targets that exist in the graph. */
function deps(graph: Graph, r: ObjRef): ObjRef[] {
  return graph
    .out(r, 'dependsOn')
    .map((e) => e.to)
    .filter((t) => graph.has(t));
}

/** The shortest dependsOn path from `from` back to `from` (the cycle through it), or undefined. */
export function cycleThrough(graph: Graph, from: ObjRef): ObjRef[] | undefined {
  const start = refKey(from);
  const prev = new Map<string, ObjRef | null>([[start, null]]);
  const refs = new Map<string, ObjRef>([[start, from]]);
  const queue: ObjRef[] = [from];
  while (queue.length > 0) {
    const cur = queue.shift()!;
    for (const next of deps(graph, cur)) {
      const k = refKey(next);
      if (k === start) {
        const path: ObjRef[] = [];
        let at: ObjRef | null = cur;
        while (at) {
          path.unshift(at);
          at = prev.get(refKey(at)) ?? null;
        }
        return path;
      }
      if (prev.has(k)) continue;
      prev.set(k, cur);
      refs.set(k, next);
      queue.push(next);
    }
  }
  return undefined;
}

/** Strongly connected dependsOn components of a graph, computed once (Tarjan's algorithm, iterative). */
const components = new WeakMap<Graph, Map<string, ObjRef[]>>();

function componentsOf(graph: Graph): Map<string, ObjRef[]> {
  const cached = components.get(graph);
  if (cached) return cached;
  const out = new Map<string, ObjRef[]>();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: ObjRef[] = [];
  let counter = 0;
  for (const kind of ['Kustomization', 'HelmRelease']) {
    for (const o of graph.byKind(kind)) {
      const start = objRef(o);
      if (index.has(refKey(start))) continue;
      // Each frame: the object, its dependencies and the next one to visit.
      const frames: { ref: ObjRef; key: string; deps: ObjRef[]; next: number }[] = [];
      const open = (ref: ObjRef) => {
        const key = refKey(ref);
        index.set(key, counter);
        low.set(key, counter);
        counter++;
        stack.push(ref);
        onStack.add(key);
        frames.push({ ref, key, deps: deps(graph, ref), next: 0 });
      };
      open(start);
      while (frames.length > 0) {
        const fr = frames[frames.length - 1]!;
        if (fr.next < fr.deps.length) {
          const d = fr.deps[fr.next++]!;
          const dk = refKey(d);
          if (!index.has(dk)) open(d);
          else if (onStack.has(dk)) low.set(fr.key, Math.min(low.get(fr.key)!, index.get(dk)!));
          continue;
        }
        frames.pop();
        const parent = frames[frames.length - 1];
        if (parent) low.set(parent.key, Math.min(low.get(parent.key)!, low.get(fr.key)!));
        if (low.get(fr.key) === index.get(fr.key)) {
          const comp: ObjRef[] = [];
          let x: ObjRef;
          do {
            x = stack.pop()!;
            onStack.delete(refKey(x));
            comp.push(x);
          } while (refKey(x) !== fr.key);
          if (comp.length > 1) for (const m of comp) out.set(refKey(m), comp);
        }
      }
    }
  }
  components.set(graph, out);
  return out;
}

/** Every object in the same strongly connected dependsOn component as `r` (including r). */
function componentOf(graph: Graph, r: ObjRef): ObjRef[] {
  return [...(componentsOf(graph).get(refKey(r)) ?? [r])];
}

const cyclePath = (path: ObjRef[]) => [...path, path[0]!].map(show).join(' → ');

export const rule: Rule = {
  meta: {
    code: 'flux.dependency-cycle',
    severity: 'error',
    title: 'dependsOn entries form a cycle',
    kinds: ['Kustomization', 'HelmRelease'],
    overrides: ['kustomize.dependency-not-ready'],
  },
  check(obj, { graph }) {
    const me = objRef(obj);
    // Cheap exit: a cycle member has both an existing dependency and an existing dependent.
    if (deps(graph, me).length === 0 || !graph.in(me, 'dependsOn').some((e) => graph.has(e.from))) return undefined;
    const comp = componentOf(graph, me);
    const selfLoop = deps(graph, me).some((d) => sameRef(d, me));
    if (comp.length < 2 && !selfLoop) return undefined;
    const members = comp.sort(compareRef);
    const smallest = members[0]!;
    const path = cycleThrough(graph, smallest) ?? [smallest];
    const first = path[0]!;
    const closing = path.length > 1 ? path[1]! : first;
    const lastEdge = graph.out(first, 'dependsOn').find((e) => sameRef(e.to, closing));

    const evidence = [
      {
        kind: 'field' as const,
        object: objId(obj),
        text: bound(
          `spec.dependsOn: ${deps(graph, me)
            .map((d) => `${d.namespace}/${d.name}`)
            .join(', ')}`,
        ),
      },
      ...evidenceOf(matchSignals(obj, graph, { reasons: ['DependencyNotReady'], from: ['Ready'] }), 1),
      ...cycleLogs(graph, members),
    ];
    const others = members.filter((m) => !sameRef(m, smallest));
    const finding: RawFinding = {
      summary: `dependsOn forms a cycle: ${cyclePath(path)}${members.length > path.length ? ` (${members.length} objects are caught in it)` : ''}; none of them can become ready`,
      evidence,
      remediation: [
        ...changeInGit(
          graph,
          first,
          `remove one dependsOn entry of the loop, e.g. ${lastEdge?.field ?? 'spec.dependsOn'} (${show(closing)}) from ${show(first)}, or move what both need into a separate object they both depend on`,
        ),
        'Then reconcile them:',
        ...[first, ...others.slice(0, 2)].map((r) => reconcileCmd(r)),
      ],
      fixTarget: first,
    };
    if (!sameRef(me, smallest)) finding.reportAt = smallest;
    return finding;
  },
};

function cycleLogs(graph: Graph, members: ObjRef[]) {
  const names = new Set(members.map((m) => `${m.namespace}/${m.name}`));
  const out = [];
  for (const l of graph.snapshot.logs) {
    const text = l.error ? `${l.msg}: ${l.error}` : l.msg;
    const m = CYCLE_LOG.exec(text);
    if (!m) continue;
    if (!m[1]!.split(' -> ').some((n) => names.has(n))) continue;
    out.push({
      kind: 'log' as const,
      object: `Deployment/${graph.fluxNamespace}/kustomize-controller`,
      text: bound(text),
    });
    if (out.length >= 1) break;
  }
  return out;
}
