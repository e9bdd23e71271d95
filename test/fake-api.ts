// A small fake Kubernetes API server on 127.0.0.1 that serves Flux kinds from an in-memory list:
// discovery, LIST (all namespaces or one, with a metadata.name fieldSelector), GET and JSON merge
// PATCH of one object. It records every request, so a test can assert exactly which object a
// write touched. A PATCH that requests a reconcile is "handled" at once (Ready=True), so the write
// verbs' wait finishes.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KINDS } from '../src/kinds/table.js';
import type { K8sObject } from '../src/types.js';

export interface FakeRequest {
  method: string;
  path: string;
  body: string;
  type?: string;
}

export interface FakeApi {
  server: Server;
  url: string;
  kubeconfig: string;
  requests: FakeRequest[];
  objects: K8sObject[];
  /** Answer 403 Forbidden (as RBAC does) to the requests this returns true for. */
  forbid?: (method: string, path: string) => boolean;
  /** Text added to the 403 message (a webhook authorizer may quote anything there). */
  forbidSuffix?: string;
  /** After a reconcile request is handled (Ready=True by default), change the object as the controller would. */
  handled?: (o: K8sObject) => void;
  close(): void;
}

function merge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (typeof v === 'object' && !Array.isArray(v))
      out[k] = merge((out[k] as Record<string, unknown>) ?? {}, v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

export async function fakeApi(objects: K8sObject[] = []): Promise<FakeApi> {
  const fake = { requests: [], objects } as unknown as FakeApi;
  const served = KINDS.filter((k) => k.group);
  let rv = 1000;
  fake.server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      fake.requests.push({ method: req.method!, path: req.url!, body, type: req.headers['content-type'] });
      const json = (code: number, v: unknown) => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(v));
      };
      const u = new URL(req.url!, 'http://x');
      const p = u.pathname;
      if (fake.forbid?.(req.method!, p)) {
        // The apiserver's RBAC message (k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go).
        const r = /^\/apis?\/(?:([^/]+)\/)?v[^/]*(?:\/namespaces\/([^/]+))?\/([^/]+)/.exec(p);
        const [group, ns, plural] = p.startsWith('/api/') ? ['', r?.[2], r?.[3]] : [r?.[1] ?? '', r?.[2], r?.[3]];
        const where = ns ? `in the namespace "${ns}"` : 'at the cluster scope';
        return json(403, {
          kind: 'Status',
          status: 'Failure',
          reason: 'Forbidden',
          code: 403,
          message: `${plural}${group ? `.${group}` : ''} is forbidden: User "system:serviceaccount:team-a:reader" cannot list resource "${plural}" in API group "${group}" ${where}${fake.forbidSuffix ?? ''}`,
        });
      }
      if (p === '/version') return json(200, { gitVersion: 'v1.34.0' });
      if (p === '/apis') {
        const groups = [...new Set(served.map((k) => k.group))].map((g) => {
          const versions = served.find((k) => k.group === g)!.versions;
          return {
            name: g,
            versions: versions.map((v) => ({ groupVersion: `${g}/${v}`, version: v })),
            preferredVersion: { version: versions[0] },
          };
        });
        return json(200, { groups });
      }
      const group = /^\/apis\/([^/]+)$/.exec(p);
      if (group) {
        const k = served.find((x) => x.group === group[1]);
        if (!k) return json(404, { kind: 'Status', message: 'not found' });
        return json(200, {
          versions: k.versions.map((v) => ({ groupVersion: `${k.group}/${v}`, version: v })),
          preferredVersion: { version: k.versions[0] },
        });
      }
      const m = /^\/apis\/([^/]+)\/([^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(p);
      if (m) {
        const [, g, v, ns, plural, name] = m;
        const k = served.find((x) => x.group === g && x.plural === plural && x.versions.includes(v!));
        if (!k) return json(404, { kind: 'Status', message: `${p} not found` });
        const mine = fake.objects.filter((o) => o.kind === k.kind && (ns === undefined || o.metadata.namespace === ns));
        if (name === undefined) {
          if (req.method !== 'GET') return json(405, { kind: 'Status', message: 'method not allowed' });
          const sel = u.searchParams.get('fieldSelector');
          const want = sel?.startsWith('metadata.name=') ? sel.slice('metadata.name='.length) : undefined;
          return json(200, {
            kind: `${k.kind}List`,
            items: mine.filter((o) => want === undefined || o.metadata.name === want),
            metadata: { resourceVersion: String(rv) },
          });
        }
        const o = mine.find((x) => x.metadata.name === decodeURIComponent(name));
        if (!o) return json(404, { kind: 'Status', message: `${k.plural} "${name}" not found`, code: 404 });
        if (req.method === 'PATCH') {
          const patch = JSON.parse(body) as Record<string, unknown>;
          const next = merge(o as unknown as Record<string, unknown>, patch) as unknown as K8sObject;
          next.metadata.resourceVersion = String(++rv);
          const requested = next.metadata.annotations?.['reconcile.fluxcd.io/requestedAt'];
          if (requested && !next.spec?.suspend)
            next.status = {
              ...(next.status ?? {}),
              lastHandledReconcileAt: requested,
              observedGeneration: next.metadata.generation ?? 1,
              conditions: [
                {
                  type: 'Ready',
                  status: 'True',
                  reason: 'ReconciliationSucceeded',
                  message: 'Applied revision: main@sha1:0123456789abcdef',
                  lastTransitionTime: '2026-11-24T10:00:00Z',
                },
              ],
            };
          if (requested && !next.spec?.suspend) fake.handled?.(next);
          fake.objects[fake.objects.indexOf(o)] = next;
          return json(200, next);
        }
        if (req.method === 'GET') return json(200, o);
        return json(405, { kind: 'Status', message: 'method not allowed' });
      }
      if (p.startsWith('/api/')) return json(200, { items: [], metadata: { resourceVersion: '1' } });
      if (p === '/api') return json(200, { versions: ['v1'] });
      json(404, { kind: 'Status', message: 'not found' });
    });
  });
  await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  fake.kubeconfig = join(mkdtempSync(join(tmpdir(), 'fd-fakeapi-')), 'config');
  writeFileSync(
    fake.kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: ${fake.url}\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: fake\n  context:\n    cluster: fake\n    user: u\n    namespace: team-a\ncurrent-context: fake\n`,
  );
  fake.close = () => {
    fake.server.closeAllConnections();
    fake.server.close();
  };
  return fake;
}

/** The requests that write (anything but GET). */
export const writes = (fake: FakeApi): FakeRequest[] => fake.requests.filter((r) => r.method !== 'GET');
