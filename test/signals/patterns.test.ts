// Every controller message pattern in src/signals/patterns/ against its own real samples: each sample
// must match, ids are unique, the code is a real diagnosis code, the emitter is the file's, the
// version range parses, and the citation names a module version and a file.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import semver from 'semver';
import { RULES_BY_CODE } from '../../src/rules/index.js';
import type { MessagePattern } from '../../src/signals/patterns/types.js';

const dir = join(import.meta.dirname, '../../src/signals/patterns');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'types.ts' && f !== 'index.ts');

describe('controller message patterns', async () => {
  it('has pattern modules, each registered in ALL_PATTERNS', async () => {
    assert.ok(files.length >= 4, `pattern modules in ${dir}: ${files.join(', ')}`);
    const { ALL_PATTERNS } = await import('../../src/signals/patterns/index.js');
    for (const file of files) {
      const mod = (await import(pathToFileURL(join(dir, file)).href)) as { PATTERNS?: MessagePattern[] };
      for (const p of mod.PATTERNS ?? []) assert.ok(ALL_PATTERNS.includes(p), `${p.id} is not in ALL_PATTERNS`);
    }
  });
  const seen = new Set<string>();
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { PATTERNS?: MessagePattern[] };
    it(`${file} exports PATTERNS`, () => {
      assert.ok(Array.isArray(mod.PATTERNS) && mod.PATTERNS.length > 0, `${file} must export a non-empty PATTERNS`);
    });
    for (const p of mod.PATTERNS ?? []) {
      it(`${p.id} matches its samples and is well formed`, () => {
        assert.ok(!seen.has(p.id), `duplicate id ${p.id}`);
        seen.add(p.id);
        assert.equal(file, `${p.emitter}.ts`, `${p.id}: emitter ${p.emitter} lives in ${p.emitter}.ts`);
        assert.ok(p.id.startsWith(`${p.emitter}/`), `${p.id}: id starts with the emitter`);
        assert.ok(p.code === 'none' || RULES_BY_CODE.has(p.code), `${p.id}: unknown code ${p.code}`);
        assert.match(p.cause, /^[a-z0-9]+(-[a-z0-9]+)*$/, `${p.id}: cause is kebab-case`);
        assert.ok(semver.validRange(p.versions), `${p.id}: versions ${p.versions} is not a semver range`);
        assert.match(p.cite, /@v?\d+\.\d+\.\d+\S* \S+/, `${p.id}: cite names module@version and a path`);
        assert.ok(p.samples.length > 0, `${p.id}: at least one sample`);
        for (const s of p.samples) {
          p.re.lastIndex = 0;
          assert.ok(p.re.test(s), `${p.id}: ${p.re} does not match its sample ${JSON.stringify(s)}`);
        }
        assert.ok(!p.re.global && !p.re.sticky, `${p.id}: no g/y flags (stateful regexes)`);
      });
    }
  }
});
