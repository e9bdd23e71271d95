// A suspended object that another object waits on (a health check, a dependsOn) is the single root
// cause, with the waiting parent in its `affected`; a suspended object that still reports a failure of
// its own (a current Ready=False) keeps that failure reported too.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose } from '../src/diagnose/engine.js';
import { rule as suspendedRule } from '../src/rules/flux-suspended.js';
import type { Rule } from '../src/rules/types.js';
import { conditionEvidence } from '../src/signals/index.js';
import { cond, graphOf, obj, status } from './helpers.js';

const gitSource = { kind: 'GitRepository', name: 'flux-system' };
const repo = obj('GitRepository', 'flux-system', {
  spec: { url: 'https://github.com/x/y', interval: '1m' },
  status: status(['True', 'Succeeded', "stored artifact for revision 'main@sha1:0123456789abcdef'"]),
});

const line = (r: ReturnType<typeof diagnose>) =>
  r.findings
    .filter((f) => f.severity !== 'info')
    .map(
      (f) =>
        `${f.severity} ${f.code} ${f.rootCause.kind}/${f.rootCause.name} <- ${f.affected.map((a) => a.name).join(',')}`,
    );

describe('suspended objects others wait on', () => {
  it('a health check waiting on a suspended HelmRelease whose Ready=True is for an older generation', () => {
    const r = diagnose(
      graphOf([
        repo,
        obj('Kustomization', 'apps', {
          spec: {
            interval: '10m',
            path: './apps',
            sourceRef: gitSource,
            healthChecks: [
              { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'podinfo', namespace: 'apps' },
            ],
          },
          // kustomize-controller@v1.4.0 internal/controller/kustomization_controller.go checkHealth:
          // "health check failed after %s: %s"; fluxcd/pkg/ssa wait "timeout waiting for: [%s]"
          status: status([
            'False',
            'HealthCheckFailed',
            "health check failed after 5m0s: timeout waiting for: [HelmRelease/apps/podinfo status: 'InProgress']",
          ]),
        }),
        obj('HelmRelease', 'apps/podinfo', {
          generation: 2,
          spec: {
            suspend: true,
            chart: {
              spec: {
                chart: 'podinfo',
                version: '6.x',
                sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' },
              },
            },
          },
          status: status(['True', 'InstallSucceeded', 'Helm install succeeded']),
        }),
      ]),
    );
    assert.deepEqual(line(r), ['error flux.suspended HelmRelease/podinfo <- apps']);
    assert.match(r.findings[0]!.summary, /Kustomization flux-system\/apps waits on it$/);
  });

  it('a dependsOn on a suspended Kustomization whose latest spec was never reconciled', () => {
    const r = diagnose(
      graphOf([
        repo,
        obj('Kustomization', 'web', {
          spec: { interval: '10m', path: './web', sourceRef: gitSource, dependsOn: [{ name: 'infra' }] },
          // kustomize-controller@v1.4.0 internal/controller/kustomization_controller.go checkDependencies:
          // "dependency '%s' is not ready"
          status: status(['False', 'DependencyNotReady', "dependency 'flux-system/infra' is not ready"]),
        }),
        obj('Kustomization', 'infra', {
          generation: 3,
          spec: { suspend: true, interval: '10m', path: './infra', sourceRef: gitSource },
          status: status(['True', 'ReconciliationSucceeded', 'Applied revision: main@sha1:0123456789abcdef']),
        }),
      ]),
    );
    assert.deepEqual(line(r), ['error flux.suspended Kustomization/infra <- web']);
  });

  it('a suspended object that blocks nothing stays a warning', () => {
    const r = diagnose(
      graphOf([
        repo,
        obj('Kustomization', 'infra', {
          generation: 3,
          spec: { suspend: true, interval: '10m', path: './infra', sourceRef: gitSource },
          status: status(['True', 'ReconciliationSucceeded', 'Applied revision: main@sha1:0123456789abcdef']),
        }),
      ]),
    );
    assert.deepEqual(line(r), ['warning flux.suspended Kustomization/infra <- ']);
  });

  it('a suspended GitRepository whose current Ready=False says auth failed: the engine keeps both the failure and the suspension', () => {
    // A stand-in for the source family's rule: the engine must not hide a failure reported on a
    // suspended object (source.auth itself is the source family's to fire on it).
    const authRule: Rule = {
      meta: {
        code: 'source.auth',
        severity: 'error',
        title: 'auth',
        kinds: ['GitRepository'],
        explainedBy: ['source'],
        docs: { description: 'x', detection: 'x', fix: 'x', commands: ['x'] },
      },
      check(o) {
        const ready = o.status?.conditions?.find((c: { type: string }) => c.type === 'Ready');
        if (ready?.status !== 'False' || !/authentication required/.test(ready.message)) return undefined;
        return { summary: 'auth failed', evidence: [conditionEvidence(o, ready)], remediation: ['fix the Secret'] };
      },
    };
    const r = diagnose(
      graphOf([
        obj('GitRepository', 'flux-system', {
          spec: { suspend: true, url: 'https://github.com/x/private', interval: '1m' },
          // source-controller@v1.4.1 internal/controller/gitrepository_controller.go reconcileSource:
          // "failed to checkout and determine revision: %s"; go-git plumbing/transport "authentication required"
          status: status(
            [
              'False',
              'GitOperationFailed',
              "failed to checkout and determine revision: unable to clone 'https://github.com/x/private': authentication required",
            ],
            [
              cond(
                'FetchFailed',
                'True',
                'GitOperationFailed',
                "failed to checkout and determine revision: unable to clone 'https://github.com/x/private': authentication required",
              ),
            ],
          ),
        }),
        obj('Kustomization', 'apps', {
          spec: { interval: '10m', path: './apps', sourceRef: gitSource },
          status: status(['False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s']),
        }),
      ]),
      { rules: [authRule, suspendedRule] },
    );
    const codes = r.findings.map((f) => `${f.severity} ${f.code} ${f.rootCause.name}`);
    assert.ok(codes.includes('error source.auth flux-system'), codes.join('\n'));
    assert.ok(
      codes.some((c) => c.endsWith('flux.suspended flux-system')),
      codes.join('\n'),
    );
    // The waiting Kustomization is explained, not a root of its own.
    assert.ok(!r.findings.some((f) => f.rootCause.name === 'apps' && f.severity === 'error'), codes.join('\n'));
  });
});
