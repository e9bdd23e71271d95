// The knowledge base over MCP: explain_field, search_docs, resources and prompts, talked to with the
// SDK's client over stdio against `fluxdoctor mcp` as a child process.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { stringify } from 'yaml';
import { obj, status } from './helpers.js';

const ENTRY = join(import.meta.dirname, 'mcp-entry.ts');
const DOCS = ['best-practices', 'common-commands', 'flux-api-reference', 'image-why', 'troubleshooting-workflows'];
const PROMPTS = ['debug-helmrelease', 'debug-image-automation', 'debug-kustomization', 'debug-source'];

async function connect(args: string[] = []): Promise<Client> {
  const client = new Client({ name: 'fluxdoctor-test', version: '0.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', ENTRY, 'mcp', ...args],
      cwd: join(import.meta.dirname, '..'),
      stderr: 'pipe',
    }),
  );
  return client;
}

const call = async (c: Client, name: string, args: Record<string, unknown>) =>
  (await c.callTool({ name, arguments: args })) as CallToolResult;
const text = (r: CallToolResult) => r.content.map((x) => (x.type === 'text' ? x.text : '')).join('\n');

describe('the knowledge base over MCP', () => {
  let client: Client;
  before(async () => {
    client = await connect();
  });
  after(async () => {
    await client?.close();
  });

  it('lists explain_field and search_docs', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('explain_field'));
    assert.ok(names.includes('search_docs'));
  });

  it('explain_field answers for HelmRelease.spec.chart', async () => {
    const r = await call(client, 'explain_field', { path: 'HelmRelease.spec.chart' });
    assert.ok(!r.isError, text(r));
    const s = r.structuredContent as { kind: string; path: string; children: { name: string }[] };
    assert.equal(s.kind, 'HelmRelease');
    assert.equal(s.path, 'HelmRelease.spec.chart');
    assert.ok(s.children.some((c) => c.name === 'spec'));
    assert.match(text(r), /HelmRelease\.spec\.chart/);
  });

  it('explain_field is an error for an unknown path', async () => {
    const bad = await call(client, 'explain_field', { path: 'HelmRelease.spec.nosuchfield' });
    assert.equal(bad.isError, true);
    assert.match(text(bad), /nosuchfield/);
    const kind = await call(client, 'explain_field', { path: 'NoSuchKind.spec' });
    assert.equal(kind.isError, true);
    assert.match(text(kind), /unknown Flux kind/);
  });

  it('search_docs finds the authentication workflow', async () => {
    const r = await call(client, 'search_docs', { query: 'GitRepository authentication failed', limit: 5 });
    assert.ok(!r.isError, text(r));
    const { results } = r.structuredContent as { results: { title: string; source: string }[] };
    assert.ok(results.length > 0 && results.length <= 5);
    assert.ok(
      results
        .slice(0, 3)
        .some((h) => /GitRepository authentication failure/.test(h.title) || h.source === 'code:source.auth'),
      JSON.stringify(results.slice(0, 3)),
    );
  });

  it('lists the docs and the code pages as resources, and reads one', async () => {
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    for (const d of DOCS) assert.ok(uris.includes(`fluxdoctor://docs/${d}`), d);
    assert.ok(uris.includes('fluxdoctor://codes/source.auth'));
    assert.ok(resources.every((r) => r.mimeType === 'text/markdown'));
    const doc = await client.readResource({ uri: 'fluxdoctor://docs/troubleshooting-workflows' });
    const t = (doc.contents[0] as { text: string }).text;
    assert.match(t, /^# Troubleshooting workflows/);
    const code = await client.readResource({ uri: 'fluxdoctor://codes/source.auth' });
    assert.match((code.contents[0] as { text: string }).text, /^# source\.auth:/);
  });

  it('lists the four prompts and fills one with the object', async () => {
    const { prompts } = await client.listPrompts();
    const names = prompts.map((p) => p.name);
    for (const p of PROMPTS) assert.ok(names.includes(p), p);
    const r = await client.getPrompt({ name: 'debug-helmrelease', arguments: { name: 'web', namespace: 'apps' } });
    const t = (r.messages[0]!.content as { text: string }).text;
    assert.match(t, /HelmRelease\/apps\/web/);
    assert.match(t, /`diagnose`/);
    assert.ok(t.indexOf('`diagnose`') < t.indexOf('`trace`') && t.indexOf('`trace`') < t.indexOf('`events`'));
    assert.match(t, /## HelmRelease upgrade failure/);
    assert.doesNotMatch(t, /## Kustomization build failure/);
  });
});

// ---------- Secret values never appear in a knowledge-base result ----------

const VALUES = ['s3cr3t-Passw0rd-XYZ', 'ghp_TOKENVALUE1234567890', 'AGE-SECRET-KEY-1QQQQQQQQQQ'];
const b64 = (s: string) => Buffer.from(s).toString('base64');
const NEEDLES = [...VALUES, ...VALUES.map(b64)];
const secretWith = (name: string, values: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'Opaque',
  metadata: { name, namespace: 'flux-system' },
  data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, b64(v)])),
  stringData: values,
});

describe('no Secret value in a knowledge-base tool result, resource or prompt', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-mcp-kb-secrets-'));
  const path = join(dir, 'cluster.yaml');
  const items = [
    secretWith('git-creds', { username: 'git', password: VALUES[0]! }),
    secretWith('gh-token', { token: VALUES[1]! }),
    secretWith('sops-age', { 'age.agekey': VALUES[2]! }),
    obj('GitRepository', 'apps', {
      spec: { url: 'https://github.com/example/apps', secretRef: { name: 'git-creds' } },
      status: status(['False', 'AuthenticationFailed', 'authentication required']),
    }),
    obj('Kustomization', 'apps', {
      spec: {
        sourceRef: { kind: 'GitRepository', name: 'apps' },
        decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
      },
      status: status(['False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s']),
    }),
  ];
  writeFileSync(path, stringify({ apiVersion: 'v1', kind: 'List', items }));

  let client: Client;
  before(async () => {
    client = await connect();
  });
  after(async () => {
    await client?.close();
  });
  const clean = (what: string, out: string) => {
    assert.ok(out.length > 50, what);
    for (const n of NEEDLES) assert.ok(!out.includes(n), `${what} contains a secret value (${n.slice(0, 4)}…)`);
  };

  it('the test can fail: the needles are in the input', () => {
    const input = stringify(items);
    assert.ok(VALUES.every((v) => input.includes(v)));
  });

  it('tools: explain_field, search_docs and explain_code for each finding of the snapshot', async () => {
    const d = await call(client, 'diagnose', { snapshot: path });
    const codes = (d.structuredContent as { findings: { code: string }[] }).findings.map((f) => f.code);
    assert.ok(codes.length > 0);
    for (const code of codes)
      clean(`explain_code ${code}`, JSON.stringify(await call(client, 'explain_code', { code })));
    for (const p of ['GitRepository.spec.secretRef', 'Kustomization.spec.decryption'])
      clean(`explain_field ${p}`, JSON.stringify(await call(client, 'explain_field', { path: p })));
    for (const q of ['git-creds authentication required', 'sops-age decryption secret'])
      clean(`search_docs ${q}`, JSON.stringify(await call(client, 'search_docs', { query: q })));
  });

  it('resources and prompts', async () => {
    for (const r of (await client.listResources()).resources)
      clean(r.uri, JSON.stringify(await client.readResource({ uri: r.uri })));
    for (const p of (await client.listPrompts()).prompts)
      clean(
        p.name,
        JSON.stringify(await client.getPrompt({ name: p.name, arguments: { name: 'apps', namespace: 'flux-system' } })),
      );
  });
});
