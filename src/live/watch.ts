// `fluxdoctor watch`: keep the view of the Flux objects current from watch events, never re-listing
// except when the server says the resourceVersion is gone (410). One WATCH per Flux kind, from the
// resourceVersion of the first read's LIST, with bookmarks; reconnects with backoff when the
// connection drops (an API server restart) and resumes from the last resourceVersion seen.

import { setMaxListeners } from 'node:events';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type HealthState, health } from '../kinds/status.js';
import { KINDS } from '../kinds/table.js';
import { type ApiClient, type ListVersions, LiveError, listAll, listPath } from '../read/live.js';
import { normalizeObject } from '../read/normalize.js';
import { cleanLine } from '../render/sanitize.js';
import { type K8sObject, objRef, refKey } from '../types.js';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR' | string;
  // biome-ignore lint/suspicious/noExplicitAny: an object, or a Status for ERROR
  object: any;
}

/** A change of an object's health, as `watch` prints it. Text fields are sanitised. */
export interface Transition {
  time: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Undefined for an object that just appeared. */
  from?: HealthState;
  /** `Deleted` for an object that is gone. */
  to: HealthState | 'Deleted';
  reason?: string;
  message?: string;
  revision?: string;
}

interface Tracked {
  state: HealthState;
  reason?: string;
}

/** The in-memory object set and the health last reported for each object. Pure. */
export class WatchState {
  readonly objects = new Map<string, K8sObject>();
  private tracked = new Map<string, Tracked>();

  seed(objects: K8sObject[]): void {
    for (const o of objects) {
      const k = refKey(objRef(o));
      this.objects.set(k, o);
      const h = health(o);
      this.tracked.set(k, { state: h.state, reason: h.reason });
    }
  }

  /** Apply one ADDED/MODIFIED/DELETED event; returns the transition when the health state or reason changed. */
  apply(type: string, o: K8sObject, time: string): Transition | undefined {
    if (!o?.metadata?.name || !o.kind) return undefined;
    const k = refKey(objRef(o));
    const before = this.tracked.get(k);
    if (type === 'DELETED') {
      this.objects.delete(k);
      this.tracked.delete(k);
      return before ? transition(o, time, before.state, 'Deleted') : undefined;
    }
    if (type !== 'ADDED' && type !== 'MODIFIED') return undefined;
    this.objects.set(k, o);
    const h = health(o);
    this.tracked.set(k, { state: h.state, reason: h.reason });
    if (before && before.state === h.state && before.reason === h.reason) return undefined;
    return transition(o, time, before?.state, h.state, h);
  }

  /** After a re-list of one kind: apply the differences as events. */
  replaceKind(kind: string, objects: K8sObject[], time: string): Transition[] {
    const out: Transition[] = [];
    const seen = new Set<string>();
    for (const o of objects) {
      seen.add(refKey(objRef(o)));
      const t = this.apply('MODIFIED', o, time);
      if (t) out.push(t);
    }
    for (const [k, o] of [...this.objects]) {
      if (o.kind !== kind || seen.has(k)) continue;
      const t = this.apply('DELETED', o, time);
      if (t) out.push(t);
    }
    return out;
  }

  count(): number {
    return this.objects.size;
  }
}

function transition(
  o: K8sObject,
  time: string,
  from: HealthState | undefined,
  to: HealthState | 'Deleted',
  h?: ReturnType<typeof health>,
): Transition {
  const t: Transition = { time, kind: cleanLine(o.kind, 100), name: cleanLine(o.metadata.name, 300), to };
  if (o.metadata.namespace) t.namespace = cleanLine(o.metadata.namespace, 100);
  if (from) t.from = from;
  if (h?.reason) t.reason = cleanLine(h.reason, 100);
  if (h?.message) t.message = cleanLine(h.message, 500).trim();
  if (h?.revision) t.revision = cleanLine(h.revision, 200);
  return t;
}

/** `2026-11-24T10:00:00Z GitRepository apps/podinfo: Ready → Failed (GitOperationFailed: …)`. */
export function formatTransition(t: Transition, paint: (state: string) => string = (s) => s): string {
  const id = t.namespace ? `${t.namespace}/${t.name}` : t.name;
  const why = t.reason || t.message ? ` (${[t.reason, t.message].filter(Boolean).join(': ')})` : '';
  return `${t.time} ${t.kind} ${id}: ${t.from ? paint(t.from) : 'new'} → ${paint(t.to)}${t.to === 'Deleted' ? '' : why}`;
}

// ---------- the streams ----------

class Gone extends Error {}

/** Open one watch and call onEvent per JSON line until the server ends the stream (resolves) or it breaks (rejects). */
export function streamWatch(
  api: ApiClient,
  path: string,
  opts: { idleTimeoutMs: number; signal: AbortSignal; onOpen?: () => void; onEvent: (e: WatchEvent) => void },
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const server = new URL(api.serverUrl);
    const url = new URL(path, server);
    const reqOpts: import('node:https').RequestOptions = {
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      path: `${server.pathname.replace(/\/$/, '')}${url.pathname}${url.search}`,
      headers: { Accept: 'application/json' },
      timeout: opts.idleTimeoutMs,
    };
    let settled = false;
    const done = (e?: Error) => {
      if (settled) return;
      settled = true;
      opts.signal.removeEventListener('abort', onAbort);
      if (e) reject(e);
      else resolve();
    };
    let r: import('node:http').ClientRequest | undefined;
    const onAbort = () => {
      r?.destroy();
      done();
    };
    if (opts.signal.aborted) return done();
    opts.signal.addEventListener('abort', onAbort);
    api.kc.applyToHTTPSOptions(reqOpts).then(
      () => {
        if (settled) return;
        const req = url.protocol === 'http:' ? httpRequest : httpsRequest;
        r = req(reqOpts, (res) => {
          const code = res.statusCode ?? 0;
          if (code >= 300) {
            const chunks: Buffer[] = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
              let msg = Buffer.concat(chunks).toString('utf8').slice(0, 300);
              try {
                msg = JSON.parse(msg).message ?? msg;
              } catch {}
              done(code === 410 ? new Gone(msg) : new LiveError(`GET ${url.pathname}: ${code} ${msg}`, code));
            });
            return;
          }
          api.lastAnswerAt = Date.now();
          opts.onOpen?.();
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buf += chunk;
            let nl = buf.indexOf('\n');
            while (nl >= 0) {
              const lineText = buf.slice(0, nl).trim();
              buf = buf.slice(nl + 1);
              nl = buf.indexOf('\n');
              if (!lineText) continue;
              try {
                opts.onEvent(JSON.parse(lineText) as WatchEvent);
              } catch (e) {
                r?.destroy();
                done(
                  e instanceof Gone || e instanceof LiveError
                    ? e
                    : new LiveError(`watch ${url.pathname}: ${(e as Error).message}`),
                );
                return;
              }
            }
          });
          res.on('end', () => done());
          res.on('error', (e) => done(new LiveError(`watch ${url.pathname}: ${e.message}`)));
          res.on('close', () =>
            done(res.complete ? undefined : new LiveError(`watch ${url.pathname}: connection closed`)),
          );
        });
        r.on('timeout', () =>
          r?.destroy(new LiveError(`watch ${url.pathname}: no data for ${opts.idleTimeoutMs / 1000}s`)),
        );
        r.on('error', (e) => done(e instanceof LiveError ? e : new LiveError(`watch ${url.pathname}: ${e.message}`)));
        r.end();
      },
      (e) => done(new LiveError(`cannot authenticate to ${api.serverUrl}: ${(e as Error).message}`, 401)),
    );
  });
}

export interface WatchOptions {
  namespace?: string;
  signal: AbortSignal;
  onTransition: (t: Transition) => void;
  /** Connection news (lost, reconnected, re-listed), for stderr. */
  onNotice: (message: string) => void;
  /** Server-side timeout of one watch request, in seconds (the stream is then resumed). */
  watchSeconds?: number;
  idleTimeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  now?: () => string;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

/** Watch every Flux kind the first read listed, until the signal aborts. */
export async function watchFlux(
  api: ApiClient,
  state: WatchState,
  lists: ListVersions,
  opts: WatchOptions,
): Promise<void> {
  const now = opts.now ?? (() => new Date().toISOString().replace(/\.\d+Z$/, 'Z'));
  const backoff = opts.backoff ?? { initialMs: 500, maxMs: 10_000 };
  const down = new Set<string>();
  const kinds = KINDS.filter((k) => k.flux && lists[k.kind]);
  // Every kind's stream and backoff listens on the one signal.
  setMaxListeners(0, opts.signal);
  // Re-lists after a restart come for every kind at once: say so in one line.
  let relisted: string[] = [];
  let relistTimer: NodeJS.Timeout | undefined;
  const noteRelist = (kind: string) => {
    relisted.push(kind);
    relistTimer ??= setTimeout(() => {
      opts.onNotice(`resourceVersion expired, listed again: ${relisted.join(', ')}`);
      relisted = [];
      relistTimer = undefined;
    }, 300);
  };

  const markDown = (kind: string, why: string) => {
    if (down.size === 0) opts.onNotice(`connection to the API server lost (${why}); reconnecting`);
    down.add(kind);
  };
  const markUp = (kind: string) => {
    if (!down.delete(kind)) return;
    if (down.size === 0) opts.onNotice('reconnected to the API server');
  };

  await Promise.all(
    kinds.map(async (k) => {
      const served = { kind: k, apiVersion: lists[k.kind]!.apiVersion };
      let rv = lists[k.kind]!.resourceVersion;
      let delay = backoff.initialMs;
      while (!opts.signal.aborted) {
        const opened = Date.now();
        let events = 0;
        try {
          const q = `?watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(rv)}&timeoutSeconds=${opts.watchSeconds ?? 60}`;
          await streamWatch(api, `${listPath(served, opts.namespace)}${q}`, {
            idleTimeoutMs: opts.idleTimeoutMs ?? ((opts.watchSeconds ?? 60) + 30) * 1000,
            signal: opts.signal,
            onOpen: () => {
              delay = backoff.initialMs;
              markUp(k.kind);
            },
            onEvent: (ev) => {
              events++;
              if (ev.type === 'ERROR') {
                const st = ev.object ?? {};
                if (st.code === 410) throw new Gone(String(st.message ?? 'resourceVersion too old'));
                throw new LiveError(
                  `watch ${k.kind}: ${st.message ?? 'error'}`,
                  typeof st.code === 'number' ? st.code : undefined,
                );
              }
              const v = ev.object?.metadata?.resourceVersion;
              if (typeof v === 'string' && v) rv = v;
              if (ev.type === 'BOOKMARK') return;
              // Every object passes through normalize, as a LIST's items do (src/read/normalize.ts).
              const o = normalizeObject({ apiVersion: served.apiVersion, kind: k.kind, ...ev.object });
              if (!o) return;
              const t = state.apply(ev.type, o, now());
              if (t) opts.onTransition(t);
            },
          });
          // The server ended the watch (its timeout, or a graceful shutdown): resume at once, unless it
          // ended straight away with nothing, then back off so a closing server is not hammered.
          if (events === 0 && Date.now() - opened < 1000) {
            await sleep(delay, opts.signal);
            delay = Math.min(delay * 2, backoff.maxMs);
          }
        } catch (caught) {
          if (opts.signal.aborted) break;
          let e = caught;
          if (e instanceof Gone) {
            // The resourceVersion is too old to resume from: list this kind again.
            try {
              const meta: { resourceVersion?: string } = {};
              const items = (await listAll(api, served, opts.namespace, meta))
                .map(normalizeObject)
                .filter((o): o is K8sObject => o !== undefined);
              for (const t of state.replaceKind(k.kind, items, now())) opts.onTransition(t);
              if (meta.resourceVersion) rv = meta.resourceVersion;
              noteRelist(k.kind);
              markUp(k.kind);
              continue;
            } catch (le) {
              e = le;
            }
          }
          const status = (e as LiveError).status;
          if (status === 401 || status === 403 || status === 404) {
            opts.onNotice(`cannot watch ${k.kind}: ${cleanLine((e as Error).message, 300)}`);
            return;
          }
          markDown(k.kind, cleanLine((e as Error).message.replace(/^watch \S+: /, ''), 200));
          await sleep(delay, opts.signal);
          delay = Math.min(delay * 2, backoff.maxMs);
        }
      }
    }),
  );
  if (relistTimer) {
    clearTimeout(relistTimer);
    opts.onNotice(`resourceVersion expired, listed again: ${relisted.join(', ')}`);
  }
}
