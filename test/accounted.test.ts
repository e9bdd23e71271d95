// No false all-clear, checked on every example and every captured real fixture: each failing object
// (health Failed, or a workload that is not available) is the root cause of an error finding or
// listed among the objects an error finding affects. A rule that drops a failure, an advice finding
// that hides one, or a walk that loses an object fails here.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diagnose } from '../src/diagnose/engine.js';
import { Graph } from '../src/graph/graph.js';
import { isFluxKind } from '../src/kinds/table.js';
import { readSnapshotFiles } from '../src/read/files.js';
import { refKey } from '../src/types.js';
import { graphOf, obj, status } from './helpers.js';
import { realFixtures } from './real-fixture-dirs.js';

interface Case {
  name: string;
  dir: string;
  snapshots: string[];
  /** Why this case is not expected to pass yet (an older release's fixture: its expected.json `todoAccounted`). */
  todo?: string;
}

function casesUnder(root: string, files: (d: string) => string[]): Case[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((n) => statSync(join(root, n)).isDirectory())
    .sort()
    .map((n) => ({ name: n, dir: join(root, n), snapshots: files(join(root, n)) }));
}

const examples = casesUnder(join(import.meta.dirname, '..', 'examples'), (d) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(d, f)),
);
// The captured fixtures of the current release and of older ones (test/fixtures/real/v<minor>/).
const real: Case[] = realFixtures().map((f) => ({
  name: f.name,
  dir: f.dir,
  snapshots: [join(f.dir, 'cluster.yaml')],
  todo: JSON.parse(readFileSync(f.expected, 'utf8')).todoAccounted,
}));

/** Every failing object of the graph that no error finding accounts for. */
export function unaccounted(graph: Graph): string[] {
  const report = diagnose(graph);
  const covered = new Set<string>();
  for (const f of report.findings) {
    if (f.severity !== 'error') continue;
    covered.add(refKey(f.rootCause));
    for (const a of f.affected) covered.add(refKey(a));
  }
  const out: string[] = [];
  for (const o of graph.all()) {
    if (!isFluxKind(o.kind)) continue;
    if (graph.health(o).state !== 'Failed') continue;
    const ref = { kind: o.kind, namespace: o.metadata?.namespace, name: o.metadata?.name ?? '' };
    if (!covered.has(refKey(ref))) out.push(`${o.kind}/${ref.namespace ?? ''}/${ref.name}`);
  }
  return out;
}

describe('every failing Flux object is accounted for by an error finding', () => {
  it('finds the cases', () => {
    assert.ok(examples.length >= 5, 'examples/ has the bundled clusters');
    assert.ok(real.length >= 10, 'test/fixtures/real has the captured scenarios');
  });
  for (const c of [...examples.map((e) => ({ ...e, name: `examples/${e.name}` })), ...real]) {
    it(c.name, c.todo ? { todo: c.todo } : {}, () => {
      const logs = join(c.dir, 'logs');
      const snap = readSnapshotFiles({ snapshots: c.snapshots, logs: existsSync(logs) ? [logs] : [] });
      assert.deepEqual(unaccounted(new Graph(snap)), []);
    });
  }

  it('an advice finding on a failing object does not hide its failure', () => {
    // A HelmRelease that takes any chart version (advice.helm-chart-unpinned) and fails for a reason no
    // specific rule knows: the fallback error must still be reported.
    const hr = obj('HelmRelease', 'apps/web', {
      spec: {
        interval: '10m',
        chart: { spec: { chart: 'podinfo', version: '*', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } },
      },
      status: status(['False', 'SomethingNew', 'a failure in wording no rule knows']),
    });
    const graph = graphOf([hr]);
    assert.deepEqual(unaccounted(graph), []);
    const codes = diagnose(graph).findings.map((f) => `${f.severity} ${f.code}`);
    assert.ok(codes.includes('error flux.reconcile-failed'), codes.join(', '));
    assert.ok(codes.includes('info advice.helm-chart-unpinned'), codes.join(', '));
  });
});
