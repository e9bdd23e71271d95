// Bounds on one decoded document, checked before anything walks it.
//
// js-yaml resolves an alias to the very node its anchor names, so a 487-byte "billion laughs" document
// decodes to a small graph of shared nodes that expands to 10^9 when a walk or a serializer follows
// it. Nesting depth is the other bound: every later walk (ingest, masking, the snapshot writer) may
// recurse. Both are measured here iteratively, on the shared graph (memoized by node), so the cost is
// the size of the decoded graph, not of its expansion.

// biome-ignore lint/suspicious/noExplicitAny: decoded documents are untyped
type Node = any;

export interface BoundOptions {
  /** Nodes may be shared (YAML aliases): measure the expansion, and copy a kept value into a tree. */
  shared: boolean;
  /** The most expanded weight (string characters, key characters, one per node) the document may have. */
  budget: number;
  /** The deepest nesting of objects and arrays allowed (the document itself is level 1). */
  maxDepth: number;
}

export interface Dropped {
  /** Where the dropped part was (`spec.values`, `items[3]`); empty for the whole document. */
  path: string;
  reason: string;
}

export interface Bounded {
  kept: boolean;
  value: Node;
  dropped: Dropped[];
}

/** Dropping descends this many levels into a document that is too big, so `items[3].spec.values` can go alone. */
const PRUNE_LEVELS = 4;

type Measured = { ok: true; weight: number; height: number; shared: boolean } | { ok: false; reason: string };

const isContainer = (v: Node): v is object => v !== null && typeof v === 'object';

function scalarWeight(v: Node): number {
  return typeof v === 'string' ? v.length + 1 : 1;
}

/** Expanded weight and height of `root`, stopping as soon as a bound is passed. */
function measure(root: Node, budget: number, maxDepth: number, shared: boolean, limits: BoundOptions): Measured {
  const limit = limits.maxDepth;
  const tooBig = () => tooBigText(limits.budget);
  if (!isContainer(root)) {
    const w = scalarWeight(root);
    return w > budget ? { ok: false, reason: tooBig() } : { ok: true, weight: w, height: 0, shared: false };
  }
  const memo = shared ? new Map<object, { weight: number; height: number }>() : undefined;
  const open = new Set<object>();
  let total = 0;
  let sharedSeen = false;
  interface Frame {
    node: object;
    keys: string[] | undefined;
    n: number;
    i: number;
    weight: number;
    height: number;
  }
  const frames: Frame[] = [];
  const push = (node: object): string | undefined => {
    if (frames.length >= maxDepth) return `nesting deeper than ${limit} levels`;
    const keys = Array.isArray(node) ? undefined : Object.keys(node);
    let weight = 1;
    if (keys) for (const k of keys) weight += k.length + 1;
    total += weight;
    open.add(node);
    frames.push({ node, keys, n: keys ? keys.length : (node as Node[]).length, i: 0, weight, height: 1 });
    return undefined;
  };
  let err = push(root);
  while (!err && frames.length > 0) {
    if (total > budget) return { ok: false, reason: tooBig() };
    const f = frames[frames.length - 1]!;
    if (f.i < f.n) {
      const c = f.keys ? (f.node as Record<string, Node>)[f.keys[f.i++]!] : (f.node as Node[])[f.i++];
      if (!isContainer(c)) {
        const w = scalarWeight(c);
        f.weight += w;
        total += w;
        continue;
      }
      if (open.has(c)) return { ok: false, reason: 'a YAML alias refers to a node that contains it' };
      const m = memo?.get(c);
      if (m) {
        sharedSeen = true;
        if (frames.length + m.height > maxDepth) return { ok: false, reason: `nesting deeper than ${limit} levels` };
        f.weight += m.weight;
        total += m.weight;
        f.height = Math.max(f.height, m.height + 1);
        continue;
      }
      err = push(c);
      continue;
    }
    frames.pop();
    open.delete(f.node);
    memo?.set(f.node, { weight: f.weight, height: f.height });
    const parent = frames[frames.length - 1];
    if (parent) {
      parent.weight += f.weight;
      parent.height = Math.max(parent.height, f.height + 1);
    } else {
      if (f.weight > budget) return { ok: false, reason: tooBig() };
      return { ok: true, weight: f.weight, height: f.height, shared: sharedSeen };
    }
  }
  return { ok: false, reason: err ?? tooBig() };
}

function tooBigText(budget: number): string {
  return `YAML aliases expand it past ${budget.toLocaleString('en-US')} characters (an alias bomb?)`;
}

/** A plain tree copy of a measured (bounded) value whose nodes may be shared. */
function cloneTree(root: Node): Node {
  if (!isContainer(root)) return root;
  const make = (v: object): Node => (Array.isArray(v) ? new Array(v.length) : {});
  const out = make(root);
  const stack: [object, Node][] = [[root, out]];
  while (stack.length > 0) {
    const [src, dst] = stack.pop()!;
    if (Array.isArray(src)) {
      for (let i = 0; i < src.length; i++) {
        const c = src[i];
        if (isContainer(c)) {
          dst[i] = make(c);
          stack.push([c, dst[i]]);
        } else dst[i] = c;
      }
    } else {
      for (const k of Object.keys(src)) {
        const c = (src as Record<string, Node>)[k];
        let v = c;
        if (isContainer(c)) {
          v = make(c);
          stack.push([c, v]);
        }
        // `__proto__` is a plain key in decoded data: define it, never assign the prototype.
        Object.defineProperty(dst, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
    }
  }
  return out;
}

function childPath(path: string, key: string, array: boolean): string {
  if (array) return `${path}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) && key.length <= 64 ? (path ? `${path}.${key}` : key) : `${path}[…]`;
}

const isPlainObject = (v: Node): v is Record<string, Node> => isContainer(v) && !Array.isArray(v);

/** The arrays of a List (or a fluxdoctor Snapshot) whose entries are dropped one by one. */
const LIST_KEYS = new Set(['items', 'logs', 'lines']);

/**
 * Check one decoded document against its bounds. A document within them is kept as is (copied into a
 * tree when YAML aliases shared nodes). One that is not is pruned: the entries of a List (or of a top
 * level array) and the fields of objects that do not fit are dropped and named (`items[3]`,
 * `spec.values.big`), down to a few levels; what fits is kept.
 */
export function boundDocument(doc: Node, opts: BoundOptions): Bounded {
  const dropped: Dropped[] = [];
  const fit = (
    v: Node,
    budget: number,
    path: string,
    level: number,
    descend: boolean,
  ): { value: Node; weight: number } | undefined => {
    const m = measure(v, budget, opts.maxDepth - level, opts.shared, opts);
    if (m.ok) return { value: m.shared ? cloneTree(v) : v, weight: m.weight };
    if (!descend) {
      dropped.push({ path, reason: m.reason });
      return undefined;
    }
    const array = Array.isArray(v);
    const out: Node = array ? [] : {};
    let weight = 1;
    for (const k of Object.keys(v)) {
      const c = (v as Record<string, Node>)[k];
      const keyWeight = array ? 0 : k.length + 1;
      const deeper =
        level + 1 < PRUNE_LEVELS &&
        (isPlainObject(c) || (Array.isArray(c) && level === 0 && !array && LIST_KEYS.has(k)));
      const r = fit(c, budget - weight - keyWeight, childPath(path, k, array), level + 1, deeper);
      if (!r) continue;
      weight += r.weight + keyWeight;
      if (array) out.push(r.value);
      else Object.defineProperty(out, k, { value: r.value, enumerable: true, writable: true, configurable: true });
    }
    return { value: out, weight };
  };
  const r = fit(doc, opts.budget, '', 0, isContainer(doc));
  return { kept: r !== undefined, value: r?.value, dropped };
}
