// fluxdoctor skill export DIR: a skill that passes the Agent Skills specification's rules (the
// directory is named after the skill, name/description/compatibility in the frontmatter, one
// reference file per code page), with the exit codes the CLI really has.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { SKILL_NAME, validateSkill } from '../src/cli/commands/skill.js';
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

const frontmatter = (dir: string) =>
  yaml.load(/^---\n([\s\S]*?)\n---\n/.exec(readFileSync(join(dir, 'SKILL.md'), 'utf8'))![1]!) as Record<string, string>;

describe('fluxdoctor skill export', () => {
  const parent = join(mkdtempSync(join(tmpdir(), 'fd-skill-')), 'skills');
  const dir = join(parent, SKILL_NAME);

  it('writes DIR/fluxdoctor/SKILL.md, named after its directory, valid by the spec rules', async () => {
    const r = await cli(['skill', 'export', parent]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`to ${dir.replace(/[/\\]/g, '.')}\\n`));
    assert.deepEqual(validateSkill(dir), []);
    const fm = frontmatter(dir);
    assert.equal(fm.name, 'fluxdoctor');
    assert.match(fm.name!, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.match(fm.description!, /^Use when /);
    assert.ok(fm.description!.length <= 1024);
    assert.ok(fm.compatibility && fm.compatibility.length <= 500, 'compatibility field');
    const skill = readFileSync(join(dir, 'SKILL.md'), 'utf8');
    assert.match(skill, /fluxdoctor diagnose/);
    assert.ok(skill.split('\n').length < 500);
  });

  it('one reference file per code page, no single file of every code', () => {
    const refs = readdirSync(join(dir, 'references')).sort();
    assert.deepEqual(refs, [
      'alert-test.md',
      'best-practices.md',
      'codes',
      'common-commands.md',
      'flux-api-reference.md',
      'image-why.md',
      'troubleshooting-workflows.md',
    ]);
    assert.equal(
      readFileSync(join(dir, 'references', 'troubleshooting-workflows.md'), 'utf8'),
      readFileSync(new URL('../docs/reference/troubleshooting-workflows.md', import.meta.url), 'utf8'),
    );
    const pages = readdirSync(join(dir, 'references', 'codes')).sort();
    assert.deepEqual(pages, ALL_RULES.map((r) => `${r.meta.code}.md`).sort());
    const skill = readFileSync(join(dir, 'SKILL.md'), 'utf8');
    for (const rule of ALL_RULES) {
      const page = readFileSync(join(dir, 'references', 'codes', `${rule.meta.code}.md`), 'utf8');
      assert.ok(page.includes(rule.meta.code), rule.meta.code);
      assert.ok(statSync(join(dir, 'references', 'codes', `${rule.meta.code}.md`)).size < 20_000, rule.meta.code);
      assert.ok(skill.includes(`(references/codes/${rule.meta.code}.md)`), `SKILL.md links ${rule.meta.code}`);
    }
  });

  it('the exit codes it documents are the CLI’s (diagnose 0 with warnings only, 1 on an error finding)', async () => {
    const skill = readFileSync(join(dir, 'SKILL.md'), 'utf8');
    assert.match(
      skill,
      /`diagnose`: `0` no error finding \(warnings and info allowed\), `1` at least one error finding/,
    );
    assert.doesNotMatch(skill, /`0` — no findings/);
    const help = await cli(['diagnose', '--help']);
    assert.match(
      help.out,
      /Exit status: 0 no error finding, 1 at least one error finding, 2 the input could not be read/,
    );
    assert.match(
      skill,
      /`check`: `0` no check failed \(warnings and skipped checks allowed\), `1` a check failed, `2` the input could not be read or the API server is not reachable/,
    );
    const check = await cli(['check', '--help']);
    assert.match(check.out.replace(/\s+/g, ' '), /0 no check failed \(warnings and skipped checks allowed;/);
    assert.match(
      check.out.replace(/\s+/g, ' '),
      /1 a check failed, 2 the input could not be read or the API server is not reachable/,
    );
  });

  it('DIR named after the skill is used as is; a non-empty one is refused without --force (exit 2)', async () => {
    const again = await cli(['skill', 'export', dir]);
    assert.equal(again.code, 2);
    assert.match(again.err, /not empty.*--force/);
    const f = await cli(['skill', 'export', dir, '--force']);
    assert.equal(f.code, 0, f.err);
    assert.deepEqual(readdirSync(dir).sort(), ['SKILL.md', 'references']);
    const file = join(mkdtempSync(join(tmpdir(), 'fd-skill-')), 'file');
    writeFileSync(file, 'x');
    const notDir = await cli(['skill', 'export', file]);
    assert.equal(notDir.code, 2);
    assert.match(notDir.err, /not a directory/);
  });

  it('the validator catches what the spec forbids', () => {
    const bad = (name: string, fm: string, body = '# x\n') => {
      const d = join(mkdtempSync(join(tmpdir(), 'fd-skill-bad-')), name);
      mkdirSync(d);
      writeFileSync(join(d, 'SKILL.md'), `---\n${fm}\n---\n${body}`);
      return validateSkill(d).join('; ');
    };
    const ok = 'description: Use when x\ncompatibility: node';
    assert.equal(bad('good', `name: good\n${ok}`), '');
    assert.match(bad('other', `name: good\n${ok}`), /does not match the directory name 'other'/);
    assert.match(bad('Bad', `name: Bad\n${ok}`), /lowercase/);
    assert.match(bad('a--b', `name: a--b\n${ok}`), /single hyphens/);
    assert.match(bad('good', 'name: good\ndescription: Troubleshoot x\ncompatibility: node'), /"Use when"/);
    assert.match(bad('good', 'name: good\ndescription: Use when x'), /compatibility/);
    assert.match(bad('good', `name: good\n${ok}\nversion: 1`), /unexpected frontmatter field 'version'/);
    assert.match(bad('good', `name: good\n${ok}`, '[x](references/nope.md)\n'), /references\/nope.md/);
    assert.match(bad('good', `name: good\n${ok}`, 'x\n'.repeat(501)), /500 lines/);
  });
});
