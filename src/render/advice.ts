// The shape and the GitOps wording of fix steps (a finding's `remediation`).
//
// A step is either one prose sentence or exactly one command: front ends show a command as code
// (a Markdown code span, copyable as it is) and prose as text. `isCommandStep` is the one test of
// which is which. `changeInGit` is the one wording of "where to make a change" for an object Flux
// applies: in Git, in the path of the Kustomization that applies it (or in the values of the
// HelmRelease whose chart renders it), never `kubectl edit`/`patch`/`set` — the next reconciliation
// reverts those. For an object no Flux object applies, it says so and gives the kubectl command.
// Self-contained on purpose: it needs only the graph's `appliedBy` and `get`.

import type { K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';

/** Programs a command step may start with. */
const PROGRAMS = [
  'kubectl',
  'flux',
  'flux-operator',
  'fluxdoctor',
  'helm',
  'git',
  'crane',
  'openssl',
  'ssh-keyscan',
  'ssh-keygen',
  'age-keygen',
  'gpg',
  'sops',
  'cosign',
  'kustomize',
  'curl',
];

// A command: optional `VAR=value ` assignments, then a program and an argument (or the end).
const COMMAND = new RegExp(`^(?:[A-Z_][A-Z0-9_]*=\\S+ )*(?:${PROGRAMS.join('|')})(?: \\S|$)`);
// A bare assignment such as TOKEN=$(head -c 12 /dev/urandom | shasum | cut -d " " -f1).
const ASSIGNMENT = /^[A-Z_][A-Z0-9_]*=\$\(/;

/** True when the step is a command to run as it is (and nothing else). */
export function isCommandStep(step: string): boolean {
  return COMMAND.test(step) || ASSIGNMENT.test(step);
}

/** Where a command-looking fragment (`kubectl get`, `flux reconcile`…) occurs in a text, or -1. */
export function commandFragmentAt(text: string): number {
  const m = /(?:^|[\s`'"(])((?:kubectl|flux|fluxdoctor|helm|git) [a-z-]|crane ls )/.exec(text);
  return m ? m.index + m[0].length - m[1]!.length : -1;
}

/** The minimal graph this helper needs (rules pass their Graph). */
export interface AppliedGraph {
  appliedBy(ref: ObjRef | K8sObject): ObjRef[];
  get(ref: ObjRef): K8sObject | undefined;
}

const show = (r: ObjRef) => (r.namespace ? `${r.kind} ${r.namespace}/${r.name}` : `${r.kind} ${r.name}`);

/** The HelmRelease whose chart renders an object, or else the Kustomization that applies it, if any. */
export function applierOf(graph: AppliedGraph, obj: ObjRef | K8sObject): ObjRef | undefined {
  const by = graph.appliedBy(obj);
  return by.find((r) => r.kind === 'HelmRelease') ?? by.find((r) => r.kind === 'Kustomization');
}

/** `Kustomization flux-system/apps (path ./apps of GitRepository flux-system/flux-system)`. */
export function describeKustomization(graph: AppliedGraph, ks: ObjRef): string {
  const spec = graph.get(ks)?.spec;
  const path = typeof spec?.path === 'string' && spec.path ? spec.path : undefined;
  const src = spec?.sourceRef;
  const source =
    src && typeof src.kind === 'string' && typeof src.name === 'string'
      ? show({
          kind: src.kind,
          namespace: typeof src.namespace === 'string' && src.namespace ? src.namespace : ks.namespace,
          name: src.name,
        })
      : undefined;
  const where = path && source ? `path ${path} of ${source}` : path ? `path ${path}` : source ? `from ${source}` : '';
  return `${show(ks)}${where ? ` (${where})` : ''}`;
}

/** Where a HelmRelease is defined: ` (defined in Git through Kustomization … (path …))`, or ''. */
function helmReleaseHome(graph: AppliedGraph, hr: ObjRef): string {
  const ks = graph.appliedBy(hr).find((r) => r.kind === 'Kustomization');
  return ks
    ? `, in Git where the HelmRelease is defined (the manifests of ${describeKustomization(graph, ks)})`
    : ', in Git where the HelmRelease is defined';
}

export interface ChangeOptions {
  /** The kubectl command that makes the change in place, for an object no Flux object applies. */
  inPlace?: string;
  /** For an object rendered by a HelmRelease's chart: the values key(s) to set, e.g. `imagePullSecrets`. */
  values?: string;
  /** A condition the step starts with: "if the Secret exists under another name". */
  when?: string;
}

/**
 * The steps that say where to make a change to an object. `change` names the object and what to
 * change ("set spec.secretRef.name of HelmRepository flux-system/charts to the right name"). When a
 * Kustomization applies the object: in Git, in that Kustomization's path. When a HelmRelease's chart
 * renders it: in the chart values of the HelmRelease, in Git where the HelmRelease is defined. When
 * nothing in Flux applies it: in place, with `opts.inPlace` as a step of its own.
 */
export function changeInGit(
  graph: AppliedGraph,
  obj: ObjRef | K8sObject,
  change: string,
  opts: ChangeOptions = {},
): string[] {
  const ref = 'metadata' in obj ? objRef(obj) : obj;
  const by = applierOf(graph, ref);
  const head = opts.when ? `${upper(opts.when)}, ${lower(change)}` : upper(change);
  if (by?.kind === 'HelmRelease')
    return [
      `${head}: in the chart values of ${show(by)} (spec.values${opts.values ? `, e.g. ${opts.values}; the key depends on the chart` : ''})${helmReleaseHome(graph, by)}. Its chart renders ${show(ref)}, and helm-controller reverts a change made in the cluster`,
    ];
  if (by)
    return [
      `${head} in Git, in the manifests of ${describeKustomization(graph, by)}: Flux applies ${show(ref)} from there and reverts a change made in the cluster`,
    ];
  const note = `${show(ref)} is not applied by a Flux Kustomization or HelmRelease`;
  if (opts.inPlace) return [`${head} in place (${note}):`, opts.inPlace];
  return [`${head} (${note}: change it where it was created)`];
}

/**
 * Where a change to an object is made, as a phrase that follows "in": `Git, in the manifests of
 * Kustomization … (path …)`, `the chart values of HelmRelease … (spec.values / valuesFrom), in Git
 * where the HelmRelease is defined (…)`, or the manifest it was created from.
 */
export function whereToChange(graph: AppliedGraph, obj: ObjRef | K8sObject): string {
  const ref = 'metadata' in obj ? objRef(obj) : obj;
  const by = applierOf(graph, ref);
  if (by?.kind === 'HelmRelease')
    return `the chart values of ${show(by)} (spec.values / valuesFrom)${helmReleaseHome(graph, by)}`;
  if (by) return `Git, in the manifests of ${describeKustomization(graph, by)}`;
  return `the manifest it was created from (${show(ref)} is not applied by a Flux Kustomization or HelmRelease)`;
}

/** True when a Kustomization or HelmRelease applies the object (a change must go through Git). */
export function isApplied(graph: AppliedGraph, obj: ObjRef | K8sObject): boolean {
  return applierOf(graph, obj) !== undefined;
}

const upper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** A prose step that introduces a command, and the command as a step of its own. */
export function titled(prose: string, command: string): string[] {
  return [`${prose.replace(/[:.]\s*$/, '')}:`, command];
}
