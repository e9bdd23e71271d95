// Flux installed outside flux-system (`flux install --namespace gitops`, the Flux Operator, community
// charts): the namespace is found from the controller Deployments, so controller checks, log commands
// and the check view use it without --flux-namespace.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose } from '../src/diagnose/engine.js';
import { detectFluxNamespace, fluxNamespaceOf } from '../src/graph/flux-namespace.js';
import { Graph } from '../src/graph/graph.js';
import { readLive } from '../src/read/live.js';
import { fakeApi } from './fake-api.js';
import { cond, obj, snapshotOf, status } from './helpers.js';

function deploy(nsName: string, available: number, labels: Record<string, string> = {}) {
  return obj('Deployment', nsName, {
    labels,
    spec: { replicas: 1 },
    status: {
      observedGeneration: 1,
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
}

describe('Flux namespace detection', () => {
  it('picks the namespace of the controller Deployments', () => {
    const objs = [
      deploy('gitops/source-controller', 1),
      deploy('gitops/kustomize-controller', 1),
      deploy('apps/web', 1),
    ];
    assert.equal(detectFluxNamespace(objs), 'gitops');
    assert.equal(fluxNamespaceOf(objs), 'gitops');
  });

  it('knows controllers by the part-of label too, and is undefined without controllers', () => {
    assert.equal(
      detectFluxNamespace([deploy('ops/my-notification-controller', 1, { 'app.kubernetes.io/part-of': 'flux' })]),
      'ops',
    );
    assert.equal(detectFluxNamespace([deploy('apps/web', 1)]), undefined);
    assert.equal(fluxNamespaceOf([deploy('apps/web', 1)]), 'flux-system');
    // An application's own Deployment named like a controller is not Flux.
    assert.equal(detectFluxNamespace([deploy('apps/source-controller', 0)]), undefined);
  });

  it('an explicit namespace wins; a recorded one wins unless the controllers run elsewhere', () => {
    const objs = [deploy('gitops/source-controller', 1), deploy('gitops/helm-controller', 1)];
    assert.equal(fluxNamespaceOf(objs, 'other'), 'other');
    assert.equal(
      fluxNamespaceOf(objs, undefined, 'flux-system'),
      'gitops',
      'a recorded default with no controllers there',
    );
    assert.equal(
      fluxNamespaceOf([...objs, deploy('flux-system/helm-controller', 1)], undefined, 'flux-system'),
      'flux-system',
    );
  });

  it('diagnoses an unavailable controller in the detected namespace', () => {
    const gitrepo = obj('GitRepository', 'apps/podinfo', {
      spec: { url: 'https://github.com/stefanprodan/podinfo', interval: '1m' },
      generation: 2,
      status: { ...status(['True', 'Succeeded', 'stored artifact for revision main@sha1:abc']), observedGeneration: 1 },
    });
    const graph = new Graph(
      snapshotOf([deploy('gitops/source-controller', 0), deploy('gitops/kustomize-controller', 1), gitrepo]),
    );
    assert.equal(graph.fluxNamespace, 'gitops');
    const codes = diagnose(graph).findings.map((f) => `${f.code} ${f.rootCause.namespace}/${f.rootCause.name}`);
    assert.ok(codes.includes('flux.controller-unavailable gitops/source-controller'), codes.join('; '));
  });

  it('a live read finds the namespace and reads the controller logs there', async () => {
    const fake = await fakeApi([deploy('gitops/source-controller', 1), deploy('gitops/helm-controller', 1)]);
    try {
      const snap = await readLive({ kubeconfig: fake.kubeconfig });
      assert.equal(snap.info.fluxNamespace, 'gitops');
      const podLists = fake.requests
        .map((r) => new URL(r.path, 'http://x').pathname)
        .filter((p) => p.endsWith('/pods'));
      assert.ok(podLists.includes('/api/v1/namespaces/gitops/pods'), podLists.join(', '));
      assert.ok(!podLists.includes('/api/v1/namespaces/flux-system/pods'), podLists.join(', '));
      // An explicit --flux-namespace is used as given.
      const asked = await readLive({ kubeconfig: fake.kubeconfig, fluxNamespace: 'flux-system' });
      assert.equal(asked.info.fluxNamespace, 'flux-system');
    } finally {
      fake.close();
    }
  });
});
