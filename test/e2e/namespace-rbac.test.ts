// A namespace-scoped identity against the real control plane: a ServiceAccount whose only rights are
// a Role and RoleBinding in one namespace gets a (partial) diagnosis of that namespace with
// `diagnose -n NS`, because the reader LISTs namespaced kinds in NS only. Without -n the same
// identity is refused the cluster-wide LISTs, and says so.

process.env.FLUXDOCTOR_TESTENV_RUN ??= `${process.env.HOME}/.cache/fluxdoctor-testenv/run-ns-rbac`;

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { readLive } from '../../src/read/live.js';
import { down } from '../../testenv/down.js';
import { Kube } from '../../testenv/kube.js';
import type { State } from '../../testenv/proc.js';
import { ALL_SCENARIOS } from '../../testenv/scenarios/index.js';
import { runScenario } from '../../testenv/scenarios/run.js';
import { up } from '../../testenv/up.js';
import { runCli } from '../run-cli.js';

let state: State;
let kube: Kube;
let ns: string;
let kubeconfig: string;

const cli = (args: string[]) => runCli([...args]);

describe('a namespace-scoped identity (Role + RoleBinding in one namespace)', () => {
  before(async () => {
    state = await up();
    kube = new Kube({ server: state.server, token: state.token, caFile: state.caFile });
    const scenario = ALL_SCENARIOS.find((s) => s.name === 'git-wrong-password')!;
    const r = await runScenario(scenario, state, { keep: true });
    assert.ok(r.ok, `scenario ran: ${r.error ?? r.got.join('; ')}`);
    ns = r.ns;
    await kube.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'team-reader', namespace: ns } });
    await kube.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'team-reader', namespace: ns },
      rules: [
        {
          apiGroups: [
            '',
            'apps',
            'source.toolkit.fluxcd.io',
            'kustomize.toolkit.fluxcd.io',
            'helm.toolkit.fluxcd.io',
            'notification.toolkit.fluxcd.io',
            'image.toolkit.fluxcd.io',
            'events.k8s.io',
          ],
          resources: ['*'],
          verbs: ['get', 'list'],
        },
      ],
    });
    await kube.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'team-reader', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'team-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'team-reader', namespace: ns }],
    });
    const tr = await kube.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts/team-reader/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 },
    });
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'fd-kc-')), 'team-reader.yaml');
    writeFileSync(
      kubeconfig,
      readFileSync(state.kubeconfig, 'utf8')
        .replace(/token: .*/, `token: ${tr.status.token}`)
        .replace('name: admin', 'name: team-reader')
        .replace('user: admin', 'user: team-reader'),
    );
  });
  after(async () => {
    if (process.env.FLUXDOCTOR_TESTENV_KEEP !== '1') await down();
  });

  it('diagnose -n NS returns the namespace findings (partial: the Flux namespace is not readable)', async () => {
    // The failure shows between retries: as a user re-running the command would, try a few times.
    let doc:
      | {
          partial?: boolean;
          findings: { code: string; rootCause: { namespace?: string } }[];
          problems: { source: string }[];
        }
      | undefined;
    let last = { code: 0, out: '', err: '' };
    for (let i = 0; i < 10; i++) {
      last = await cli(['diagnose', '--kubeconfig', kubeconfig, '-n', ns, '-o', 'json']);
      if (last.code === 1) {
        doc = JSON.parse(last.out);
        if (doc!.findings.some((f) => f.code === 'source.auth')) break;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
    assert.equal(last.code, 1, last.err);
    assert.ok(doc, last.err);
    const auth = doc.findings.find((f) => f.code === 'source.auth');
    assert.ok(auth, JSON.stringify(doc.findings.map((f) => f.code)));
    assert.equal(auth.rootCause.namespace, ns);
    assert.equal(doc.partial, true);
    const unread = doc.problems.map((p) => p.source);
    assert.ok(unread.includes('Namespace'), unread.join(', '));
    // Nothing was reported about what this identity could not read.
    for (const f of doc.findings)
      assert.ok(!['flux.controller-unavailable', 'flux.crd-missing'].includes(f.code), f.code);
  });

  it('the MCP diagnose tool with namespace: NS answers for the same identity', async () => {
    const client = new Client({ name: 'fluxdoctor-e2e-ns', version: '0.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ['--import', 'tsx', join(import.meta.dirname, '..', 'mcp-entry.ts'), 'mcp'],
        cwd: join(import.meta.dirname, '..', '..'),
        stderr: 'pipe',
      }),
    );
    try {
      let codes: string[] = [];
      let r: CallToolResult | undefined;
      for (let i = 0; i < 10 && !codes.includes('source.auth'); i++) {
        r = (await client.callTool({
          name: 'diagnose',
          arguments: { kubeconfig, namespace: ns, fresh: true },
        })) as CallToolResult;
        assert.notEqual(r.isError, true, JSON.stringify(r.content));
        codes = (r.structuredContent as { findings: { code: string }[] }).findings.map((f) => f.code);
        if (!codes.includes('source.auth')) await new Promise((res) => setTimeout(res, 2000));
      }
      assert.ok(codes.includes('source.auth'), codes.join(', '));
      assert.equal((r!.structuredContent as { partial?: boolean }).partial, true);
    } finally {
      await client.close();
    }
  });

  it('the live read sends no cluster-wide LIST of a namespaced kind', async () => {
    const snap = await readLive({ kubeconfig, namespace: ns, logs: false });
    assert.ok(snap.objects.some((o) => o.kind === 'GitRepository' && o.metadata.namespace === ns));
    assert.ok(snap.objects.every((o) => o.metadata.namespace === undefined || o.metadata.namespace === ns));
    assert.ok(
      !snap.problems.some((p) => /GitRepository|Kustomization|HelmRelease/.test(p.source)),
      JSON.stringify(snap.problems),
    );
  });

  it('without -n the same identity is refused the cluster-wide LISTs, and the report says so', async () => {
    const r = await cli(['diagnose', '--kubeconfig', kubeconfig, '-o', 'json']);
    const doc = JSON.parse(r.out || '{}');
    const gr = (doc.problems ?? []).find((p: { source: string }) => p.source === 'GitRepository');
    assert.match(gr?.message ?? r.err, /forbidden/);
  });
});
