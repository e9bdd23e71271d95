// `image why` against the real image-reflector-controller (v1.2.3, full tier): a registry of our own
// serves several tag lists, ImagePolicies of every type scan them (semver with and without
// pre-release ranges, alphabetical and numerical in both orders, filterTags pattern + extract, a
// policy that cannot match and one that fails), and for each one `fluxdoctor image why` read live
// must select exactly the tag the controller wrote to status.latestRef (or, like the controller,
// none). A list of 25 tags shows the partial status list: flagged partial, and decided with
// --tags-file.

process.env.FLUXDOCTOR_TESTENV_RUN ??= `${process.env.HOME}/.cache/fluxdoctor-testenv/run-image-why`;

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Io, main } from '../../src/cli/main.js';
import { down } from '../../testenv/down.js';
import { cond, Kube, type Obj, sleep } from '../../testenv/kube.js';
import { freePorts, type State, startProcess, stopProcess } from '../../testenv/proc.js';
import { IMG } from '../../testenv/scenarios/lib.js';
import { up } from '../../testenv/up.js';

const LISTS: Record<string, string[]> = {
  semver: [
    '1.0.0',
    '1.1.0',
    '1.2.0',
    '1.2.1',
    '2.0.0-rc.1',
    '2.0.0-rc.2',
    'v2.1.0',
    'latest',
    '3.0.0-alpha.1',
    '0.9.0',
  ],
  pre: [
    '1.0.0',
    '1.1.0-beta.1',
    '1.1.0-beta.2',
    '1.1.0-rc.1',
    '1.1.0',
    '1.2.0-alpha',
    '2.0.0-0',
    '2.0.0-beta.11',
    '2.0.0-beta.2',
  ],
  words: ['2024-01-15', '2024-03-01', '2023-12-31', 'main', 'RELEASE.2024-02', 'zeta', 'Alpha', 'build.sig'],
  numbers: ['1', '2', '10', '9', '100', '20', '3.5', '007'],
  builds: [
    'main-abc123-1700000000',
    'main-def456-1700003600',
    'main-0a1b2c-1699990000',
    'feature-x-1800000000',
    'main-ffffff-1700001800',
    'v1.0.0',
    'main-abc123-1800000000.sig',
  ],
  many: Array.from({ length: 25 }, (_, i) => `1.0.${i}`),
};

type Spec = { policy: Obj; filterTags?: { pattern: string; extract?: string } };
const semver = (range: string): Spec => ({ policy: { semver: { range } } });
const CASES: [string, string, Spec][] = [
  ['sv-gte', 'semver', semver('>=1.0.0')],
  ['sv-major1', 'semver', semver('>=1.0.0 <2.0.0')],
  ['sv-tilde', 'semver', semver('~1.2')],
  ['sv-caret', 'semver', semver('^1')],
  ['sv-x', 'semver', semver('1.x')],
  ['sv-star', 'semver', semver('*')],
  ['sv-comma-ne', 'semver', semver('>=1.0.0, !=1.2.1, <2.0.0')],
  ['sv-or-pre', 'semver', semver('<2.0.0 || >=3.0.0-0')],
  ['sv-pre-any', 'semver', semver('>=2.0.0-0')],
  ['sv-pre-lt3', 'semver', semver('>=1.0.0-0 <3.0.0')],
  ['sv-none', 'semver', semver('>=5.0.0')],
  ['pre-gte', 'pre', semver('>=1.1.0-0')],
  ['pre-tilde', 'pre', semver('~1.1.0-0')],
  ['pre-caret2', 'pre', semver('^2.0.0-0')],
  ['pre-release-only', 'pre', semver('>=1.0.0')],
  ['pre-hyphen', 'pre', semver('1.1.0-beta.1 - 1.1.0-rc.9')],
  ['alpha-asc', 'words', { policy: { alphabetical: { order: 'asc' } } }],
  ['alpha-desc', 'words', { policy: { alphabetical: { order: 'desc' } } }],
  ['alpha-date-asc', 'words', { policy: { alphabetical: {} }, filterTags: { pattern: '^\\d{4}-\\d{2}-\\d{2}$' } }],
  [
    'alpha-date-desc',
    'words',
    { policy: { alphabetical: { order: 'desc' } }, filterTags: { pattern: '^\\d{4}-\\d{2}-\\d{2}$' } },
  ],
  ['num-asc', 'numbers', { policy: { numerical: { order: 'asc' } } }],
  ['num-desc', 'numbers', { policy: { numerical: { order: 'desc' } } }],
  ['num-fails', 'semver', { policy: { numerical: {} } }],
  [
    'ts-asc',
    'builds',
    {
      policy: { numerical: { order: 'asc' } },
      filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' },
    },
  ],
  [
    'ts-desc',
    'builds',
    {
      policy: { numerical: { order: 'desc' } },
      filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' },
    },
  ],
  [
    'sha-alpha',
    'builds',
    { policy: { alphabetical: {} }, filterTags: { pattern: '^main-(?P<sha>[a-f0-9]+)-\\d+$', extract: 'x$sha' } },
  ],
  [
    'v-extract',
    'semver',
    { policy: { semver: { range: '>=2.0.0' } }, filterTags: { pattern: '^v(?P<v>.*)$', extract: '$v' } },
  ],
  [
    'num-extract-group',
    'numbers',
    { policy: { numerical: { order: 'desc' } }, filterTags: { pattern: '^(\\d+)$', extract: '1$1' } },
  ],
  ['many-top', 'many', semver('>=1.0.0')],
  ['many-below20', 'many', semver('<1.0.20')],
];

let state: State;
let kube: Kube;
let registryPid: number | undefined;
let registry = '';
const NS = `image-why-${Date.now().toString(36)}`;

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

/** The controller's answer: status.latestRef.tag, or null with its Ready=False/Stalled message. */
function settled(o: Obj): { tag: string | null; message?: string } | undefined {
  // A failing policy keeps status.observedGeneration at -1: the Ready condition's generation counts.
  const ready = cond(o, 'Ready');
  if (ready?.observedGeneration !== o.metadata?.generation) return undefined;
  if (ready?.status === 'True' && o.status?.latestRef?.tag) return { tag: o.status.latestRef.tag };
  if (ready?.status === 'False' && ['Failure', 'InvalidPolicy'].includes(ready.reason))
    return { tag: null, message: ready.message };
  return undefined;
}

describe('image why agrees with image-reflector-controller', () => {
  const controller = new Map<string, { tag: string | null; message?: string }>();
  before(async () => {
    state = await up();
    kube = new Kube({ server: state.server, token: state.token, caFile: state.caFile });
    const [port] = await freePorts(1);
    registry = `127.0.0.1:${port}`;
    const repos = Object.fromEntries(Object.entries(LISTS).map(([k, v]) => [`why/${k}`, v]));
    registryPid = startProcess(
      process.execPath,
      [
        join(process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        join(process.cwd(), 'testenv/servers/registry.ts'),
      ],
      join(state.runDir, 'logs', 'registry-image-why.log'),
      { PORT: String(port), REPOS: JSON.stringify(repos) },
    );
    for (let i = 0; i < 50; i++) {
      const ok = await fetch(`http://${registry}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await sleep(200);
    }
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await kube.applyAll(
      Object.keys(LISTS).map((name) => ({
        apiVersion: IMG,
        kind: 'ImageRepository',
        metadata: { name, namespace: NS },
        spec: { image: `${registry}/why/${name}`, interval: '1h', insecure: true },
      })),
    );
    await kube.applyAll(
      CASES.map(([name, repo, spec]) => ({
        apiVersion: IMG,
        kind: 'ImagePolicy',
        metadata: { name, namespace: NS },
        spec: { imageRepositoryRef: { name: repo }, ...spec },
      })),
    );
    for (const [name] of CASES) {
      const o = await kube.waitFor(IMG, 'ImagePolicy', NS, name, (x) => settled(x) !== undefined, 120_000, 'a result');
      controller.set(name, settled(o)!);
    }
  });
  after(async () => {
    try {
      // Stop the controllers' retries on this namespace's objects.
      for (const [name] of CASES)
        await kube
          ?.mergePatch(
            { apiVersion: IMG, kind: 'ImagePolicy', metadata: { name, namespace: NS } },
            { spec: { suspend: true } },
          )
          .catch(() => {});
    } finally {
      if (registryPid) await stopProcess(registryPid);
      if (process.env.FLUXDOCTOR_TESTENV_KEEP !== '1') await down();
    }
  });

  it('every policy: the tag image why selects live is the one the controller selected', async () => {
    let compared = 0;
    let agreed = 0;
    const disagreements: string[] = [];
    const tagsDir = mkdtempSync(join(tmpdir(), 'fd-why-'));
    for (const [name, repo] of CASES) {
      const want = controller.get(name)!;
      const args = ['image', 'why', name, '-n', NS, '-o', 'json'];
      if (LISTS[repo]!.length > 10) {
        // More tags than status holds: the full list, as the registry lists it.
        const body = await (await fetch(`http://${registry}/v2/why/${repo}/tags/list`)).text();
        const file = join(tagsDir, `${repo}.json`);
        writeFileSync(file, body);
        args.push('--tags-file', file);
      }
      const r = await cli(args);
      assert.ok(r.code === 0 || r.code === 1, `${name}: exit ${r.code} ${r.err}`);
      const got = JSON.parse(r.out);
      compared++;
      const same =
        got.selected === want.tag &&
        (want.tag !== null || (got.error && (want.message ?? '').includes(got.error.message)));
      if (same) agreed++;
      else
        disagreements.push(
          `${name}: image why ${got.selected} (${got.error?.message ?? ''}), controller ${want.tag} (${want.message ?? ''})`,
        );
      assert.equal(r.code, want.tag === null ? 1 : 0, `${name}: exit code`);
    }
    console.log(`image why vs image-reflector-controller: ${agreed}/${compared} policies agreed`);
    assert.deepEqual(disagreements, []);
    assert.equal(compared, CASES.length);
  });

  it('the cases exercise what they claim: pre-releases, extract, exclusion, a failure and a no-match', () => {
    assert.equal(controller.get('sv-pre-any')?.tag, '3.0.0-alpha.1');
    assert.equal(controller.get('sv-major1')?.tag, '1.2.1');
    assert.equal(controller.get('ts-asc')?.tag, 'main-def456-1700003600');
    assert.equal(controller.get('alpha-asc')?.tag, 'zeta', 'build.sig is excluded by the default exclusionList');
    assert.equal(controller.get('sv-none')?.tag, null);
    assert.match(controller.get('num-fails')?.message ?? '', /failed to parse invalid numeric value/);
    assert.equal(controller.get('many-below20')?.tag, '1.0.19');
  });

  it('status holds 10 of 25 tags: without --tags-file the answer is marked partial and the miss is said', async () => {
    const r = await cli(['image', 'why', 'many-below20', '-n', NS, '-o', 'json', '--tag', '1.0.19']);
    const j = JSON.parse(r.out);
    assert.equal(j.tags.partial, true);
    assert.equal(j.tags.tagCount, 25);
    assert.equal(j.tags.read, 10);
    assert.equal(j.tag.step, 'unknown');
    assert.equal(j.controller.latestTag, '1.0.19');
    assert.equal(j.controller.agrees, false);
    assert.ok(
      j.notes.some((n: string) => /not among the tags fluxdoctor can see/.test(n)),
      j.notes.join('\n'),
    );
    const t = await cli(['image', 'why', 'sv-major1', '-n', NS, '--tag', '2.0.0-rc.2']);
    assert.match(t.out, /tag 2\.0\.0-rc\.2: rejected — a pre-release/);
    assert.match(t.out, /controller: 1\.2\.1 \(agrees\)/);
  });
});
