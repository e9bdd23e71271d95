// The write verbs touch exactly the object named (issue 8): `suspend Kustomization/flux-system/apps`
// used to PATCH flux-system/flux-system, `reconcile hr/flux-system/redis` to look up
// default/flux-system. Against a fake API server on 127.0.0.1 holding decoys at exactly the
// objects the old parser hit, the CLI and the MCP write tools must send one PATCH, to the object
// named, and nothing for a target that is refused or ambiguous.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type Io, main } from '../../src/cli/main.js';
import type { K8sObject } from '../../src/types.js';
import { type FakeApi, fakeApi, writes } from '../fake-api.js';
import { obj, READY } from '../helpers.js';

const KS = '/apis/kustomize.toolkit.fluxcd.io/v1';
const HR = '/apis/helm.toolkit.fluxcd.io/v2';

const objects = (): K8sObject[] =>
  [
    obj('Kustomization', 'flux-system/flux-system', { spec: { interval: '10m' }, status: READY() }),
    obj('Kustomization', 'flux-system/apps', { spec: { interval: '10m' }, status: READY() }),
    obj('Kustomization', 'team-a/apps', { spec: { interval: '10m' }, status: READY() }),
    obj('Kustomization', 'team-a/only-here', { spec: { interval: '10m' }, status: READY() }),
    obj('HelmRelease', 'flux-system/redis', { spec: { interval: '10m' }, status: READY() }),
    // Decoy: what `reconcile hr/flux-system/redis` used to look up.
    obj('HelmRelease', 'default/flux-system', { spec: { interval: '10m' }, status: READY() }),
  ].map((o) => {
    o.metadata.resourceVersion = '1';
    o.metadata.generation = 1;
    return o;
  });

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: {},
  };
  const code = await main(['node', 'fluxdoctor', ...args], io);
  return { code, out, err };
}

const patchPaths = (fake: FakeApi) => writes(fake).map((r) => `${r.method} ${r.path}`);

describe('CLI write verbs: the PATCH names exactly the target', () => {
  let fake: FakeApi;
  before(async () => {
    fake = await fakeApi();
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.objects = objects();
    fake.requests = [];
  });

  it('suspend Kustomization/flux-system/apps patches flux-system/apps only', async () => {
    const r = await run(['suspend', 'Kustomization/flux-system/apps', '--kubeconfig', fake.kubeconfig]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(patchPaths(fake), [`PATCH ${KS}/namespaces/flux-system/kustomizations/apps`]);
    assert.deepEqual(JSON.parse(writes(fake)[0]!.body), { spec: { suspend: true } });
    assert.match(r.out, /Kustomization flux-system\/apps suspended/);
    const byId = new Map(fake.objects.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
    assert.equal(byId.get('flux-system/apps')!.spec!.suspend, true);
    assert.equal(byId.get('flux-system/flux-system')!.spec!.suspend, undefined);
    assert.equal(byId.get('team-a/apps')!.spec!.suspend, undefined);
  });

  it('the same object however it is spelled: ks/flux-system/apps, KS/apps -n flux-system, ks flux-system/apps', async () => {
    for (const args of [
      ['ks/flux-system/apps'],
      ['KS/apps', '-n', 'flux-system'],
      ['kustomizations.kustomize.toolkit.fluxcd.io/flux-system/apps', '-n', 'flux-system'],
      ['ks', 'flux-system/apps'],
      ['kustomization', 'apps', '-n', 'flux-system'],
    ]) {
      fake.requests = [];
      const r = await run(['suspend', ...args, '--kubeconfig', fake.kubeconfig]);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
      assert.deepEqual(patchPaths(fake), [`PATCH ${KS}/namespaces/flux-system/kustomizations/apps`], args.join(' '));
    }
  });

  it('reconcile hr/flux-system/redis reads and patches flux-system/redis, not default/flux-system', async () => {
    const r = await run(['reconcile', 'hr/flux-system/redis', '--kubeconfig', fake.kubeconfig, '--timeout', '10s']);
    assert.equal(r.code, 0, r.err + r.out);
    assert.deepEqual(patchPaths(fake), [`PATCH ${HR}/namespaces/flux-system/helmreleases/redis`]);
    assert.ok(
      !fake.requests.some((q) => q.path.includes('/helmreleases/flux-system')),
      'the decoy default/flux-system is never read',
    );
    const body = JSON.parse(writes(fake)[0]!.body);
    assert.deepEqual(Object.keys(body.metadata.annotations), ['reconcile.fluxcd.io/requestedAt']);
  });

  it('resume ks/flux-system/apps patches flux-system/apps', async () => {
    fake.objects.find((o) => o.metadata.namespace === 'flux-system' && o.metadata.name === 'apps')!.spec!.suspend =
      true;
    const r = await run(['resume', 'ks/flux-system/apps', '--kubeconfig', fake.kubeconfig, '--no-wait']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(patchPaths(fake), [`PATCH ${KS}/namespaces/flux-system/kustomizations/apps`]);
  });

  it('without a namespace: one match is used, several are refused naming them, none says so', async () => {
    const one = await run(['suspend', 'ks/only-here', '--kubeconfig', fake.kubeconfig]);
    assert.equal(one.code, 0, one.err);
    assert.deepEqual(patchPaths(fake), [`PATCH ${KS}/namespaces/team-a/kustomizations/only-here`]);

    fake.requests = [];
    const amb = await run(['suspend', 'ks/apps', '--kubeconfig', fake.kubeconfig]);
    assert.equal(amb.code, 2);
    assert.match(amb.err, /several namespaces \(flux-system, team-a\).*-n NAMESPACE/);
    const none = await run(['reconcile', 'hr/nope', '--kubeconfig', fake.kubeconfig]);
    assert.equal(none.code, 2);
    assert.match(none.err, /no HelmRelease named nope/);
    assert.doesNotMatch(none.err, /flux-system|default/);
    const missing = await run(['suspend', 'ks/nope', '-n', 'team-a', '--kubeconfig', fake.kubeconfig]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no Kustomization named nope in namespace team-a/);
    assert.deepEqual(patchPaths(fake), []);
  });

  it('refused targets send no request at all', async () => {
    for (const t of [
      ['ks/flux-system/apps', '-n', 'team-a'],
      ['ks/..'],
      ['ks/.'],
      ['ks/flux-system/..'],
      ['ks/../apps'],
      ['ks/a/b/c'],
      ['ks/Apps'],
      ['ks/ap ps'],
      ['ks/äpps'],
      ['kustomizaton/apps'],
      ['deploy/flux-system/web'],
    ]) {
      const r = await run(['suspend', ...t, '--kubeconfig', fake.kubeconfig]);
      assert.equal(r.code, 2, t.join(' '));
      assert.match(r.err, /invalid|unknown kind|not a Flux kind|names namespace/, t.join(' '));
    }
    assert.deepEqual(fake.requests, []);
  });
});

describe('MCP write tools: the same parser, the same object', () => {
  let fake: FakeApi;
  let client: Client;
  before(async () => {
    fake = await fakeApi();
    client = new Client({ name: 'fluxdoctor-test', version: '0.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ['--import', 'tsx', join(import.meta.dirname, '..', 'mcp-entry.ts'), 'mcp', '--allow-write'],
        cwd: join(import.meta.dirname, '..', '..'),
        stderr: 'pipe',
      }),
    );
  });
  after(async () => {
    await client?.close();
    fake.close();
  });
  beforeEach(() => {
    fake.objects = objects();
    fake.requests = [];
  });
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: { kubeconfig: fake.kubeconfig, ...args } })) as CallToolResult;
  const text = (r: CallToolResult) => r.content.map((x) => (x.type === 'text' ? x.text : '')).join('\n');

  it('suspend {target: "Kustomization/flux-system/apps"} patches flux-system/apps only', async () => {
    const r = await call('suspend', { target: 'Kustomization/flux-system/apps' });
    assert.ok(!r.isError, text(r));
    assert.deepEqual(patchPaths(fake), [`PATCH ${KS}/namespaces/flux-system/kustomizations/apps`]);
    assert.deepEqual((r.structuredContent as { object: unknown }).object, {
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'apps',
    });
  });

  it('reconcile {target: "hr/flux-system/redis"} and resume with {namespace} name the same objects as the CLI', async () => {
    const r = await call('reconcile', { target: 'hr/flux-system/redis', timeoutSeconds: 10 });
    assert.ok(!r.isError, text(r));
    fake.objects.find((o) => o.metadata.namespace === 'flux-system' && o.metadata.name === 'apps')!.spec!.suspend =
      true;
    const s = await call('resume', { target: 'ks/apps', namespace: 'flux-system', wait: false });
    assert.ok(!s.isError, text(s));
    assert.deepEqual(patchPaths(fake), [
      `PATCH ${HR}/namespaces/flux-system/helmreleases/redis`,
      `PATCH ${KS}/namespaces/flux-system/kustomizations/apps`,
    ]);
  });

  it('refuses ambiguous, contradictory and invalid targets without writing', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ target: 'ks/apps' }, /several namespaces \(flux-system, team-a\)/],
      [{ target: 'ks/flux-system/apps', namespace: 'team-a' }, /names namespace flux-system/],
      [{ target: 'ks/..' }, /not a valid object name/],
      [{ target: 'ks/flux-system/apps/x' }, /4 segments/],
      [{ target: 'hr/nope' }, /no HelmRelease named nope/],
    ];
    for (const [args, re] of cases) {
      const r = await call('suspend', args);
      assert.equal(r.isError, true, JSON.stringify(args));
      assert.match(text(r), re, JSON.stringify(args));
    }
    assert.deepEqual(patchPaths(fake), []);
  });

  it('read tools use the same parser: trace and tree take Kustomization/flux-system/apps, refuse 4 segments', async () => {
    for (const tool of ['trace', 'tree']) {
      const r = await call(tool, { target: 'Kustomization/flux-system/apps', snapshot: 'examples/multi-hop' });
      assert.ok(!r.isError, text(r));
      assert.deepEqual((r.structuredContent as { root: { ref: unknown } }).root.ref, {
        kind: 'Kustomization',
        namespace: 'flux-system',
        name: 'apps',
      });
      const bad = await call(tool, { target: 'Kustomization/flux-system/apps/x', snapshot: 'examples/multi-hop' });
      assert.equal(bad.isError, true);
      assert.match(text(bad), /4 segments.*KIND\/NAMESPACE\/NAME/);
    }
    const ev = await call('events', {
      target: 'ks/flux-system/apps',
      namespace: 'team-a',
      snapshot: 'examples/multi-hop',
    });
    assert.equal(ev.isError, true);
    assert.match(text(ev), /names namespace flux-system but -n \(namespace\) is team-a/);
  });
});
