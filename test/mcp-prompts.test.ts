// The MCP prompts: chosen by the object's kind, naming the MCP tools (not shell commands) for the
// agent's steps, and a no-argument cluster triage prompt. Every tool a prompt names is registered.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  commandAsTool,
  PROMPTS,
  promptText,
  TOOL_OF_COMMAND,
  TRIAGE_PROMPT,
  triageText,
  workflowForTools,
} from '../src/mcp/knowledge.js';
import { createServer } from '../src/mcp/server.js';

const prompt = (name: string) => PROMPTS.find((p) => p.name === name)!;
const headings = (t: string) => [...t.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
/** Tool names a text tells the agent to call: `name` or `name {…}` followed by "tool", or "Call `name`". */
const toolsNamed = (t: string) =>
  new Set([
    ...[...t.matchAll(/`([a-z_]+)(?: \{[^`]*\})?` tool/g)].map((m) => m[1]!),
    ...[...t.matchAll(/[Cc]all `([a-z_]+)`/g)].map((m) => m[1]!),
  ]);

describe('prompts chosen by kind', () => {
  it('debug-source with kind HelmRepository is about a HelmRepository and gets the source workflows', () => {
    const t = promptText(prompt('debug-source'), { name: 'charts', namespace: 'apps', kind: 'helmrepository' });
    assert.match(t, /HelmRepository\/apps\/charts/);
    const h = headings(t);
    assert.ok(h.includes('GitRepository authentication failure'), h.join(' | '));
    assert.ok(h.includes('HelmRelease chart not found'), h.join(' | '));
    assert.ok(!h.some((x) => x.startsWith('Kustomization')), h.join(' | '));
  });

  it('debug-image-automation: ImagePolicy gets the policy workflow, not the Git push one', () => {
    const t = promptText(prompt('debug-image-automation'), { name: 'web', kind: 'ImagePolicy' });
    const h = headings(t);
    assert.ok(h.includes('Image automation: policy matches no tag'), h.join(' | '));
    assert.ok(!h.includes('Image automation: git push failure'), h.join(' | '));
    const uia = headings(promptText(prompt('debug-image-automation'), { name: 'web' }));
    assert.ok(uia.includes('Image automation: git push failure'), uia.join(' | '));
  });

  it('a kind the prompt does not take is said so, not silently turned into another object', () => {
    const t = promptText(prompt('debug-source'), { name: 'apps', kind: 'Kustomization' });
    assert.match(t, /The kind "Kustomization" is not one this prompt takes/);
  });

  it('the agent steps name MCP tools; the "(by hand: …)" shell equivalents are left out', () => {
    for (const p of PROMPTS) {
      for (const kind of p.kinds) {
        const t = promptText(p, { name: 'x', namespace: 'ns', kind });
        assert.doesNotMatch(t, /\(by hand:/, `${p.name} ${kind}`);
        assert.doesNotMatch(t, /`fluxdoctor /, `${p.name} ${kind}: no fluxdoctor command lines`);
        // Shell commands that remain are for the person, and say so.
        for (const m of t.matchAll(/`((?:kubectl|flux) [^`]+)`/g)) {
          const before = t.slice(Math.max(0, (m.index ?? 0) - 22), m.index);
          assert.match(before, /\(for the user to run\) $/, `${p.name} ${kind}: ${m[1]}`);
        }
      }
    }
  });

  it('commands become tool calls with their arguments', () => {
    assert.equal(commandAsTool('fluxdoctor diagnose --kind GitRepository'), 'diagnose {kind: "GitRepository"}');
    assert.equal(
      commandAsTool('fluxdoctor explain GitRepository.spec.secretRef'),
      'explain_field {field: "GitRepository.spec.secretRef"}',
    );
    assert.equal(commandAsTool('fluxdoctor explain source.auth'), 'explain_code {code: "source.auth"}');
    assert.equal(
      commandAsTool('fluxdoctor reconcile kustomization/apps --with-source'),
      'reconcile {target: "kustomization/apps", withSource: true}',
    );
    assert.equal(commandAsTool('fluxdoctor events --for hr/web -n apps'), 'events {for: "hr/web", namespace: "apps"}');
    assert.equal(commandAsTool('fluxdoctor docs search "sops age"'), 'search_docs {query: "sops age"}');
    assert.equal(commandAsTool('flux get all'), undefined);
    assert.equal(workflowForTools('x (by hand: `kubectl get x (y)`) z'), 'x z');
  });

  it('triage-cluster takes no argument and walks check, stats, diagnose, then the root causes', () => {
    const t = triageText();
    const order = ['`check`', '`stats`', '`diagnose`', '`trace`', '`explain_code`'].map((x) => t.indexOf(x));
    assert.ok(order.every((i) => i >= 0));
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
    assert.match(t, /never call the cluster healthy from a partial read/);
  });
});

describe('prompts over MCP', () => {
  let client: Client;
  before(async () => {
    const server = createServer({ allowWrite: true });
    const [a, b] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: 'test', version: '0.0.0' });
    await Promise.all([server.connect(a), client.connect(b)]);
  });
  after(() => client.close());

  it('lists triage-cluster without arguments, and it fills', async () => {
    const { prompts } = await client.listPrompts();
    const triage = prompts.find((p) => p.name === TRIAGE_PROMPT.name);
    assert.ok(triage, prompts.map((p) => p.name).join(', '));
    assert.equal((triage.arguments ?? []).length, 0);
    const r = await client.getPrompt({ name: TRIAGE_PROMPT.name });
    assert.match((r.messages[0]!.content as { text: string }).text, /^Triage the Flux cluster/);
  });

  it('every tool a prompt names is a registered tool', async () => {
    const tools = new Set((await client.listTools()).tools.map((t) => t.name));
    for (const name of Object.values(TOOL_OF_COMMAND)) assert.ok(tools.has(name), `TOOL_OF_COMMAND names ${name}`);
    const texts = [triageText(), ...PROMPTS.flatMap((p) => p.kinds.map((kind) => promptText(p, { name: 'x', kind })))];
    for (const t of texts) for (const n of toolsNamed(t)) assert.ok(tools.has(n), `a prompt names ${n}`);
    assert.ok(toolsNamed(texts[1]!).size >= 5);
  });
});
