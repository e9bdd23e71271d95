// explain CODE -o json|yaml gives the page as data (no Markdown page), and an argument that is
// neither a code nor a field of a Flux kind (`Deployment.spec`) says so and lists what explain takes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load } from 'js-yaml';
import { type Io, main } from '../src/cli/main.js';
import { fluxApi } from '../src/kb/flux-api.js';
import { docsOf } from '../src/rules/docs.js';
import { ALL_RULES } from '../src/rules/index.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: {},
  };
  const code = await main(['node', 'fluxdoctor', 'explain', ...args], io);
  return { code, out, err };
}

const MARKDOWN_HEADING = /^#{1,6} /m;

describe('explain CODE -o json|yaml', () => {
  it('every code: the structured fields and each section of its page, no Markdown page', async () => {
    for (const rule of ALL_RULES) {
      const m = rule.meta;
      const r = await run([m.code, '-o', 'json']);
      assert.equal(r.code, 0, r.err);
      assert.doesNotMatch(r.out, MARKDOWN_HEADING, `${m.code}: no page headings`);
      const doc = JSON.parse(r.out);
      const md = docsOf(rule);
      assert.equal(doc.code, m.code);
      assert.equal(doc.severity, m.severity);
      assert.equal(doc.title, m.title);
      assert.deepEqual(doc.kinds, m.kinds);
      assert.deepEqual(doc.explainedBy, m.explainedBy ?? []);
      assert.equal(doc.sections.whatItMeans, md.description);
      assert.equal(doc.sections.howItIsDetected, md.detection);
      assert.equal(doc.sections.howToFix, md.fix);
      assert.deepEqual(doc.sections.commandsToConfirm, md.commands);
      assert.deepEqual(
        doc.sections.messagesItRecognises.map((e: { message: string }) => e.message),
        (md.examples ?? []).map((e) => e.message),
      );
      for (const [name, v] of Object.entries(doc.sections))
        if (typeof v === 'string') assert.ok(v.length > 0, `${m.code}: section ${name} is empty`);
      assert.equal(doc.page, undefined, 'the Markdown page is not in the data');
    }
  });

  it('-o yaml is the same data; -o text stays the page', async () => {
    const json = JSON.parse((await run(['source.auth', '-o', 'json'])).out);
    const yaml = await run(['source.auth', '-o', 'yaml']);
    assert.equal(yaml.code, 0);
    assert.deepEqual(load(yaml.out), json);
    const text = await run(['source.auth']);
    assert.match(text.out, /^# source\.auth: /);
    assert.match(text.out, /^## How to fix it$/m);
  });
});

describe('explain of something that is neither a code nor a Flux field', () => {
  const kinds = fluxApi().kinds.map((k) => k.kind);

  for (const arg of ['Deployment.spec', 'Deployment.spec.template', 'Pod', 'Service.metadata.name']) {
    it(`${arg}: not a Flux kind field or code, kubectl explain for it, and what explain accepts (exit 2)`, async () => {
      const r = await run([arg]);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      assert.doesNotMatch(r.err, /unknown code/);
      const head = arg.split('.')[0]!;
      assert.match(
        r.err,
        new RegExp(`'${arg.replaceAll('.', '\\.')}' is neither a diagnosis code nor a field of a Flux kind`),
      );
      assert.match(r.err, new RegExp(`${head} is not a Flux kind`));
      assert.ok(r.err.includes(`kubectl explain ${arg.toLowerCase()}`), r.err);
      assert.match(r.err, /fluxdoctor codes/);
      for (const k of kinds) assert.ok(r.err.includes(k), `lists the Flux kind ${k}`);
    });
  }

  it('a code-like word stays an unknown code, with near codes and what explain accepts', async () => {
    const r = await run(['source.nope']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown code 'source\.nope'/);
    assert.match(r.err, /a field path of a Flux kind/);
    const near = await run(['dependency']);
    assert.match(near.err, /Did you mean: .*kustomize\.dependency-not-ready/);
  });

  it('a lowercase word is neither a code nor a Flux kind', async () => {
    const r = await run(['foo']);
    assert.equal(r.code, 2);
    assert.match(r.err, /'foo' is neither a diagnosis code nor a Flux kind/);
    assert.match(r.err, /HelmRelease/);
  });

  it('Flux kinds and their fields still explain', async () => {
    const r = await run(['Kustomization.spec.prune', '-o', 'json']);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).type, 'boolean');
  });
});
