// The MCP tools' contract with agents, driven with the SDK client over stdio AND Streamable HTTP on a
// generated 500-object cluster: every result validates (JSON Schema, ajv) against the tool's
// outputSchema from tools/list, carries its data in the text block, stays within the byte budget, and
// pages without losing anything; unknown arguments are refused naming the valid ones.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import AjvModule from 'ajv';
import { stringify } from 'yaml';
import { type Io, main } from '../src/cli/main.js';
import { BUDGET_BYTES, MAX_INNER } from '../src/mcp/server.js';
import type { K8sObject } from '../src/types.js';
import { cond, event, logLine, obj, READY, status } from './helpers.js';

const CWD = join(import.meta.dirname, '..');
const ENTRY = join(import.meta.dirname, 'mcp-entry.ts');
const TOKEN = 'contract-token';

// ---------- the generated cluster ----------

const ROOT = realpathSync(mkdtempSync(join(tmpdir(), 'fd-mcp-contract-')));
const SNAP = join(ROOT, 'cluster.yaml');
const LOGS = join(ROOT, 'logs.jsonl');
const KUBECONFIG = join(ROOT, 'kubeconfig');

const NAMESPACES = Array.from({ length: 10 }, (_, i) => `team-${i}`);
const HR_PER_NS = 15;
const KS = 100;
const PRIVATE = 10;

/**
 * One ready fleet Kustomization applying everything; a HelmRepository that cannot be reached and the
 * 150 HelmReleases (and their 150 generated HelmCharts) that use it; 10 GitRepositories failing
 * authentication and 100 Kustomizations on them; 20 ready GitRepositories; 70 ready Deployments.
 * Messages are the controllers' own (see test/rules/source-unreachable, source-auth, the examples).
 */
function cluster(): { objects: K8sObject[]; events: unknown[]; logs: unknown[] } {
  const objects: K8sObject[] = [];
  const events: unknown[] = [];
  const logs: unknown[] = [];
  const inventory: { id: string; v: string }[] = [];
  const unreachable =
    'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.bitnarni.com/bitnami/index.yaml": dial tcp: lookup charts.bitnarni.com on 10.96.0.10:53: no such host';
  objects.push(
    obj('GitRepository', 'flux-system', {
      spec: { url: 'https://github.com/example/fleet', ref: { branch: 'main' } },
      status: READY("stored artifact for revision 'main@sha1:eae1e758478ab71b677fb74dac3e7bf9aafefab4'"),
    }),
    obj('HelmRepository', 'bitnami', {
      spec: { url: 'https://charts.bitnarni.com/bitnami' },
      status: status(['False', 'Failed', unreachable], [cond('FetchFailed', 'True', 'Failed', unreachable)]),
    }),
  );
  for (const ns of NAMESPACES)
    for (let i = 0; i < HR_PER_NS; i++) {
      const name = `app-${i}`;
      const chart = `${ns}-${name}`;
      objects.push(
        obj('HelmRelease', `${ns}/${name}`, {
          labels: {
            'kustomize.toolkit.fluxcd.io/name': 'flux-system',
            'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
          },
          spec: {
            interval: '30m',
            chart: {
              spec: {
                chart: 'redis',
                sourceRef: { kind: 'HelmRepository', name: 'bitnami', namespace: 'flux-system' },
              },
            },
          },
          status: status([
            'False',
            'SourceNotReady',
            `HelmChart 'flux-system/${chart}' is not ready: no artifact available for HelmRepository source 'bitnami'`,
          ]),
        }),
        obj('HelmChart', `flux-system/${chart}`, {
          spec: { chart: 'redis', sourceRef: { kind: 'HelmRepository', name: 'bitnami' } },
          status: status(['False', 'NoSourceArtifact', "no artifact available for HelmRepository source 'bitnami'"]),
        }),
      );
      inventory.push({ id: `${ns}_${name}_helm.toolkit.fluxcd.io_HelmRelease`, v: 'v2' });
      events.push(
        event(
          { kind: 'HelmRelease', namespace: ns, name },
          'SourceNotReady',
          `HelmChart 'flux-system/${chart}' is not ready: no artifact available for HelmRepository source 'bitnami'`,
        ),
      );
      logs.push(
        logLine(
          { kind: 'HelmRelease', namespace: ns, name },
          'Reconciler error',
          `HelmChart 'flux-system/${chart}' is not ready`,
        ),
      );
    }
  for (let i = 0; i < PRIVATE; i++) {
    const url = `https://github.com/example/private-${i}`;
    const msg = `failed to checkout and determine revision: unable to clone '${url}': authentication required`;
    objects.push(
      obj('GitRepository', `private-${i}`, {
        spec: { url, ref: { branch: 'main' } },
        status: status(
          ['False', 'AuthenticationFailed', msg],
          [cond('FetchFailed', 'True', 'AuthenticationFailed', msg)],
        ),
      }),
    );
  }
  for (let i = 0; i < 20; i++)
    objects.push(
      obj('GitRepository', `repo-${i}`, {
        spec: { url: `https://github.com/example/repo-${i}`, ref: { branch: 'main' } },
        status: READY("stored artifact for revision 'main@sha1:0123456789abcdef0123456789abcdef01234567'"),
      }),
    );
  for (let i = 0; i < KS; i++) {
    objects.push(
      obj('Kustomization', `ks-${i}`, {
        spec: {
          interval: '10m',
          path: `./apps/${i}`,
          prune: true,
          sourceRef: { kind: 'GitRepository', name: `private-${i % PRIVATE}` },
        },
        status: status(['False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s']),
      }),
    );
    inventory.push({ id: `flux-system_ks-${i}_kustomize.toolkit.fluxcd.io_Kustomization`, v: 'v1' });
  }
  for (let i = 0; i < 70; i++) {
    const ns = NAMESPACES[i % NAMESPACES.length]!;
    objects.push(
      obj('Deployment', `${ns}/web-${i}`, {
        labels: {
          'kustomize.toolkit.fluxcd.io/name': 'flux-system',
          'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
        },
        spec: { replicas: 1 },
        status: {
          observedGeneration: 1,
          replicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
          updatedReplicas: 1,
          conditions: [cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')],
        },
      }),
    );
    inventory.push({ id: `${ns}_web-${i}_apps_Deployment`, v: 'v1' });
  }
  objects.push(
    obj('Kustomization', 'flux-system', {
      spec: {
        interval: '10m',
        path: './clusters/prod',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      },
      status: {
        ...READY('Applied revision: main@sha1:eae1e758478ab71b677fb74dac3e7bf9aafefab4'),
        inventory: { entries: inventory },
      },
    }),
  );
  return { objects, events, logs };
}

const GEN = cluster();
writeFileSync(SNAP, stringify({ apiVersion: 'v1', kind: 'List', items: [...GEN.objects, ...GEN.events] }));
// image_why: the real capture of an ImagePolicy that matches no tag (image-reflector-controller v1.2.3).
const IMG_SNAP = join(ROOT, 'image-policy-no-match');
cpSync(
  join(import.meta.dirname, 'fixtures', 'real', 'image-policy-no-match', 'cluster.yaml'),
  join(IMG_SNAP, 'cluster.yaml'),
  {
    recursive: true,
  },
);
writeFileSync(LOGS, `${GEN.logs.map((l) => JSON.stringify(l)).join('\n')}\n`);
writeFileSync(
  KUBECONFIG,
  stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
    users: [{ name: 'u', user: { token: 't' } }],
    contexts: [
      { name: 'prod', context: { cluster: 'c', user: 'u' } },
      { name: 'staging', context: { cluster: 'c', user: 'u' } },
    ],
    'current-context': 'prod',
  }),
);

// ---------- helpers ----------

async function cli(args: string[]): Promise<string> {
  let out = '';
  const io: Io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env: {} };
  await main(['node', 'fluxdoctor', ...args], io);
  return out;
}

const call = async (c: Client, name: string, args: Record<string, unknown>) =>
  (await c.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as CallToolResult;
const text = (r: CallToolResult) => r.content.map((x) => (x.type === 'text' ? x.text : '')).join('\n');
const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');
const sc = <T = Record<string, unknown>>(r: CallToolResult) => r.structuredContent as T;

const Ajv = AjvModule.default;
const ajv = new Ajv({ allErrors: true, strict: false });

/** Validates one result of `tool` against the outputSchema tools/list gave for it (JSON Schema). */
function assertValid(tools: Tool[], name: string, r: CallToolResult) {
  assert.notEqual(r.isError, true, `${name}: ${text(r).slice(0, 500)}`);
  const t = tools.find((x) => x.name === name);
  assert.ok(t?.outputSchema, `${name} declares an outputSchema`);
  const validate = ajv.compile(t.outputSchema);
  assert.ok(r.structuredContent, `${name} has structuredContent`);
  const valid = validate(r.structuredContent);
  assert.ok(valid, `${name}: ${ajv.errorsText(validate.errors)}`);
}

/** The text block carries the data: the structured result as JSON (explain_code: its page). */
function assertTextCarriesData(name: string, r: CallToolResult) {
  const t = text(r);
  // explain_code with a code: the structured result is `explain CODE -o json`, the text its page.
  if (name === 'explain_code' && typeof sc(r).code === 'string') {
    assert.ok(t.startsWith(`# ${sc(r).code}`), `${name}: the text block is the code's page`);
    const sections = sc(r).sections as Record<string, unknown>;
    assert.ok(t.includes(String(sections.howToFix).split('\n')[0]), `${name}: the page has the fix`);
  } else assert.deepEqual(JSON.parse(t), r.structuredContent, `${name}: the text block is the serialized result`);
}

const CALLS: [string, Record<string, unknown>][] = [
  ['diagnose', { snapshot: SNAP, logs: [LOGS] }],
  ['diagnose', { snapshot: SNAP, fields: 'summary' }],
  ['diagnose', { snapshot: SNAP, limit: 500 }],
  ['get_resources', { snapshot: SNAP }],
  ['get_resources', { snapshot: SNAP, limit: 500 }],
  ['get_object', { snapshot: SNAP, target: 'hr/team-3/app-4' }],
  ['tree', { snapshot: SNAP, target: 'ks/flux-system' }],
  ['trace', { snapshot: SNAP, target: 'hr/team-3/app-4' }],
  ['events', { snapshot: SNAP }],
  ['logs', { snapshot: SNAP, logs: [LOGS], limit: 500 }],
  ['check', { snapshot: SNAP }],
  ['image_why', { snapshot: IMG_SNAP, target: 'web', namespace: 'image-policy-no-match', tag: '1.2.1' }],
  ['stats', { snapshot: SNAP }],
  ['explain_code', {}],
  ['explain_code', { code: 'source.unreachable' }],
  ['explain_field', { path: 'HelmRelease.spec' }],
  ['search_docs', { query: 'helm chart not found authentication', limit: 50 }],
  ['list_contexts', { kubeconfig: KUBECONFIG }],
];

// ---------- servers ----------

async function stdioClient(args: string[] = [], env?: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'fluxdoctor-contract', version: '0.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', ENTRY, 'mcp', ...args],
      cwd: CWD,
      stderr: 'pipe',
      ...(env ? { env } : {}),
    }),
  );
  return client;
}

async function httpServer(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', ENTRY, 'mcp', '--http', '--listen', '127.0.0.1:0', '--token', TOKEN, ...args],
    { cwd: CWD, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(`mcp --http exited: ${err}`)));
  });
  return { child, url };
}

async function httpClient(url: string): Promise<Client> {
  const client = new Client({ name: 'fluxdoctor-contract', version: '0.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }),
  );
  return client;
}

// ---------- the suite, once per transport ----------

for (const transport of ['stdio', 'http'] as const) {
  describe(`MCP contract over ${transport} on a generated ${GEN.objects.length}-object cluster`, () => {
    let client: Client;
    let child: ChildProcess | undefined;
    let tools: Tool[];
    before(async () => {
      if (transport === 'stdio') client = await stdioClient();
      else {
        const s = await httpServer(['--snapshot-root', ROOT]);
        child = s.child;
        client = await httpClient(s.url);
      }
      tools = (await client.listTools()).tools;
    });
    after(async () => {
      await client?.close();
      child?.kill();
    });

    it('the test can fail: the cluster has 500 objects and the CLI output is far over the budget', async () => {
      assert.ok(GEN.objects.length >= 500, `${GEN.objects.length} objects`);
      const full = await cli(['diagnose', '--snapshot', SNAP, '-o', 'json']);
      assert.ok(Buffer.byteLength(full) > 3 * BUDGET_BYTES, `${Buffer.byteLength(full)} bytes`);
      const rows = await cli(['get', '--snapshot', SNAP, '-o', 'summary']);
      assert.ok(Buffer.byteLength(rows) > 3 * BUDGET_BYTES);
    });

    it('every tool declares an outputSchema and a strict inputSchema', () => {
      for (const t of tools) {
        assert.equal(t.outputSchema?.type, 'object', `${t.name} outputSchema`);
        assert.equal(t.inputSchema.additionalProperties, false, `${t.name} inputSchema`);
      }
    });

    for (const [name, args] of CALLS) {
      it(`${name} ${JSON.stringify(args).replace(ROOT, '$ROOT')}: valid, data in the text block, within ${BUDGET_BYTES} bytes`, async () => {
        const r = await call(client, name, args);
        assertValid(tools, name, r);
        assertTextCarriesData(name, r);
        assert.ok(bytes(r.structuredContent) <= BUDGET_BYTES, `${name}: ${bytes(r.structuredContent)} bytes`);
      });
    }

    it('diagnose: a cut result says what was left out and pages on to exactly the CLI findings', async () => {
      const cliDoc = JSON.parse(await cli(['diagnose', '--snapshot', SNAP, '-o', 'json']));
      const key = (f: { code: string; rootCause: { kind: string; namespace?: string; name: string } }) =>
        `${f.code} ${f.rootCause.kind}/${f.rootCause.namespace}/${f.rootCause.name}`;
      const seen: string[] = [];
      let offset: number | undefined = 0;
      let pages = 0;
      let cut = false;
      while (offset !== undefined) {
        const r = await call(client, 'diagnose', { snapshot: SNAP, offset });
        assertValid(tools, 'diagnose', r);
        const d = sc<{
          findings: {
            code: string;
            rootCause: { kind: string; name: string };
            affected: unknown[];
            affectedTotal: number;
          }[];
          total: number;
          nextOffset?: number;
          truncated: boolean;
          leftOut?: { items: number; byBudget: number };
          note?: string;
        }>(r);
        assert.equal(d.total, cliDoc.findings.length);
        if (d.truncated) {
          cut = true;
          assert.equal(d.nextOffset, offset + d.findings.length);
          assert.equal(d.leftOut?.items, d.total - d.nextOffset!);
          assert.match(d.note ?? '', new RegExp(`offset=${d.nextOffset}`));
        } else assert.equal(d.nextOffset, undefined);
        seen.push(...d.findings.map(key));
        offset = d.nextOffset;
        assert.ok(++pages < 100);
      }
      assert.ok(cut && pages > 1, 'the default result was cut and paged');
      assert.deepEqual(seen, cliDoc.findings.map(key));
    });

    it(`diagnose caps a finding's affected list at ${MAX_INNER} with affectedTotal`, async () => {
      const cliDoc = JSON.parse(await cli(['diagnose', '--snapshot', SNAP, '-o', 'json']));
      const big = cliDoc.findings.find((f: { code: string }) => f.code === 'source.unreachable');
      assert.ok(big.affected.length > MAX_INNER, `${big.affected.length} affected in the CLI`);
      const r = await call(client, 'diagnose', { snapshot: SNAP, kind: 'HelmRepository' });
      const f = sc<{ findings: { code: string; affected: unknown[]; affectedTotal: number }[] }>(r).findings.find(
        (x) => x.code === 'source.unreachable',
      )!;
      assert.equal(f.affected.length, MAX_INNER);
      assert.equal(f.affectedTotal, big.affected.length);
      assert.deepEqual(f.affected, big.affected.slice(0, MAX_INNER));
    });

    it('diagnose fields=summary is compact: several times the findings per page, errors first', async () => {
      const full = sc<{ returned: number }>(await call(client, 'diagnose', { snapshot: SNAP, limit: 500 }));
      const r = await call(client, 'diagnose', { snapshot: SNAP, fields: 'summary', limit: 500 });
      const d = sc<{ findings: Record<string, unknown>[]; total: number; fields: string; returned: number }>(r);
      assert.equal(d.fields, 'summary');
      assert.ok(d.returned >= 2 * full.returned, `${d.returned} summary findings vs ${full.returned} full`);
      assert.equal(d.findings[0]!.severity, 'error');
      for (const f of d.findings) {
        assert.equal(f.evidence, undefined);
        assert.equal(f.remediation, undefined);
        assert.equal(typeof f.affectedTotal, 'number');
      }
    });

    it('get_resources pages through every object within the budget', async () => {
      const rows = JSON.parse(await cli(['get', '--snapshot', SNAP, '-o', 'summary'])).items;
      const got: unknown[] = [];
      let offset: number | undefined = 0;
      while (offset !== undefined) {
        const r = await call(client, 'get_resources', { snapshot: SNAP, offset, limit: 500 });
        assert.ok(bytes(r.structuredContent) <= BUDGET_BYTES);
        const d = sc<{ items: unknown[]; nextOffset?: number }>(r);
        got.push(...d.items);
        offset = d.nextOffset;
      }
      assert.deepEqual(got, rows);
    });

    it('tree of the fleet Kustomization is pruned and says how many nodes were left out', async () => {
      const full = JSON.parse(await cli(['tree', 'ks/flux-system', '--snapshot', SNAP, '-o', 'json']));
      assert.ok(bytes(full) > BUDGET_BYTES);
      const r = await call(client, 'tree', { snapshot: SNAP, target: 'ks/flux-system' });
      const d = sc<{ objects: number; truncatedNodes?: number; note?: string }>(r);
      assert.equal(d.objects, full.objects);
      assert.ok((d.truncatedNodes ?? 0) > 0);
      assert.match(d.note ?? '', /left out/);
    });

    it('unknown arguments are refused, naming them and the valid arguments, for every tool', async () => {
      for (const t of tools) {
        const required = (t.inputSchema.required ?? []) as string[];
        const args: Record<string, unknown> = { bogusArg: 1 };
        for (const k of required) args[k] = k === 'path' ? 'HelmRelease.spec' : 'ks/apps';
        const r = await call(client, t.name, args);
        assert.equal(r.isError, true, `${t.name} accepted an unknown argument`);
        const msg = text(r);
        assert.match(msg, /unknown argument 'bogusArg'/, t.name);
        for (const k of Object.keys(t.inputSchema.properties ?? {})) assert.ok(msg.includes(k), `${t.name}: ${msg}`);
      }
    });

    it('diagnose {kind} filters (the old `kinds` is refused), and an unknown kind is an error', async () => {
      const all = sc<{ total: number }>(await call(client, 'diagnose', { snapshot: SNAP, fields: 'summary' }));
      const ks = sc<{ total: number; findings: { rootCause: { kind: string } }[] }>(
        await call(client, 'diagnose', { snapshot: SNAP, fields: 'summary', kind: 'ks', limit: 500 }),
      );
      assert.ok(ks.total > 0 && ks.total < all.total, `${ks.total} of ${all.total}`);
      const old = await call(client, 'diagnose', { snapshot: SNAP, kinds: ['ks'] });
      assert.equal(old.isError, true);
      assert.match(text(old), /unknown argument 'kinds'.*valid arguments:.*\bkind\b/);
      const bad = await call(client, 'diagnose', { snapshot: SNAP, kind: 'Foo' });
      assert.equal(bad.isError, true);
      assert.match(text(bad), /unknown kind 'Foo'/);
    });

    it('events and logs take `target` (one name across tools)', async () => {
      const e = await call(client, 'events', { snapshot: SNAP, target: 'hr/team-1/app-2' });
      assertValid(tools, 'events', e);
      const groups = sc<{ groups: { object: { name: string } }[] }>(e).groups;
      assert.ok(groups.length > 0 && groups.every((g) => g.object.name.includes('app-2')), JSON.stringify(groups));
      const l = await call(client, 'logs', { snapshot: SNAP, logs: [LOGS], target: 'hr/team-1/app-2' });
      assertValid(tools, 'logs', l);
      assert.equal(sc<{ total: number }>(l).total, 1);
      const old = await call(client, 'events', { snapshot: SNAP, for: 'hr/team-1/app-2' });
      assert.equal(old.isError, true);
      assert.match(text(old), /unknown argument 'for'.*valid arguments:.*\btarget\b/);
    });
  });
}

// ---------- instructions, list_contexts without a kubeconfig ----------

describe('MCP instructions and list_contexts', () => {
  it('instructions name exactly the registered tools (write tools only with --allow-write)', async () => {
    for (const args of [[], ['--allow-write']]) {
      const c = await stdioClient(args);
      try {
        const names = (await c.listTools()).tools.map((t) => t.name);
        const ins = c.getInstructions() ?? '';
        const listed = /^Tools: (.*)\.$/m.exec(ins)?.[1]?.split(', ') ?? [];
        assert.deepEqual([...listed].sort(), [...names].sort());
        for (const w of ['reconcile', 'suspend', 'resume'])
          assert.equal(new RegExp(`\\b${w}\\b`).test(ins), args.length > 0, `${w} in instructions: ${args}`);
        assert.match(ins, /`snapshot`/, 'the shared arguments are described once, in the instructions');
      } finally {
        await c.close();
      }
    }
  });

  it('the shared arguments are described once: tools/list stays small', async () => {
    const c = await stdioClient();
    try {
      const tools = (await c.listTools()).tools;
      // Before this change tools/list was 16.9 KB without any outputSchema; the part a model reads
      // (names, descriptions, input schemas) is now well under that.
      const modelFacing = bytes(tools.map(({ outputSchema: _o, ...t }) => t));
      // (17 read tools, get_object, image_why and the `fresh` argument included)
      assert.ok(modelFacing < 15_500, `${modelFacing} bytes`);
      for (const t of tools) {
        const snap = (t.inputSchema.properties as Record<string, { description?: string }> | undefined)?.snapshot;
        if (snap) assert.ok((snap.description ?? '').length < 60, `${t.name}: snapshot described briefly`);
      }
    } finally {
      await c.close();
    }
  });

  it('list_contexts says "no kubeconfig found" when there is none', async () => {
    const home = mkdtempSync(join(tmpdir(), 'fd-mcp-home-'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && k !== 'KUBECONFIG' && k !== 'KUBERNETES_SERVICE_HOST') env[k] = v;
    env.HOME = home;
    const c = await stdioClient([], env);
    try {
      const r = await call(c, 'list_contexts', {});
      assert.equal(r.isError, true, text(r));
      assert.match(text(r), /^no kubeconfig found/);
      const d = await call(c, 'diagnose', {});
      assert.match(text(d), /^no kubeconfig found/, 'the same words as the other tools');
    } finally {
      await c.close();
    }
  });
});
