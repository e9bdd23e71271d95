// The captured output of every scenario (test/fixtures/real/, written by `npm run testenv:capture`
// from the real controllers; an older Flux release's under test/fixtures/real/v<minor>/, written by
// `testenv:capture -- --flux <minor>`) must give the expected code and root cause, and the rule of that
// code must fire on it on its own. An older-release fixture whose expected (correct) cause the engine
// does not give yet carries `todo` in its expected.json (what the engine gave at capture time) and is
// a todo case here until the rules read that release's wording.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diagnose } from '../src/diagnose/engine.js';
import { Graph } from '../src/graph/graph.js';
import { readSnapshotFiles } from '../src/read/files.js';
import { RULES_BY_CODE } from '../src/rules/index.js';
import type { ObjRef } from '../src/types.js';
import { realFixtures } from './real-fixture-dirs.js';

const id = (r: ObjRef) => (r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`);
const fixtures = realFixtures();

describe('captured real controller output', () => {
  it('has fixtures', () => {
    assert.ok(fixtures.filter((f) => f.release === 'current').length > 0, 'run npm run testenv:capture');
  });

  for (const { name, dir, expected } of fixtures) {
    const exp = JSON.parse(readFileSync(expected, 'utf8'));
    it(name, exp.todo ? { todo: exp.todo } : {}, () => {
      const logs = join(dir, 'logs');
      const snap = readSnapshotFiles({
        snapshots: [join(dir, 'cluster.yaml')],
        logs: existsSync(logs) ? [logs] : [],
      });
      const graph = new Graph(snap);
      const report = diagnose(graph);
      const got = report.findings.map(
        (f) => `${f.severity} ${f.code} ${id(f.rootCause)} <- [${f.affected.map(id).join(', ')}]`,
      );
      const f = report.findings.find((x) => x.code === exp.code && id(x.rootCause) === exp.rootCause);
      assert.ok(f, `expected ${exp.code} at ${exp.rootCause}; got:\n  ${got.join('\n  ')}`);
      assert.equal(f!.severity, exp.severity ?? 'error');
      for (const a of exp.affected ?? [])
        assert.ok(
          f!.affected.some((x) => id(x) === a),
          `${a} is affected`,
        );
      // The rule of the expected code fires on the captured objects by itself.
      const rule = RULES_BY_CODE.get(exp.code)!;
      const fired = graph.all().some((o) => {
        if (!rule.meta.kinds.includes(o.kind) && !rule.meta.kinds.includes('*')) return false;
        const r = rule.check(o, { graph });
        return r !== undefined && (!Array.isArray(r) || r.length > 0);
      });
      assert.ok(fired, `rule ${exp.code} fires on the fixture`);
    });
  }
});
