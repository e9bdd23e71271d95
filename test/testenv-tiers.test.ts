// The test environment's Flux tiers (testenv/versions.ts): the current tier keeps CI's cache key, an
// older tier is chosen by --flux, every apiVersion a tier writes is one the kind table reads, and
// every scenario a tier lists exists. No environment is needed.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { KINDS } from '../src/kinds/table.js';
import { binDir, runDir } from '../testenv/paths.js';
import { ALL_SCENARIOS } from '../testenv/scenarios/index.js';
import { CURRENT_TIER, FLUX_2_2, TIERS, tier, VERSIONS } from '../testenv/versions.js';
import { realFixtures } from './real-fixture-dirs.js';

describe('testenv tiers', () => {
  const saved = process.env.FLUXDOCTOR_TESTENV_FLUX;
  afterEach(() => {
    if (saved === undefined) delete process.env.FLUXDOCTOR_TESTENV_FLUX;
    else process.env.FLUXDOCTOR_TESTENV_FLUX = saved;
  });

  it('the current tier keeps the binary cache key CI has always used', () => {
    const hash = createHash('sha256').update(JSON.stringify(VERSIONS)).digest('hex').slice(0, 12);
    assert.equal(basename(binDir(CURRENT_TIER)), `bin-${hash}`);
    assert.notEqual(binDir(FLUX_2_2), binDir(CURRENT_TIER));
  });

  it('--flux picks the tier (minor or full version), the default is current, an unknown one is refused', () => {
    delete process.env.FLUXDOCTOR_TESTENV_FLUX;
    assert.equal(tier(['node', 'x']).name, 'current');
    assert.equal(tier(['node', 'x', '--flux', '2.2']).name, '2.2');
    assert.equal(process.env.FLUXDOCTOR_TESTENV_FLUX, '2.2', 'child processes inherit the tier');
    assert.equal(tier(['node', 'x']).name, '2.2');
    assert.equal(tier(['node', 'x', '--flux', 'v2.2.2']).name, '2.2');
    assert.throws(() => tier(['node', 'x', '--flux', '0.41']), /unknown Flux tier 0\.41/);
  });

  it('an older tier runs in its own directory', () => {
    delete process.env.FLUXDOCTOR_TESTENV_RUN;
    process.env.FLUXDOCTOR_TESTENV_FLUX = '2.2';
    assert.equal(basename(runDir()), 'run-flux2.2');
    delete process.env.FLUXDOCTOR_TESTENV_FLUX;
    assert.equal(basename(runDir()), 'run');
  });

  for (const t of Object.values(TIERS)) {
    it(`${t.name}: every apiVersion it writes is one the kind table reads`, () => {
      for (const [kind, apiVersion] of Object.entries(t.api)) {
        const k = KINDS.find((x) => x.kind === kind && x.flux);
        assert.ok(k, `${kind} is in the kind table`);
        const [group, version] = apiVersion.split('/');
        assert.equal(group, k!.group, kind);
        assert.ok(k!.versions.includes(version!), `${kind} ${version} is among ${k!.versions.join(', ')}`);
      }
    });

    it(`${t.name}: the scenarios it lists exist, and its controllers have versions`, () => {
      for (const s of t.scenarios ?? [])
        assert.ok(
          ALL_SCENARIOS.some((x) => x.name === s),
          s,
        );
      for (const c of [...t.core, ...t.optional]) assert.match(t.versions.controllers[c] ?? '', /^v\d+\.\d+\.\d+$/, c);
    });
  }

  it('the 2.2 tier writes the API versions Flux v2.2 serves', () => {
    assert.equal(FLUX_2_2.api.HelmRelease, 'helm.toolkit.fluxcd.io/v2beta2');
    assert.equal(FLUX_2_2.api.HelmRepository, 'source.toolkit.fluxcd.io/v1beta2');
    assert.equal(FLUX_2_2.api.GitRepository, 'source.toolkit.fluxcd.io/v1');
  });

  it('captured fixtures of an older release sit in the directory of a tier', () => {
    const dirs = new Set(Object.values(TIERS).map((t) => t.fixtures || 'current'));
    for (const f of realFixtures()) assert.ok(dirs.has(f.release), `${f.name}: ${f.release} is a tier's directory`);
  });
});
