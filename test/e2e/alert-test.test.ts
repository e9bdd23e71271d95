// `alert test --send` against the real notification-controller (v1.9.2, core tier): a loopback HTTP
// server of this test is the receiving end of two `generic` Providers. Alert `ok` takes every
// GitRepository event; Alert `drop` takes the same events but its exclusionList drops the test event
// and the GitRepository's real failure events. `alert test drop --send` posts one event to the
// controller's event server: the server receives it on /ok (dispatched through the real path) and
// never on /drop, and `alert test drop` explains the drop of the real events by the exclusionList.

process.env.FLUXDOCTOR_TESTENV_RUN ??= `${process.env.HOME}/.cache/fluxdoctor-testenv/run-alert-test`;

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { type Io, main } from '../../src/cli/main.js';
import { down } from '../../testenv/down.js';
import { Kube, sleep } from '../../testenv/kube.js';
import { freePorts, type State } from '../../testenv/proc.js';
import { NOTIF_B3 } from '../../testenv/scenarios/lib.js';
import { up } from '../../testenv/up.js';

let state: State;
let kube: Kube;
let server: Server;
const got: { path: string; body: { message?: string; involvedObject?: { kind?: string; name?: string } } }[] = [];
const NS = `alert-test-${Date.now().toString(36)}`;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: { NO_COLOR: '1' },
  };
  const code = await main(['node', 'fluxdoctor', ...args, '--kubeconfig', state.kubeconfig], io);
  return { code, out, err };
}

describe('alert test against notification-controller', () => {
  before(async () => {
    state = await up();
    kube = new Kube({ server: state.server, token: state.token, caFile: state.caFile });
    const [port, closed] = await freePorts(2);
    server = createServer((req, res) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => {
        try {
          got.push({ path: req.url ?? '', body: JSON.parse(b) });
        } catch {
          got.push({ path: req.url ?? '', body: {} });
        }
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const prov = (name: string) => ({
      apiVersion: NOTIF_B3,
      kind: 'Provider',
      metadata: { name, namespace: NS },
      spec: { type: 'generic', address: `http://127.0.0.1:${port}/${name}` },
    });
    await kube.applyAll([
      prov('ok'),
      prov('drop'),
      {
        apiVersion: NOTIF_B3,
        kind: 'Alert',
        metadata: { name: 'ok', namespace: NS },
        spec: {
          providerRef: { name: 'ok' },
          eventSeverity: 'info',
          eventSources: [{ kind: 'GitRepository', name: '*' }],
        },
      },
      {
        apiVersion: NOTIF_B3,
        kind: 'Alert',
        metadata: { name: 'drop', namespace: NS },
        spec: {
          providerRef: { name: 'drop' },
          eventSources: [{ kind: 'GitRepository', name: 'repo' }],
          exclusionList: ['^fluxdoctor alert test', 'failed to checkout'],
        },
      },
    ]);
    await sleep(2000); // let notification-controller's cache see the Alerts before events arrive
    await kube.apply({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'repo', namespace: NS },
      spec: { url: `http://127.0.0.1:${closed}/nothing.git`, interval: '1h', ref: { branch: 'main' } },
    });
    // The real failure event reaches the loopback server through Alert ok.
    for (let i = 0; i < 150 && !got.some((g) => g.path === '/ok'); i++) await sleep(200);
  });
  after(async () => {
    try {
      await kube
        ?.mergePatch(
          {
            apiVersion: 'source.toolkit.fluxcd.io/v1',
            kind: 'GitRepository',
            metadata: { name: 'repo', namespace: NS },
          },
          { spec: { suspend: true } },
        )
        .catch(() => {});
    } finally {
      server?.close();
      if (process.env.FLUXDOCTOR_TESTENV_KEEP !== '1') await down();
    }
  });

  it('the real failure event was forwarded through ok and never through drop', () => {
    assert.ok(
      got.some((g) => g.path === '/ok' && g.body.involvedObject?.name === 'repo'),
      JSON.stringify(got),
    );
    assert.ok(!got.some((g) => g.path === '/drop'), JSON.stringify(got));
  });

  it('alert test read live: ok forwards the GitRepository events, drop explains the exclusionList', async () => {
    const ok = JSON.parse((await cli(['alert', 'test', 'ok', '-n', NS, '-o', 'json'])).out);
    const warn = ok.events.find((e: { type: string }) => e.type === 'Warning');
    assert.ok(warn, JSON.stringify(ok.events));
    assert.equal(warn.step, 'forwarded');
    assert.equal(ok.provider.address.host, `127.0.0.1:${(server.address() as { port: number }).port}`);
    const r = await cli(['alert', 'test', 'drop', '-n', NS]);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /drop:excluded/);
    assert.match(r.out, /exclusionList failed to checkout matches/);
  });

  it('--send: the controller dispatches the test event to ok, and drop excludes it', async () => {
    const before = got.length;
    const url = `http://127.0.0.1:${state.ports['notification-events']}/`;
    const r = await cli(['alert', 'test', 'drop', '-n', NS, '--send', '--url', url, '-o', 'json']);
    const j = JSON.parse(r.out);
    assert.equal(j.sent.status, 202, r.out + r.err);
    assert.deepEqual(j.sent.event.involvedObject.name, 'repo');
    for (let i = 0; i < 100 && !got.slice(before).some((g) => /^fluxdoctor alert test/.test(g.body.message ?? '')); i++)
      await sleep(200);
    const test = got.slice(before).filter((g) => /^fluxdoctor alert test/.test(g.body.message ?? ''));
    assert.deepEqual(
      test.map((g) => g.path),
      ['/ok'],
      'received once, through Alert ok only',
    );
  });
});
