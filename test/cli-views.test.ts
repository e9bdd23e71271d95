// The read-only view commands in process: flags, -o json/yaml shapes, colour, sanitising, exit codes.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { type Io, main } from '../src/cli/main.js';
import { type Doc, event, logLine, obj, READY, status } from './helpers.js';
import { clusterDocs, clusterLogs } from './views/fixture.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(
  args: string[],
  opts: { tty?: boolean; columns?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s), isTTY: opts.tty ?? false, columns: opts.columns },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    env: opts.env ?? {},
  };
  const code = await main(['node', 'fluxdoctor', ...args], io);
  return { code, out, err };
}

const ESC = '\u001b';
const hostile = `bad \u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u001b[0m \u0007 end`;

function write(docs: Doc[], logs: Doc[] = []): { snap: string; logs: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fd-views-'));
  const snap = join(dir, 'cluster.yaml');
  // ownerReferences for the fixture's ReplicaSet and Pods.
  for (const d of docs) {
    if (typeof d === 'string') continue;
    if (d.kind === 'ReplicaSet')
      d.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-web' }];
    if (d.kind === 'Pod')
      d.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d4f', uid: 'rs-web' }];
  }
  writeFileSync(snap, stringify({ apiVersion: 'v1', kind: 'List', items: docs }));
  const log = join(dir, 'kustomize-controller.log');
  writeFileSync(log, logs.map((l) => JSON.stringify(l)).join('\n'));
  return { snap, logs: log };
}

const files = write(clusterDocs(), clusterLogs());
const NOW = ['--now', '2026-11-24T10:10:00Z'];
const S = ['--snapshot', files.snap, '--logs', files.logs, ...NOW];

// Hostile names and messages everywhere a view prints cluster text.
const evilKs = { kind: 'Kustomization', namespace: 'flux-system', name: 'evil' };
const evil = write(
  [
    obj('GitRepository', 'src', { status: status(['False', `Reason${ESC}[31m`, hostile]) }),
    obj('Kustomization', 'evil', {
      spec: { sourceRef: { kind: 'GitRepository', name: 'src' } },
      status: {
        ...status(['False', 'BuildFailed', hostile]),
        lastAppliedRevision: `main@sha1:${ESC}[2Jabc`,
        inventory: { entries: [{ id: `apps_web${ESC}[31m_apps_Deployment`, v: 'v1' }] },
      },
    }),
    event(evilKs, 'BuildFailed', hostile),
  ],
  [{ ...logLine(evilKs, hostile, hostile), ts: '2026-11-24T10:00:00.000Z' }],
);
const E = ['--snapshot', evil.snap, '--logs', evil.logs, ...NOW];

describe('cli get', () => {
  it('prints the status table, exit 0', async () => {
    const r = await run(['get', ...S]);
    assert.equal(r.code, 0, r.err);
    const [head, ...rows] = r.out.trimEnd().split('\n');
    assert.match(head!, /^NAMESPACE\s+KIND\s+NAME\s+READY\s+STATUS$/);
    assert.equal(rows.length, 8);
    assert.doesNotMatch(r.out, /\s5m\s/, 'LAST RECONCILE is a wide column');
    const wide = await run(['get', '-o', 'wide', ...S]);
    const [whead] = wide.out.split('\n');
    assert.match(whead!, /^NAMESPACE\s+KIND\s+NAME\s+READY\s+SUSPENDED\s+REVISION\s+LAST RECONCILE\s+STATUS$/);
    assert.match(wide.out, /flux-system\s+GitRepository\s+flux-system\s+Ready\s+False\s+main@sha1:aaaa\s+5m\s+/);
    assert.match(wide.out, /team\s+Kustomization\s+legacy\s+Suspended\s+True\s/);
  });

  it('fits the terminal width: STATUS is cut with an ellipsis, names never; -o wide and pipes are whole', async () => {
    const long = `health check failed: ${'x'.repeat(150)} tail-end`;
    const lk = write([
      obj('Kustomization', 'team-app/a-long-kustomization-name', {
        status: status(['False', 'HealthCheckFailed', long]),
      }),
    ]);
    const args = ['get', '--snapshot', lk.snap, ...NOW];
    for (const how of [{ tty: true, columns: 80, env: { NO_COLOR: '1' } }, { env: { COLUMNS: '80' } }]) {
      const r = await run(args, how);
      assert.equal(r.code, 0, r.err);
      const lines = r.out.trimEnd().split('\n');
      for (const l of lines) assert.ok([...l].length <= 80, `${JSON.stringify(how)}: ${l.length}: ${l}`);
      assert.match(lines[1]!, /^team-app\s+Kustomization\s+a-long-kustomization-name\s+Failed\s+health check[^…]*…$/);
    }
    // A terminal's own width wins over $COLUMNS.
    const t = await run(args, { tty: true, columns: 100, env: { COLUMNS: '60', NO_COLOR: '1' } });
    assert.ok(
      t.out.split('\n').some((l) => [...l].length > 80 && [...l].length <= 100),
      t.out,
    );
    // A pipe without $COLUMNS, and -o wide on a narrow terminal, print the whole message.
    for (const r of [
      await run(args),
      await run([...args, '-o', 'wide'], { tty: true, columns: 80, env: { NO_COLOR: '1' } }),
    ]) {
      assert.match(r.out, /x{150} tail-end$/m);
      assert.ok(!r.out.includes('…'));
    }
  });

  it('--no-headers omits the header row; -o name prints kind.group/name that trace accepts', async () => {
    const r = await run(['get', '--no-headers', ...S]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.trimEnd().split('\n').length, 8);
    assert.ok(!r.out.includes('NAMESPACE'));
    assert.ok(!(await run(['get', '-o', 'wide', '--no-headers', ...S])).out.includes('REVISION'));
    const n = await run(['get', 'ks', '-o', 'name', ...S]);
    assert.equal(n.code, 0, n.err);
    const names = n.out.trimEnd().split('\n');
    assert.ok(names.length >= 3, n.out);
    for (const name of names) assert.match(name, /^kustomization\.kustomize\.toolkit\.fluxcd\.io\/[a-z0-9.-]+$/);
    assert.ok(names.includes('kustomization.kustomize.toolkit.fluxcd.io/apps'));
    const all = (await run(['get', '-o', 'name', ...S])).out;
    assert.match(all, /^gitrepository\.source\.toolkit\.fluxcd\.io\/flux-system$/m);
    // Each name is a target: `get -o name | xargs -n1 fluxdoctor trace`.
    for (const name of all.trimEnd().split('\n')) {
      const t = await run(['trace', name, ...S]);
      assert.equal(t.code, 0, `${name}: ${t.err}`);
    }
  });

  it('KIND as users type it, NAME, --status, -n', async () => {
    const r = await run(['get', 'kustomizations', '--status', 'failing', ...S]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.trimEnd().split('\n').length, 2);
    assert.match(r.out, /Kustomization\s+infra\s+Failed/);
    const one = await run(['get', 'ks', 'apps', '-o', 'summary', ...S]);
    assert.deepEqual(
      JSON.parse(one.out).items.map((x: { name: string }) => x.name),
      ['apps'],
    );
    const ns = await run(['get', '-n', 'team', '-o', 'summary', ...S]);
    assert.deepEqual(
      JSON.parse(ns.out).items.map((x: { name: string }) => x.name),
      ['legacy'],
    );
  });

  it('-o summary: {items: [...]} with the documented keys (the rows of the table)', async () => {
    const j = JSON.parse((await run(['get', 'hr', '-o', 'summary', ...S])).out);
    assert.deepEqual(Object.keys(j), ['items']);
    assert.deepEqual(j.items[0], {
      namespace: 'flux-system',
      kind: 'HelmRelease',
      name: 'redis',
      ready: 'Failed',
      status: 'HelmChart is not ready',
      reason: 'SourceNotReady',
      lastReconcile: '2026-11-24T10:00:00Z',
      lastReconcileAge: 600,
      suspended: false,
    });
  });

  it('-o json and -o yaml: the objects themselves, a List for several, the object for one NAME', async () => {
    const j = JSON.parse((await run(['get', 'hr', '-o', 'json', ...S])).out);
    assert.equal(j.apiVersion, 'v1');
    assert.equal(j.kind, 'List');
    assert.deepEqual(
      j.items.map((o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`),
      ['HelmRelease/redis'],
    );
    assert.equal(j.items[0].status.conditions[0].reason, 'SourceNotReady');
    const y = parse((await run(['get', 'hr', '-o', 'yaml', ...S])).out);
    assert.deepEqual(y, j);
    const one = JSON.parse((await run(['get', 'hr', 'redis', '-o', 'json', ...S])).out);
    assert.deepEqual(one, j.items[0]);
  });

  it('exit 0 with nothing matching --status; exit 2 on an unknown kind, a bad --status, a NAME not found', async () => {
    const none = await run(['get', 'ks', '--status', 'progressing', ...S]);
    assert.equal(none.code, 0);
    assert.equal(none.out, '');
    assert.match(none.err, /No ks found with status progressing/);
    const bad = await run(['get', 'nonsense', ...S]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown kind 'nonsense'/);
    assert.equal((await run(['get', '--status', 'broken', ...S])).code, 2);
    const nf = await run(['get', 'ks', 'nope', ...S]);
    assert.equal(nf.code, 2);
    assert.match(nf.err, /no ks named 'nope'/);
  });

  it('colour on a TTY, none with NO_COLOR or --no-color', async () => {
    assert.ok((await run(['get', ...S], { tty: true, env: {} })).out.includes(ESC));
    assert.ok(!(await run(['get', ...S], { tty: true, env: { NO_COLOR: '1' } })).out.includes(ESC));
    assert.ok(!(await run(['get', '--no-color', ...S], { tty: true, env: {} })).out.includes(ESC));
  });
});

describe('cli stats', () => {
  it('table with a Total row; -o json shape', async () => {
    const r = await run(['stats', ...S]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^KIND\s+TOTAL\s+READY\s+FAILING\s+SUSPENDED\s+WAITING\s+PROGRESSING$/m);
    assert.match(r.out, /^Kustomization\s+4\s+1\s+1\s+1\s+1\s+0$/m);
    assert.match(r.out, /^Total\s+8\s+2\s+4\s+1\s+1\s+0$/m);
    const j = JSON.parse((await run(['stats', '-o', 'json', ...S])).out);
    assert.deepEqual(Object.keys(j), ['kinds', 'total']);
    assert.deepEqual(Object.keys(j.total), [
      'kind',
      'total',
      'ready',
      'failing',
      'suspended',
      'waiting',
      'progressing',
    ]);
  });
});

describe('cli events', () => {
  it('table columns, warnings first; --for resolves the target', async () => {
    const r = await run(['events', ...S]);
    assert.equal(r.code, 0, r.err);
    const [head, first] = r.out.split('\n');
    assert.match(head!, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    assert.match(first!, /^2m\s+Warning\s+HealthCheckFailed\s+Kustomization\/flux-system\/infra\s+health boom red$/);
    const [whead, wfirst] = (await run(['events', '-o', 'wide', ...S])).out.split('\n');
    assert.match(whead!, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SOURCE\s+COUNT\s+MESSAGE$/);
    assert.match(
      wfirst!,
      /^2m\s+Warning\s+HealthCheckFailed\s+Kustomization\/flux-system\/infra\s+(\S+\s+)?1\s+health boom red$/,
    );
    const bare = (await run(['events', '--no-headers', ...S])).out.split('\n');
    assert.equal(bare[0]!.replace(/\s+/g, ' '), first!.replace(/\s+/g, ' '));
    assert.ok(!bare.join('\n').includes('LAST SEEN'));
    assert.ok(!r.out.includes('unrelated'));
    const f = JSON.parse((await run(['events', '--for', 'ks/apps', '-o', 'json', ...S])).out);
    // The same name as the MCP events tool's argument and result: target.
    assert.deepEqual(f.target, { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' });
    assert.equal(f.for, undefined);
    assert.deepEqual(Object.keys(f), ['target', 'groups']);
    assert.deepEqual(Object.keys(f.groups[0]), ['object', 'warnings', 'events']);
    assert.equal(f.groups[0].object.kind, 'Pod');
    const w = await run(['events', '--warnings', '--for', 'kustomization/flux-system/apps', ...S]);
    assert.ok(!/Normal/.test(w.out), w.out);
  });

  it('exit 2 when --for is malformed', async () => {
    const r = await run(['events', '--for', 'justaword', ...S]);
    assert.equal(r.code, 2);
    assert.match(r.err, /expected KIND\/NAME/);
  });
});

describe('cli logs', () => {
  it('flux-logs-like lines, --for, --level, --since', async () => {
    const r = await run(['logs', '--for', 'ks/infra', ...S]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.trimEnd().split('\n'), [
      '2026-11-24T09:00:00.000Z info kustomize-controller Kustomization/flux-system/infra: starting reconcile',
      '2026-11-24T10:08:00.000Z error kustomize-controller Kustomization/flux-system/infra: Reconciliation failed health check failed boom red',
      '2026-11-24T10:09:00.000Z debug kustomize-controller Kustomization/flux-system/infra: debug detail',
    ]);
    const e = await run(['logs', '--for', 'ks/infra', '--level', 'error', '--since', '5m', ...S]);
    assert.equal(e.out.trim().split('\n').length, 1);
    const s = await run(['logs', '--since', '5m', '-o', 'json', ...S]);
    assert.deepEqual(
      JSON.parse(s.out).lines.map((l: { msg: string }) => l.msg),
      ['Reconciliation failed', 'debug detail'],
    );
    // -o json names the object of --for `target`, as the MCP logs tool's argument and result do.
    const j = JSON.parse((await run(['logs', '--for', 'ks/infra', '-o', 'json', ...S])).out);
    assert.deepEqual(j.target, { kind: 'Kustomization', namespace: 'flux-system', name: 'infra' });
    assert.equal(j.for, undefined);
    assert.equal(j.lines.length, 3);
  });

  it('--follow is refused with exit 2 and documented; a bad --since or --level is a usage error', async () => {
    const f = await run(['logs', '--follow', ...S]);
    assert.equal(f.code, 2);
    assert.match(f.err, /--follow is not supported yet/);
    const help = await run(['logs', '--help']);
    assert.match(help.out, /--follow is not supported yet/);
    assert.equal((await run(['logs', '--since', 'soon', ...S])).code, 2);
    assert.equal((await run(['logs', '--level', 'loud', ...S])).code, 2);
  });

  it('says when no logs were read', async () => {
    const r = await run(['logs', '--snapshot', files.snap, ...NOW]);
    assert.equal(r.code, 0);
    assert.match(r.err, /no logs were read; with --snapshot add --logs DIR/);
  });
});

describe('cli trace and tree', () => {
  it('trace: indented hops with relation words, a summary; -o json structure', async () => {
    const r = await run(['trace', 'pod/shop/web-5d4f-aaaaa', ...S]);
    assert.equal(r.code, 0, r.err);
    const l = r.out.split('\n');
    assert.equal(l[0], 'Pod/shop/web-5d4f-aaaaa (Failed: ImagePullBackOff)');
    assert.equal(l[1], '  Back-off pulling image "web:9"');
    assert.equal(l[2], '└─ owned by Deployment/shop/web (Progressing: ReplicasNotReady)');
    assert.match(
      r.out,
      /\n {3}└─ applied by Kustomization\/flux-system\/apps \(Waiting: DependencyNotReady\) revision main@sha1:aaaa\n/,
    );
    assert.match(r.out, /depends on Kustomization\/flux-system\/infra \(Failed: HealthCheckFailed\)/);
    assert.match(r.out, /5 hops up, 3 not ready\n$/);
    const j = JSON.parse((await run(['trace', 'deploy', 'shop/web', '-o', 'json', ...S])).out);
    assert.deepEqual(Object.keys(j), ['target', 'root', 'hops', 'notReady']);
    assert.equal(j.root.up[0].relation, 'applied by');
    assert.equal(j.root.up[0].field, 'status.inventory');
  });

  it('tree: box drawing, (not read), summary; -o yaml structure', async () => {
    const r = await run(['tree', 'ks/apps', ...S]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.trimEnd().split('\n'), [
      'Kustomization/flux-system/apps (Waiting: DependencyNotReady) revision main@sha1:aaaa',
      "  dependency 'flux-system/infra' is not ready",
      '├─ Deployment/shop/web (Progressing: ReplicasNotReady)',
      '│    0/2 replicas available, 2 updated',
      '│  ├─ Pod/shop/web-5d4f-aaaaa (Failed: ImagePullBackOff)',
      '│  │    Back-off pulling image "web:9"',
      '│  └─ Pod/shop/web-5d4f-bbbbb (Ready)',
      '└─ ConfigMap/shop/settings (not read)',
      '4 objects, 2 not ready, 1 not read',
    ]);
    const y = parse((await run(['tree', 'ks/apps', '-o', 'yaml', ...S])).out);
    assert.deepEqual(Object.keys(y), ['root', 'objects', 'notReady', 'notRead']);
    assert.equal(y.root.children[1].found, false);
  });

  it('tree --help says the Helm storage Secrets are not read', async () => {
    const help = await run(['tree', '--help']);
    assert.match(help.out, /Helm storage Secrets .* are not read/s);
  });

  it('exit 2 for an unknown object, an ambiguous name, a missing target', async () => {
    const nf = await run(['trace', 'deploy/nowhere', ...S]);
    assert.equal(nf.code, 2);
    assert.match(nf.err, /no Deployment named nowhere/);
    assert.doesNotMatch(nf.err, /flux-system/, 'no namespace is invented');
    assert.equal((await run(['tree', 'ks/nope', ...S])).code, 2);
    const two = write([
      obj('Kustomization', 'a/app', { status: READY() }),
      obj('Kustomization', 'b/app', { status: READY() }),
    ]);
    const amb = await run(['tree', 'ks/app', '--snapshot', two.snap]);
    assert.equal(amb.code, 2);
    assert.match(amb.err, /several namespaces \(a, b\)/);
    assert.equal((await run(['tree', 'ks/app', '-n', 'b', '--snapshot', two.snap])).code, 0);
    assert.equal((await run(['trace', ...S])).code, 2, 'missing argument');
  });
});

describe('cli views: no terminal escapes from the cluster reach the output', () => {
  const commands: string[][] = [
    ['get'],
    ['get', '-o', 'json'],
    ['get', '-o', 'yaml'],
    ['stats'],
    ['events'],
    ['events', '-o', 'json'],
    ['logs'],
    ['logs', '-o', 'json'],
    ['trace', 'ks/evil'],
    ['trace', 'ks/evil', '-o', 'yaml'],
    ['tree', 'ks/evil'],
    ['tree', 'ks/evil', '-o', 'json'],
  ];
  for (const c of commands)
    it(c.join(' '), async () => {
      const r = await run([...c, ...E], { env: { NO_COLOR: '1' } });
      assert.equal(r.code, 0, r.err);
      assert.ok(r.out.length > 0);
      assert.ok(!r.out.includes(ESC) && !r.out.includes('\u0007') && !r.out.includes('\\u001b'), JSON.stringify(r.out));
      assert.ok(!r.err.includes(ESC));
    });
});

describe('cli codes and docs search: tables', () => {
  it('codes: a header row, the title cut to the width, -o wide adds KINDS, --no-headers', async () => {
    const r = await run(['codes'], { env: { COLUMNS: '60' } });
    assert.equal(r.code, 0, r.err);
    const [head, ...rows] = r.out.trimEnd().split('\n');
    assert.match(head!, /^CODE\s+SEVERITY\s+TITLE$/);
    assert.ok(rows.length > 20);
    assert.match(r.out, /^helm\.chart-not-found\s+error\s+\S/m);
    assert.ok(r.out.includes('…'));
    for (const l of r.out.trimEnd().split('\n')) assert.ok([...l].length <= 60, l);
    const wide = await run(['codes', '-o', 'wide'], { env: { COLUMNS: '60' } });
    assert.match(wide.out.split('\n')[0]!, /^CODE\s+SEVERITY\s+KINDS\s+TITLE$/);
    assert.match(
      wide.out,
      /^helm\.chart-not-found\s+error\s+\S*HelmRelease\S*\s+The chart or chart version is not in the repository$/m,
    );
    assert.ok(!wide.out.includes('…'));
    const bare = await run(['codes', '--no-headers']);
    assert.equal(bare.out.trimEnd().split('\n').length, rows.length);
    assert.ok(!bare.out.includes('SEVERITY'));
  });

  it('docs search: SCORE TITLE SOURCE, -o wide adds EXCERPT, --no-headers', async () => {
    const r = await run(['docs', 'search', 'chart', 'not', 'found', '--limit', '3']);
    assert.equal(r.code, 0, r.err);
    const [head, ...rows] = r.out.trimEnd().split('\n');
    assert.match(head!, /^SCORE\s+TITLE\s+SOURCE$/);
    assert.equal(rows.length, 3);
    for (const row of rows) assert.match(row, /^\d+\.\d\d\s+\S.*\s+(docs\/reference\/\S+\.md#\S+|code:[a-z.-]+)$/);
    const wide = await run(['docs', 'search', 'chart', 'not', 'found', '--limit', '3', '-o', 'wide']);
    assert.match(wide.out.split('\n')[0]!, /^SCORE\s+TITLE\s+SOURCE\s+EXCERPT$/);
    const bare = await run(['docs', 'search', 'chart', 'not', 'found', '--limit', '3', '--no-headers']);
    assert.deepEqual(bare.out.trimEnd().split('\n').length, 3);
    assert.match(bare.out.split('\n')[0]!, /^\d+\.\d\d\s/);
    const narrow = await run(['docs', 'search', 'chart', 'not', 'found', '--limit', '3'], {
      tty: true,
      columns: 70,
      env: { NO_COLOR: '1' },
    });
    for (const l of narrow.out.trimEnd().split('\n')) assert.ok([...l].length <= 70, l);
  });
});
