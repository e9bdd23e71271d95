// Every fix step of every finding of the bundled examples (examples/*) and of the captured real
// controller output (test/fixtures/real/*) is one prose sentence or exactly one command, and no step
// edits, patches, sets or scales with kubectl an object that a Flux Kustomization or HelmRelease
// applies. (ruleTester checks the same for every rule case in test/rules/.)

import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diagnose } from '../../src/diagnose/engine.js';
import { Graph } from '../../src/graph/graph.js';
import { readSnapshotFiles } from '../../src/read/files.js';
import { realFixtures } from '../real-fixture-dirs.js';
import { stepProblem, stepProblems } from './steps.js';

const ROOT = join(import.meta.dirname, '..', '..');
const dirsOf = (base: string) =>
  existsSync(base)
    ? readdirSync(base)
        .filter((n) => statSync(join(base, n)).isDirectory())
        .sort()
        .map((n) => join(base, n))
    : [];

// The captured fixtures include an older Flux release's (test/fixtures/real/v<minor>/).
const cases = [...dirsOf(join(ROOT, 'examples')), ...realFixtures().map((f) => f.dir)];

describe('fix steps: one prose sentence or one command, GitOps-safe', () => {
  it('has inputs', () => assert.ok(cases.length > 10));

  it('the checker itself tells the shapes apart', () => {
    assert.equal(stepProblem('flux reconcile source git apps -n flux-system'), undefined);
    assert.equal(stepProblem('Create the Secret in namespace apps'), undefined);
    assert.equal(stepProblem('kubectl logs -n flux-system deploy/source-controller | grep \'"name":"x"\''), undefined);
    assert.match(stepProblem('Confirm: flux reconcile source git apps -n flux-system') ?? '', /mixed/);
    assert.match(stepProblem('flux reconcile ks a -n x && flux reconcile ks b -n x') ?? '', /chains/);
    assert.match(stepProblem('flux get image repository x -n y (and flux events --for X -n y)') ?? '', /prose/);
  });

  for (const dir of cases) {
    it(dir.slice(ROOT.length + 1), () => {
      const cluster = join(dir, 'cluster.yaml');
      const events = join(dir, 'events.yaml');
      const logs = join(dir, 'logs');
      const snap = readSnapshotFiles({
        snapshots: existsSync(cluster) ? [cluster, ...(existsSync(events) ? [events] : [])] : [dir],
        logs: existsSync(logs) ? [logs] : [],
      });
      const graph = new Graph(snap);
      const report = diagnose(graph);
      const problems = report.findings.flatMap((f) =>
        stepProblems(f.remediation, graph).map((p) => `${f.code} ${f.rootCause.kind}/${f.rootCause.name}: ${p}`),
      );
      assert.deepEqual(problems, []);
    });
  }
});
