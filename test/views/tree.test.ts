import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ViewError } from '../../src/views/common.js';
import { type TreeNode, tree } from '../../src/views/tree.js';
import { graphOf, obj, READY } from '../helpers.js';
import { cluster, example } from './fixture.js';

function lines(n: TreeNode, depth = 0): string[] {
  const self = `${'  '.repeat(depth)}${n.ref.kind}/${n.ref.namespace ?? ''}/${n.ref.name} ${n.repeated ? '(see above)' : n.found ? n.state : '(not read)'}`;
  return [self, ...n.children.flatMap((c) => lines(c, depth + 1))];
}

describe('views/tree', () => {
  it('the flux-system Kustomization down through nested Kustomizations, HelmReleases, workloads and pods', () => {
    const t = tree(cluster(), { kind: 'Kustomization', namespace: 'flux-system', name: 'flux-system' });
    assert.deepEqual(lines(t.root), [
      'Kustomization/flux-system/flux-system Ready',
      '  GitRepository/flux-system/flux-system Ready',
      '  Kustomization/flux-system/apps Waiting',
      '    Deployment/shop/web Progressing',
      '      Pod/shop/web-5d4f-aaaaa Failed',
      '      Pod/shop/web-5d4f-bbbbb Ready',
      '    ConfigMap/shop/settings (not read)',
      '  Kustomization/flux-system/infra Failed',
      '    HelmRelease/flux-system/redis Failed',
      '      HelmChart/flux-system/flux-system-redis Failed',
      '      Deployment/redis/redis Ready',
      '    HelmRepository/flux-system/bitnami Failed',
    ]);
    assert.deepEqual(
      { objects: t.objects, notReady: t.notReady, notRead: t.notRead },
      { objects: 11, notReady: 7, notRead: 1 },
    );
    const pod = t.root.children[1]!.children[0]!.children[0]!;
    assert.equal(pod.relation, 'pod');
    assert.equal(pod.reason, 'ImagePullBackOff');
    assert.equal(t.root.children[1]!.relation, 'applied');
  });

  it('is cycle-safe: an object applied twice or applying its applier is shown once', () => {
    const KS = 'kustomize.toolkit.fluxcd.io';
    const g = graphOf([
      obj('Kustomization', 'a', {
        status: { ...READY(), inventory: { entries: [{ id: `flux-system_b_${KS}_Kustomization`, v: 'v1' }] } },
      }),
      obj('Kustomization', 'b', {
        status: { ...READY(), inventory: { entries: [{ id: `flux-system_a_${KS}_Kustomization`, v: 'v1' }] } },
      }),
    ]);
    const t = tree(g, { kind: 'Kustomization', namespace: 'flux-system', name: 'a' });
    assert.deepEqual(lines(t.root), [
      'Kustomization/flux-system/a Ready',
      '  Kustomization/flux-system/b Ready',
      '    Kustomization/flux-system/a (see above)',
    ]);
  });

  it('an unknown object is an error; one that is not read but applied things shows them', () => {
    assert.throws(() => tree(cluster(), { kind: 'Kustomization', namespace: 'flux-system', name: 'nope' }), ViewError);
    const g = graphOf([
      obj('ConfigMap', 'apps/x', {
        labels: { 'helm.toolkit.fluxcd.io/name': 'gone', 'helm.toolkit.fluxcd.io/namespace': 'apps' },
      }),
    ]);
    const t = tree(g, { kind: 'HelmRelease', namespace: 'apps', name: 'gone' });
    assert.deepEqual(lines(t.root), ['HelmRelease/apps/gone (not read)', '  ConfigMap/apps/x Static']);
  });

  it('the helm example: a HelmRelease’s objects come from the helm owner labels', () => {
    const t = tree(example('helm'), { kind: 'HelmRelease', namespace: 'apps', name: 'web' });
    const l = lines(t.root);
    assert.ok(l.includes('  Deployment/apps/web Progressing'), l.join('\n'));
    assert.ok(
      l.some((x) => /^ {4}Pod\/apps\/web-\S+ Failed$/.test(x)),
      l.join('\n'),
    );
  });

  it('the multi-hop example: flux-system → apps → Deployments → Pods', () => {
    const t = tree(example('multi-hop'), { kind: 'Kustomization', namespace: 'flux-system', name: 'flux-system' });
    const l = lines(t.root);
    assert.ok(l.includes('  Kustomization/flux-system/apps Waiting'), l.join('\n'));
    assert.ok(l.includes('    Deployment/apps/podinfo Ready'), l.join('\n'));
    assert.ok(l.includes('    Namespace//apps (not read)'), l.join('\n'));
    assert.ok(!l.some((x) => /^ {2}Kustomization\/flux-system\/flux-system/.test(x)), 'not its own child');
  });
});
