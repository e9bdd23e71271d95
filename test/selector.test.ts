// The label selector parser (`-l, --selector`, kubectl syntax) and the status selector (flux get
// --status-selector): parsing, matching, and the errors for what cannot be read.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  matchesLabels,
  matchesStatusSelector,
  parseLabelSelector,
  parseStatusSelector,
  SelectorError,
} from '../src/views/selector.js';
import { obj, READY, status } from './helpers.js';

const labelled = (labels?: Record<string, string>) => obj('Kustomization', 'x', labels ? { labels } : {});
const sel = (s: string, labels?: Record<string, string>) => matchesLabels(labelled(labels), parseLabelSelector(s));

describe('parseLabelSelector', () => {
  it('reads every operator of the kubectl syntax', () => {
    assert.deepEqual(parseLabelSelector('a=b,c!=d,e in (x,y),f notin (z), !g,h,i==j,n>3,m<10').requirements, [
      { key: 'a', op: '=', values: ['b'] },
      { key: 'c', op: '!=', values: ['d'] },
      { key: 'e', op: 'in', values: ['x', 'y'] },
      { key: 'f', op: 'notin', values: ['z'] },
      { key: 'g', op: 'notExists', values: [] },
      { key: 'h', op: 'exists', values: [] },
      { key: 'i', op: '=', values: ['j'] },
      { key: 'n', op: 'gt', values: ['3'] },
      { key: 'm', op: 'lt', values: ['10'] },
    ]);
    assert.deepEqual(parseLabelSelector('app.kubernetes.io/name = web').requirements, [
      { key: 'app.kubernetes.io/name', op: '=', values: ['web'] },
    ]);
    assert.deepEqual(parseLabelSelector('tier=').requirements, [{ key: 'tier', op: '=', values: [''] }]);
    assert.deepEqual(parseLabelSelector('  ').requirements, []);
  });

  it('bad syntax is a SelectorError that quotes the selector and shows the syntax', () => {
    for (const bad of [
      'a in (x',
      'a in x)',
      'a in ()',
      'a notin',
      '=b',
      'a b',
      ',',
      'a=b,',
      'a=b=c',
      '-a=b',
      'a=-b',
      'a>x',
      'a/b/c=d',
      'UPPER.example.com/a=b',
      `${'k'.repeat(64)}=v`,
      `a=${'v'.repeat(64)}`,
    ]) {
      assert.throws(
        () => parseLabelSelector(bad),
        (e: Error) =>
          e instanceof SelectorError &&
          e.message.startsWith(`invalid label selector '${bad}'`) &&
          /key=value/.test(e.message),
        bad,
      );
    }
  });
});

describe('matchesLabels', () => {
  const L = { app: 'web', tier: 'front', 'app.kubernetes.io/part-of': 'shop' };
  it('=, ==, != (which matches a missing key, as in Kubernetes)', () => {
    assert.equal(sel('app=web', L), true);
    assert.equal(sel('app==web', L), true);
    assert.equal(sel('app=api', L), false);
    assert.equal(sel('app!=api', L), true);
    assert.equal(sel('app!=web', L), false);
    assert.equal(sel('missing!=x', L), true);
    assert.equal(sel('app.kubernetes.io/part-of=shop', L), true);
  });
  it('in needs the key; notin matches a missing key', () => {
    assert.equal(sel('tier in (front,back)', L), true);
    assert.equal(sel('tier in (back)', L), false);
    assert.equal(sel('missing in (x)', L), false);
    assert.equal(sel('tier notin (back)', L), true);
    assert.equal(sel('tier notin (front, back)', L), false);
    assert.equal(sel('missing notin (x)', L), true);
  });
  it('key and !key; every requirement must hold; no labels at all', () => {
    assert.equal(sel('app', L), true);
    assert.equal(sel('!app', L), false);
    assert.equal(sel('!missing', L), true);
    assert.equal(sel('app=web,tier=back', L), false);
    assert.equal(sel('app=web,tier in (front),!missing', L), true);
    assert.equal(sel('app'), false);
    assert.equal(sel('!app'), true);
    assert.equal(sel(''), true, 'an empty selector selects everything');
  });
  it('> and < compare integers', () => {
    assert.equal(sel('n>3', { n: '5' }), true);
    assert.equal(sel('n>3', { n: '2' }), false);
    assert.equal(sel('n<3', { n: '2' }), true);
    assert.equal(sel('n>3', { n: 'x' }), false);
  });
});

describe('status selector', () => {
  it('ready=false matches a condition type and status without case, as flux get', () => {
    const failed = obj('Kustomization', 'f', { status: status(['False', 'Failed', 'x']) });
    const ready = obj('Kustomization', 'r', { status: READY() });
    const none = obj('Kustomization', 'n');
    const s = parseStatusSelector('ready=false');
    assert.deepEqual(s.conditions, [{ type: 'ready', status: 'false' }]);
    assert.equal(matchesStatusSelector(failed, s), true);
    assert.equal(matchesStatusSelector(ready, s), false);
    assert.equal(matchesStatusSelector(none, s), false, 'no condition: not selected');
    assert.equal(matchesStatusSelector(ready, parseStatusSelector('Ready=True')), true);
    assert.equal(matchesStatusSelector(ready, parseStatusSelector('Ready=True,Stalled=False')), false);
  });
  it('anything but conditionType=status is a SelectorError', () => {
    for (const bad of ['ready', 'ready=', '=false', 'ready=false=x', 'ready = 1']) {
      assert.throws(() => parseStatusSelector(bad), SelectorError, bad);
    }
  });
});
