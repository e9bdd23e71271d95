// The live ClusterReader: reads a cluster through the Kubernetes API with the user's kubeconfig
// (KUBECONFIG, --kubeconfig, --context, in-cluster, exec credential plugins via client-node).
// One paginated LIST per kind, in parallel with a bound; discovery picks the served version; a kind
// that fails (403, 404, timeout) is named in the snapshot's problems and the rest goes on.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { dirname } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_FLUX_NAMESPACE, detectFluxNamespace } from '../graph/flux-namespace.js';
import { KINDS, type KindInfo } from '../kinds/table.js';
import type { K8sObject, LogEntry } from '../types.js';
import { type Snapshot, SnapshotBuilder } from './snapshot.js';

export interface LiveOptions {
  kubeconfig?: string;
  context?: string;
  /** Only this namespace (namespaced kinds); undefined = all namespaces. */
  namespace?: string;
  fluxNamespace?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Parallel LIST requests at most. */
  concurrency?: number;
  /** Read controller logs through pods/log (default true). */
  logs?: boolean;
  /** How far back to read logs. */
  logsSinceSeconds?: number;
  /** Read Secrets (only key names are kept; default true). */
  secrets?: boolean;
  onProgress?: (done: number, total: number, what: string) => void;
}

export class LiveError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A kubeconfig is small; a bigger file is not one (and reading it could hold the process). */
export const MAX_KUBECONFIG_BYTES = 16 * 1024 * 1024;

/**
 * Why a kubeconfig could not be loaded, without any of its content: YAML errors (whose messages
 * quote the lines around the error) become the line number only, and the loader's own messages are
 * kept only when they name a field, never a value. A kubeconfig argument can name any file the
 * server can read (`/proc/self/environ`), so its text must never come back in an error.
 */
export function kubeconfigError(path: string | undefined, e: unknown): string {
  const where = path ? ` ${path}` : '';
  const err = e as NodeJS.ErrnoException & { mark?: { line?: number }; name?: string };
  if (err?.name === 'YAMLException') {
    const line = typeof err.mark?.line === 'number' ? ` at line ${err.mark.line + 1}` : '';
    return `cannot read kubeconfig${where}: not a valid kubeconfig (YAML error${line})`;
  }
  if (typeof err?.code === 'string' && typeof err.syscall === 'string')
    return `cannot read kubeconfig${where}: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : err.code}`;
  const msg = err instanceof Error ? err.message : '';
  if (/^(clusters|users|contexts)\[\d+\]\.[\w.]+ is missing$/.test(msg))
    return `cannot read kubeconfig${where}: not a valid kubeconfig (${msg})`;
  if (/^Duplicate (cluster|user|context): /.test(msg))
    return `cannot read kubeconfig${where}: not a valid kubeconfig (a ${msg.split(' ')[1]!.replace(':', '')} name appears twice)`;
  return `cannot read kubeconfig${where}: not a valid kubeconfig`;
}

/**
 * Reads one kubeconfig file (regular files only, bounded) or, without a path, the default one
 * (KUBECONFIG, ~/.kube/config, in-cluster), with errors that never quote the file.
 */
export function readKubeConfig(path?: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (path) {
      const st = statSync(path);
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR', syscall: 'open' });
      if (!st.isFile()) throw new LiveError(`cannot read kubeconfig ${path}: not a regular file`);
      if (st.size > MAX_KUBECONFIG_BYTES)
        throw new LiveError(`cannot read kubeconfig ${path}: larger than ${MAX_KUBECONFIG_BYTES / 1024 / 1024} MiB`);
      const text = readFileSync(path, 'utf8');
      kc.loadFromString(text);
      // Valid YAML that is not a kubeconfig (a plain string, a list, a Kubernetes object of another
      // kind) loads as an empty config: say so, instead of "no cluster in the kubeconfig".
      if (
        kc.getClusters().length === 0 &&
        kc.getContexts().length === 0 &&
        kc.getUsers().length === 0 &&
        !/^(?:kind:\s*Config\s*$|clusters:|contexts:|users:)/m.test(text)
      )
        throw new LiveError(
          `cannot read kubeconfig ${path}: not a kubeconfig (expected a YAML mapping with clusters, contexts and users, as kubectl config view prints)`,
        );
      kc.makePathsAbsolute(dirname(path));
    } else kc.loadFromDefault();
  } catch (e) {
    if (e instanceof LiveError) throw e;
    throw new LiveError(kubeconfigError(path, e));
  }
  return kc;
}

/** Loads the kubeconfig the way kubectl does. Throws a LiveError that says what to do. */
export function loadKubeConfig(opts: { kubeconfig?: string; context?: string }): KubeConfig {
  const home = process.env.HOME ?? '';
  if (
    !opts.kubeconfig &&
    !process.env.KUBECONFIG &&
    !existsSync(`${home}/.kube/config`) &&
    !process.env.KUBERNETES_SERVICE_HOST
  ) {
    throw new LiveError(
      'no kubeconfig found (KUBECONFIG is not set, ~/.kube/config does not exist, not running in a cluster): pass --kubeconfig or --context',
    );
  }
  const kc = readKubeConfig(opts.kubeconfig);
  if (opts.context) {
    if (!kc.getContexts().some((c) => c.name === opts.context)) {
      throw new LiveError(
        `context "${opts.context}" is not in the kubeconfig (contexts: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        })`,
      );
    }
    kc.setCurrentContext(opts.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new LiveError(
      'no cluster in the kubeconfig: set KUBECONFIG, pass --kubeconfig, or use --snapshot to diagnose a snapshot file',
    );
  }
  return kc;
}

/** A small API client over client-node's auth, with timeouts, retries and a request counter. */
export class ApiClient {
  requests = 0;
  /** When the server last answered anything (ms since the epoch). */
  lastAnswerAt = 0;
  private server: URL;

  constructor(
    readonly kc: KubeConfig,
    readonly timeoutMs = 15_000,
  ) {
    this.server = new URL(kc.getCurrentCluster()!.server);
  }

  get context(): string {
    return this.kc.getCurrentContext();
  }

  get serverUrl(): string {
    return this.server.toString().replace(/\/$/, '');
  }

  /** GET (or another verb) a path; returns the body text. Retries transient failures with backoff. */
  async raw(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<string> {
    let lastErr: Error | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 300 * 2 ** attempt));
      try {
        return await this.once(method, path, body, contentType);
      } catch (e) {
        lastErr = e as Error;
        const status = (e as LiveError).status;
        const transient = status === undefined ? !/timed out/.test(lastErr.message) : status === 429 || status >= 500;
        if (!transient) break;
      }
    }
    throw lastErr!;
  }

  /** One request, no retry (a POST whose 429 means "duplicate", not "try again"). */
  rawOnce(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<string> {
    return this.once(method, path, body, contentType);
  }

  async json<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    return JSON.parse(await this.raw(method, path, body, contentType)) as T;
  }

  private async once(method: string, path: string, body: unknown, contentType: string): Promise<string> {
    this.requests++;
    const url = new URL(path, this.server);
    const opts: import('node:https').RequestOptions = {
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      path: `${this.server.pathname.replace(/\/$/, '')}${url.pathname}${url.search}`,
      headers: { Accept: 'application/json' },
      timeout: this.timeoutMs,
    };
    try {
      await this.kc.applyToHTTPSOptions(opts);
    } catch (e) {
      throw new LiveError(
        `cannot authenticate to ${this.serverUrl} with context ${this.context}: ${(e as Error).message}`,
      );
    }
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    if (data)
      opts.headers = { ...opts.headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) };
    const req = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      const timedOut = () =>
        r.destroy(new LiveError(`${method} ${url.pathname}: timed out after ${this.timeoutMs / 1000}s`));
      // The socket's idle timeout does not bound a TLS handshake with a server that stopped
      // answering: the answer's headers must come within the timeout too.
      const firstByte = setTimeout(timedOut, this.timeoutMs);
      const r = req(opts, (res) => {
        clearTimeout(firstByte);
        this.lastAnswerAt = Date.now();
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 0;
          if (code >= 300) {
            let msg = text.slice(0, 500);
            try {
              msg = JSON.parse(text).message ?? msg;
            } catch {}
            reject(new LiveError(`${method} ${url.pathname}: ${code} ${msg}`, code));
          } else resolve(text);
        });
        res.on('error', reject);
      });
      r.on('timeout', timedOut);
      r.on('error', (e) => {
        clearTimeout(firstByte);
        reject(
          e instanceof LiveError
            ? e
            : new LiveError(
                `${method} ${url.pathname}: ${(e as Error).message} (is the API server at ${this.serverUrl} reachable?)`,
              ),
        );
      });
      if (data) r.write(data);
      r.end();
    });
  }
}

export interface Served {
  kind: KindInfo;
  apiVersion: string;
}

/** Which of our kinds the server serves, at which version (ours, newest first, that the server serves). */
async function discover(api: ApiClient): Promise<{ served: Served[]; missing: KindInfo[]; version?: string }> {
  const groups = await api.json<{
    groups: { name: string; versions: { version: string }[]; preferredVersion?: { version: string } }[];
  }>('GET', '/apis');
  const byGroup = new Map(groups.groups.map((g) => [g.name, new Set(g.versions.map((v) => v.version))]));
  byGroup.set('', new Set(['v1']));
  const served: Served[] = [];
  const missing: KindInfo[] = [];
  for (const k of KINDS) {
    const versions = byGroup.get(k.group);
    const v = versions ? k.versions.find((x) => versions.has(x)) : undefined;
    if (v) served.push({ kind: k, apiVersion: k.group ? `${k.group}/${v}` : v });
    else missing.push(k);
  }
  let version: string | undefined;
  try {
    version = (await api.json<{ gitVersion: string }>('GET', '/version')).gitVersion;
  } catch {}
  return { served, missing, version };
}

export function listPath(s: Served, namespace?: string): string {
  const base = s.kind.group ? `/apis/${s.apiVersion}` : `/api/${s.apiVersion}`;
  return s.kind.namespaced && namespace
    ? `${base}/namespaces/${namespace}/${s.kind.plural}`
    : `${base}/${s.kind.plural}`;
}

/** One paginated LIST of a kind. `meta.resourceVersion` receives the list's resourceVersion (for a watch). */
export async function listAll(
  api: ApiClient,
  s: Served,
  namespace?: string,
  meta?: { resourceVersion?: string },
): Promise<unknown[]> {
  const items: unknown[] = [];
  let cont = '';
  do {
    const q = `?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
    const doc = await api.json<{ items?: unknown[]; metadata?: { continue?: string; resourceVersion?: string } }>(
      'GET',
      `${listPath(s, namespace)}${q}`,
    );
    for (const it of doc.items ?? []) items.push({ apiVersion: s.apiVersion, kind: s.kind.kind, ...(it as object) });
    cont = doc.metadata?.continue ?? '';
    if (meta && doc.metadata?.resourceVersion) meta.resourceVersion = doc.metadata.resourceVersion;
  } while (cont);
  return items;
}

async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const reason = (e: unknown): string => {
  const err = e as LiveError;
  if (err.status === 403) return `forbidden: ${err.message.replace(/^GET \S+: 403 /, '')}`;
  if (err.status === 404) return 'not served by the API server (404)';
  return err.message;
};

/** What a watch needs to resume from a read: per kind, the apiVersion read and the list's resourceVersion. */
export type ListVersions = Record<string, { apiVersion: string; resourceVersion: string }>;

/**
 * A network failure (not an HTTP answer) that means the API server itself is gone: a refused or
 * reset connection, or a timeout while the server has answered nothing for half a request timeout
 * (a server that is only slow for one big LIST still answers the others, and that kind is partial).
 */
function serverLost(client: ApiClient, e: unknown): boolean {
  if (!(e instanceof LiveError) || e.status !== undefined) return false;
  if (!/timed out/.test(e.message)) return true;
  return Date.now() - client.lastAnswerAt > client.timeoutMs / 2;
}

/** Read everything fluxdoctor uses from a live cluster into a Snapshot. */
export async function readLive(
  opts: LiveOptions,
  api?: ApiClient,
): Promise<Snapshot & { requests: number; lists: ListVersions }> {
  const kc = api?.kc ?? loadKubeConfig(opts);
  const client = api ?? new ApiClient(kc, opts.timeoutMs);
  const b = new SnapshotBuilder();
  // Without --flux-namespace, the namespace the controller Deployments run in (read below, when the
  // read is cluster-wide), else flux-system.
  let fluxNs = opts.fluxNamespace ?? DEFAULT_FLUX_NAMESPACE;
  let deployments: K8sObject[] = [];
  const { served, missing, version } = await discover(client);
  const wanted = served.filter((s) => s.kind.kind !== 'Event' && (opts.secrets !== false || s.kind.kind !== 'Secret'));
  const kindsRead: string[] = [];
  const readErrors: { source: string; message: string }[] = [];
  let done = 0;
  const total = wanted.length + 1 + (opts.logs === false ? 0 : 1);
  const tick = (what: string) => opts.onProgress?.(++done, total, what);

  const lists: ListVersions = {};
  // A server that goes away mid-read ends the read with one clear error instead of a timeout per kind.
  let lost: LiveError | undefined;
  await pool(wanted, opts.concurrency ?? 6, async (s) => {
    if (lost) return;
    try {
      const meta: { resourceVersion?: string } = {};
      const items = await listAll(client, s, opts.namespace, meta);
      if (meta.resourceVersion)
        lists[s.kind.kind] = { apiVersion: s.apiVersion, resourceVersion: meta.resourceVersion };
      // The controllers' Deployments live in the Flux namespace even when -n names another one. An
      // identity scoped to its namespace may not read them: the namespace's own objects are kept,
      // the Flux namespace's are named as unread (and the kind is not "read everywhere").
      let whole = true;
      if (opts.namespace && opts.namespace !== fluxNs && (s.kind.kind === 'Deployment' || s.kind.kind === 'Pod')) {
        try {
          items.push(...(await listAll(client, s, fluxNs)));
        } catch (e) {
          if (serverLost(client, e)) throw e;
          whole = false;
          readErrors.push({ source: `${s.kind.kind} (namespace ${fluxNs})`, message: reason(e) });
        }
      }
      // (LIST items carry no kind: only the metadata is needed to find the controllers.)
      if (s.kind.kind === 'Deployment')
        deployments = items.map((i) => ({ kind: 'Deployment', metadata: (i as K8sObject).metadata }) as K8sObject);
      b.addDocs([{ value: items, line: 0 }], `${s.kind.kind} (${s.apiVersion})`);
      if (whole) kindsRead.push(s.kind.kind);
    } catch (e) {
      if (serverLost(client, e)) lost ??= e as LiveError;
      readErrors.push({ source: s.kind.kind, message: reason(e) });
    }
    tick(s.kind.kind);
  });
  const fail = (e: LiveError): never => {
    const slow = /timed out/.test(e.message) ? ' (if the server is only slow, use a longer --request-timeout)' : '';
    throw new LiveError(
      `lost the API server at ${client.serverUrl} during the read: ${e.message.replace(/ \(is the API server at .*\)$/, '')}${slow}`,
    );
  };
  if (lost) fail(lost);
  if (!opts.fluxNamespace && !opts.namespace) fluxNs = detectFluxNamespace(deployments) ?? fluxNs;

  // Events: core/v1, or events.k8s.io/v1 when core events cannot be listed.
  const coreEvents = served.find((s) => s.kind.kind === 'Event')!;
  try {
    b.addDocs([{ value: await listAll(client, coreEvents, opts.namespace), line: 0 }], 'Event (v1)');
    kindsRead.push('Event');
  } catch (e) {
    try {
      const ev1: Served = { kind: { ...coreEvents.kind, group: 'events.k8s.io' }, apiVersion: 'events.k8s.io/v1' };
      const items = (await listAll(client, ev1, opts.namespace)).map((i) => ({
        ...(i as object),
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
      }));
      b.addDocs([{ value: items, line: 0 }], 'Event (events.k8s.io/v1)');
      kindsRead.push('Event');
    } catch {
      if (serverLost(client, e)) fail(e as LiveError);
      readErrors.push({ source: 'Event', message: reason(e) });
    }
  }
  tick('events');

  if (opts.logs !== false) {
    try {
      for (const l of await readControllerLogs(client, fluxNs, opts.logsSinceSeconds ?? 3600)) b.sink('logs').log(l);
    } catch (e) {
      if (serverLost(client, e)) fail(e as LiveError);
      readErrors.push({ source: `controller logs (${fluxNs})`, message: reason(e) });
    }
    tick('controller logs');
  }

  const snap = b.build();
  for (const k of missing.filter((x) => x.flux)) {
    snap.problems.push({
      source: k.kind,
      message: `${k.group} is not served by this cluster (CRD not installed)`,
      partial: false,
    });
  }
  for (const e of readErrors) snap.problems.push({ source: e.source, message: e.message, partial: true });
  snap.info = {
    ...snap.info,
    capturedAt: new Date().toISOString(),
    context: client.context,
    server: client.serverUrl,
    serverVersion: version,
    fluxNamespace: fluxNs,
    namespace: opts.namespace,
    kindsRead: kindsRead.sort(),
    readErrors,
  } as Snapshot['info'];
  snap.sources.push(`context ${client.context} (${client.serverUrl})`);
  return { ...snap, requests: client.requests, lists };
}

/** The Flux controllers' logs: running pods of the Flux namespace, every container, JSON lines only. */
async function readControllerLogs(api: ApiClient, ns: string, sinceSeconds: number): Promise<LogEntry[]> {
  const pods = await api.json<{
    items: {
      metadata: { name: string; labels?: Record<string, string> };
      spec: { containers: { name: string }[] };
      status?: { phase?: string };
    }[];
  }>('GET', `/api/v1/namespaces/${ns}/pods`);
  const out: LogEntry[] = [];
  const running = pods.items.filter((p) => p.status?.phase === 'Running');
  await pool(running, 4, async (p) => {
    for (const c of p.spec.containers) {
      let text = '';
      try {
        text = await api.raw(
          'GET',
          `/api/v1/namespaces/${ns}/pods/${p.metadata.name}/log?container=${encodeURIComponent(c.name)}&sinceSeconds=${sinceSeconds}&limitBytes=${8 * 1024 * 1024}`,
        );
      } catch {
        continue;
      }
      const b = new SnapshotBuilder();
      b.addLogText(text, `pod/${p.metadata.name}/${c.name}`);
      out.push(...b.build().logs);
    }
  });
  return out;
}
