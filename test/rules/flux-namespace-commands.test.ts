// Flux installed outside flux-system: every command the flux.* rules print names the detected namespace.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { diagnose } from '../../src/diagnose/engine.js';
import { rule as controllerUnavailable } from '../../src/rules/flux-controller-unavailable.js';
import { rule as crdMissing } from '../../src/rules/flux-crd-missing.js';
import { rule as reconcileFailed } from '../../src/rules/flux-reconcile-failed.js';
import { rule as staleGeneration } from '../../src/rules/flux-stale-generation.js';
import { cond, graphOf, obj, status } from '../helpers.js';

const deployment = (name: string, available = 1) =>
  obj('Deployment', `flux-ops/${name}`, {
    labels: { 'app.kubernetes.io/part-of': 'flux' },
    spec: { replicas: 1 },
    status: {
      replicas: 1,
      availableReplicas: available,
      readyReplicas: available,
      conditions: [
        available > 0
          ? cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
          : cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'),
      ],
    },
  });

it('every printed command of the flux.* rules uses the detected Flux namespace, never flux-system', () => {
  const graph = graphOf([
    deployment('source-controller'),
    deployment('kustomize-controller', 0),
    deployment('helm-controller'),
    deployment('notification-controller'),
    // image-reflector-controller is not installed while its objects wait
    obj('ImageRepository', 'flux-ops/podinfo', { spec: { interval: '5m', image: 'ghcr.io/stefanprodan/podinfo' } }),
    obj('Kustomization', 'flux-ops/apps', {
      generation: 3,
      spec: { interval: '10m', path: './apps', sourceRef: { kind: 'GitRepository', name: 'fleet' } },
      status: status(['False', 'SomethingNew', 'a failure no rule knows']),
    }),
    obj('HelmRelease', 'flux-ops/web', {
      spec: {
        interval: '10m',
        chart: { spec: { chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'charts' } } },
      },
      status: status(['False', 'SomethingElse', 'another unknown failure']),
    }),
  ]);
  assert.equal(graph.fluxNamespace, 'flux-ops');
  const report = diagnose(graph, { rules: [controllerUnavailable, crdMissing, reconcileFailed, staleGeneration] });
  const lines = report.findings.flatMap((f) => f.remediation);
  assert.ok(
    lines.some((l) => l.includes('-n flux-ops')),
    lines.join('\n'),
  );
  assert.ok(
    lines.includes('flux install --components-extra=image-reflector-controller --namespace=flux-ops'),
    lines.join('\n'),
  );
  assert.deepEqual(
    lines.filter((l) => l.includes('flux-system')),
    [],
  );
});
