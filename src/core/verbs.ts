// The write verbs for every front end: reconcile, suspend and resume one Flux object, as the flux
// CLI does (src/live/write.ts has the exact patches). reconcile and resume wait for the controller;
// then the cluster is read again and the result carries the object's fresh health and every
// finding about it. No terminal output: what happens along the way goes to `onProgress`.

import type { Report } from '../diagnose/engine.js';
import { Graph } from '../graph/graph.js';
import { type Health, health, isSuspended } from '../kinds/status.js';
import {
  FluxWriter,
  isStatic,
  type Patch,
  type ReconcileProgress,
  reconcilePatch,
  resumePatch,
  type SourceStep,
  sourcesOf,
  suspendPatch,
  waitForReconcile,
} from '../live/write.js';
import { ApiClient, LiveError, loadKubeConfig, readLive } from '../read/live.js';
import { cleanLine } from '../render/sanitize.js';
import { nsArg, shq } from '../render/shell.js';
import { type K8sObject, type ObjRef, sameRef } from '../types.js';
import { CoreError } from './errors.js';
import { DEFAULT_REQUEST_TIMEOUT } from './load.js';
import { parseTargetWords, type Target } from './target.js';
import { diagnose } from './views.js';

export type Verb = 'reconcile' | 'suspend' | 'resume';

export interface VerbOptions {
  /** The object's namespace (default: the one in the target, else the one namespace where the name exists). */
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  fluxNamespace?: string;
  /** Timeout of each API request, ms (default 15s). */
  requestTimeout?: number;
  /** reconcile: reconcile the source first (Kustomization, HelmRelease, HelmChart), as flux --with-source. */
  withSource?: boolean;
  /** reconcile, HelmRelease: force a one-off install or upgrade. */
  force?: boolean;
  /** reconcile, HelmRelease: reset the failure count. */
  reset?: boolean;
  /** resume: wait for the reconcile (default true). */
  wait?: boolean;
  /** How long to wait for a reconcile, ms (default 2m). */
  timeout?: number;
  /** Poll interval while waiting, ms (default 1s). */
  pollMs?: number;
  onProgress?: (e: VerbProgress) => void;
}

/** What happens along the way, in order. */
export type VerbProgress =
  | { type: 'requested'; ref: ObjRef; requestedAt: string }
  | { type: 'static'; ref: ObjRef }
  | { type: 'resumed'; ref: ObjRef }
  | { type: 'waiting'; ref: ObjRef; phase: string }
  | { type: 'waited'; ref: ObjRef }
  | { type: 'source-not-ready'; source: ObjRef; target: ObjRef }
  | { type: 'reading' }
  | { type: 'read' };

/** One object written. */
export interface VerbStep {
  ref: ObjRef;
  patch: Patch;
  requestedAt?: string;
  /** The controller handled the reconcile request (status.lastHandledReconcileAt) and Ready is settled. */
  handled?: boolean;
  /** Ready=True after the controller handled it. */
  ready?: boolean;
}

export interface VerbResult {
  verb: Verb;
  target: ObjRef;
  /** Every object patched, in order (sources first with withSource). */
  steps: VerbStep[];
  /**
   * reconciled, suspended, resumed (no wait), not-suspended (the patch did not take),
   * nothing-to-do (the object has no reconciler), source-not-ready (the target was not reconciled).
   */
  outcome: 'reconciled' | 'suspended' | 'not-suspended' | 'resumed' | 'nothing-to-do' | 'source-not-ready';
  /** The object the health and findings are about: the target, or the source that did not become ready. */
  reported: ObjRef;
  /** Its health from a fresh read after the write (reconcile and resume with wait), or from the patch reply. */
  health?: Health;
  /** The findings about it from a fresh read of the cluster, in the report's shape (for rendering). */
  report?: Report;
  /** Ready, and no error finding about it (suspend: it is suspended). */
  ok: boolean;
}

const show = (r: ObjRef) =>
  `${r.kind} ${r.namespace ? `${cleanLine(r.namespace, 100)}/` : ''}${cleanLine(r.name, 300)}`;

const live = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof LiveError) throw new CoreError(e.message);
    throw e;
  }
};

class Session {
  readonly writer: FluxWriter;
  readonly steps: VerbStep[] = [];
  constructor(
    readonly opts: VerbOptions,
    readonly target: Target,
    readonly spec: string,
  ) {
    let kc: ReturnType<typeof loadKubeConfig>;
    try {
      kc = loadKubeConfig(opts);
    } catch (e) {
      if (e instanceof LiveError) throw new CoreError(e.message);
      throw e;
    }
    this.writer = new FluxWriter(new ApiClient(kc, opts.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT));
  }

  progress(e: VerbProgress) {
    this.opts.onProgress?.(e);
  }

  resolve(): Promise<ObjRef> {
    return this.writer.resolve(this.target, this.spec);
  }

  async mustGet(ref: ObjRef): Promise<K8sObject> {
    const o = await this.writer.get(ref);
    if (!o)
      throw new CoreError(
        `no ${ref.kind} named ${cleanLine(ref.name, 300)}${ref.namespace ? ` in namespace ${cleanLine(ref.namespace, 100)}` : ''}`,
      );
    return o;
  }

  async patch(ref: ObjRef, body: Patch, requestedAt?: string): Promise<{ after: K8sObject; step: VerbStep }> {
    const after = await this.writer.patch(ref, body);
    const step: VerbStep = { ref, patch: body, ...(requestedAt ? { requestedAt } : {}) };
    this.steps.push(step);
    return { after, step };
  }

  /** Wait until the controller handled the request; a timeout is an error naming the object's state. */
  async waitHandled(ref: ObjRef, requestedAt: string, step: VerbStep) {
    const timeout = this.opts.timeout ?? 120_000;
    let r: Awaited<ReturnType<typeof waitForReconcile>>;
    try {
      r = await waitForReconcile(this.writer, ref, requestedAt, {
        timeoutMs: timeout,
        pollMs: this.opts.pollMs,
        onProgress: (_o, p) => this.progress({ type: 'waiting', ref, phase: p.phase }),
      });
    } finally {
      this.progress({ type: 'waited', ref });
    }
    step.handled = r.progress.done;
    step.ready = r.progress.ready;
    if (r.timedOut) {
      const h = r.object ? health(r.object) : undefined;
      throw new CoreError(
        `timed out after ${timeout / 1000}s waiting for ${show(ref)} to reconcile (${r.progress.phase})${
          h
            ? `; it is ${h.state}${h.reason ? ` (${cleanLine(h.reason, 100)})` : ''}${h.message ? `: ${cleanLine(h.message, 300)}` : ''}`
            : ''
        }`,
      );
    }
    return { object: r.object!, progress: r.progress };
  }

  /** Request a reconcile of one object and wait until the controller handled it; undefined for a static object. */
  async reconcileOne(
    ref: ObjRef,
    opts: { force?: boolean; reset?: boolean } = {},
  ): Promise<{ object: K8sObject; progress: ReconcileProgress } | undefined> {
    const obj = await this.mustGet(ref);
    if (isStatic(obj)) {
      this.progress({ type: 'static', ref });
      return undefined;
    }
    if (isSuspended(obj))
      throw new CoreError(
        `${show(ref)} is suspended: resume it first (${cleanLine(`fluxdoctor resume ${shq(`${ref.kind.toLowerCase()}/${ref.name}`)}${nsArg(ref.namespace)}`, 400)})`,
      );
    const requestedAt = new Date().toISOString();
    const { step } = await this.patch(ref, reconcilePatch(requestedAt, opts), requestedAt);
    this.progress({ type: 'requested', ref, requestedAt });
    return this.waitHandled(ref, requestedAt, step);
  }

  /** The sources to reconcile before an object with withSource, deepest first. */
  async sourceChain(o: K8sObject): Promise<ObjRef[]> {
    let steps: SourceStep[];
    try {
      steps = sourcesOf(o);
    } catch (e) {
      if (e instanceof LiveError) throw new CoreError(e.message);
      throw e;
    }
    const out: ObjRef[] = [];
    for (const st of steps) {
      if (st.withSource) out.push(...(await this.sourceChain(await this.mustGet(st.ref))));
      out.push(st.ref);
    }
    return out;
  }

  /** Read the cluster again: the object's health and every finding about it. */
  async fresh(ref: ObjRef, fallback: K8sObject): Promise<{ health: Health; report: Report; ok: boolean }> {
    const o = this.opts;
    const fluxNamespace = o.fluxNamespace;
    let graph: Graph;
    this.progress({ type: 'reading' });
    try {
      const snap = await readLive({
        kubeconfig: o.kubeconfig,
        context: o.context,
        fluxNamespace,
        timeoutMs: o.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT,
      });
      graph = new Graph(snap, { fluxNamespace });
    } catch (e) {
      if (e instanceof LiveError)
        throw new CoreError(`the reconcile finished, but the cluster could not be read again: ${e.message}`);
      throw e;
    } finally {
      this.progress({ type: 'read' });
    }
    const h = health(graph.get(ref) ?? fallback);
    const full = diagnose(graph);
    const findings = full.findings.filter((f) => sameRef(f.rootCause, ref) || f.affected.some((a) => sameRef(a, ref)));
    return {
      health: h,
      report: { ...full, findings },
      ok: h.state === 'Ready' && !findings.some((f) => f.severity === 'error'),
    };
  }
}

function session(verb: Verb, target: string | string[], opts: VerbOptions): Session {
  const words = typeof target === 'string' ? [target] : target;
  const t = parseTargetWords(words, { namespace: opts.namespace, fluxOnly: true });
  if (verb === 'reconcile' && (opts.force || opts.reset) && t.kind.kind !== 'HelmRelease')
    throw new CoreError('--force and --reset are for HelmReleases');
  return new Session(opts, t, words.join('/'));
}

/** Request a reconcile (with withSource, of the sources first), wait, and read the cluster again. */
export async function reconcile(target: string | string[], opts: VerbOptions = {}): Promise<VerbResult> {
  const s = session('reconcile', target, opts);
  return live(async () => {
    const ref = await s.resolve();
    const obj = await s.mustGet(ref);
    const base = { verb: 'reconcile' as const, target: ref, steps: s.steps };
    if (opts.withSource) {
      for (const src of await s.sourceChain(obj)) {
        const r = await s.reconcileOne(src);
        if (r && !r.progress.ready) {
          s.progress({ type: 'source-not-ready', source: src, target: ref });
          return { ...base, outcome: 'source-not-ready', reported: src, ...(await s.fresh(src, r.object)) };
        }
      }
    }
    const r = await s.reconcileOne(ref, { force: opts.force, reset: opts.reset });
    if (!r) return { ...base, outcome: 'nothing-to-do', reported: ref, ok: true };
    return { ...base, outcome: 'reconciled', reported: ref, ...(await s.fresh(ref, r.object)) };
  });
}

/** Suspend the object (spec.suspend: true, or the Flux Operator's annotation). */
export async function suspend(target: string | string[], opts: VerbOptions = {}): Promise<VerbResult> {
  const s = session('suspend', target, opts);
  return live(async () => {
    const ref = await s.resolve();
    await s.mustGet(ref);
    const { after } = await s.patch(ref, suspendPatch(s.target.kind));
    const ok = isSuspended(after);
    return {
      verb: 'suspend',
      target: ref,
      steps: s.steps,
      outcome: ok ? 'suspended' : 'not-suspended',
      reported: ref,
      health: health(after),
      ok,
    };
  });
}

/** Resume the object and request a reconcile; unless `wait: false`, wait and read the cluster again. */
export async function resume(target: string | string[], opts: VerbOptions = {}): Promise<VerbResult> {
  const s = session('resume', target, opts);
  return live(async () => {
    const ref = await s.resolve();
    const obj = await s.mustGet(ref);
    const requestedAt = new Date().toISOString();
    const { after, step } = await s.patch(ref, resumePatch(s.target.kind, requestedAt), requestedAt);
    if (isSuspended(after)) throw new CoreError(`${show(ref)} is still suspended after the patch`, true);
    s.progress({ type: 'resumed', ref });
    const base = { verb: 'resume' as const, target: ref, steps: s.steps, reported: ref };
    if (opts.wait === false || isStatic(obj)) return { ...base, outcome: 'resumed', health: health(after), ok: true };
    const r = await s.waitHandled(ref, requestedAt, step);
    return { ...base, outcome: 'reconciled', ...(await s.fresh(ref, r.object)) };
  });
}

export const verbs = { reconcile, suspend, resume };
