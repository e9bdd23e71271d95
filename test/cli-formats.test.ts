// Issue 9, the command line: `-o` means a format everywhere. snapshot writes a file with -f and takes
// -o yaml|json; text and table are synonyms on every command with a text form; get -o yaml|json
// returns the objects (values removed) and -o summary the rows; common spellings (-l, --status-selector,
// `get sources git`, explain --recursive); the --kind error names the kinds it accepts.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { type Io, main } from '../src/cli/main.js';
import { obj, READY, status } from './helpers.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(args: string[], opts: { tty?: boolean } = {}): Promise<Run> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    env: {},
  };
  const code = await main(['node', 'fluxdoctor', ...args], io);
  return { code, out, err };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'fd-formats-'));

function writeSnapshot(docs: object[]): string {
  const p = join(tmp(), 'cluster.yaml');
  writeFileSync(p, stringify({ apiVersion: 'v1', kind: 'List', items: docs }));
  return p;
}

const MH = ['--snapshot', 'examples/multi-hop'];

describe('snapshot -f FILE -o yaml|json', () => {
  it('-f writes the file (0600) and -o json writes a JSON bundle that reads back to the same findings', async () => {
    const dir = tmp();
    const yamlFile = join(dir, 'bundle.yaml');
    const jsonFile = join(dir, 'bundle.out');
    const y = await run(['snapshot', ...MH, '-f', yamlFile]);
    assert.equal(y.code, 0, y.err);
    assert.equal(y.out, '');
    assert.match(y.err, /^wrote .*bundle\.yaml \(yaml\): \d+ objects/);
    assert.equal(statSync(yamlFile).mode & 0o777, 0o600);
    assert.match(readFileSync(yamlFile, 'utf8'), /^# fluxdoctor snapshot/);
    const j = await run(['snapshot', ...MH, '-o', 'json', '-f', jsonFile]);
    assert.equal(j.code, 0, j.err);
    assert.equal(statSync(jsonFile).mode & 0o777, 0o600);
    const doc = JSON.parse(readFileSync(jsonFile, 'utf8'));
    assert.equal(doc.kind, 'Snapshot');
    assert.ok(Array.isArray(doc.items) && doc.items.length > 10);
    assert.ok(
      doc.info.removed.some((r: string) => /spec\.values/.test(r)),
      'says what was removed',
    );
    const base = JSON.parse((await run(['diagnose', ...MH, '-o', 'json'])).out);
    assert.ok(base.findings.length > 0);
    for (const file of [yamlFile, jsonFile]) {
      const back = JSON.parse((await run(['diagnose', '--snapshot', file, '-o', 'json'])).out);
      assert.deepEqual(back.findings, base.findings, file);
      assert.deepEqual(back.objects, base.objects, file);
    }
  });

  it('a FILE ending in .json is JSON without -o; -o yaml wins over the extension', async () => {
    const dir = tmp();
    await run(['snapshot', ...MH, '-f', join(dir, 'a.json')]);
    assert.equal(JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')).kind, 'Snapshot');
    await run(['snapshot', ...MH, '-o', 'yaml', '-f', join(dir, 'b.json')]);
    assert.match(readFileSync(join(dir, 'b.json'), 'utf8'), /^# fluxdoctor snapshot/);
  });

  it('without -f the bundle goes to stdout when it is not a terminal (and -o json | diagnose --snapshot - works)', async () => {
    const y = await run(['snapshot', ...MH]);
    assert.equal(y.code, 0, y.err);
    assert.match(y.out, /^# fluxdoctor snapshot/);
    const j = await run(['snapshot', ...MH, '-o', 'json']);
    assert.equal(JSON.parse(j.out).kind, 'Snapshot');
    assert.equal((await run(['snapshot', ...MH, '-f', '-'])).out, y.out);
  });

  it('a terminal is refused without -f, naming -f FILE (exit 2); -f - forces it', async () => {
    const r = await run(['snapshot', ...MH], { tty: true });
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /terminal.*-f FILE/);
    const f = await run(['snapshot', ...MH, '-f', '-'], { tty: true });
    assert.equal(f.code, 0);
    assert.match(f.out, /^# fluxdoctor snapshot/);
  });

  it('-o PATH (the old spelling) is an error that says to use -f/--file PATH, and writes nothing', async () => {
    const file = join(tmp(), 'bundle.yaml');
    const r = await run(['snapshot', ...MH, '-o', file]);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /use -f\/--file PATH/);
    assert.throws(() => statSync(file), /ENOENT/);
    const named = await run(['snapshot', ...MH, '-o', 'json']);
    assert.equal(named.code, 0, 'a format name is a format');
  });
});

describe('-o text and -o table are synonyms on every command with a text form', () => {
  const commands: string[][] = [
    ['diagnose', ...MH],
    ['check', ...MH],
    ['get', ...MH],
    ['stats', ...MH],
    ['events', ...MH],
    ['logs', ...MH],
    ['trace', 'hr/redis', ...MH],
    ['tree', 'ks/infra', ...MH],
    ['codes'],
    ['explain', 'source.auth'],
    ['explain', 'hr.spec.chart'],
    ['docs', 'search', 'chart', 'not', 'found'],
  ];
  for (const c of commands)
    it(c.join(' '), async () => {
      const plain = await run(c);
      const text = await run([...c, '-o', 'text']);
      const table = await run([...c, '-o', 'table']);
      assert.notEqual(text.code, 2, text.err);
      assert.ok(text.out.length + text.err.length > 0, 'prints something');
      assert.deepEqual(text, plain, '-o text is the default form');
      assert.deepEqual(table, plain, '-o table is the default form');
      const bad = await run([...c, '-o', 'bogus']);
      assert.equal(bad.code, 2);
      assert.match(bad.err, /Allowed choices are .*text.*table|Allowed choices are .*table.*text/);
    });

  it('the write verbs and watch accept -o table too (the flag parses; the live-only refusal follows)', async () => {
    for (const c of [['reconcile', 'ks/x'], ['suspend', 'ks/x'], ['resume', 'ks/x'], ['watch']]) {
      const r = await run([...c, '-o', 'table', '--snapshot', 'x.yaml']);
      assert.equal(r.code, 2);
      assert.doesNotMatch(r.err, /Allowed choices/, c.join(' '));
      assert.match(r.err, /--snapshot is not accepted|live cluster/, c.join(' '));
      assert.match((await run([...c, '-o', 'bogus'])).err, /Allowed choices/, c.join(' '));
    }
  });
});

// A HelmRelease with values, a Kustomization with substitutions, a Secret and a Deployment with an env value.
const PLAIN = 'plain-marker-7f3a';
const valuesSnap = writeSnapshot([
  obj('GitRepository', 'src', { status: READY('stored artifact') }),
  obj('HelmRelease', 'apps/web', {
    labels: { 'app.kubernetes.io/part-of': 'shop', tier: 'front' },
    spec: {
      interval: '5m',
      chart: {
        spec: { chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' } },
      },
      values: { replicas: 3, auth: { password: PLAIN, users: [PLAIN] } },
    },
    status: status(['False', 'InstallFailed', 'install failed']),
  }),
  obj('HelmRelease', 'apps/api', {
    labels: { 'app.kubernetes.io/part-of': 'shop', tier: 'back' },
    spec: { interval: '5m', chart: { spec: { chart: 'api', sourceRef: { kind: 'HelmRepository', name: 'charts' } } } },
    status: READY('Helm install succeeded'),
  }),
  obj('Kustomization', 'apps', {
    labels: { team: 'a' },
    spec: {
      interval: '5m',
      path: './apps',
      sourceRef: { kind: 'GitRepository', name: 'src' },
      postBuild: { substitute: { DB_PASSWORD: PLAIN } },
    },
    status: READY(),
  }),
  obj('Secret', 'apps/creds', { extra: { type: 'Opaque', data: { password: Buffer.from(PLAIN).toString('base64') } } }),
  obj('Deployment', 'apps/web', {
    spec: {
      template: { spec: { containers: [{ name: 'web', image: 'web:1', env: [{ name: 'TOKEN', value: PLAIN }] }] } },
    },
  }),
]);
const V = ['--snapshot', valuesSnap];

describe('get -o yaml|json: the objects, values removed; -o summary: the rows', () => {
  it('get hr NAME -o yaml is the object itself, with spec.values leaves removed (keys kept)', async () => {
    const r = await run(['get', 'hr', 'web', '-n', 'apps', '-o', 'yaml', ...V]);
    assert.equal(r.code, 0, r.err);
    assert.ok(!r.out.includes(PLAIN), r.out);
    const o = parse(r.out);
    assert.equal(o.kind, 'HelmRelease');
    assert.equal(o.apiVersion, 'helm.toolkit.fluxcd.io/v2');
    assert.equal(o.metadata.name, 'web');
    assert.deepEqual(o.spec.values, { replicas: '<removed>', auth: { password: '<removed>', users: ['<removed>'] } });
    assert.equal(o.spec.chart.spec.chart, 'web', 'the rest of the spec is there');
    assert.equal(o.status.conditions[0].reason, 'InstallFailed');
    assert.equal(o.metadata.managedFields, undefined);
  });

  it('several objects are a kubectl List; Secret, substitute and env values never appear', async () => {
    const j = await run(['get', 'ks,hr', '-A', '-o', 'json', ...V]);
    assert.equal(j.code, 0, j.err);
    const doc = JSON.parse(j.out);
    assert.equal(doc.apiVersion, 'v1');
    assert.equal(doc.kind, 'List');
    assert.deepEqual(
      doc.items.map((o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`),
      ['Kustomization/apps', 'HelmRelease/api', 'HelmRelease/web'],
    );
    assert.deepEqual(doc.items[0].spec.postBuild.substitute, { DB_PASSWORD: '<removed>' });
    for (const args of [
      ['get', 'secret', 'creds', '-n', 'apps', '-o', 'json'],
      ['get', 'secret', 'creds', '-n', 'apps', '-o', 'yaml'],
      ['get', 'deploy', 'web', '-n', 'apps', '-o', 'yaml'],
      ['get', 'all', '-o', 'yaml'],
    ]) {
      const r = await run([...args, ...V]);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
      assert.ok(!r.out.includes(PLAIN) && !r.out.includes(Buffer.from(PLAIN).toString('base64')), args.join(' '));
    }
    const s = JSON.parse((await run(['get', 'secret', 'creds', '-n', 'apps', '-o', 'json', ...V])).out);
    assert.equal(s.kind, 'Secret');
    assert.deepEqual(s.dataKeys, ['password'], 'the key names are kept');
    const d = parse((await run(['get', 'deploy', 'web', '-n', 'apps', '-o', 'yaml', ...V])).out);
    assert.deepEqual(d.spec.template.spec.containers[0].env, [{ name: 'TOKEN', value: '<removed>' }]);
  });

  it('-o summary prints the status rows as JSON ({items: rows}), as -o json did before', async () => {
    const r = await run(['get', 'hr', '-A', '-o', 'summary', ...V]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    assert.deepEqual(Object.keys(doc), ['items']);
    assert.deepEqual(
      doc.items.map((x: { name: string; ready: string }) => [x.name, x.ready]),
      [
        ['api', 'Ready'],
        ['web', 'Failed'],
      ],
    );
    assert.equal((await run(['get', '-o', 'summary', '-n', 'apps', 'nope', ...V])).code, 2, 'NAME not found');
  });
});

describe('-l/--selector and --status-selector', () => {
  it('get -l filters on the labels (=, !=, in, notin, exists, !key)', async () => {
    const names = async (sel: string) =>
      JSON.parse((await run(['get', '-A', '-o', 'summary', '-l', sel, ...V])).out).items.map(
        (x: { kind: string; name: string }) => `${x.kind}/${x.name}`,
      );
    assert.deepEqual(await names('app.kubernetes.io/part-of=shop'), ['HelmRelease/api', 'HelmRelease/web']);
    assert.deepEqual(await names('app.kubernetes.io/part-of=shop,tier!=back'), ['HelmRelease/web']);
    assert.deepEqual(await names('tier in (back, middle)'), ['HelmRelease/api']);
    assert.deepEqual(await names('tier notin (back)'), ['GitRepository/src', 'Kustomization/apps', 'HelmRelease/web']);
    assert.deepEqual(await names('team'), ['Kustomization/apps']);
    assert.deepEqual(await names('!tier,!team'), ['GitRepository/src']);
    const none = await run(['get', '-l', 'tier=nothing', ...V]);
    assert.equal(none.code, 0);
    assert.match(none.err, /No Flux objects found matching tier=nothing/);
    const y = parse((await run(['get', 'hr', '-A', '-o', 'yaml', '--selector', 'tier=front', ...V])).out);
    assert.deepEqual(
      y.items.map((o: { metadata: { name: string } }) => o.metadata.name),
      ['web'],
    );
  });

  it('diagnose -l reports only findings that involve a matching object, and counts the selection', async () => {
    const all = JSON.parse((await run(['diagnose', '-o', 'json', ...V])).out);
    assert.ok(all.findings.some((f: { rootCause: { name: string } }) => f.rootCause.name === 'web'));
    const back = await run(['diagnose', '-o', 'json', '-l', 'tier=back', ...V]);
    assert.equal(back.code, 0, 'the failing HelmRelease is not selected');
    const doc = JSON.parse(back.out);
    assert.ok(doc.findings.length > 0, 'the selected HelmRelease has its own (info) finding');
    for (const f of doc.findings) {
      const names = [f.rootCause, ...f.affected].map((r: { name: string }) => r.name);
      assert.ok(names.includes('api') && !names.includes('web'), JSON.stringify(f));
    }
    assert.equal(doc.selection.labelSelector, 'tier=back');
    assert.equal(doc.objects.total, 1);
    const front = JSON.parse((await run(['diagnose', '-o', 'json', '-l', 'tier in (front)', ...V])).out);
    assert.ok(front.findings.length > 0);
    assert.ok(
      front.findings.every((f: { rootCause: { name: string }; affected: { name: string }[] }) =>
        [f.rootCause, ...f.affected].some((r) => r.name === 'web'),
      ),
    );
    const text = await run(['diagnose', '-l', 'tier=nothing', ...V]);
    assert.equal(text.out, '');
    assert.match(text.err, /matching tier=nothing/);
    assert.doesNotMatch(text.err + text.out, /No problems found/);
  });

  it('a selector that cannot be read is an input error (exit 2) naming it, before anything is read', async () => {
    for (const bad of ['tier in (a', 'tier in ()', 'a b', '=x', ',', 'a=b=c', '-bad=x', 'n > x']) {
      for (const cmd of ['get', 'diagnose']) {
        const r = await run([cmd, '-l', bad, '--snapshot', '/nonexistent/file.yaml']);
        assert.equal(r.code, 2, `${cmd} -l '${bad}'`);
        assert.match(r.err, /invalid label selector/, `${cmd} -l '${bad}': ${r.err}`);
        assert.doesNotMatch(r.err, /nonexistent/, 'the selector is checked before the input is read');
      }
    }
  });

  it('--status-selector ready=false selects by condition status, as flux get', async () => {
    const rows = async (args: string[]) =>
      JSON.parse((await run(['get', '-o', 'summary', ...args, ...MH])).out).items.map(
        (x: { kind: string; name: string }) => `${x.kind}/${x.name}`,
      );
    const notReady = await rows(['--status-selector', 'ready=false']);
    assert.ok(notReady.includes('HelmRepository/bitnami'));
    assert.ok(!notReady.includes('GitRepository/flux-system'));
    assert.deepEqual(await rows(['--status-selector', 'Ready=True']), await rows(['--status-selector', 'ready=true']));
    assert.ok((await rows(['--status-selector', 'ready=true'])).includes('GitRepository/flux-system'));
    const bad = await run(['get', '--status-selector', 'ready', ...MH]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /invalid status selector 'ready'.*ready=false/);
  });
});

describe('flux get spellings', () => {
  const kinds = async (args: string[], snap = MH) => {
    const r = await run(['get', ...args, '-o', 'summary', ...snap]);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
    return [...new Set(JSON.parse(r.out).items.map((x: { kind: string }) => x.kind))];
  };
  it('get sources git|helm|chart|all, get source git, get sources git NAME', async () => {
    assert.deepEqual(await kinds(['sources', 'git']), ['GitRepository']);
    assert.deepEqual(await kinds(['source', 'git']), ['GitRepository']);
    assert.deepEqual(await kinds(['sources', 'helm']), ['HelmRepository']);
    assert.deepEqual(await kinds(['sources', 'chart']), ['HelmChart']);
    assert.deepEqual(await kinds(['sources', 'all']), ['GitRepository', 'HelmRepository', 'HelmChart']);
    assert.deepEqual(await kinds(['sources']), ['GitRepository', 'HelmRepository', 'HelmChart']);
    const one = JSON.parse((await run(['get', 'sources', 'helm', 'bitnami', '-o', 'summary', ...MH])).out);
    assert.deepEqual(
      one.items.map((x: { name: string }) => x.name),
      ['bitnami'],
    );
    const table = await run(['get', 'sources', 'git', ...MH]);
    assert.match(table.out, /GitRepository\s+flux-system\s+Ready/);
  });

  it('get oci, get images all|policy, get alert-providers, receivers, alerts', async () => {
    const img = ['--snapshot', 'examples/image-automation'];
    assert.deepEqual(await kinds(['images', 'policy'], img), ['ImagePolicy']);
    assert.deepEqual(await kinds(['images', 'repository'], img), ['ImageRepository']);
    assert.deepEqual(await kinds(['images', 'update'], img), ['ImageUpdateAutomation']);
    assert.deepEqual(await kinds(['images', 'all'], img), ['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation']);
    const src = ['--snapshot', 'examples/sources'];
    assert.deepEqual(await kinds(['oci'], src), ['OCIRepository']);
    assert.deepEqual(await kinds(['sources', 'oci'], src), ['OCIRepository']);
    for (const w of ['alert-providers', 'alerts', 'receivers']) {
      const r = await run(['get', w, ...MH]);
      assert.equal(r.code, 0, `${w}: ${r.err}`);
    }
  });

  it('an unknown sub-kind names the ones the group has (exit 2)', async () => {
    const r = await run(['get', 'sources', 'svn', ...MH]);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown kind 'sources svn'.*sources all\|git\|helm\|oci\|bucket\|chart/);
    assert.equal((await run(['get', 'sources', 'git', 'a', 'b', ...MH])).code, 2, 'too many arguments');
  });
});

describe('the KIND and --kind errors list what they accept', () => {
  it('Flux kinds, the flux get groups and the other kinds fluxdoctor reads (Deployment, Pod)', async () => {
    for (const args of [
      ['diagnose', ...MH, '--kind', 'Foo'],
      ['get', 'Foo', ...MH],
    ]) {
      const r = await run(args);
      assert.equal(r.code, 2);
      assert.match(r.err, /unknown kind 'Foo'/);
      for (const w of ['ks', 'hr', 'gitrepo', 'Deployment \\(deploy\\)', 'Pod \\(po\\)', 'sources \\[all\\|git'])
        assert.match(r.err, new RegExp(w), `${args[0]}: ${w}`);
    }
    // and what it lists is accepted
    const d = await run(['diagnose', ...MH, '--kind', 'deploy,po', '-o', 'json']);
    assert.notEqual(d.code, 2, d.err);
    const g = await run(['diagnose', ...MH, '--kind', 'sources', '-o', 'json']);
    assert.notEqual(g.code, 2, g.err);
    assert.deepEqual(JSON.parse(g.out).selection.kinds, [
      'GitRepository',
      'OCIRepository',
      'HelmRepository',
      'Bucket',
      'HelmChart',
    ]);
  });
});

describe('explain FIELD --recursive', () => {
  it('prints every field under the path as an indented tree, as kubectl explain --recursive', async () => {
    const r = await run(['explain', 'hr.spec.install', '--recursive']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^FIELD: {4}HelmRelease\.spec\.install <object>/m);
    assert.match(r.out, /^ {2}remediation\t<object>$/m);
    assert.match(r.out, /^ {4}retries\t<integer>$/m, 'a nested field, one level deeper');
    const plain = await run(['explain', 'hr.spec.install']);
    assert.doesNotMatch(plain.out, /^ {4}retries\t/m, 'without --recursive only the direct children');
    const j = JSON.parse((await run(['explain', 'hr.spec.install', '--recursive', '-o', 'json'])).out);
    const rem = j.tree.find((f: { name: string }) => f.name === 'remediation');
    assert.ok(rem.fields.some((f: { name: string; type: string }) => f.name === 'retries' && f.type === 'integer'));
    assert.equal(JSON.parse((await run(['explain', 'hr.spec.install', '-o', 'json'])).out).tree, undefined);
  });

  it('a whole kind, and a code is refused with --recursive (exit 2)', async () => {
    const k = await run(['explain', 'Kustomization', '--recursive']);
    assert.equal(k.code, 0, k.err);
    assert.match(k.out, /^ {4}sourceRef\t<object> -required-$/m);
    assert.match(k.out, /^ {6}name\t<string> -required-$/m);
    const c = await run(['explain', 'source.auth', '--recursive']);
    assert.equal(c.code, 2);
    assert.match(c.err, /--recursive explains a field path/);
  });
});

describe('events -o name', () => {
  it('prints one event/NAME per Event object, as kubectl does; --warnings narrows it', async () => {
    const r = await run(['events', ...MH, '-o', 'name']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    // examples/multi-hop/events.yaml holds four Events; two are Warnings (bitnami's and infra's).
    assert.deepEqual([...lines].sort(), [
      'event/apps.bae96d1a58beb34b',
      'event/bitnami.c1cf8da900c9afa8',
      'event/infra.818a0f04bb53874c',
      'event/infra.8dc40250bc77e096',
    ]);
    const warnings = await run(['events', ...MH, '--warnings', '-o', 'name']);
    assert.deepEqual(warnings.out.trimEnd().split('\n').sort(), [
      'event/bitnami.c1cf8da900c9afa8',
      'event/infra.818a0f04bb53874c',
    ]);
  });
});
