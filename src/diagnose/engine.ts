// The engine: run every rule, then walk symptoms down the graph to their root causes, so that each
// root cause is reported once, at the bottom of the chain, with every object it breaks.

import type { Edge, Graph, GraphEdgeType } from '../graph/graph.js';
import type { Health } from '../kinds/status.js';
import { condition } from '../kinds/status.js';
import { isFluxKind, kindInfo } from '../kinds/table.js';
import { clean, cleanLine } from '../render/sanitize.js';
import { ALL_RULES } from '../rules/index.js';
import { render } from '../rules/messages.js';
import type { Explainer, RawFinding, RenderedFinding, Rule } from '../rules/types.js';
import { bound, conditionText, objId } from '../rules/util.js';
import type { Evidence, Finding, K8sObject, ObjRef, ReadProblem, Severity } from '../types.js';
import { objRef, refKey, sameRef } from '../types.js';

/** A finding plus what the text renderer needs to draw the chain (not part of the JSON contract). */
export interface Diagnosis extends Finding {
  /** For each affected object, the hops from it down to the root cause. */
  chains: Hop[][];
  title: string;
}

export interface Hop {
  ref: ObjRef;
  /** How this hop reaches the next one (`dependsOn`, `source`, `applies`, …); absent on the last hop. */
  via?: string;
  state: Health['state'];
}

export interface ObjectCounts {
  total: number;
  ready: number;
  failing: number;
  suspended: number;
  /** Waiting for a dependency (Ready=False, DependencyNotReady). */
  waiting: number;
  /** Reconciling, or not yet observed by the controller. */
  progressing: number;
  /** A Flux object with no status at all. */
  unknown: number;
}

/** What a filtered report was narrowed to, and how many objects that selection matched. */
export interface Selection {
  namespace?: string;
  /** Canonical kind names (`Kustomization`, `HelmRelease`). */
  kinds?: string[];
  severity?: Severity;
  /** The label selector (`-l`) as given: only objects whose labels match it. */
  labelSelector?: string;
  /** Objects in the selection (Flux objects, or objects of the selected kinds, in the namespace). */
  matched: number;
  /** Findings about the selected objects that --severity left out. */
  belowSeverity?: number;
}

export interface Report {
  findings: Diagnosis[];
  objects: ObjectCounts;
  /** Set by filterReport: what was selected; `objects` then counts only the selection. */
  selection?: Selection;
  /** True when part of the input could not be read; `problems` says what. */
  partial: boolean;
  problems: ReadProblem[];
  unknownKinds: Record<string, number>;
}

interface Internal {
  id: number;
  rule: Rule;
  code: string;
  severity: Severity;
  object: ObjRef;
  reportAt?: ObjRef;
  explainedBy: Explainer[];
  raw: RenderedFinding;
}

const isAdvice = (f: Internal) => f.rule.meta.type === 'advice';
const isFallback = (f: Internal) => f.rule.meta.fallback === true;

const EXPLAINER_EDGES: Record<Explainer, GraphEdgeType[]> = {
  source: ['source', 'include'],
  chart: ['chart'],
  dependsOn: ['dependsOn'],
  applied: ['inventory', 'managed', 'healthCheck'],
  controller: ['controller'],
  imageRepository: ['imageRepository'],
  provider: ['provider'],
};
const ALL_EXPLAINERS = Object.keys(EXPLAINER_EDGES) as Explainer[];

const EDGE_LABEL: Partial<Record<GraphEdgeType, string>> = {
  inventory: 'applies',
  healthCheck: 'health-checks',
  managed: 'applies',
  include: 'includes',
  chart: 'chart',
  source: 'source',
  dependsOn: 'dependsOn',
  controller: 'reconciled by',
  imageRepository: 'imageRepositoryRef',
  provider: 'providerRef',
};

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export interface DiagnoseOptions {
  rules?: Rule[];
}

export function diagnose(graph: Graph, opts: DiagnoseOptions = {}): Report {
  const rules = opts.rules ?? ALL_RULES;
  const ruleFailures: ReadProblem[] = [];
  const internals = runRules(graph, rules, ruleFailures);
  const byObject = new Map<string, Internal[]>();
  for (const f of internals) {
    const k = refKey(f.object);
    const l = byObject.get(k) ?? [];
    l.push(f);
    byObject.set(k, l);
  }

  // Advice never explains anything; only real problems take part in the root-cause walk.
  const problemsAt = (ref: ObjRef): Internal[] => (byObject.get(refKey(ref)) ?? []).filter((f) => !isAdvice(f));

  // Is the object at the end of an edge in a state that can explain a failure upstream?
  const blocks = (ref: ObjRef): boolean => {
    const o = graph.get(ref);
    if (!o) return false;
    const h = graph.health(o);
    // A suspended object explains whoever waits on it (a dependsOn, a health check) unless its status
    // shows the latest spec Ready: a Ready=True written for an older generation is not what a waiting
    // parent (kstatus, the dependency check) accepts, and the controller will not write a newer one.
    if (h.state === 'Suspended') return condition(o, 'Ready')?.status !== 'True' || h.stale;
    if (h.state === 'Ready' || h.state === 'Static') return problemsAt(ref).some((f) => f.severity === 'error');
    return true;
  };

  const candidates = (ref: ObjRef, via: Explainer[]): Edge[] => {
    const types = via.flatMap((v) => EXPLAINER_EDGES[v]);
    return graph.out(ref, types).filter((e) => !sameRef(e.to, ref) && blocks(e.to));
  };

  // Resolve an object to the root-cause findings below it. Memoised; cycles resolve to nothing.
  // The walk keeps its own stack (a 10,000-hop dependsOn chain would overflow the call stack):
  // `rootsOf(ref)` and `resolveFinding(f)` behave as the mutually recursive functions
  //   rootsOf(ref)        = own findings ? ∪ resolveFinding(own) : ∪ rootsOf(candidate targets)
  //   resolveFinding(f)   = ∪ rootsOf(candidates along f.explainedBy), or {f} when that is empty
  // with `rootsOf` returning nothing for an object already being resolved (a cycle).
  const memo = new Map<string, Set<Internal>>();
  const inProgress = new Set<string>();
  const findingMemo = new Map<number, Set<Internal>>();

  interface Frame {
    /** The object (rootsOf) or the finding (resolveFinding) being resolved. */
    key: string;
    finding?: Internal;
    calls: (() => Set<Internal> | Frame)[];
    next: number;
    out: Set<Internal>;
  }
  const enterNode = (ref: ObjRef): Set<Internal> | Frame => {
    const k = refKey(ref);
    const cached = memo.get(k);
    if (cached) return cached;
    if (inProgress.has(k)) return new Set();
    inProgress.add(k);
    const own = problemsAt(ref);
    const calls =
      own.length > 0
        ? own.map((f) => () => enterFinding(f))
        : candidates(ref, ALL_EXPLAINERS).map((e) => () => enterNode(e.to));
    return { key: k, calls, next: 0, out: new Set() };
  };
  const enterFinding = (f: Internal): Set<Internal> | Frame => {
    const cached = findingMemo.get(f.id);
    if (cached) return cached;
    const calls = f.explainedBy.length > 0 ? candidates(f.object, f.explainedBy).map((e) => () => enterNode(e.to)) : [];
    return { key: '', finding: f, calls, next: 0, out: new Set() };
  };
  const finish = (fr: Frame): Set<Internal> => {
    if (fr.finding) {
      const res = fr.out.size > 0 ? fr.out : new Set([fr.finding]);
      findingMemo.set(fr.finding.id, res);
      return res;
    }
    inProgress.delete(fr.key);
    memo.set(fr.key, fr.out);
    return fr.out;
  };
  const run = (start: Set<Internal> | Frame): Set<Internal> => {
    if (start instanceof Set) return start;
    const stack: Frame[] = [start];
    let result: Set<Internal> = new Set();
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.calls.length) {
        const r = top.calls[top.next++]!();
        if (r instanceof Set) for (const x of r) top.out.add(x);
        else stack.push(r);
        continue;
      }
      stack.pop();
      result = finish(top);
      const parent = stack[stack.length - 1];
      if (parent) for (const x of result) parent.out.add(x);
    }
    return result;
  };
  const rootsOf = (ref: ObjRef): Set<Internal> => run(enterNode(ref));
  const resolveFinding = (f: Internal): Set<Internal> => run(enterFinding(f));

  // Root findings and the objects each one breaks.
  const affectedBy = new Map<Internal, Map<string, ObjRef>>();
  const addAffected = (root: Internal, ref: ObjRef) => {
    const m = affectedBy.get(root) ?? new Map<string, ObjRef>();
    m.set(refKey(ref), ref);
    affectedBy.set(root, m);
  };
  for (const f of internals) {
    for (const r of resolveFinding(f)) {
      if (!affectedBy.has(r)) affectedBy.set(r, new Map());
      if (r !== f) addAffected(r, f.object);
    }
  }
  // Objects that are not ready without a finding of their own (a HelmChart whose repository fails,
  // a Kustomization still health-checking a broken Deployment) are affected too.
  for (const o of graph.all()) {
    const ref = objRef(o);
    if (problemsAt(ref).length > 0 || !blocks(ref)) continue;
    for (const r of rootsOf(ref)) addAffected(r, ref);
  }

  // Build the contract findings, merging roots that share code and reported object.
  const merged = new Map<string, { f: Diagnosis; internals: Internal[] }>();
  for (const [root, affected] of affectedBy) {
    const at = root.reportAt ?? root.object;
    const key = `${root.code}|${refKey(at)}`;
    let entry = merged.get(key);
    if (!entry) {
      entry = {
        f: {
          code: root.code,
          severity: root.severity,
          rootCause: at,
          affected: [],
          fixTarget: root.raw.fixTarget,
          summary: root.raw.summary,
          evidence: [],
          remediation: [],
          chains: [],
          title: root.rule.meta.title,
        },
        internals: [],
      };
      merged.set(key, entry);
    }
    entry.internals.push(root);
    if (SEVERITY_RANK[root.severity] < SEVERITY_RANK[entry.f.severity]) entry.f.severity = root.severity;
    pushUnique(entry.f.evidence, root.raw.evidence, (e) => `${e.kind}|${e.object}|${e.text}`);
    pushUnique(entry.f.remediation, root.raw.remediation, (s) => s);
    const aff = new Map(entry.f.affected.map((a) => [refKey(a), a]));
    if (root.reportAt && !sameRef(root.reportAt, root.object)) aff.set(refKey(root.object), root.object);
    for (const [k, a] of affected) aff.set(k, a);
    aff.delete(refKey(at));
    entry.f.affected = [...aff.values()];
  }

  const findings: Diagnosis[] = [];
  const adviceCodes = new Set<string>();
  for (const { f, internals: roots } of merged.values()) {
    if (roots.every(isAdvice)) adviceCodes.add(f.code);
    f.affected.sort(compareRefs(graph));
    // Severity escalation: a warning that breaks other objects (a suspended dependency, a stale source
    // others wait on) is an error.
    if (f.affected.length > 0 && f.severity === 'warning' && roots.every((r) => !isAdvice(r))) f.severity = 'error';
    // Evidence from the affected objects: what the user sees on each of them.
    const extra: Evidence[] = [];
    for (const a of f.affected) {
      const o = graph.get(a);
      const ready = o ? condition(o, 'Ready') : undefined;
      if (ready && ready.status !== 'True' && ready.message) {
        const id = objId(a);
        // Skip what a rule already quoted about this object.
        const msg = ready.message.slice(0, 200);
        if (!f.evidence.some((e) => e.object === id && e.text.includes(msg))) {
          extra.push({ kind: 'condition', object: id, text: bound(conditionText(ready), 500) });
        }
      }
      if (extra.length >= 6) break;
    }
    pushUnique(f.evidence, extra, (e) => `${e.kind}|${e.object}|${e.text}`);
    f.chains = chainsOf(graph, f.affected, roots, candidates);
    findings.push(sanitize(f));
  }

  findings.sort((a, b) => {
    const s = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
    if (s !== 0) return s;
    const adv = Number(adviceCodes.has(a.code)) - Number(adviceCodes.has(b.code));
    if (adv !== 0) return adv;
    if (b.affected.length !== a.affected.length) return b.affected.length - a.affected.length;
    return compareRefs(graph)(a.rootCause, b.rootCause) || a.code.localeCompare(b.code);
  });

  // A rule that threw is reported with the read problems; the graph (the caller's input) is not touched.
  const problems = [...graph.snapshot.problems, ...ruleFailures];
  return {
    findings,
    objects: countObjects(graph),
    partial: problems.some((p) => p.partial),
    problems,
    unknownKinds: graph.snapshot.unknownKinds,
  };
}

/** One rule's finding after the engine's dispatch (overrides, fallbacks, templates), before the root-cause walk. */
export interface RuleFinding extends RenderedFinding {
  code: string;
  severity: Severity;
  object: ObjRef;
  /** Where it is reported (the finding's own reportAt, or the kind table's). */
  reportAt?: ObjRef;
}

/**
 * Run the rules over every object as `diagnose` does (same dispatch, overrides and fallbacks), and
 * return their findings before the root-cause walk, with the rules that failed. The RuleTester uses it.
 */
export function evaluate(
  graph: Graph,
  rules: Rule[] = ALL_RULES,
): { findings: RuleFinding[]; problems: ReadProblem[] } {
  const problems: ReadProblem[] = [];
  const findings = runRules(graph, rules, problems).map((f) => ({
    ...f.raw,
    code: f.code,
    severity: f.severity,
    object: f.object,
    reportAt: f.reportAt,
  }));
  return { findings, problems };
}

function runRules(graph: Graph, rules: Rule[], failures: ReadProblem[]): Internal[] {
  const byKind = new Map<string, Rule[]>();
  const star: Rule[] = [];
  for (const r of rules) {
    for (const k of r.meta.kinds) {
      if (k === '*') star.push(r);
      else byKind.set(k, [...(byKind.get(k) ?? []), r]);
    }
  }
  const out: Internal[] = [];
  let id = 0;
  for (const o of graph.all()) {
    const applicable = [...(byKind.get(o.kind) ?? []), ...(isFluxKind(o.kind) ? star : [])];
    if (applicable.length === 0) continue;
    const here: Internal[] = [];
    for (const rule of applicable) {
      let res: RawFinding[] | RawFinding | undefined;
      try {
        res = rule.check(o, { graph });
      } catch (e) {
        // A rule must never take the run down; say so as a finding-free problem.
        failures.push({
          source: `rule ${rule.meta.code}`,
          message: `failed on ${objId(o)}: ${(e as Error).message}`,
          partial: false,
        });
        continue;
      }
      for (const given of res === undefined ? [] : Array.isArray(res) ? res : [res]) {
        let raw: RenderedFinding;
        try {
          raw = render(rule.meta, given);
        } catch (e) {
          failures.push({
            source: `rule ${rule.meta.code}`,
            message: `failed on ${objId(o)}: ${(e as Error).message}`,
            partial: false,
          });
          continue;
        }
        here.push({
          id: id++,
          rule,
          code: raw.code ?? rule.meta.code,
          severity: raw.severity ?? rule.meta.severity,
          object: raw.object ?? objRef(o),
          reportAt: raw.reportAt ?? defaultReportAt(graph, raw.object ?? objRef(o)),
          explainedBy: raw.explainedBy ?? rule.meta.explainedBy ?? [],
          raw,
        });
      }
    }
    // Overrides: a more specific code on the same object supersedes a general one.
    const present = new Set(here.map((f) => f.code));
    const overridden = new Set(here.flatMap((f) => f.rule.meta.overrides ?? []).filter((c) => present.has(c)));
    let kept = here.filter((f) => !overridden.has(f.code));
    // Fallback findings only stand when no other problem was found: advice on the same object is
    // not a diagnosis of its failure, so it never hides one.
    if (kept.some((f) => !isFallback(f) && !isAdvice(f))) kept = kept.filter((f) => !isFallback(f));
    out.push(...kept);
  }
  return out;
}

/** Where the kind table says a finding about this kind is reported (see KindInfo.reportAt). */
function defaultReportAt(graph: Graph, ref: ObjRef): ObjRef | undefined {
  const at = kindInfo(ref.kind)?.reportAt;
  if (!at) return undefined;
  for (const e of graph.in(ref, at.edge)) {
    if (e.from.kind !== at.from) continue;
    const from = graph.get(e.from);
    if (from && at.when(from)) return e.from;
  }
  return undefined;
}

/**
 * Hops kept per chain, those nearest the root cause: the impact tree shows 30 lines, so a hop deeper
 * than this is never drawn, and keeping every hop of a 10,000-hop chain for each of its objects is
 * quadratic. A longer chain therefore does not start at its symptom.
 */
export const MAX_CHAIN_HOPS = 32;

type Candidates = (ref: ObjRef, via: Explainer[]) => Edge[];

/** The shortest symptom → root path of every affected object of one finding, bounded (see MAX_CHAIN_HOPS). */
function chainsOf(graph: Graph, affected: ObjRef[], roots: Internal[], allCandidates: Candidates): Hop[][] {
  // Every chain walks along all explainer edges: look each object's candidates up once.
  const cache = new Map<string, Edge[]>();
  const candidates: Candidates = (ref) => {
    const k = refKey(ref);
    let c = cache.get(k);
    if (!c) {
      c = allCandidates(ref, ALL_EXPLAINERS);
      cache.set(k, c);
    }
    return c;
  };
  const targets = new Set(roots.flatMap((r) => [refKey(r.object), ...(r.reportAt ? [refKey(r.reportAt)] : [])]));
  let far: Map<string, Hop[]> | undefined;
  return affected
    .map((a) => {
      const near = chainNear(graph, a, targets, candidates);
      if (near) return near;
      far ??= tailsToTargets(graph, roots, candidates);
      return far.get(refKey(a)) ?? [{ ref: a, state: graph.health(a).state }];
    })
    .filter((c) => c.length > 1);
}

/** Breadth-first search from one object to the nearest target, at most MAX_CHAIN_HOPS deep. */
function chainNear(graph: Graph, from: ObjRef, targets: Set<string>, candidates: Candidates): Hop[] | undefined {
  const prev = new Map<string, { from: string; via: string }>();
  const refs = new Map<string, ObjRef>([[refKey(from), from]]);
  const startKey = refKey(from);
  prev.set(startKey, { from: '', via: '' });
  let level: ObjRef[] = [from];
  let found: string | undefined;
  for (let depth = 0; depth < MAX_CHAIN_HOPS && level.length > 0 && !found; depth++) {
    const nextLevel: ObjRef[] = [];
    for (const cur of level) {
      const ck = refKey(cur);
      if (ck !== startKey && targets.has(ck)) {
        found = ck;
        break;
      }
      for (const e of candidates(cur, ALL_EXPLAINERS)) {
        const k = refKey(e.to);
        if (prev.has(k)) continue;
        prev.set(k, { from: ck, via: EDGE_LABEL[e.type] ?? e.type });
        refs.set(k, e.to);
        nextLevel.push(e.to);
      }
    }
    level = nextLevel;
  }
  if (!found) {
    // Nothing within reach at all: a one-hop chain (dropped). Something beyond the bound: the caller
    // takes the long way.
    return level.length === 0 ? [{ ref: from, state: graph.health(from).state }] : undefined;
  }
  const hops: Hop[] = [];
  let k: string | undefined = found;
  let via: string | undefined;
  while (k) {
    const ref = refs.get(k)!;
    hops.unshift({ ref, via, state: graph.health(ref).state });
    const p: { from: string; via: string } = prev.get(k)!;
    via = p.via || undefined;
    k = p.from || undefined;
  }
  return hops;
}

/**
 * One breadth-first search backwards from every target: for each object that reaches one, the last
 * MAX_CHAIN_HOPS hops of its shortest path (objects further away share their next hop's array).
 */
function tailsToTargets(graph: Graph, roots: Internal[], candidates: Candidates): Map<string, Hop[]> {
  const types = ALL_EXPLAINERS.flatMap((v) => EXPLAINER_EDGES[v]);
  const tails = new Map<string, Hop[]>();
  const queue: ObjRef[] = [];
  for (const r of roots) {
    for (const t of r.reportAt ? [r.object, r.reportAt] : [r.object]) {
      const k = refKey(t);
      if (tails.has(k)) continue;
      tails.set(k, [{ ref: t, state: graph.health(t).state }]);
      queue.push(t);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const cur = queue[i]!;
    const tail = tails.get(refKey(cur))!;
    for (const e of graph.in(cur, types)) {
      const fk = refKey(e.from);
      if (tails.has(fk)) continue;
      // Only the edges the forward walk takes (`candidates` keeps those whose target blocks).
      if (!candidates(e.from, ALL_EXPLAINERS).includes(e)) continue;
      const hop: Hop = { ref: e.from, via: EDGE_LABEL[e.type] ?? e.type, state: graph.health(e.from).state };
      tails.set(fk, tail.length < MAX_CHAIN_HOPS ? [hop, ...tail] : tail);
      queue.push(e.from);
    }
  }
  return tails;
}

function pushUnique<T>(into: T[], items: T[], key: (t: T) => string): void {
  const seen = new Set(into.map(key));
  for (const i of items) {
    const k = key(i);
    if (!seen.has(k)) {
      seen.add(k);
      into.push(i);
    }
  }
}

const CATEGORY_ORDER = ['source', 'sync', 'image', 'notification', 'operator', 'workload', 'core'];

function compareRefs(_graph: Graph): (a: ObjRef, b: ObjRef) => number {
  return (a, b) => {
    const ca = CATEGORY_ORDER.indexOf(kindInfo(a.kind)?.category ?? 'core');
    const cb = CATEGORY_ORDER.indexOf(kindInfo(b.kind)?.category ?? 'core');
    return (
      ca - cb ||
      a.kind.localeCompare(b.kind) ||
      (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
      a.name.localeCompare(b.name)
    );
  };
}

/**
 * Health counts of the Flux objects (or, with `kinds`, of the objects of those kinds), optionally in
 * one namespace. Every object is counted in exactly one state, so the parts add up to `total`.
 */
export function countObjects(
  graph: Graph,
  sel: { namespace?: string; kinds?: string[]; match?: (o: K8sObject) => boolean } = {},
): ObjectCounts {
  const c: ObjectCounts = { total: 0, ready: 0, failing: 0, suspended: 0, waiting: 0, progressing: 0, unknown: 0 };
  for (const o of graph.all()) {
    if (sel.kinds ? !sel.kinds.includes(o.kind) : !isFluxKind(o.kind)) continue;
    if (sel.namespace !== undefined && o.metadata?.namespace !== sel.namespace) continue;
    if (sel.match && !sel.match(o)) continue;
    c.total++;
    const h = graph.health(o);
    if (h.state === 'Ready' || h.state === 'Static') c.ready++;
    else if (h.state === 'Failed') c.failing++;
    else if (h.state === 'Suspended') c.suspended++;
    else if (h.state === 'Waiting') c.waiting++;
    else if (h.state === 'Progressing') c.progressing++;
    else c.unknown++;
  }
  return c;
}

const cleanRef = (r: ObjRef): ObjRef => {
  const out: ObjRef = { kind: cleanLine(r.kind, 100), name: cleanLine(r.name, 253) };
  if (r.namespace !== undefined) out.namespace = cleanLine(r.namespace, 63);
  return out;
};

/** Everything in a finding may carry cluster text: strip control sequences and bound it. */
function sanitize(f: Diagnosis): Diagnosis {
  return {
    ...f,
    rootCause: cleanRef(f.rootCause),
    affected: f.affected.map(cleanRef),
    ...(f.fixTarget ? { fixTarget: cleanRef(f.fixTarget) } : {}),
    summary: cleanLine(f.summary, 1000),
    evidence: f.evidence.map((e) => ({ kind: e.kind, object: cleanLine(e.object, 400), text: clean(e.text, 2000) })),
    remediation: f.remediation.map((r) => cleanLine(r, 2000)),
    chains: cleanChains(f.chains),
  };
}

/** Long chains share their arrays and hops (see tailsToTargets): clean each once and keep the sharing. */
function cleanChains(chains: Hop[][]): Hop[][] {
  const hops = new Map<Hop, Hop>();
  const arrays = new Map<Hop[], Hop[]>();
  return chains.map((c) => {
    let out = arrays.get(c);
    if (!out) {
      out = c.map((h) => {
        let x = hops.get(h);
        if (!x) {
          x = { ...h, ref: cleanRef(h.ref) };
          hops.set(h, x);
        }
        return x;
      });
      arrays.set(c, out);
    }
    return out;
  });
}
