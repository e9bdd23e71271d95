// Classify an object's current failure with the message catalogue (patterns/): read each object only
// with the patterns of the components that write its messages (its controller, and the libraries and
// Kubernetes parts whose errors that controller wraps), let the innermost match win (Go errors wrap
// outside-in: the cause is the last thing in the text), and fall back on the condition or event reason
// when no text pattern matches. Memoised per graph: every rule asks the same question of the same object.

import type { Graph } from '../graph/graph.js';
import { kindInfo } from '../kinds/table.js';
import type { K8sObject } from '../types.js';
import { objRef, refKey } from '../types.js';
import { current, type Signal } from './current.js';
import { ALL_PATTERNS, ALL_REASONS } from './patterns/index.js';
import type { Emitter, MessagePattern, ReasonSignal } from './patterns/types.js';

/** Which components' messages appear in the status, events and logs of an object reconciled by each controller. */
const CONTROLLER_EMITTERS: Record<string, Emitter[]> = {
  'source-controller': ['source-controller', 'go-git', 'helm-sdk', 'kubernetes'],
  'kustomize-controller': ['kustomize-controller', 'ssa', 'kubernetes'],
  // helm-controller repeats the HelmChart's source-controller message: "HelmChart '<ns>/<name>' is not ready: <message>".
  'helm-controller': ['helm-controller', 'helm-sdk', 'source-controller', 'ssa', 'kubernetes'],
  'notification-controller': ['notification-controller', 'kubernetes'],
  'image-reflector-controller': ['image-reflector-controller', 'kubernetes'],
  'image-automation-controller': ['image-automation-controller', 'go-git', 'kubernetes'],
};

/** The emitters whose messages an object of this kind can carry (Kubernetes' own for non-Flux kinds). */
export function emittersOf(kind: string): Emitter[] {
  const controller = kindInfo(kind)?.controller;
  return (controller && CONTROLLER_EMITTERS[controller]) || ['kubernetes'];
}

const patternCache = new Map<string, { patterns: MessagePattern[]; reasons: ReasonSignal[] }>();
/** The patterns and reasons that read objects of this kind (its emitters', in catalogue order). */
export function catalogueFor(kind: string): { patterns: MessagePattern[]; reasons: ReasonSignal[] } {
  let c = patternCache.get(kind);
  if (!c) {
    const em = new Set<Emitter>(emittersOf(kind));
    c = {
      patterns: ALL_PATTERNS.filter((p) => em.has(p.emitter) && (!p.kinds || p.kinds.includes(kind))),
      reasons: ALL_REASONS.filter((r) => em.has(r.emitter) && (!r.kinds || r.kinds.includes(kind))),
    };
    patternCache.set(kind, c);
  }
  return c;
}

/** The catalogue patterns an object of this kind is read with (its emitters', those for its kind). */
export function patternsOf(kind: string): readonly MessagePattern[] {
  return catalogueFor(kind).patterns;
}

export interface TextMatch {
  pattern: MessagePattern;
  /** Named groups that took part in the match. */
  data: Record<string, string>;
  /** Where the match starts in the text. */
  index: number;
}

/**
 * The innermost pattern that matches `text`: the match that starts last (ties go to the earlier pattern
 * in the catalogue, so more specific patterns come first in their file).
 */
export function classifyText(text: string, patterns: readonly MessagePattern[]): TextMatch | undefined {
  let best: { pattern: MessagePattern; m: RegExpExecArray } | undefined;
  for (const pattern of patterns) {
    const m = pattern.re.exec(text);
    if (m && (!best || m.index > best.m.index)) best = { pattern, m };
  }
  if (!best) return undefined;
  const groups = best.m.groups ?? {};
  const data = Object.fromEntries(
    Object.entries(groups).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  return { pattern: best.pattern, data, index: best.m.index };
}

/** What an object's current failure is, by the catalogue. */
export interface Classified {
  /** The diagnosis code the matched message is evidence for (`none`: a symptom, never a root cause). */
  code: string;
  /** The cause within the code. */
  cause: string;
  /** Values the pattern captured (named groups). */
  data: Record<string, string>;
  /** The text pattern that matched, or the reason signal when only the reason told. */
  pattern?: MessagePattern;
  reason?: ReasonSignal;
  /** The deciding signal that matched. */
  signal: Signal;
  /** Every signal of the object that tells the same code (the deciding one first), for evidence. */
  signals: Signal[];
}

const memo = new WeakMap<Graph, Map<string, Classified | null>>();

function codeOfSignal(s: Signal, cat: { patterns: MessagePattern[]; reasons: ReasonSignal[] }): string | undefined {
  const t = classifyText(s.text, cat.patterns);
  if (t) return t.pattern.code;
  return s.reason ? cat.reasons.find((r) => r.reason === s.reason)?.code : undefined;
}

/**
 * Classify the object's current failure (see current.ts for which signals decide): the first deciding
 * signal that a text pattern matches, else the first whose reason the catalogue knows.
 */
export function classify(o: K8sObject, graph: Graph): Classified | undefined {
  let m = memo.get(graph);
  if (!m) {
    m = new Map();
    memo.set(graph, m);
  }
  const key = refKey(objRef(o));
  const cached = m.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const res = compute(o, graph);
  m.set(key, res ?? null);
  return res;
}

function compute(o: K8sObject, graph: Graph): Classified | undefined {
  const cat = catalogueFor(o.kind);
  const { deciding, all } = current(o, graph);
  let found: Omit<Classified, 'signals'> | undefined;
  for (const s of deciding) {
    const t = classifyText(s.text, cat.patterns);
    if (t) {
      found = { code: t.pattern.code, cause: t.pattern.cause, data: t.data, pattern: t.pattern, signal: s };
      break;
    }
  }
  if (!found) {
    for (const s of deciding) {
      const r = s.reason ? cat.reasons.find((x) => x.reason === s.reason) : undefined;
      if (r) {
        found = { code: r.code, cause: r.cause, data: {}, reason: r, signal: s };
        break;
      }
    }
  }
  if (!found) return undefined;
  const signals = [found.signal, ...all.filter((s) => s !== found.signal && codeOfSignal(s, cat) === found.code)];
  return { ...found, signals };
}

/** The classification when it tells one of `codes`, else undefined. */
export function signalFor(o: K8sObject, graph: Graph, codes: string | readonly string[]): Classified | undefined {
  const c = classify(o, graph);
  if (!c) return undefined;
  return (typeof codes === 'string' ? c.code === codes : codes.includes(c.code)) ? c : undefined;
}
