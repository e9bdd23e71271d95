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

import { condition, isSuspended } from '../kinds/status.js';
import { helmChartNameFor, type KindInfo, kindInfo } from '../kinds/table.js';
import { type ApiClient, LiveError } from '../read/live.js';
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

  async path(ref: ObjRef): Promise<string> {
    const k = kindInfo(ref.kind);
    if (!k) throw new LiveError(`unknown kind ${ref.kind}`);
    const av = await this.apiVersion(k);
    const base = k.group ? `/apis/${av}` : `/api/${av}`;
    const ns = k.namespaced ? `/namespaces/${encodeURIComponent(ref.namespace ?? 'default')}` : '';
    return `${base}${ns}/${k.plural}/${encodeURIComponent(ref.name)}`;
  }

  /** GET an object; undefined when it does not exist. */
  async get(ref: ObjRef): Promise<K8sObject | undefined> {
    try {
      return await this.api.json<K8sObject>('GET', await this.path(ref));
    } catch (e) {
      if ((e as LiveError).status === 404) return undefined;
      throw e;
    }
  }

  async patch(ref: ObjRef, body: Patch): Promise<K8sObject> {
    return this.api.json<K8sObject>('PATCH', await this.path(ref), body, MERGE_PATCH);
  }
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
