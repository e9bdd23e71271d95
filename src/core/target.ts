// The one parser of what a user or an agent names as an object: every CLI command and every MCP
// tool, read and write alike, goes through parseTarget. A target that is not exactly one valid
// object reference is refused here, before anything reads or writes the cluster.
//
// Accepted forms (kind as kubectl or flux spell it, any case: ks, hr, gitrepo, Kustomization,
// helmreleases, helmreleases.helm.toolkit.fluxcd.io):
//   KIND/NAME             namespace from -n (the tool's `namespace` argument), else the default,
//                         else none: the caller looks the name up in every namespace
//   KIND/NAMESPACE/NAME   the namespace is part of the target (an -n that names another one is refused)
// Names are Kubernetes object names (DNS-1123 subdomain), namespaces DNS-1123 labels.

import { KINDS, type KindInfo, resolveKind } from '../kinds/table.js';
import { cleanLine } from '../render/sanitize.js';
import type { ObjRef } from '../types.js';

/** A target that is not one valid object reference. */
export class TargetError extends Error {}

export interface Target {
  kind: KindInfo;
  /** Undefined for cluster-scoped kinds, and when no namespace was given and there is no default. */
  namespace?: string;
  name: string;
  /** True when the namespace came from the target itself or from an explicit -n / `namespace` argument. */
  namespaceExplicit: boolean;
}

export interface TargetOptions {
  /** The explicit namespace (-n, the tool's `namespace` argument). */
  namespace?: string;
  /** The namespace to use when none is given (not explicit). */
  defaultNamespace?: string;
  /** Allow a namespaced target without any namespace (the caller searches every namespace). Default true. */
  allowAllNamespaces?: boolean;
  /** Only Flux kinds (the write verbs). */
  fluxOnly?: boolean;
}

export const TARGET_FORMS =
  'KIND/NAME (with -n NAMESPACE) or KIND/NAMESPACE/NAME, for example ks/apps, hr/flux-system/redis, Kustomization/flux-system/apps';

const MAX_NAME = 253;
const MAX_NAMESPACE = 63;
const MAX_SPEC = 400;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const KIND_WORD = /^[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)*$/;

/** Why `name` is not a valid Kubernetes object name (DNS-1123 subdomain), or undefined when it is. */
export function invalidName(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > MAX_NAME) return `it is longer than ${MAX_NAME} characters`;
  // Each dot-separated part is a label; this refuses '.', '..', leading/trailing dots and dashes.
  for (const part of name.split('.')) {
    if (!LABEL.test(part))
      return "it must consist of lower case letters, digits, '-' and '.', and start and end with a letter or digit";
  }
  return undefined;
}

/** Why `ns` is not a valid namespace name (DNS-1123 label), or undefined when it is. */
export function invalidNamespace(ns: string): string | undefined {
  if (ns.length === 0) return 'it is empty';
  if (ns.length > MAX_NAMESPACE) return `it is longer than ${MAX_NAMESPACE} characters`;
  if (!LABEL.test(ns))
    return "it must consist of lower case letters, digits and '-', and start and end with a letter or digit";
  return undefined;
}

/** Text the user typed, safe to echo in an error (no control or invisible characters, bounded). */
export const quote = (s: string): string => JSON.stringify(cleanLine(s, 200));

function fail(spec: string, why: string): never {
  throw new TargetError(`invalid target ${quote(spec)}: ${why}; expected ${TARGET_FORMS}`);
}

function distance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = t;
    }
  }
  return prev[b.length]!;
}

/** The known kinds nearest to what was typed (by edit distance to kind, plural or short name). */
export function nearestKinds(word: string, kinds: KindInfo[] = KINDS, max = 3): string[] {
  const w = word.toLowerCase().slice(0, 64);
  const scored = kinds.map((k) => {
    const names = [k.kind, k.plural, ...(k.shortNames ?? [])].map((n) => n.toLowerCase());
    const d = Math.min(...names.map((n) => distance(w, n) - (n.startsWith(w) || w.startsWith(n) ? 1 : 0)));
    return { kind: k.kind, d };
  });
  scored.sort((a, b) => a.d - b.d || a.kind.localeCompare(b.kind));
  return scored.slice(0, max).map((s) => s.kind);
}

function kindOf(spec: string, word: string, fluxOnly: boolean): KindInfo {
  if (!KIND_WORD.test(word) || word.length > 100) fail(spec, `${quote(word)} is not a kind`);
  const [first, ...rest] = word.split('.');
  const k = resolveKind(first!);
  // `helmreleases.helm.toolkit.fluxcd.io`, `deployments.apps`, `deployments.v1.apps`: the suffix must be the kind's group.
  const suffix = rest.join('.').toLowerCase();
  const groupOk = (x: KindInfo) =>
    !suffix || suffix === x.group || x.versions.some((v) => `${v}.${x.group}` === suffix);
  const pool = fluxOnly ? KINDS.filter((x) => x.flux) : KINDS;
  if (!k || !groupOk(k))
    throw new TargetError(
      `unknown kind ${quote(word)} in target ${quote(spec)}; nearest known kinds: ${nearestKinds(first!, pool).join(', ')}`,
    );
  if (fluxOnly && !k.flux)
    throw new TargetError(
      `'${k.kind}' is not a Flux kind: this writes only Flux objects (for example kustomization, helmrelease, gitrepository, helmchart)`,
    );
  return k;
}

/** Parse one target. Throws TargetError, whose message shows the accepted forms. */
export function parseTarget(spec: string, opts: TargetOptions = {}): Target {
  if (typeof spec !== 'string' || spec.length === 0) fail(String(spec ?? ''), 'it is empty');
  if (spec.length > MAX_SPEC) fail(spec, `it is longer than ${MAX_SPEC} characters`);
  const parts = spec.split('/');
  if (parts.length < 2) fail(spec, 'it has no KIND/ part');
  if (parts.length > 3) fail(spec, `it has ${parts.length} segments (at most 3: KIND/NAMESPACE/NAME)`);
  if (parts.some((p) => p.length === 0)) fail(spec, 'it has an empty segment');
  const kind = kindOf(spec, parts[0]!, opts.fluxOnly === true);
  const name = parts[parts.length - 1]!;
  const badName = invalidName(name);
  if (badName) fail(spec, `${quote(name)} is not a valid object name: ${badName}`);

  const flag = opts.namespace;
  if (flag !== undefined) {
    const bad = invalidNamespace(flag);
    if (bad) throw new TargetError(`invalid namespace ${quote(flag)}: ${bad}`);
  }
  if (parts.length === 3) {
    const ns = parts[1]!;
    if (!kind.namespaced)
      fail(spec, `${kind.kind} is cluster-scoped: it has no namespace (use ${kind.kind.toLowerCase()}/${name})`);
    const bad = invalidNamespace(ns);
    if (bad) fail(spec, `${quote(ns)} is not a valid namespace: ${bad}`);
    if (flag !== undefined && flag !== ns)
      throw new TargetError(
        `target ${quote(spec)} names namespace ${ns} but -n (namespace) is ${flag}: give one of them, or make them agree`,
      );
    return { kind, namespace: ns, name, namespaceExplicit: true };
  }
  if (!kind.namespaced) return { kind, name, namespaceExplicit: false };
  if (flag !== undefined) return { kind, namespace: flag, name, namespaceExplicit: true };
  const def = opts.defaultNamespace;
  if (def !== undefined) {
    const bad = invalidNamespace(def);
    if (bad) throw new TargetError(`invalid default namespace ${quote(def)}: ${bad}`);
    return { kind, namespace: def, name, namespaceExplicit: false };
  }
  if (opts.allowAllNamespaces === false)
    fail(spec, `${kind.kind} is namespaced: give its namespace (-n NAMESPACE or KIND/NAMESPACE/NAME)`);
  return { kind, name, namespaceExplicit: false };
}

/**
 * The CLI's positional words: one target (`KIND/NAME`, `KIND/NAMESPACE/NAME`), or kubectl's two
 * words `KIND NAME` (also `KIND NAMESPACE/NAME`), which mean `KIND/NAME`.
 */
export function parseTargetWords(words: string[], opts: TargetOptions = {}): Target {
  if (words.length === 1) return parseTarget(words[0]!, opts);
  if (words.length === 2 && !words[0]!.includes('/')) return parseTarget(`${words[0]}/${words[1]}`, opts);
  throw new TargetError(`expected one target, got ${quote(words.join(' '))}; expected ${TARGET_FORMS}`);
}

/** The object reference of a target whose namespace is known (cluster-scoped kinds have none). */
export function targetRef(t: Target, namespace = t.namespace): ObjRef {
  if (!t.kind.namespaced) return { kind: t.kind.kind, name: t.name };
  if (namespace === undefined) throw new TargetError(`${t.kind.kind} ${t.name}: no namespace`);
  return { kind: t.kind.kind, namespace, name: t.name };
}

/**
 * Pick the one object a namespace-less target means among the namespaces where an object of that
 * kind and name exists: one is taken, several are an error that lists them, none says so.
 */
export function pickNamespace(t: Target, namespaces: (string | undefined)[], spec: string): ObjRef {
  if (t.namespace !== undefined || !t.kind.namespaced) return targetRef(t);
  const found = [...new Set(namespaces.filter((n): n is string => typeof n === 'string'))].sort();
  if (found.length === 1) return targetRef(t, found[0]);
  if (found.length === 0) throw new TargetError(`no ${t.kind.kind} named ${t.name}`);
  const shown = found.slice(0, 20).map((n) => cleanLine(n, 63));
  throw new TargetError(
    `${t.kind.kind} ${t.name} exists in several namespaces (${shown.join(', ')}${found.length > 20 ? ', …' : ''}): pick one with -n NAMESPACE or ${cleanLine(spec.split('/')[0]!, 100)}/NAMESPACE/${t.name}`,
  );
}
