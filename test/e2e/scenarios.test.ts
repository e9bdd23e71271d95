// End to end: every scenario breaks something for real against the test environment (real
// kube-apiserver, real Flux controllers), waits for the controller to report it, captures the
// state from the API and checks that fluxdoctor names the right code and root cause.
// Starts the environment (building what is missing) and stops it at the end.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { down } from '../../testenv/down.js';
import type { State } from '../../testenv/proc.js';
import { ALL_SCENARIOS } from '../../testenv/scenarios/index.js';
import { runScenario } from '../../testenv/scenarios/run.js';
import { up } from '../../testenv/up.js';
import { tier } from '../../testenv/versions.js';

// The scenarios of the tier under test: every one for the current release (CI), the listed ones for an
// older release (FLUXDOCTOR_TESTENV_FLUX=2.2, never in CI).
const applies = tier().scenarios;
const SCENARIOS = ALL_SCENARIOS.filter((s) => !applies || applies.includes(s.name));

let state: State;

describe('end to end against the real controllers', () => {
  before(async () => {
    state = await up();
  });
  after(async () => {
    if (process.env.FLUXDOCTOR_TESTENV_KEEP !== '1') await down();
  });

  describe('scenarios', { concurrency: 4 }, () => {
    for (const s of SCENARIOS.filter((x) => !x.disruptive)) {
      it(`${s.name}: ${s.description}`, async (t) => {
        if ((s.needs ?? []).some((c) => !state.pids[c])) {
          t.skip(`needs ${s.needs!.join(', ')}`);
          return;
        }
        const r = await runScenario(s, state);
        assert.ok(
          r.ok,
          `expected ${JSON.stringify(r.expected)}\ngot:\n  ${r.got.join('\n  ')}${r.error ? `\nerror: ${r.error}` : ''}`,
        );
      });
    }
  });

  describe('disruptive scenarios (alone, after the others)', () => {
    for (const s of SCENARIOS.filter((x) => x.disruptive)) {
      it(`${s.name}: ${s.description}`, async () => {
        const r = await runScenario(s, state);
        assert.ok(
          r.ok,
          `expected ${JSON.stringify(r.expected)}\ngot:\n  ${r.got.join('\n  ')}${r.error ? `\nerror: ${r.error}` : ''}`,
        );
      });
    }
  });
});
