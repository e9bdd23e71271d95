import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { controllerOf, levelRank, logLines } from '../../src/views/logs.js';
import { cluster, example } from './fixture.js';

const infra = { kind: 'Kustomization', namespace: 'flux-system', name: 'infra' };

describe('views/logs', () => {
  it('every line, oldest first, with its controller and object', () => {
    const rows = logLines(cluster());
    assert.deepEqual(
      rows.map((r) => `${r.ts} ${r.level} ${r.controller} ${r.object ? r.object.name : '-'}`),
      [
        '2026-11-24T09:00:00.000Z info kustomize-controller infra',
        '2026-11-24T10:01:00.000Z error source-controller bitnami',
        '2026-11-24T10:02:00.000Z info test -',
        '2026-11-24T10:08:00.000Z error kustomize-controller infra',
        '2026-11-24T10:09:00.000Z debug kustomize-controller infra',
      ],
    );
  });

  it('--for: the object’s lines across controllers, including lines that name it in a field keyed by its kind', () => {
    assert.deepEqual(
      logLines(cluster(), { for: infra }).map((r) => r.msg),
      ['starting reconcile', 'Reconciliation failed', 'debug detail'],
    );
    assert.deepEqual(
      logLines(cluster(), { for: { kind: 'HelmRelease', namespace: 'flux-system', name: 'redis' } }).map((r) => r.msg),
      ['release pending'],
    );
    assert.deepEqual(logLines(cluster(), { for: { kind: 'Kustomization', namespace: 'other', name: 'infra' } }), []);
  });

  it('--level is a minimum: error, info (and above), debug (everything)', () => {
    const g = cluster();
    assert.deepEqual(
      logLines(g, { for: infra, level: 'error' }).map((r) => r.msg),
      ['Reconciliation failed'],
    );
    assert.deepEqual(
      logLines(g, { for: infra, level: 'info' }).map((r) => r.msg),
      ['starting reconcile', 'Reconciliation failed'],
    );
    assert.equal(logLines(g, { for: infra, level: 'debug' }).length, 3);
    assert.equal(levelRank('warn'), 2);
    assert.equal(levelRank('dpanic'), 3);
    assert.equal(levelRank('Level(-2)'), 0);
  });

  it('--since counts back from the snapshot time', () => {
    // now is 10:10: 30 minutes back drops the 09:00 line.
    assert.deepEqual(
      logLines(cluster(), { for: infra, sinceMs: 30 * 60_000 }).map((r) => r.msg),
      ['Reconciliation failed', 'debug detail'],
    );
  });

  it('sanitises message and error', () => {
    const [r] = logLines(cluster(), { for: infra, level: 'error' });
    assert.ok(!r!.error!.includes('\u001b') && !r!.error!.includes('\u0007'), r!.error);
    assert.match(r!.error!, /^health check failed boom/);
  });

  it('names the controller from the kind, else from the pod or file the line came from', () => {
    assert.equal(controllerOf({ level: 'info', msg: '', controllerKind: 'HelmChart' }), 'source-controller');
    assert.equal(
      controllerOf({ level: 'info', msg: '', source: 'pod/helm-controller-5f7c9d8b4-x2x7q/manager' }),
      'helm-controller',
    );
    assert.equal(
      controllerOf({ level: 'info', msg: '', source: 'logs/notification-controller.log' }),
      'notification-controller',
    );
  });

  it('the multi-hop example: infra’s error lines from kustomize-controller', () => {
    const rows = logLines(example('multi-hop'), { for: infra, level: 'error' });
    assert.ok(rows.length >= 1);
    for (const r of rows) {
      assert.equal(r.controller, 'kustomize-controller');
      assert.equal(r.level, 'error');
      assert.match(r.error ?? '', /health check failed/);
    }
  });
});
