// The README tells the truth (issue 9): its sample output is the real output of the quick-start
// command, its quick-start commands exist, `bin` points at the built entry, and every capture
// command survives a cluster without the image-automation CRDs (fully qualified resource names, one
// resource per `kubectl get`).

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain ESM script without types
import { currentBlock, END, runExample, START, sampleBlock } from '../scripts/readme-sample.mjs';
import { KINDS } from '../src/kinds/table.js';

const README = readFileSync('README.md', 'utf8');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

/** The Markdown files that show capture commands: the README, examples/README.md, docs/ (not the generated API reference). */
function documents(): string[] {
  const out = ['README.md', 'examples/README.md'];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.md') && name !== 'flux-api-reference.md') out.push(p);
    }
  };
  walk('docs');
  return out;
}

// Every spelling kubectl accepts for a Flux kind without its group: plural, singular, short names.
const FLUX = KINDS.filter((k) => k.flux && k.group);
const BARE = new Map<string, string>();
for (const k of FLUX) {
  for (const w of [k.plural, k.kind.toLowerCase(), ...(k.shortNames ?? [])]) BARE.set(w, `${k.plural}.${k.group}`);
}

/** Each `kubectl get` command in a text (code blocks and inline code, continuation lines joined), and each `for r in …` list. */
function captureCommands(text: string): string[] {
  const joined = text.replace(/\\\n\s*/g, ' ');
  const out: string[] = [];
  for (const m of joined.matchAll(/kubectl get ([^`|;>)\n]*)/g)) out.push(m[0]);
  for (const m of joined.matchAll(/for \w+ in ([^;\n]*);/g)) out.push(m[0]);
  return out;
}

/** The Flux resources a command names without their API group. */
function bareFluxNames(command: string): string[] {
  return command
    .split(/[\s,"'=]+/)
    .map((w) => w.toLowerCase())
    .filter((w) => BARE.has(w));
}

describe('README', () => {
  it('the sample output is the real output of `npm run example` (run npm run readme:sample)', () => {
    assert.ok(existsSync('dist/cli/main.js'), 'dist/ is missing: run npm run build');
    const block = currentBlock(README);
    assert.ok(block, `README.md has no ${START} … ${END} block`);
    const want = sampleBlock(runExample());
    assert.equal(block, want, 'the README sample is stale: run npm run readme:sample');
    // The sample is the example's report, not an empty or an error text.
    assert.match(block, /^\$ fluxdoctor diagnose --snapshot examples\/multi-hop$/m);
    assert.match(block, /✗ ERROR source\.unreachable/);
    assert.ok(!block.includes('\u001b['), 'no colour in the sample');
  });

  it('the quick-start commands exist: npm scripts, the bin entry, the PATH instructions', () => {
    const quick = README.slice(README.indexOf('## Quick start'), README.indexOf('## What works today'));
    const scripts = [...quick.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
    assert.ok(scripts.includes('example') && scripts.includes('test:unit'), quick);
    for (const s of scripts) assert.ok(pkg.scripts[s], `README names npm run ${s}, which package.json does not define`);
    for (const s of [...README.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!))
      assert.ok(pkg.scripts[s], `README names npm run ${s}, which package.json does not define`);
    assert.ok(
      pkg.scripts.test.includes('test:e2e'),
      'npm test runs the end-to-end suite (the README says it needs Go)',
    );
    // The quick-start command is `npm run example` as the README explains it.
    assert.ok(quick.includes(pkg.scripts.example), `the quick start shows ${pkg.scripts.example}`);
    // `fluxdoctor` on PATH: npm link / npm i -g . install package.json's bin, which must exist.
    assert.match(quick, /^npm link\b/m);
    assert.match(quick, /^npm_config_prefix=~\/\.local npm link\b/m);
    assert.match(quick, /^npm i -g \.\s/m);
    assert.equal(Object.keys(pkg.bin).join(), 'fluxdoctor');
    const bin = readFileSync(pkg.bin.fluxdoctor, 'utf8');
    assert.match(bin, /^#!\/usr\/bin\/env node\n/, 'the bin starts with a node shebang');
    assert.ok((statSync(pkg.bin.fluxdoctor).mode & 0o111) !== 0, `${pkg.bin.fluxdoctor} is executable`);
    assert.ok(pkg.files.includes('bin') && pkg.files.includes('dist'), 'npm i -g . installs bin/ and dist/');
    // What `npm test` needs, and what it builds.
    assert.match(quick, /Go 1\.\d+ or newer/);
    assert.match(quick, /~\/\.cache\/fluxdoctor-testenv/);
    assert.match(quick, /about 30 minutes/);
  });

  it('capture: fluxdoctor snapshot first, with the flags it has', () => {
    const using = README.slice(README.indexOf('## Using it'));
    const first = using.indexOf('fluxdoctor snapshot -f');
    assert.ok(first >= 0 && first < using.indexOf('kubectl get'), 'fluxdoctor snapshot comes before kubectl');
  });

  it('the kubectl capture loop names every Flux kind fluxdoctor knows, fully qualified, and skips what is not served', () => {
    const loop = captureCommands(README).find((c) => c.startsWith('for r in'));
    assert.ok(loop, 'README has a `for r in …` capture loop');
    for (const k of FLUX) assert.ok(loop.split(/\s+/).includes(`${k.plural}.${k.group}`), `${k.plural}.${k.group}`);
    assert.match(README, /kubectl get "\$r" -A -o yaml --ignore-not-found > "cluster\/\$r\.yaml" 2>\/dev\/null/);
  });

  it('every `kubectl get` in the README and docs names Flux resources fully qualified', () => {
    const bad: string[] = [];
    let commands = 0;
    for (const file of documents()) {
      for (const c of captureCommands(readFileSync(file, 'utf8'))) {
        commands++;
        for (const w of bareFluxNames(c)) bad.push(`${file}: ${w} (use ${BARE.get(w)}) in: ${c}`);
      }
    }
    assert.ok(commands > 20, `${commands} kubectl commands checked`);
    assert.deepEqual(bad, []);
    // The check can fail: the old capture command is caught.
    assert.deepEqual(bareFluxNames('kubectl get gitrepositories,imagepolicies,deployments -A -o yaml'), [
      'gitrepositories',
      'imagepolicies',
    ]);
  });
});
