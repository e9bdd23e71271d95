// Runs scenarios against the test environment, captures what each produced, diagnoses it with
// fluxdoctor and checks the code and root cause.
//
//   npx tsx testenv/scenarios/run.ts [--only a,b] [--write-fixtures] [--flux 2.2]
//
// --write-fixtures regenerates test/fixtures/real/<scenario>/ (cluster.yaml, logs/) and
// test/fixtures/real/<scenario>.expected.json. With --flux <tier> (an older Flux release, see
// testenv/versions.ts) it runs the scenarios that apply to that tier against its own environment and
// writes test/fixtures/real/v<tier>/…; there a scenario whose failure the controllers produced is
// written even when fluxdoctor does not give the expected cause yet: the expected.json then carries
// `todo` with what it gave instead, and the replay test marks that case todo.

import { join } from 'node:path';
import { diagnose } from '../../src/diagnose/engine.js';
import { Graph } from '../../src/graph/graph.js';
import { KINDS } from '../../src/kinds/table.js';
import { SnapshotBuilder } from '../../src/read/snapshot.js';
import { Kube, type Obj } from '../kube.js';
import { tierBuilt } from '../paths.js';
import { freePorts, type State } from '../proc.js';
import { up } from '../up.js';
import { apiOf, tier } from '../versions.js';
import { ALL_SCENARIOS } from './index.js';
import { capture, type Expectation, GitRepos, type Scenario, writeFixture } from './lib.js';

export interface ScenarioResult {
  name: string;
  ns: string;
  ok: boolean;
  expected: Expectation;
  got: string[];
  error?: string;
  seconds: number;
  objects: number;
}

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'real', tier().fixtures);
const id = (r: { kind: string; namespace?: string; name: string }) =>
  r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`;

/** Suspend every Flux object of a finished scenario, so its retries stop loading the controllers. */
async function quiesce(kube: Kube, ns: string): Promise<void> {
  for (const k of KINDS.filter(
    (x) =>
      x.flux && x.category !== 'operator' && !x.statusless && x.kind !== 'HelmChart' && x.kind !== 'ExternalArtifact',
  )) {
    let apiVersion = `${k.group}/${k.versions[0]}`;
    try {
      apiVersion = apiOf(k.kind);
    } catch {
      // a kind the scenarios never write: its preferred version
    }
    let items: Obj[] = [];
    try {
      items = await kube.list(apiVersion, k.kind, ns);
    } catch {
      continue;
    }
    for (const o of items)
      await kube.mergePatch(
        { apiVersion, kind: k.kind, metadata: { name: o.metadata.name, namespace: ns } },
        { spec: { suspend: true } },
      );
  }
}

async function freshNamespace(kube: Kube, base: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const ns = i === 0 ? base : `${base}-${i + 1}`;
    if (!(await kube.get('v1', 'Namespace', undefined, ns))) {
      await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      return ns;
    }
  }
  throw new Error(`no free namespace for ${base}`);
}

export async function runScenario(
  s: Scenario,
  state: State,
  /** keep: leave the scenario's objects reconciling (by default they are suspended after capture). */
  opts: { writeFixtures?: boolean; keep?: boolean } = {},
): Promise<ScenarioResult> {
  const t0 = Date.now();
  const kube = new Kube({ server: state.server, token: state.token, caFile: state.caFile });
  const ns = await freshNamespace(kube, s.name);
  const expected = s.expect(ns);
  const [closedPort] = await freePorts(1);
  const result: ScenarioResult = { name: s.name, ns, ok: false, expected, got: [], seconds: 0, objects: 0 };
  const ctx = {
    kube,
    state,
    ns,
    git: new GitRepos(state),
    helmUrl: (kind: 'public' | 'private' = 'public') => `http://127.0.0.1:${state.ports.helm}/${kind}`,
    closedPort: closedPort!,
    registry: `127.0.0.1:${state.ports.registry}`,
  };
  try {
    await s.run(ctx);
    // Flux flips Ready to Unknown at the start of every retry: capture until the failure shows
    // (as a user re-running the command would), for up to 30 seconds.
    let snap: Awaited<ReturnType<typeof capture>> | undefined;
    for (let attempt = 0; attempt < 15; attempt++) {
      snap = await capture(kube, state, [ns, 'flux-system']);
      result.objects = snap.objects.length;
      const b = new SnapshotBuilder();
      b.addDocs([{ value: { apiVersion: 'v1', kind: 'List', items: snap.objects }, line: 1 }], 'capture');
      for (const [name, lines] of Object.entries(snap.logs)) b.addLogText(lines.join('\n'), name);
      const report = diagnose(new Graph(b.build()));
      result.got = report.findings.map(
        (f) => `${f.severity} ${f.code} ${id(f.rootCause)} <- [${f.affected.map(id).join(', ')}]`,
      );
      const match = report.findings.find(
        (f) =>
          f.code === expected.code &&
          id(f.rootCause) === expected.rootCause &&
          (expected.severity ?? 'error') === f.severity &&
          (expected.affected ?? []).every((a) => f.affected.some((x) => id(x) === a)),
      );
      result.ok = match !== undefined;
      if (result.ok) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    const older = tier().name !== 'current';
    if (opts.writeFixtures && snap && (result.ok || older)) {
      writeFixture(join(FIXTURES, s.name), snap, expected, {
        scenario: s.name,
        namespace: ns,
        description: s.description,
        ...(older ? { flux: tier().versions.flux, controllers: tier().versions.controllers } : {}),
        ...(result.ok ? {} : { todo: `fluxdoctor gives: ${result.got.join('; ') || 'no finding'}` }),
      });
    }
  } catch (e) {
    result.error = (e as Error).message;
  } finally {
    if (!opts.keep) await quiesce(kube, ns).catch(() => {});
    await s.cleanup?.(ctx).catch((e) => {
      result.error = `${result.error ?? ''} cleanup: ${(e as Error).message}`;
    });
  }
  result.seconds = Math.round((Date.now() - t0) / 1000);
  return result;
}

/** Run scenarios with bounded concurrency; disruptive ones last, alone. */
export async function runScenarios(
  list: Scenario[],
  opts: { writeFixtures?: boolean; concurrency?: number } = {},
): Promise<ScenarioResult[]> {
  const state = await up();
  const runnable = list.filter((s) => (s.needs ?? []).every((c) => state.pids[c]));
  for (const s of list.filter((x) => !runnable.includes(x)))
    process.stderr.write(`[scenario] SKIP ${s.name}: needs ${(s.needs ?? []).join(', ')}, which is not built\n`);
  list = runnable;
  const normal = list.filter((s) => !s.disruptive);
  const disruptive = list.filter((s) => s.disruptive);
  const results: ScenarioResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < normal.length) {
      const s = normal[next++]!;
      const r = await runScenario(s, state, opts);
      process.stderr.write(
        `[scenario] ${r.ok ? 'PASS' : 'FAIL'} ${s.name} (${r.seconds}s)${r.ok ? '' : `\n  expected ${JSON.stringify(r.expected)}\n  got ${JSON.stringify(r.got, null, 1)}${r.error ? `\n  error: ${r.error}` : ''}`}\n`,
      );
      results.push(r);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 4 }, worker));
  for (const s of disruptive) {
    const r = await runScenario(s, state, opts);
    process.stderr.write(`[scenario] ${r.ok ? 'PASS' : 'FAIL'} ${s.name} (${r.seconds}s)\n`);
    results.push(r);
  }
  return results.sort((a, b) => a.name.localeCompare(b.name));
}

if (process.argv[1]?.endsWith('run.ts')) {
  const args = process.argv.slice(2);
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1]!.split(',') : undefined;
  const t = tier(args);
  const list = ALL_SCENARIOS.filter(
    (s) => (!only || only.includes(s.name)) && (!t.scenarios || t.scenarios.includes(s.name)),
  );
  process.stderr.write(`[scenario] Flux ${t.name} tier (${t.versions.flux}): ${list.length} scenarios\n`);
  if (t.name !== 'current' && !tierBuilt(t)) {
    // The older tiers are optional and never built by CI: say so and run nothing.
    process.stderr.write(
      `[scenario] SKIP: the Flux ${t.name} tier is not built (npm run testenv:build -- --flux ${t.name}; see docs/testenv.md)\n`,
    );
    process.exit(0);
  }
  const t0 = Date.now();
  runScenarios(list, { writeFixtures: args.includes('--write-fixtures') }).then((rs) => {
    const failed = rs.filter((r) => !r.ok);
    process.stderr.write(
      `\n${rs.length - failed.length} passed, ${failed.length} failed (${((Date.now() - t0) / 1000).toFixed(0)}s)\n`,
    );
    process.exitCode = failed.length > 0 ? 1 : 0;
  });
}
