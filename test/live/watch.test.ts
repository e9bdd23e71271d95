// watch: the in-memory object set and its health transitions (pure), and the streams against a small
// fake API server on 127.0.0.1: events become transitions, a dropped connection is resumed from the
// last resourceVersion, a 410 re-lists that kind. The same fake server checks the exact request the
// suspend verb sends.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Io, main } from '../../src/cli/main.js';
import { formatTransition, type Transition, WatchState, watchFlux } from '../../src/live/watch.js';
import { ApiClient, loadKubeConfig } from '../../src/read/live.js';
import type { K8sObject } from '../../src/types.js';
import { cond, obj, READY } from '../helpers.js';

const T = '2026-11-24T10:00:00Z';
const failed = (reason: string, message: string) => ({
  observedGeneration: 1,
  conditions: [cond('Ready', 'False', reason, message)],
});

function repo(name: string, status: object, rv = '10'): K8sObject {
  const o = obj('GitRepository', `apps/${name}`, { spec: { url: 'https://x' }, status });
  o.metadata.resourceVersion = rv;
  return o;
}

describe('WatchState', () => {
  it('reports a change of health state or reason, not of message alone', () => {
    const s = new WatchState();
    s.seed([repo('web', READY())]);
    assert.equal(s.apply('MODIFIED', repo('web', READY('stored artifact for revision 2')), T), undefined);
    const t = s.apply('MODIFIED', repo('web', failed('GitOperationFailed', 'connection refused')), T);
    assert.deepEqual(t, {
      time: T,
      kind: 'GitRepository',
      namespace: 'apps',
      name: 'web',
      from: 'Ready',
      to: 'Failed',
      reason: 'GitOperationFailed',
      message: 'connection refused',
    });
    assert.equal(s.apply('MODIFIED', repo('web', failed('GitOperationFailed', 'timeout')), T), undefined);
    assert.equal(
      s.apply('MODIFIED', repo('web', failed('AuthenticationFailed', 'bad creds')), T)?.reason,
      'AuthenticationFailed',
    );
  });

  it('new and deleted objects; a re-list applies the differences', () => {
    const s = new WatchState();
    s.seed([repo('a', READY()), repo('b', READY())]);
    assert.equal(s.apply('ADDED', repo('c', { conditions: [] }), T)?.from, undefined);
    assert.equal(s.apply('DELETED', repo('a', READY()), T)?.to, 'Deleted');
    const ts = s.replaceKind('GitRepository', [repo('b', failed('X', 'y'))], T);
    assert.deepEqual(
      ts.map((t) => `${t.name}:${t.from}->${t.to}`),
      ['b:Ready->Failed', 'c:Unknown->Deleted'],
    );
    assert.equal(s.count(), 1);
  });

  it('prints one sanitised line per transition', () => {
    const s = new WatchState();
    s.seed([repo('web', READY())]);
    const t = s.apply('MODIFIED', repo('web', failed('Bad\u001b[31m', 'line one\nline two \u001b]0;title\u0007')), T)!;
    const line = formatTransition(t);
    assert.equal(line, '2026-11-24T10:00:00Z GitRepository apps/web: Ready → Failed (Bad: line one line two)');
  });
});

// ---------- a fake API server ----------

interface Fake {
  server: Server;
  url: string;
  kubeconfig: string;
  requests: { method: string; path: string; body: string; type?: string }[];
  watch: (req: IncomingMessage, res: ServerResponse, n: number) => void;
  objects: K8sObject[];
  listRv: string;
}

function writeKubeconfig(url: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'fd-fake-')), 'config');
  writeFileSync(
    p,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: ${url}\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: fake\n  context:\n    cluster: fake\n    user: u\n    namespace: team-a\ncurrent-context: fake\n`,
  );
  return p;
}

async function fakeApi(): Promise<Fake> {
  let watches = 0;
  const fake = { requests: [], objects: [], listRv: '100' } as unknown as Fake;
  fake.server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const u = new URL(req.url!, 'http://x');
      fake.requests.push({ method: req.method!, path: req.url!, body, type: req.headers['content-type'] });
      const json = (code: number, v: unknown) => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(v));
      };
      if (u.pathname === '/apis')
        return json(200, {
          groups: [
            { name: 'source.toolkit.fluxcd.io', versions: [{ version: 'v1' }], preferredVersion: { version: 'v1' } },
          ],
        });
      if (u.pathname === '/apis/source.toolkit.fluxcd.io')
        return json(200, {
          versions: [{ groupVersion: 'source.toolkit.fluxcd.io/v1', version: 'v1' }],
          preferredVersion: { version: 'v1' },
        });
      if (u.pathname === '/version') return json(200, { gitVersion: 'v1.34.0' });
      if (u.searchParams.get('watch') === '1') return fake.watch(req, res, ++watches);
      if (u.pathname === '/apis/source.toolkit.fluxcd.io/v1/gitrepositories')
        return json(200, { items: fake.objects, metadata: { resourceVersion: fake.listRv } });
      const one = /^\/apis\/source\.toolkit\.fluxcd\.io\/v1\/namespaces\/([^/]+)\/gitrepositories\/([^/]+)$/.exec(
        u.pathname,
      );
      if (one) {
        const o = fake.objects.find((x) => x.metadata.namespace === one[1] && x.metadata.name === one[2]);
        if (!o) return json(404, { kind: 'Status', message: 'not found' });
        if (req.method === 'PATCH') {
          const p = JSON.parse(body);
          o.spec = { ...o.spec, ...(p.spec ?? {}) };
        }
        return json(200, o);
      }
      if (u.pathname.startsWith('/api')) return json(200, { items: [], metadata: { resourceVersion: '1' } });
      json(404, { message: 'not found' });
    });
  });
  await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  fake.kubeconfig = writeKubeconfig(fake.url);
  return fake;
}

const event = (type: string, o: K8sObject) => `${JSON.stringify({ type, object: o })}\n`;

describe('watchFlux against a fake API server', () => {
  let fake: Fake;
  before(async () => {
    fake = await fakeApi();
  });
  after(() => {
    fake.server.closeAllConnections();
    fake.server.close();
  });

  it('turns events into transitions, resumes after a dropped connection, re-lists on 410', async () => {
    fake.objects = [repo('web', READY(), '200')];
    const state = new WatchState();
    state.seed([repo('web', READY(), '100')]);
    const transitions: Transition[] = [];
    const notices: string[] = [];
    const stop = new AbortController();
    fake.watch = (req, res, n) => {
      const rv = new URL(req.url!, 'http://x').searchParams.get('resourceVersion');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (n === 1) {
        assert.equal(rv, '100');
        res.write(event('MODIFIED', repo('web', failed('GitOperationFailed', 'refused'), '150')));
        res.write(
          `${JSON.stringify({ type: 'BOOKMARK', object: { kind: 'GitRepository', metadata: { resourceVersion: '160' } } })}\n`,
        );
        // The server goes away mid-stream.
        setTimeout(() => res.socket?.destroy(), 50);
      } else if (n === 2) {
        assert.equal(rv, '160', 'resumes from the last resourceVersion (bookmark)');
        res.end(
          `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, message: 'too old resource version' } })}\n`,
        );
      } else {
        assert.equal(rv, '100', 'after a re-list, from the list resourceVersion');
        setTimeout(() => stop.abort(), 100);
      }
    };
    const api = new ApiClient(loadKubeConfig({ kubeconfig: fake.kubeconfig }), 2000);
    await watchFlux(
      api,
      state,
      { GitRepository: { apiVersion: 'source.toolkit.fluxcd.io/v1', resourceVersion: '100' } },
      {
        signal: stop.signal,
        onTransition: (t) => transitions.push(t),
        onNotice: (m) => notices.push(m),
        backoff: { initialMs: 20, maxMs: 100 },
        now: () => T,
      },
    );
    assert.deepEqual(
      transitions.map((t) => `${t.from}->${t.to}`),
      ['Ready->Failed', 'Failed->Ready'],
    );
    assert.ok(
      notices.some((m) => /connection to the API server lost/.test(m)),
      notices.join('\n'),
    );
    assert.ok(
      notices.some((m) => /reconnected/.test(m)),
      notices.join('\n'),
    );
    assert.ok(
      notices.some((m) => /resourceVersion expired, listed again: GitRepository/.test(m)),
      notices.join('\n'),
    );
    const watchPaths = fake.requests.filter((r) => r.path.includes('watch=1')).map((r) => r.path);
    assert.ok(
      watchPaths.every((p) =>
        p.startsWith('/apis/source.toolkit.fluxcd.io/v1/gitrepositories?watch=1&allowWatchBookmarks=true'),
      ),
    );
  });

  it('suspend sends one JSON merge patch of spec.suspend, in the one namespace where the name exists', async () => {
    fake.objects = [obj('GitRepository', 'team-a/web', { spec: { url: 'https://x' } })];
    fake.requests = [];
    let out = '';
    const io: Io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env: {} };
    const code = await main(['node', 'fluxdoctor', 'suspend', 'gitrepo/web', '--kubeconfig', fake.kubeconfig], io);
    assert.equal(code, 0, out);
    const patches = fake.requests.filter((r) => r.method === 'PATCH');
    assert.deepEqual(
      patches.map((p) => [p.path, p.type, JSON.parse(p.body)]),
      [
        [
          '/apis/source.toolkit.fluxcd.io/v1/namespaces/team-a/gitrepositories/web',
          'application/merge-patch+json',
          { spec: { suspend: true } },
        ],
      ],
    );
    assert.ok(fake.requests.every((r) => r.method === 'GET' || r.method === 'PATCH'));
    assert.match(out, /✓ GitRepository team-a\/web suspended/);
  });
});
