// The root-cause walk, tested with small synthetic rules so that it does not depend on any real
// rule's message matching: a symptom is handed down its edges and reported once at the bottom.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose } from '../src/diagnose/engine.js';
import type { Rule } from '../src/rules/types.js';
import { evidenceOf, failureSignals, show } from '../src/rules/util.js';
import { cond, graphOf, idOf, obj, READY, status } from './helpers.js';

const docs = { description: 'x', detection: 'x', fix: 'x', commands: ['x'] };

/** Root-cause rule: any failed object of the given kinds whose Ready reason is in `reasons`. */
function causeRule(code: string, kinds: string[], reasons: string[], extra: Partial<Rule['meta']> = {}): Rule {
  return {
    meta: { code, severity: 'error', title: code, kinds, docs, ...extra },
    check(o, { graph }) {
      const h = graph.health(o);
      if (h.state !== 'Failed' || !reasons.includes(h.reason ?? '')) return undefined;
      return {
        summary: `${show(o)} ${h.reason}`,
        evidence: evidenceOf(failureSignals(o, graph)),
        remediation: ['fix it'],
      };
    },
  };
}

const rules: Rule[] = [
  causeRule(
    't.unreachable',
    ['HelmRepository', 'GitRepository', 'HelmChart'],
    ['IndexationFailed', 'GitOperationFailed'],
    {
      explainedBy: ['source'],
    },
  ),
  causeRule('t.chart-not-found', ['HelmChart'], ['InvalidChartReference'], { explainedBy: ['source'] }),
  causeRule('t.install', ['HelmRelease'], ['InstallFailed'], { explainedBy: ['applied'] }),
  causeRule('t.health', ['Kustomization'], ['HealthCheckFailed'], { explainedBy: ['applied'] }),
  causeRule('t.imagepull', ['Deployment'], ['ProgressDeadlineExceeded']),
  {
    meta: {
      code: 't.waiting',
      severity: 'error',
      title: 'waiting',
      kinds: ['Kustomization', 'HelmRelease'],
      explainedBy: ['dependsOn'],
      docs,
    },
    check(o, { graph }) {
      return graph.health(o).state === 'Waiting'
        ? { summary: 'waits', evidence: [], remediation: ['wait'] }
        : undefined;
    },
  },
  {
    meta: { code: 't.suspended', severity: 'warning', title: 'suspended', kinds: ['*'], docs },
    check(o) {
      return o.spec?.suspend ? { summary: 'suspended', evidence: [], remediation: ['resume'] } : undefined;
    },
  },
  {
    meta: { code: 't.advice', type: 'advice', severity: 'info', title: 'advice', kinds: ['Kustomization'], docs },
    check(o) {
      return o.metadata.name === 'infra' ? { summary: 'advice', evidence: [], remediation: ['consider'] } : undefined;
    },
  },
];

const inv = (...ids: string[]) => ({ entries: ids.map((id) => ({ id, v: 'v1' })) });

/** The headline case: apps → dependsOn infra → applies HelmRelease → HelmChart → HelmRepository. */
function multiHop() {
  return [
    obj('Kustomization', 'apps', {
      spec: { dependsOn: [{ name: 'infra' }], sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
      status: status(['False', 'DependencyNotReady', "dependency 'flux-system/infra' is not ready"]),
    }),
    obj('Kustomization', 'infra', {
      spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' }, wait: true },
      status: {
        ...status([
          'False',
          'HealthCheckFailed',
          "health check failed after 5m0s: timeout waiting for: [HelmRelease/flux-system/redis status: 'Failed']",
        ]),
        inventory: inv(
          'flux-system_bitnami_source.toolkit.fluxcd.io_HelmRepository',
          'flux-system_redis_helm.toolkit.fluxcd.io_HelmRelease',
        ),
      },
    }),
    obj('GitRepository', 'flux-system', { spec: { url: 'https://example.com/repo' }, status: READY() }),
    obj('HelmRepository', 'bitnami', {
      spec: { url: 'https://charts.invalid' },
      status: status(
        ['False', 'IndexationFailed', 'failed to fetch Helm repository index: ... no such host'],
        [cond('FetchFailed', 'True', 'IndexationFailed', 'x')],
      ),
    }),
    obj('HelmChart', 'flux-system-redis', {
      spec: { chart: 'redis', sourceRef: { kind: 'HelmRepository', name: 'bitnami' } },
      status: status(['False', 'IndexationFailed', 'failed to get chart repository index: no such host']),
    }),
    obj('HelmRelease', 'redis', {
      spec: { chart: { spec: { chart: 'redis', sourceRef: { kind: 'HelmRepository', name: 'bitnami' } } } },
      status: status([
        'False',
        'SourceNotReady',
        "HelmChart 'flux-system/flux-system-redis' is not ready: failed to get chart repository index",
      ]),
    }),
  ];
}

describe('engine: root cause walk', () => {
  it('reports a multi-hop failure once, at the bottom of the chain, with every affected object', () => {
    const r = diagnose(graphOf(multiHop()), { rules });
    const errors = r.findings.filter((f) => f.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors.map((f) => [f.code, idOf(f.rootCause)])));
    const f = errors[0]!;
    assert.equal(f.code, 't.unreachable');
    assert.equal(idOf(f.rootCause), 'HelmRepository/flux-system/bitnami');
    assert.deepEqual(f.affected.map(idOf).sort(), [
      'HelmChart/flux-system/flux-system-redis',
      'HelmRelease/flux-system/redis',
      'Kustomization/flux-system/apps',
      'Kustomization/flux-system/infra',
    ]);
    // The longest chain starts at apps and ends at the repository.
    const longest = [...f.chains].sort((a, b) => b.length - a.length)[0]!;
    assert.equal(idOf(longest[0]!.ref), 'Kustomization/flux-system/apps');
    assert.equal(idOf(longest.at(-1)!.ref), 'HelmRepository/flux-system/bitnami');
    assert.equal(longest[0]!.via, 'dependsOn');
  });

  it('advice never becomes a root cause of a failure', () => {
    const r = diagnose(graphOf(multiHop()), { rules });
    const advice = r.findings.find((f) => f.code === 't.advice');
    assert.ok(advice, 'advice finding is reported');
    assert.equal(advice!.affected.length, 0);
    assert.equal(r.findings.at(-1)!.code, 't.advice', 'info sorts last');
  });

  it('reports the symptom itself when the dependency is only progressing', () => {
    const r = diagnose(
      graphOf([
        obj('Kustomization', 'apps', {
          spec: { dependsOn: [{ name: 'infra' }] },
          status: status(['False', 'DependencyNotReady', "dependency 'flux-system/infra' is not ready"]),
        }),
        obj('Kustomization', 'infra', { status: status(['Unknown', 'Progressing', 'Reconciliation in progress']) }),
      ]),
      { rules },
    );
    assert.deepEqual(
      r.findings.filter((f) => f.code !== 't.advice').map((f) => `${f.code} ${idOf(f.rootCause)}`),
      ['t.waiting Kustomization/flux-system/apps'],
    );
  });

  it('a HelmChart generated from a HelmRelease that fails on its own is reported at the HelmRelease', () => {
    const r = diagnose(
      graphOf([
        obj('HelmRepository', 'podinfo', { status: READY('stored artifact') }),
        obj('HelmChart', 'apps-web', {
          spec: { chart: 'web', version: '9.9.9', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } },
          status: status([
            'False',
            'InvalidChartReference',
            "invalid chart reference: failed to get chart version for remote reference: no 'web' chart with version matching '9.9.9' found",
          ]),
        }),
        obj('HelmRelease', 'apps/web', {
          spec: {
            chart: {
              spec: {
                chart: 'web',
                version: '9.9.9',
                sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' },
              },
            },
          },
          status: status(['False', 'SourceNotReady', "HelmChart 'flux-system/apps-web' is not ready"]),
        }),
      ]),
      { rules },
    );
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]!.code, 't.chart-not-found');
    assert.equal(idOf(r.findings[0]!.rootCause), 'HelmRelease/apps/web');
    assert.deepEqual(r.findings[0]!.affected.map(idOf), ['HelmChart/flux-system/apps-web']);
  });

  it('a HelmRelease install failure caused by its workload is reported at the workload', () => {
    const r = diagnose(
      graphOf([
        obj('HelmRelease', 'apps/web', {
          spec: { chart: { spec: { chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } },
          status: status([
            'False',
            'InstallFailed',
            'Helm install failed for release apps/web with chart web@1.0.0: context deadline exceeded',
          ]),
        }),
        obj('Deployment', 'apps/web', {
          labels: { 'helm.toolkit.fluxcd.io/name': 'web', 'helm.toolkit.fluxcd.io/namespace': 'apps' },
          spec: { replicas: 1 },
          status: {
            conditions: [
              cond(
                'Progressing',
                'False',
                'ProgressDeadlineExceeded',
                'ReplicaSet "web-5d" has timed out progressing.',
              ),
            ],
          },
        }),
      ]),
      { rules },
    );
    assert.deepEqual(
      r.findings.map((f) => `${f.code} ${idOf(f.rootCause)} <- ${f.affected.map(idOf).join(',')}`),
      ['t.imagepull Deployment/apps/web <- HelmRelease/apps/web'],
    );
  });

  it('a suspended dependency that blocks a dependent is an error; one that blocks nothing is a warning', () => {
    const r = diagnose(
      graphOf([
        obj('Kustomization', 'apps', {
          spec: { dependsOn: [{ name: 'infra' }] },
          status: status(['False', 'DependencyNotReady', "dependency 'flux-system/infra' is not ready"]),
        }),
        obj('Kustomization', 'infra', { spec: { suspend: true }, status: status(['False', 'BuildFailed', 'x']) }),
        obj('Kustomization', 'other', { spec: { suspend: true }, status: READY() }),
      ]),
      { rules },
    );
    assert.deepEqual(
      r.findings
        .filter((f) => f.code !== 't.advice')
        .map((f) => `${f.severity} ${f.code} ${idOf(f.rootCause)} ${f.affected.length}`),
      ['error t.suspended Kustomization/flux-system/infra 1', 'warning t.suspended Kustomization/flux-system/other 0'],
    );
  });

  it('a dependsOn cycle does not loop forever', () => {
    const r = diagnose(
      graphOf([
        obj('Kustomization', 'a', {
          spec: { dependsOn: [{ name: 'b' }] },
          status: status(['False', 'DependencyNotReady', "dependency 'flux-system/b' is not ready"]),
        }),
        obj('Kustomization', 'b', {
          spec: { dependsOn: [{ name: 'a' }] },
          status: status(['False', 'DependencyNotReady', "dependency 'flux-system/a' is not ready"]),
        }),
      ]),
      { rules },
    );
    assert.ok(r.findings.length >= 1);
    assert.ok(r.findings.every((f) => f.code === 't.waiting'));
  });

  it('one root cause breaking several objects gives one finding', () => {
    const objs = [
      obj('GitRepository', 'repo', { status: status(['False', 'GitOperationFailed', 'failed to checkout']) }),
      ...['a', 'b', 'c'].map((n) =>
        obj('Kustomization', n, {
          spec: { sourceRef: { kind: 'GitRepository', name: 'repo' } },
          status: status(['False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s']),
        }),
      ),
    ];
    const r = diagnose(graphOf(objs), { rules });
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]!.affected.length, 3);
  });

  it('a healthy cluster has no findings and counts objects', () => {
    const r = diagnose(
      graphOf([
        obj('GitRepository', 'repo', { status: READY() }),
        obj('Kustomization', 'a', { spec: { sourceRef: { kind: 'GitRepository', name: 'repo' } }, status: READY() }),
      ]),
      { rules },
    );
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.objects, {
      total: 2,
      ready: 2,
      failing: 0,
      suspended: 0,
      waiting: 0,
      progressing: 0,
      unknown: 0,
    });
  });

  it('a rule that throws does not abort the run', () => {
    const bad: Rule = {
      meta: { code: 't.bad', severity: 'error', title: 'bad', kinds: ['GitRepository'], docs },
      check() {
        throw new Error('boom');
      },
    };
    const g = graphOf([obj('GitRepository', 'repo', { status: READY() })]);
    const r = diagnose(g, { rules: [bad] });
    assert.deepEqual(r.findings, []);
    assert.ok(r.problems.some((p) => /boom/.test(p.message)));
    // The input is not mutated: a second run reports the failure once, not twice.
    assert.equal(g.snapshot.problems.length, 0);
    assert.equal(diagnose(g, { rules: [bad] }).problems.filter((p) => /boom/.test(p.message)).length, 1);
  });
});
