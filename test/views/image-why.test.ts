// `image why`: the funnel over the graph (an ImagePolicy and its ImageRepository's scan status), the
// verdict on one tag, the partial-list marking, and the CLI on the real capture of
// image-reflector-controller v1.2.3 (test/fixtures/real/image-policy-no-match).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageWhyView } from '../../src/core/views.js';
import { ViewError } from '../../src/views/common.js';
import { graphOf, obj, READY, status } from '../helpers.js';
import { runCli } from '../run-cli.js';

const repo = (latestTags: string[], tagCount = latestTags.length, spec: Record<string, unknown> = {}) =>
  obj('ImageRepository', 'apps/web', {
    spec: { image: 'ghcr.io/acme/web', interval: '5m', ...spec },
    status: {
      ...READY(`successful scan: found ${tagCount} tags`),
      lastScanResult: { tagCount, latestTags, scanTime: '2026-11-24T10:00:00Z', revision: '1' },
    },
  });
const policy = (
  spec: Record<string, unknown>,
  st: Record<string, unknown> = READY('Latest image tag for ghcr.io/acme/web resolved to 1.2.1'),
) => obj('ImagePolicy', 'apps/web', { spec: { imageRepositoryRef: { name: 'web' }, ...spec }, status: st });
const desc = (tags: string[]) => [...tags].sort().reverse();

describe('views/image-why', () => {
  it('semver: the funnel, the winner, agreement with status.latestRef', () => {
    const tags = desc(['1.0.0', '1.1.0', '1.2.0', '1.2.1', '2.0.0-rc.1', 'latest']);
    const g = graphOf([
      repo(tags),
      policy(
        { policy: { semver: { range: '>=1.0.0 <2.0.0' } } },
        { ...READY(), latestRef: { name: 'ghcr.io/acme/web', tag: '1.2.1' } },
      ),
    ]);
    const w = imageWhyView(g, 'web', 'apps');
    assert.equal(w.selected, '1.2.1');
    assert.equal(w.tags.partial, false);
    assert.equal(w.tags.source, 'status.lastScanResult.latestTags');
    assert.deepEqual(
      w.funnel.rejected.map((r) => r.tag),
      ['latest', '2.0.0-rc.1'],
    );
    assert.match(w.funnel.rejected[1]!.why, /pre-release/);
    assert.deepEqual(
      w.funnel.ranked.map((r) => r.tag),
      ['1.2.1', '1.2.0', '1.1.0', '1.0.0'],
    );
    assert.equal(w.controller.latestTag, '1.2.1');
    assert.equal(w.controller.agrees, true);
  });

  it('--tag: each step that can drop a tag, or why it loses', () => {
    const g = graphOf([
      repo(desc(['v1.0.0', 'v1.1.0', 'v2.0.0', 'main-1', 'v1.1.0-rc.1'])),
      policy({ policy: { semver: { range: '^1' } }, filterTags: { pattern: '^v(?P<v>.*)$', extract: '$v' } }),
    ]);
    const at = (tag: string) => imageWhyView(g, 'web', 'apps', { tag }).tag!;
    assert.equal(at('v1.1.0').step, 'selected');
    assert.equal(at('main-1').step, 'filtered-out');
    assert.equal(at('v2.0.0').step, 'rejected');
    assert.match(at('v2.0.0').detail, /outside the range "\^1" \(extracted value "2.0.0"\)/);
    assert.equal(at('v1.1.0-rc.1').step, 'rejected');
    const lose = at('v1.0.0');
    assert.equal(lose.step, 'loses');
    assert.equal(lose.winner, 'v1.1.0');
    const sig = at('v1.2.0.sig');
    assert.equal(sig.step, 'excluded');
    assert.match(sig.detail, /\^\.\*\\\.sig\$/);
    assert.equal(at('v9.9.9').step, 'not-scanned', 'the whole list is known: not in it means not scanned');
  });

  it('status holds only 10 tags: the list is partial, and a tag not in it is unknown, not absent', () => {
    const ten = desc(Array.from({ length: 10 }, (_, i) => `1.0.${i + 10}`));
    const g = graphOf([
      repo(ten, 250),
      policy({ policy: { semver: { range: '>=1.0.0' } } }, { ...READY(), latestRef: { name: 'x', tag: '1.0.19' } }),
    ]);
    const w = imageWhyView(g, 'web', 'apps', { tag: '1.0.3' });
    assert.equal(w.tags.partial, true);
    assert.equal(w.tags.tagCount, 250);
    assert.equal(w.tag?.step, 'unknown');
    assert.ok(w.notes.some((n) => /partial/.test(n) && /250/.test(n)));
    // With the full list (a --tags-file), the answer is decided and the exclusionList applies.
    const full = imageWhyView(g, 'web', 'apps', {
      tag: '1.0.3',
      tags: [...ten, '1.0.3', '3.0.0.sig', '0.9.0'],
    });
    assert.equal(full.tags.partial, false);
    assert.equal(full.tag?.step, 'loses');
    assert.deepEqual(full.funnel.excluded, [{ tag: '3.0.0.sig', by: '^.*\\.sig$' }]);
  });

  it('a custom exclusionList replaces the default; v1beta1 status.latestImage is read; cross-namespace repository', () => {
    const g = graphOf([
      obj('ImageRepository', 'images/web', {
        spec: { image: 'r/web', exclusionList: ['^dev-'] },
        status: { ...READY(), lastScanResult: { tagCount: 3, latestTags: ['dev-9', 'b.sig', 'a'] } },
      }),
      {
        ...obj('ImagePolicy', 'apps/web', {
          spec: { imageRepositoryRef: { name: 'web', namespace: 'images' }, policy: { alphabetical: {} } },
          status: { ...READY(), latestImage: 'r/web:b.sig' },
        }),
        apiVersion: 'image.toolkit.fluxcd.io/v1beta1',
      },
    ]);
    const w = imageWhyView(g, 'web', 'apps', { tags: ['dev-9', 'b.sig', 'a'] });
    assert.deepEqual(w.repository, { kind: 'ImageRepository', namespace: 'images', name: 'web' });
    assert.deepEqual(w.exclusionList, { patterns: ['^dev-'], defaulted: false });
    assert.equal(w.selected, 'b.sig');
    assert.equal(w.controller.latestTag, 'b.sig');
    assert.equal(w.controller.agrees, true);
  });

  it('no tag qualifies: selected is null and the controller’s error is given', () => {
    const g = graphOf([
      repo(['1.2.1', '1.0.0']),
      policy(
        { policy: { semver: { range: '>=5.0.0' } } },
        status(['False', 'Failure', 'unable to determine latest version from provided list']),
      ),
    ]);
    const w = imageWhyView(g, 'web', 'apps');
    assert.equal(w.selected, null);
    assert.deepEqual(w.error, { reason: 'Failure', message: 'unable to determine latest version from provided list' });
  });

  it('a repository never scanned, a missing one, and a target that is not an ImagePolicy', () => {
    const unscanned = graphOf([
      obj('ImageRepository', 'apps/web', { spec: {} }),
      policy({ policy: { numerical: {} } }),
    ]);
    const w = imageWhyView(unscanned, 'web', 'apps', { tag: '1' });
    assert.equal(w.tags.source, 'none');
    assert.equal(w.selected, null);
    assert.equal(w.tag?.step, 'unknown');
    const missing = imageWhyView(graphOf([policy({ policy: { semver: { range: 'junk' } } })]), 'web', 'apps');
    assert.ok(missing.notes.some((n) => /was not read/.test(n)));
    assert.equal(missing.error?.reason, 'InvalidPolicy', 'an invalid policy is said even without tags');
    assert.throws(() => imageWhyView(unscanned, 'imagerepository/web', 'apps'), ViewError);
  });

  it('ties under filterTags are reported: the controller iterates a Go map', () => {
    const g = graphOf([
      repo(['v1.2.3', 'r-1.2.3']),
      policy({ policy: { semver: { range: '*' } }, filterTags: { pattern: '^(?:v|r-)(.*)', extract: 'x$1' } }),
    ]);
    // x1.2.3 twice → one value (replaced); no tie. With distinct values that compare equal:
    const g2 = graphOf([
      repo(['v1.2.3', '1.2.3']),
      policy({ policy: { semver: { range: '*' } }, filterTags: { pattern: '.*' } }),
    ]);
    assert.equal(imageWhyView(g, 'web', 'apps').ties.length, 0);
    const w = imageWhyView(g2, 'web', 'apps', { tag: '1.2.3' });
    assert.equal(w.selected, 'v1.2.3');
    assert.deepEqual(w.ties, ['1.2.3']);
    assert.equal(w.tag?.step, 'tie');
  });
});

describe('fluxdoctor image why (CLI)', () => {
  const SNAP = ['--snapshot', 'test/fixtures/real/image-policy-no-match'];
  it('on the real capture: no tag matches ">=5.0.0 <6.0.0", exit 1, the controller’s own message', async () => {
    const r = await runCli(['image', 'why', 'web', '-n', 'image-policy-no-match', ...SNAP, '-o', 'json']);
    assert.equal(r.code, 1, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.selected, null);
    assert.equal(j.tags.read, 4);
    assert.equal(j.error.message, 'unable to determine latest version from provided list');
    // The controller wrote the same text into the Ready condition.
    assert.match(j.controller.message, /unable to determine latest version from provided list/);
    const t = await runCli(['image', 'why', 'web', '-n', 'image-policy-no-match', ...SNAP, '--tag', '1.2.1']);
    assert.equal(t.code, 1);
    assert.match(t.out, /selected: none/);
    assert.match(t.out, /tag 1\.2\.1: rejected — outside the range ">=5\.0\.0 <6\.0\.0"/);
  });
  it('--tags-file: the full list (JSON or lines) decides; a missing policy exits 2', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'fd-tags-'));
    writeFileSync(join(dir, 't.json'), JSON.stringify({ name: 'apps/web', tags: ['5.1.0', '5.0.0', '6.0.0'] }));
    writeFileSync(join(dir, 't.txt'), '5.1.0\n5.2.0\n');
    const j = await runCli([
      'image',
      'why',
      'web',
      '-n',
      'image-policy-no-match',
      ...SNAP,
      '--tags-file',
      join(dir, 't.json'),
      '-o',
      'json',
    ]);
    assert.equal(j.code, 0, j.err);
    assert.equal(JSON.parse(j.out).selected, '5.1.0');
    const l = await runCli([
      'image',
      'why',
      'web',
      '-n',
      'image-policy-no-match',
      ...SNAP,
      '--tags-file',
      join(dir, 't.txt'),
      '-o',
      'yaml',
    ]);
    assert.match(l.out, /^selected: 5\.2\.0$/m);
    const nf = await runCli(['image', 'why', 'nope', ...SNAP]);
    assert.equal(nf.code, 2);
  });
});

describe('image why: cluster text on the terminal', () => {
  it('tags from a --tags-file and --tag with line breaks stay on their own line', async () => {
    const { renderImageWhyText } = await import('../../src/cli/commands/image.js');
    const fake = '\nselected: evil-tag\ncontroller: fake (agrees)';
    const g = graphOf([
      repo(desc(['1.0.0', `2.0.0${fake}`])),
      policy(
        { policy: { semver: { range: '>=1.0.0' } }, filterTags: { pattern: `.*${fake}` } },
        {
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'ReconciliationFailed',
              message: `invalid regular expression pattern${fake}`,
            },
          ],
        },
      ),
    ]);
    // --tags-file text is not read through the cluster reader: the renderer must keep it on one line.
    const w = imageWhyView(g, 'web', 'apps', { tag: `3.0.0${fake}`, tags: ['1.0.0', `3.0.0${fake}`, `9.9.9${fake}`] });
    const text = renderImageWhyText(w, false);
    // Our own lines only: no line of the output starts with the injected text.
    const injected = text.split('\n').filter((l) => /^(selected: evil-tag|controller: fake)/.test(l));
    assert.deepEqual(injected, [], text);
    assert.match(text, /evil-tag/, 'the text is still shown, on one line');
  });
});
