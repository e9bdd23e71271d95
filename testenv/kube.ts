// A small REST client for the test environment's own API server: server-side apply of any kind
// (paths found by discovery), status writes as a kubelet or controller would make them, and waits.

import { readFileSync } from 'node:fs';
import { request } from 'node:https';

export interface KubeConn {
  server: string; // https://127.0.0.1:port
  token: string;
  caFile: string;
}

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are untyped here
export type Obj = Record<string, any>;

interface Resource {
  name: string;
  namespaced: boolean;
  kind: string;
}

export class KubeError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    message: string,
  ) {
    super(message);
  }
}

export class Kube {
  private ca: Buffer;
  private discovery = new Map<string, Resource[]>();

  constructor(readonly conn: KubeConn) {
    this.ca = readFileSync(conn.caFile);
  }

  request(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    timeoutMs = 30_000,
  ): Promise<Obj> {
    const url = new URL(path, this.conn.server);
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: this.ca,
          headers: {
            Authorization: `Bearer ${this.conn.token}`,
            Accept: 'application/json',
            ...(data ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) } : {}),
          },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 0) >= 300) {
              reject(
                new KubeError(res.statusCode ?? 0, text, `${method} ${path}: ${res.statusCode} ${text.slice(0, 500)}`),
              );
              return;
            }
            try {
              resolve(text ? JSON.parse(text) : {});
            } catch {
              resolve({ raw: text });
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      if (data) req.write(data);
      req.end();
    });
  }

  private async resources(apiVersion: string): Promise<Resource[]> {
    let r = this.discovery.get(apiVersion);
    if (!r) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      let doc: Obj;
      try {
        doc = await this.request('GET', path);
      } catch (e) {
        if (e instanceof KubeError && e.status === 404) throw new Error(`the API server does not serve ${apiVersion}`);
        throw e;
      }
      r = (doc.resources as Resource[]).filter((x) => !x.name.includes('/'));
      this.discovery.set(apiVersion, r);
    }
    return r;
  }

  /** The REST path of an object (or of its collection when name is omitted). */
  async path(apiVersion: string, kind: string, namespace?: string, name?: string): Promise<string> {
    const res = (await this.resources(apiVersion)).find((x) => x.kind === kind);
    if (!res) {
      this.discovery.delete(apiVersion);
      throw new Error(`the API server does not serve ${kind} in ${apiVersion}`);
    }
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = res.namespaced ? `/namespaces/${namespace ?? 'default'}` : '';
    return `${base}${ns}/${res.name}${name ? `/${name}` : ''}`;
  }

  /** Server-side apply (create or update) as field manager `fluxdoctor-testenv`. */
  async apply(o: Obj, fieldManager = 'fluxdoctor-testenv'): Promise<Obj> {
    const p = await this.path(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name);
    return this.request('PATCH', `${p}?fieldManager=${fieldManager}&force=true`, o, 'application/apply-patch+yaml');
  }

  async applyAll(objs: Obj[]): Promise<void> {
    for (const o of objs) await this.apply(o);
  }

  async get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<Obj | undefined> {
    try {
      return await this.request('GET', await this.path(apiVersion, kind, namespace, name));
    } catch (e) {
      if (e instanceof KubeError && e.status === 404) return undefined;
      throw e;
    }
  }

  async list(apiVersion: string, kind: string, namespace?: string): Promise<Obj[]> {
    const out: Obj[] = [];
    let cont = '';
    do {
      const p = await this.path(apiVersion, kind, namespace);
      const doc = await this.request('GET', `${p}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      for (const item of doc.items ?? []) out.push({ apiVersion, kind, ...item });
      cont = doc.metadata?.continue ?? '';
    } while (cont);
    return out;
  }

  async delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<void> {
    try {
      await this.request('DELETE', await this.path(apiVersion, kind, namespace, name));
    } catch (e) {
      if (!(e instanceof KubeError && e.status === 404)) throw e;
    }
  }

  /** Merge-patch the status subresource, the way a kubelet or a controller writes status. */
  async patchStatus(o: Obj, status: Obj): Promise<Obj> {
    const p = await this.path(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name);
    return this.request('PATCH', `${p}/status`, { status }, 'application/merge-patch+json');
  }

  /** Merge-patch an object (annotations, spec fields). */
  async mergePatch(o: Obj, patch: Obj): Promise<Obj> {
    const p = await this.path(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name);
    return this.request('PATCH', p, patch, 'application/merge-patch+json');
  }

  /** Poll an object until `test` is true; returns it, or throws with its last state. */
  async waitFor(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    test: (o: Obj) => boolean,
    timeoutMs = 90_000,
    what = 'condition',
  ): Promise<Obj> {
    const deadline = Date.now() + timeoutMs;
    let last: Obj | undefined;
    while (Date.now() < deadline) {
      last = await this.get(apiVersion, kind, namespace, name);
      if (last && test(last)) return last;
      await sleep(500);
    }
    throw new Error(
      `timed out after ${timeoutMs / 1000}s waiting for ${kind} ${namespace ?? ''}/${name} ${what}; last status: ${JSON.stringify(last?.status ?? null).slice(0, 1500)}`,
    );
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A condition of an object, by type. */
export function cond(o: Obj | undefined, type: string): Obj | undefined {
  return (o?.status?.conditions ?? []).find((c: Obj) => c.type === type);
}

/** True when the Ready condition is False and its reason/message match. */
export function readyFalse(reason?: string | RegExp, message?: RegExp): (o: Obj) => boolean {
  return (o) => {
    const c = cond(o, 'Ready');
    if (c?.status !== 'False') return false;
    if (reason && !(typeof reason === 'string' ? c.reason === reason : reason.test(c.reason))) return false;
    if (message && !message.test(c.message ?? '')) return false;
    return true;
  };
}

export function readyTrue(o: Obj): boolean {
  return cond(o, 'Ready')?.status === 'True';
}
