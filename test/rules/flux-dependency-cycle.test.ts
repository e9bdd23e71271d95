import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rule } from '../../src/rules/flux-dependency-cycle.js';
import { diagnoseDocs, findingKeys, idOf, obj, READY, ruleTester, status } from '../helpers.js';

const src = { kind: 'GitRepository', name: 'flux-system' };
// kustomize-controller checkDependencies: fmt.Errorf("dependency '%s' is not ready", depName), set as
// Ready=False DependencyNotReady (internal/controller/kustomization_controller.go).
const ks = (name: string, dependsOn: string[], ready = false) =>
  obj('Kustomization', name, {
    spec: { sourceRef: src, dependsOn: dependsOn.map((d) => ({ name: d })) },
    status: ready
      ? READY()
      : status(['False', 'DependencyNotReady', `dependency 'flux-system/${dependsOn[0]}' is not ready`]),
  });

// fluxcd/pkg runtime/dependency/sort.go: fmt.Errorf("circular dependency detected: %v", strings.Join(cycle, " -> "))
// (sort_test.go expects "circular dependency detected: default/dependency -> default/endless -> default/circular -> default/dependency");
// kustomize-controller internal/controller/kustomization_indexers.go logs it with
// log.Error(err, "failed to sort dependencies for config dependency change").
const cycleLog = {
  level: 'error',
  ts: '2026-11-24T10:00:00.000Z',
  msg: 'failed to sort dependencies for config dependency change',
  index: '.metadata.configMapRefs',
  error: 'circular dependency detected: flux-system/a -> flux-system/b -> flux-system/a',
};

ruleTester(rule, {
  valid: [
    {
      name: 'a dependency chain without a loop',
      objects: [ks('infra', [], true), ks('apps', ['infra']), ks('web', ['apps'])],
    },
    {
      name: 'two objects with the same name in different namespaces are not a loop',
      objects: [
        obj('HelmRelease', 'a/db', { spec: { dependsOn: [{ name: 'db', namespace: 'b' }] }, status: READY() }),
        obj('HelmRelease', 'b/db', { spec: {}, status: READY() }),
      ],
    },
    {
      name: 'a loop through a dependency that was not read cannot be seen',
      objects: [ks('a', ['b'])],
    },
  ],
  invalid: [
    {
      name: 'a → b → a: one finding, reported at the smallest member',
      source:
        'fluxcd/pkg runtime/dependency/sort.go; fluxcd/kustomize-controller internal/controller/kustomization_indexers.go',
      objects: [ks('b', ['a']), ks('a', ['b'])],
      logs: [cycleLog],
      expect: [
        {
          object: 'Kustomization/flux-system/b',
          reportAt: 'Kustomization/flux-system/a',
          summary:
            /dependsOn forms a cycle: Kustomization flux-system\/a → Kustomization flux-system\/b → Kustomization flux-system\/a; none of them can become ready/,
          fixTarget: { kind: 'Kustomization', namespace: 'flux-system', name: 'a' },
          evidence: [
            /dependency 'flux-system\/a' is not ready/,
            /circular dependency detected: flux-system\/a -> flux-system\/b/,
          ],
          remediation: [/spec.dependsOn\[0\] \(Kustomization flux-system\/b\) from Kustomization flux-system\/a/],
        },
        { object: 'Kustomization/flux-system/a', reportAt: undefined, evidence: [/spec.dependsOn: flux-system\/b/] },
      ],
    },
    {
      name: 'a HelmRelease that depends on itself',
      objects: [
        obj('HelmRelease', 'apps/web', {
          spec: { dependsOn: [{ name: 'web' }] },
          status: status(['False', 'DependencyNotReady', "dependency 'apps/web' is not ready"]),
        }),
      ],
      expect: [{ summary: /HelmRelease apps\/web → HelmRelease apps\/web/ }],
    },
  ],
});

it('engine: a cycle is one finding with the other members and dependents affected', () => {
  const r = diagnoseDocs([ks('a', ['b']), ks('b', ['c']), ks('c', ['a']), ks('web', ['c'])]);
  const cycles = r.findings.filter((f) => f.code === 'flux.dependency-cycle');
  assert.equal(cycles.length, 1, findingKeys(r).join('\n'));
  assert.equal(idOf(cycles[0]!.rootCause), 'Kustomization/flux-system/a');
  assert.deepEqual(cycles[0]!.affected.map(idOf).sort(), [
    'Kustomization/flux-system/b',
    'Kustomization/flux-system/c',
    'Kustomization/flux-system/web',
  ]);
});
