// fluxdoctor skill export DIR: SKILL.md with frontmatter and references/.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type Io, main } from '../src/cli/main.js';
import { ALL_RULES } from '../src/rules/index.js';

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: {},
  };
  const code = await main(['node', 'fluxdoctor', ...args], io);
  return { code, out, err };
}

describe('fluxdoctor skill export', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'fd-skill-')), 'skill');

  it('writes SKILL.md and references/', async () => {
    const r = await cli(['skill', 'export', dir]);
    assert.equal(r.code, 0, r.err);
    const skill = readFileSync(join(dir, 'SKILL.md'), 'utf8');
    assert.match(skill, /^---\nname: fluxdoctor\ndescription: [^\n]+\n---\n/);
    assert.match(skill, /fluxdoctor diagnose/);
    assert.match(skill, /-o json/);
    const refs = readdirSync(join(dir, 'references')).sort();
    assert.deepEqual(refs, [
      'best-practices.md',
      'codes.md',
      'common-commands.md',
      'flux-api-reference.md',
      'troubleshooting-workflows.md',
    ]);
    assert.equal(
      readFileSync(join(dir, 'references', 'troubleshooting-workflows.md'), 'utf8'),
      readFileSync(new URL('../docs/reference/troubleshooting-workflows.md', import.meta.url), 'utf8'),
    );
    const codes = readFileSync(join(dir, 'references', 'codes.md'), 'utf8');
    for (const rule of ALL_RULES) assert.ok(codes.includes(`## ${rule.meta.code}: `), rule.meta.code);
  });

  it('refuses a non-empty directory without --force', async () => {
    const r = await cli(['skill', 'export', dir]);
    assert.equal(r.code, 2);
    assert.match(r.err, /not empty.*--force/);
    const f = await cli(['skill', 'export', dir, '--force']);
    assert.equal(f.code, 0, f.err);
  });
});
