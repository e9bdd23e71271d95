// The captured output of every scenario (test/fixtures/real/, written by `npm run testenv:capture`
// from the real controllers) must give the expected code and root cause, and the rule of that code
// must fire on it on its own.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diagnose } from '../src/diagnose/engine.js';
import { Graph } from '../src/graph/graph.js';
import { readSnapshotFiles } from '../src/read/files.js';
import { RULES_BY_CODE } from '../src/rules/index.js';
import type { ObjRef } from '../src/types.js';

const DIR = join(import.meta.dirname, 'fixtures', 'real');
const id = (r: ObjRef) => (r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`);
const fixtures = existsSync(DIR)
  ? readdirSync(DIR)
      .filter((n) => statSync(join(DIR, n)).isDirectory())
      .sort()
  : [];

describe('captured real controller output', () => {
  it('has fixtures', () => {
    assert.ok(fixtures.length > 0, 'run npm run testenv:capture');
  });

  for (const name of fixtures) {
    it(name, () => {
      const exp = JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), 'utf8'));
      const logs = join(DIR, name, 'logs');
      const snap = readSnapshotFiles({
        snapshots: [join(DIR, name, 'cluster.yaml')],
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
