// The only writes fluxdoctor makes, and exactly the ones the flux CLI makes (fluxcd/flux2
// cmd/flux/reconcile.go, reconcile_with_source.go, suspend.go, resume.go) and, for the Flux
// Operator's kinds, the flux-operator CLI (cmd/cli/client.go toggleSuspension):
//
// - reconcile: the annotation `reconcile.fluxcd.io/requestedAt: <now>` (HelmRelease `--force` adds
//   `reconcile.fluxcd.io/forceAt`, `--reset` adds `reconcile.fluxcd.io/resetAt`, same value);
// - suspend: `spec.suspend: true` (Flux Operator kinds: `fluxcd.controlplane.io/reconcile: disabled`);
// - resume: `spec.suspend` removed — flux's merge patch from a `suspend: false` with `omitempty` is
//   `null` — plus a reconcile request, as flux-operator does (Flux Operator kinds: the annotation
//   `fluxcd.controlplane.io/reconcile: enabled` and the reconcile request).
//
// Every write is a JSON merge patch (`application/merge-patch+json`) of only those fields. The
// served apiVersion of a kind is found by discovery (GET /apis/<group>), never hard-coded.

import {
  invalidName,
  invalidNamespace,
  pickNamespace,
  quote,
  type Target,
  TargetError,
  targetRef,
} from '../core/target.js';
import { condition, isSuspended } from '../kinds/status.js';
import { helmChartNameFor, type KindInfo, kindInfo } from '../kinds/table.js';
import { type ApiClient, LiveError } from '../read/live.js';
import { normalizeObject } from '../read/normalize.js';
import { cleanLine } from '../render/sanitize.js';
import type { K8sObject, ObjRef } from '../types.js';

export const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';
export const FORCE_AT = 'reconcile.fluxcd.io/forceAt';
export const RESET_AT = 'reconcile.fluxcd.io/resetAt';
export const OPERATOR_RECONCILE = 'fluxcd.controlplane.io/reconcile';
export const OPERATOR_GROUP = 'fluxcd.controlplane.io';
export const MERGE_PATCH = 'application/merge-patch+json';

// biome-ignore lint/suspicious/noExplicitAny: JSON merge patch bodies
export type Patch = Record<string, any>;

/** The body that requests a reconcile (what `flux reconcile` sends). */
export function reconcilePatch(requestedAt: string, opts: { force?: boolean; reset?: boolean } = {}): Patch {
  const annotations: Record<string, string> = { [REQUESTED_AT]: requestedAt };
  if (opts.force) annotations[FORCE_AT] = requestedAt;
  if (opts.reset) annotations[RESET_AT] = requestedAt;
  return { metadata: { annotations } };
}

/** The body that suspends an object (what `flux suspend` sends). */
export function suspendPatch(kind: KindInfo): Patch {
  if (kind.group === OPERATOR_GROUP) return { metadata: { annotations: { [OPERATOR_RECONCILE]: 'disabled' } } };
  return { spec: { suspend: true } };
}

/** The body that resumes an object and requests a reconcile (what `flux resume` / `flux-operator resume` send). */
export function resumePatch(kind: KindInfo, requestedAt: string): Patch {
  if (kind.group === OPERATOR_GROUP)
    return { metadata: { annotations: { [OPERATOR_RECONCILE]: 'enabled', [REQUESTED_AT]: requestedAt } } };
  return { metadata: { annotations: { [REQUESTED_AT]: requestedAt } }, spec: { suspend: null } };
}

/** Objects the flux CLI treats as static (no reconciler): `reconcile` has nothing to do. */
export function isStatic(o: K8sObject): boolean {
  if (o.kind === 'HelmRepository' && o.spec?.type === 'oci') return true;
  return kindInfo(o.kind)?.statusless === true;
}

/** A source `--with-source` reconciles; `withSource`: reconcile that source's own source first. */
export interface SourceStep {
  ref: ObjRef;
  withSource: boolean;
}

/**
 * The sources `--with-source` reconciles before the object, as flux does: Kustomization → its
 * sourceRef (GitRepository, OCIRepository, Bucket); HelmRelease → the HelmChart it generated
 * (`<namespace>-<name>` in the chart source's namespace), or its chartRef (an OCIRepository, or a
 * HelmChart) — a HelmChart with its own source first; HelmChart → its sourceRef (HelmRepository,
 * GitRepository, Bucket). Throws, as flux does, for a source of a kind it cannot reconcile.
 */
export function sourcesOf(o: K8sObject): SourceStep[] {
  const ns = o.metadata.namespace;
  const spec = o.spec ?? {};
  const one = (
    kind: string,
    allowed: string[],
    namespace: string | undefined,
    name: unknown,
    withSource = false,
  ): SourceStep[] => {
    if (!allowed.includes(kind)) throw new LiveError(`cannot reconcile source of kind ${kind}`);
    return [{ ref: { kind, namespace, name: String(name ?? '') }, withSource }];
  };
  switch (o.kind) {
    case 'Kustomization': {
      const ref = spec.sourceRef ?? {};
      return one(
        ref.kind || 'GitRepository',
        ['GitRepository', 'OCIRepository', 'Bucket'],
        ref.namespace || ns,
        ref.name,
      );
    }
    case 'HelmChart': {
      const ref = spec.sourceRef ?? {};
      return one(ref.kind || 'HelmRepository', ['HelmRepository', 'GitRepository', 'Bucket'], ns, ref.name);
    }
    case 'HelmRelease': {
      if (spec.chartRef) {
        const r = spec.chartRef;
        return one(r.kind, ['OCIRepository', 'HelmChart'], r.namespace || ns, r.name, r.kind === 'HelmChart');
      }
      const src = spec.chart?.spec?.sourceRef;
      return one('HelmChart', ['HelmChart'], src?.namespace || ns, helmChartNameFor(o), true);
    }
    default:
      throw new LiveError(
        `${o.kind} has no source to reconcile (--with-source is for Kustomization, HelmRelease and HelmChart)`,
      );
  }
}

export interface ReconcileProgress {
  /** The controller has handled this request and reported a settled Ready condition. */
  done: boolean;
  ready: boolean;
  /** What is being waited for, for the progress line. */
  phase: string;
}

/**
 * Has the controller handled the reconcile requested at `requestedAt`? Done when
 * status.lastHandledReconcileAt equals it and the Ready condition is settled (not Unknown) for the
 * current generation.
 */
export function reconcileProgress(o: K8sObject, requestedAt: string): ReconcileProgress {
  const handled = o.status?.lastHandledReconcileAt;
  if (handled !== requestedAt)
    return { done: false, ready: false, phase: 'waiting for the controller to pick up the request' };
  const ready = condition(o, 'Ready');
  if (!ready || ready.status === 'Unknown')
    return { done: false, ready: false, phase: `reconciling${ready?.reason ? ` (${ready.reason})` : ''}` };
  const gen = o.metadata.generation;
  const observed =
    typeof ready.observedGeneration === 'number' ? ready.observedGeneration : o.status?.observedGeneration;
  if (typeof gen === 'number' && typeof observed === 'number' && observed < gen)
    return { done: false, ready: false, phase: 'reconciling the latest generation' };
  if (ready.status === 'False' && ready.reason === 'HealthCheckCanceled')
    return { done: false, ready: false, phase: 'health checks restarted' };
  return { done: true, ready: ready.status === 'True', phase: ready.status === 'True' ? 'ready' : 'not ready' };
}

/** Reads and patches Flux objects at the version the server serves. */
export class FluxWriter {
  private versions = new Map<string, string>();

  constructor(readonly api: ApiClient) {}

  /** The apiVersion to use for a kind: the newest of the kind table's versions the server serves, else its preferred one. */
  async apiVersion(k: KindInfo): Promise<string> {
    if (!k.group) return 'v1';
    let v = this.versions.get(k.group);
    if (!v) {
      let doc: { versions?: { version: string }[]; preferredVersion?: { version: string } };
      try {
        doc = await this.api.json('GET', `/apis/${k.group}`);
      } catch (e) {
        if ((e as LiveError).status === 404)
          throw new LiveError(`the API server does not serve ${k.group}: the ${k.kind} CRD is not installed`, 404);
        throw e;
      }
      const served = new Set((doc.versions ?? []).map((x) => x.version));
      v = k.versions.find((x) => served.has(x)) ?? doc.preferredVersion?.version;
      if (!v) throw new LiveError(`the API server serves no version of ${k.group}`);
      this.versions.set(k.group, v);
    }
    return `${k.group}/${v}`;
  }

  /**
   * The request path of one object, built only from validated parts, each percent-encoded: a name
   * or namespace that is not a valid Kubernetes name is refused (so `.`/`..` can never be rewritten
   * by URL normalisation into another object's or collection's path).
   */
  async path(ref: ObjRef): Promise<string> {
    const k = kindInfo(ref.kind);
    if (!k) throw new LiveError(`unknown kind ${cleanLine(ref.kind, 100)}`);
    const bad = invalidName(ref.name);
    if (bad) throw new LiveError(`refusing ${k.kind} ${quote(ref.name)}: not a valid object name (${bad})`);
    if (k.namespaced) {
      if (ref.namespace === undefined) throw new LiveError(`${k.kind} ${ref.name}: no namespace given`);
      const badNs = invalidNamespace(ref.namespace);
      if (badNs) throw new LiveError(`refusing namespace ${quote(ref.namespace)}: ${badNs}`);
    }
    return `${await this.collection(k, k.namespaced ? ref.namespace : undefined)}/${encodeURIComponent(ref.name)}`;
  }

  /** The collection path of a kind, in one namespace or (namespace undefined) in all of them. */
  async collection(k: KindInfo, namespace?: string): Promise<string> {
    const av = await this.apiVersion(k);
    const base = k.group
      ? `/apis/${av.split('/').map(encodeURIComponent).join('/')}`
      : `/api/${encodeURIComponent(av)}`;
    const ns = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
    return `${base}${ns}/${encodeURIComponent(k.plural)}`;
  }

  /**
   * The one object a parsed target names. With a namespace (or a cluster-scoped kind) that is the
   * target itself; without one, the kind is listed in every namespace by name: one match is taken,
   * several are an error naming them, none says there is no such object.
   */
  async resolve(t: Target, spec: string): Promise<ObjRef> {
    if (t.namespace !== undefined || !t.kind.namespaced) return targetRef(t);
    const selector = encodeURIComponent(`metadata.name=${t.name}`);
    let list: { items?: K8sObject[] };
    try {
      list = await this.api.json('GET', `${await this.collection(t.kind)}?fieldSelector=${selector}`);
    } catch (e) {
      if ((e as LiveError).status === 403)
        throw new LiveError(
          `cannot look ${t.kind.kind} ${t.name} up in every namespace (forbidden): give its namespace with -n NAMESPACE or KIND/NAMESPACE/NAME`,
          403,
        );
      throw e;
    }
    const matches = (list.items ?? []).filter((o) => o?.metadata?.name === t.name);
    try {
      return pickNamespace(
        t,
        matches.map((o) => o.metadata.namespace),
        spec,
      );
    } catch (e) {
      if (e instanceof TargetError) throw new LiveError(e.message, matches.length === 0 ? 404 : 409);
      throw e;
    }
  }

  /** GET an object, normalised as every read is (src/read/normalize.ts); undefined when it does not exist. */
  async get(ref: ObjRef): Promise<K8sObject | undefined> {
    try {
      return this.normalize(ref, await this.api.json<K8sObject>('GET', await this.path(ref)));
    } catch (e) {
      if ((e as LiveError).status === 404) return undefined;
      throw e;
    }
  }

  /** The API's reply for `ref` as every read sees an object: kind and apiVersion filled in, then normalised. */
  private async normalize(ref: ObjRef, o: K8sObject): Promise<K8sObject> {
    const k = kindInfo(ref.kind);
    const doc = { ...o, kind: o?.kind || ref.kind, apiVersion: o?.apiVersion || (k ? await this.apiVersion(k) : '') };
    const n = normalizeObject(doc);
    if (!n)
      throw new LiveError(
        `the API server answered for ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} with something that is not one`,
      );
    return n;
  }

  /** PATCH exactly the object named: the path is checked against the reference before sending. The reply is normalised. */
  async patch(ref: ObjRef, body: Patch): Promise<K8sObject> {
    const path = await this.path(ref);
    assertObjectPath(path, ref);
    const after = await this.api.json<K8sObject>('PATCH', path, body, MERGE_PATCH);
    if (
      after?.metadata?.name !== ref.name ||
      (ref.namespace !== undefined && after.metadata.namespace !== ref.namespace)
    )
      throw new LiveError(
        `the API server answered the patch of ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} with another object`,
      );
    return this.normalize(ref, after);
  }
}

/**
 * Defence in depth before a write: the path, as the URL parser will send it, ends in exactly
 * `[/namespaces/<namespace>]/<plural>/<name>` of the reference, with nothing normalised away.
 */
export function assertObjectPath(path: string, ref: ObjRef): void {
  const k = kindInfo(ref.kind);
  const sent = new URL(path, 'https://api.invalid').pathname;
  const segs = sent.split('/').slice(1);
  const tail = k?.namespaced ? ['namespaces', ref.namespace ?? '', k.plural, ref.name] : [k?.plural ?? '', ref.name];
  const got = segs.slice(-tail.length).map((x) => {
    try {
      return decodeURIComponent(x);
    } catch {
      return '\u0000';
    }
  });
  const ok =
    k !== undefined &&
    sent === path &&
    segs.length > tail.length &&
    segs.every((x) => x !== '' && x !== '.' && x !== '..') &&
    tail.every((x, i) => x !== '' && got[i] === x);
  if (!ok)
    throw new LiveError(
      `refusing to write: the request path ${quote(path)} does not name exactly ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`,
    );
}

export interface WaitOptions {
  timeoutMs: number;
  pollMs?: number;
  onProgress?: (o: K8sObject | undefined, p: ReconcileProgress) => void;
}

/** Poll until the reconcile requested at `requestedAt` is handled. Returns the last object read and whether it finished. */
export async function waitForReconcile(
  w: FluxWriter,
  ref: ObjRef,
  requestedAt: string,
  opts: WaitOptions,
): Promise<{ object?: K8sObject; progress: ReconcileProgress; timedOut: boolean }> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: K8sObject | undefined;
  let progress: ReconcileProgress = { done: false, ready: false, phase: 'requested' };
  for (;;) {
    last = await w.get(ref);
    if (!last) throw new LiveError(`${ref.kind} ${ref.namespace}/${ref.name} was deleted while waiting`);
    if (isSuspended(last)) throw new LiveError(`${ref.kind} ${ref.namespace}/${ref.name} was suspended while waiting`);
    progress = reconcileProgress(last, requestedAt);
    opts.onProgress?.(last, progress);
    if (progress.done) return { object: last, progress, timedOut: false };
    const left = deadline - Date.now();
    if (left <= 0) return { object: last, progress, timedOut: true };
    await new Promise((r) => setTimeout(r, Math.min(opts.pollMs ?? 1000, left)));
  }
}
