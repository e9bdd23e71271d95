// The MCP server against the real control plane: `fluxdoctor mcp` as a child process, the SDK's
// client over stdio and over HTTP, every read tool live, findings equal to the CLI's -o json for the
// same cluster, and a real reconcile through the write tool when started with --allow-write.

process.env.FLUXDOCTOR_TESTENV_RUN ??= `${process.env.HOME}/.cache/fluxdoctor-testenv/run-mcp`;

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type Io, main } from '../../src/cli/main.js';
import { down } from '../../testenv/down.js';
import { Kube } from '../../testenv/kube.js';
import { freePorts, type State } from '../../testenv/proc.js';
import { ALL_SCENARIOS } from '../../testenv/scenarios/index.js';
import { GitRepos } from '../../testenv/scenarios/lib.js';
import { runScenario } from '../../testenv/scenarios/run.js';
import { up } from '../../testenv/up.js';

const ENTRY = join(import.meta.dirname, '..', 'mcp-entry.ts');
const ROOT = join(import.meta.dirname, '..', '..');

let state: State;

async function connect(args: string[]): Promise<Client> {
  const client = new Client({ name: 'fluxdoctor-e2e', version: '0.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', ENTRY, 'mcp', ...args],
      cwd: ROOT,
      stderr: 'pipe',
    }),
  );
  return client;
}

const call = async (c: Client, name: string, args: Record<string, unknown>) =>
  (await c.callTool({ name, arguments: args })) as CallToolResult;

async function cliJson(args: string[]): Promise<unknown> {
  let out = '';
  const io: Io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env: {} };
  await main(['node', 'fluxdoctor', ...args], io);
  return JSON.parse(out);
}

/** Call every read tool live and check that each answers with real content. */
async function everyReadTool(c: Client): Promise<void> {
  const kc = { kubeconfig: state.kubeconfig };
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['diagnose', kc, /helm\.chart-not-found/],
    ['get_resources', { ...kc, kind: 'ks' }, /ks-depends-on-chain/],
    ['stats', kc, /Kustomization/],
    ['tree', { ...kc, target: 'ks/apps', namespace: 'ks-depends-on-chain' }, /apps/],
    ['trace', { ...kc, target: 'ks/apps', namespace: 'ks-depends-on-chain' }, /GitRepository/],
    ['events', { ...kc, target: 'gitrepo/app', namespace: 'git-wrong-password' }, /authentication required/],
    ['logs', kc, /"total":\d+/],
    ['check', kc, /kube-apiserver|API server|Kubernetes/i],
    ['list_contexts', kc, /fluxdoctor-testenv/],
    ['explain_code', { code: 'source.auth' }, /source\.auth/],
    ['explain_field', { path: 'GitRepository.spec.ref' }, /branch/],
    ['search_docs', { query: 'GitRepository authentication failed' }, /auth/i],
  ];
  for (const [tool, args, re] of cases) {
    const r = await call(c, tool, args);
    assert.ok(!r.isError, `${tool}: ${JSON.stringify(r.content).slice(0, 500)}`);
    assert.match(JSON.stringify(r.structuredContent ?? r.content), re, tool);
  }
}

describe('MCP server against the real control plane', () => {
  let client: Client;
  before(async () => {
    state = await up();
    // Failures to look at; runScenario suspends them after capture, so the cluster holds still.
    for (const name of ['git-wrong-password', 'ks-depends-on-chain', 'helm-chart-version-missing']) {
      const r = await runScenario(ALL_SCENARIOS.find((s) => s.name === name)!, state);
      assert.ok(r.ok, `${name}: ${r.error ?? r.got.join('\n')}`);
    }
    client = await connect(['--allow-write']);
  });
  after(async () => {
    await client?.close();
    if (process.env.FLUXDOCTOR_TESTENV_KEEP !== '1') await down();
  });

  it('diagnose over stdio equals the CLI -o json for the same cluster', async () => {
    let same = false;
    let last = '';
    for (let i = 0; i < 5 && !same; i++) {
      // fresh: the cluster moves between tries, so no try may answer from the read cache.
      const r = await call(client, 'diagnose', { kubeconfig: state.kubeconfig, fresh: true });
      assert.ok(!r.isError, JSON.stringify(r.content));
      const cli = await cliJson(['diagnose', '--kubeconfig', state.kubeconfig, '-o', 'json']);
      // The findings contract inside the paged, bounded result (affected capped at 20, with affectedTotal).
      const d = r.structuredContent as {
        findings: Record<string, unknown>[];
        objects: unknown;
        selection?: unknown;
        partial?: boolean;
        problems?: unknown;
      };
      const doc = {
        findings: d.findings.map(({ affectedTotal: _a, evidenceTotal: _e, ...f }) => f),
        objects: d.objects,
        ...(d.selection ? { selection: d.selection } : {}),
        ...(d.partial ? { partial: d.partial, problems: d.problems } : {}),
      };
      same = JSON.stringify(doc) === JSON.stringify(cli);
      last = `${JSON.stringify(doc).slice(0, 400)}\n${JSON.stringify(cli).slice(0, 400)}`;
      if (!same) await new Promise((res) => setTimeout(res, 2000));
    }
    assert.ok(same, last);
  });

  it('every read tool answers live over stdio', async () => {
    await everyReadTool(client);
  });

  it('explain_field reads the cluster’s own CRDs when a cluster is named', async () => {
    const r = await call(client, 'explain_field', { path: 'HelmRelease.spec.chart', kubeconfig: state.kubeconfig });
    assert.ok(!r.isError, JSON.stringify(r.content));
    assert.match(String((r.structuredContent as { source: string }).source), /installed in the cluster/);
    const pinned = await call(client, 'explain_field', { path: 'HelmRelease.spec.chart' });
    assert.match(String((pinned.structuredContent as { source: string }).source), /pinned/);
    let out = '';
    const io: Io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env: {} };
    assert.equal(
      await main(['node', 'fluxdoctor', 'explain', 'GitRepository.spec.ref', '--kubeconfig', state.kubeconfig], io),
      0,
    );
    assert.match(out, /SOURCE: +the CRDs installed in the cluster/);
  });

  it('reconcile through the write tool really triggers a reconcile', async () => {
    const kube = new Kube({ server: state.server, token: state.token, caFile: state.caFile });
    const ns = 'mcp-reconcile';
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    new GitRepos(state).commit(`mcp-${ns}`, {
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n',
    });
    await kube.apply({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'app', namespace: ns },
      spec: {
        url: `http://127.0.0.1:${state.ports.git}/public/mcp-${ns}.git`,
        ref: { branch: 'main' },
        interval: '1h',
      },
    });
    await kube.waitFor('source.toolkit.fluxcd.io/v1', 'GitRepository', ns, 'app', (o) =>
      (o.status?.conditions ?? []).some(
        (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
      ),
    );
    const r = await call(client, 'reconcile', { target: 'gitrepo/app', namespace: ns, kubeconfig: state.kubeconfig });
    assert.ok(!r.isError, JSON.stringify(r.content));
    const o = await kube.get('source.toolkit.fluxcd.io/v1', 'GitRepository', ns, 'app');
    const requested = o!.metadata.annotations?.['reconcile.fluxcd.io/requestedAt'];
    assert.ok(requested, 'the annotation was written');
    assert.equal(o!.status.lastHandledReconcileAt, requested, 'the controller handled the request');
  });

  it('every read tool over Streamable HTTP on 127.0.0.1', async () => {
    const [port] = await freePorts(1);
    const child = spawn(
      process.execPath,
      // Over HTTP a kubeconfig path is read only under --snapshot-root (issue 8).
      [
        '--import',
        'tsx',
        ENTRY,
        'mcp',
        '--http',
        '--listen',
        `127.0.0.1:${port}`,
        '--snapshot-root',
        dirname(state.kubeconfig),
      ],
      { cwd: ROOT, stdio: 'ignore' },
    );
    try {
      const http = new Client({ name: 'fluxdoctor-e2e-http', version: '0.0.0' });
      let connected = false;
      for (let i = 0; i < 40 && !connected; i++) {
        try {
          await http.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
          connected = true;
        } catch {
          await new Promise((res) => setTimeout(res, 250));
        }
      }
      assert.ok(connected, 'connected over HTTP');
      const tools = (await http.listTools()).tools.map((t) => t.name);
      assert.ok(tools.includes('diagnose') && !tools.includes('reconcile'), 'read tools only without --allow-write');
      const r = await call(http, 'diagnose', { kubeconfig: state.kubeconfig });
      assert.ok(!r.isError, JSON.stringify(r.content));
      assert.ok((r.structuredContent as { findings: unknown[] }).findings.length > 0);
      await everyReadTool(http);
      await http.close();
    } finally {
      child.kill();
    }
  });
});
