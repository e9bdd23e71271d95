// The signals layer: which signals decide (current), innermost catalogue match, the reason fallback,
// edge-based missing references, and the one duration parser.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classify,
  classifyText,
  current,
  emittersOf,
  missingReferences,
  parseDuration,
  signalFor,
} from '../../src/signals/index.js';
import { ALL_PATTERNS } from '../../src/signals/patterns/index.js';
import { cond, event, graphOf, obj, secret, status } from '../helpers.js';

const gitRepo = (message: string, reason = 'GitOperationFailed') =>
  obj('GitRepository', 'flux-system/podinfo', {
    spec: { url: 'https://github.com/org/private', interval: '1m' },
    status: status(['False', reason, message]),
  });

describe('signals: current', () => {
  it('conditions with a message decide; events only add evidence', () => {
    const repo = gitRepo(
      "failed to checkout and determine revision: unable to clone 'https://github.com/org/private': authentication required",
    );
    const g = graphOf([
      repo,
      event(
        { kind: 'GitRepository', namespace: 'flux-system', name: 'podinfo' },
        'Failed',
        'old failure: connection refused',
      ),
    ]);
    const { deciding, all } = current(g.get(repo)!, g);
    assert.deepEqual(
      deciding.map((s) => s.from),
      ['Ready'],
    );
    assert.equal(all.length, 2);
  });
  it('without a condition message, events decide', () => {
    const repo = obj('GitRepository', 'flux-system/podinfo', {
      spec: { url: 'https://x' },
      status: status(['False', 'Failed', '']),
    });
    const g = graphOf([
      repo,
      event({ kind: 'GitRepository', namespace: 'flux-system', name: 'podinfo' }, 'Failed', 'x'),
    ]);
    assert.deepEqual(
      current(g.get(repo)!, g).deciding.map((s) => s.from),
      ['event'],
    );
  });
});

describe('signals: classify', () => {
  it('innermost match wins over the wrapper', () => {
    // source-controller@v1.9.3 internal/controller/gitrepository_controller.go "failed to checkout and determine revision: %w"
    const text =
      "failed to checkout and determine revision: unable to clone 'https://github.com/org/private': authentication required";
    const hit = classifyText(text, ALL_PATTERNS);
    assert.ok(hit);
    assert.equal(hit.pattern.code, 'source.auth');
    const g = graphOf([gitRepo(text)]);
    const c = classify(g.byKind('GitRepository')[0]!, g);
    assert.equal(c?.code, 'source.auth');
    assert.equal(signalFor(g.byKind('GitRepository')[0]!, g, 'source.auth')?.code, 'source.auth');
    assert.equal(signalFor(g.byKind('GitRepository')[0]!, g, 'source.tls'), undefined);
  });
  it('reads an object only with the patterns of its controller', () => {
    assert.ok(emittersOf('GitRepository').includes('go-git'));
    assert.ok(!emittersOf('Kustomization').includes('go-git'));
    assert.deepEqual(emittersOf('Pod'), ['kubernetes']);
    // A kustomize-controller wording on a Pod is not classified.
    const pod = obj('Pod', 'default/p', {
      status: {
        conditions: [
          cond(
            'Ready',
            'False',
            'X',
            // kustomize-controller@v1.9.3 kustomization_controller.go "Source artifact not found, retrying in %s"
            'Source artifact not found, retrying in 30s',
          ),
        ],
      },
    });
    const g = graphOf([pod]);
    assert.equal(classify(g.get(pod)!, g), undefined);
  });
});

describe('signals: missing references', () => {
  it('names a missing Secret and a Secret without the key a reference needs', () => {
    const hr = obj('HelmRelease', 'apps/web', {
      spec: {
        chart: { spec: { chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'r' } } },
        valuesFrom: [
          { kind: 'Secret', name: 'absent' },
          { kind: 'Secret', name: 'values', valuesKey: 'prod.yaml' },
          { kind: 'Secret', name: 'maybe', optional: true },
        ],
      },
    });
    const g = graphOf([hr, secret('apps/values', ['values.yaml'])]);
    const got = missingReferences(g.get(hr)!, g, ['secret', 'configMap']).map(
      (m) => `${m.missing} ${m.edge.to.name} ${m.keys.join(',')}`,
    );
    assert.ok(got.includes('object absent values.yaml'), JSON.stringify(got));
    assert.ok(got.includes('keys values prod.yaml'), JSON.stringify(got));
    assert.ok(!got.some((x) => x.includes('maybe')));
  });
});

describe('signals: durations', () => {
  it('parses Go durations and refuses the rest', () => {
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('5m0s'), 300_000);
    assert.equal(parseDuration('0'), 0);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('10'), undefined);
    assert.equal(parseDuration(10), undefined);
  });
});
