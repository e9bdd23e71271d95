import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventGroups, relatedObjects } from '../../src/views/events.js';
import { event, graphOf, obj, READY } from '../helpers.js';
import { cluster, example } from './fixture.js';

const id = (r: { kind: string; namespace?: string; name: string }) => `${r.kind}/${r.namespace}/${r.name}`;

describe('views/events', () => {
  it('keeps events of Flux objects and of what they manage (through owners), drops the rest', () => {
    const groups = eventGroups(cluster());
    assert.deepEqual(
      groups.map((g) => id(g.object)),
      [
        // groups with warnings first, newest warning first
        'Kustomization/flux-system/infra',
        'Pod/shop/web-5d4f-aaaaa',
        // then the others, newest first
        'Kustomization/flux-system/apps',
        'ReplicaSet/shop/web-5d4f',
      ],
    );
  });

  it('sorts warnings first, then newest first, inside a group; ages are relative to the snapshot time', () => {
    const pod = eventGroups(cluster()).find((g) => g.object.kind === 'Pod')!;
    assert.deepEqual(
      pod.events.map((e) => `${e.type} ${e.reason} ${e.age}`),
      ['Warning Failed 180', 'Normal BackOff 30'],
    );
    assert.equal(pod.warnings, 1);
  });

  it('--for: the object, its source, what it applied, their ReplicaSets and Pods, and nothing else', () => {
    const g = cluster();
    const apps = { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' };
    assert.deepEqual(relatedObjects(g, apps).map(id), [
      'Kustomization/flux-system/apps',
      'GitRepository/flux-system/flux-system',
      'Deployment/shop/web',
      'ReplicaSet/shop/web-5d4f',
      'Pod/shop/web-5d4f-aaaaa',
      'Pod/shop/web-5d4f-bbbbb',
      'ConfigMap/shop/settings',
    ]);
    const groups = eventGroups(g, { for: apps });
    assert.deepEqual(
      groups.map((x) => id(x.object)),
      ['Pod/shop/web-5d4f-aaaaa', 'Kustomization/flux-system/apps', 'ReplicaSet/shop/web-5d4f'],
    );
    // A HelmRelease brings its HelmChart.
    const hr = relatedObjects(g, { kind: 'HelmRelease', namespace: 'flux-system', name: 'redis' }).map(id);
    assert.ok(hr.includes('HelmChart/flux-system/flux-system-redis'), hr.join(', '));
    assert.ok(hr.includes('Deployment/redis/redis'), hr.join(', '));
  });

  it('--for a HelmRelease: its HelmChart and the chart source, as `flux events --for` shows them', () => {
    const g = cluster();
    const hr = relatedObjects(g, { kind: 'HelmRelease', namespace: 'flux-system', name: 'redis' }).map(id);
    assert.deepEqual(hr.slice(0, 3), [
      'HelmRelease/flux-system/redis',
      'HelmRepository/flux-system/bitnami',
      'HelmChart/flux-system/flux-system-redis',
    ]);
    // Not the Kustomization that applied it, nor its unrelated siblings.
    assert.ok(!hr.includes('Kustomization/flux-system/infra'), hr.join(', '));
    assert.ok(!hr.includes('GitRepository/flux-system/flux-system'), hr.join(', '));
  });

  it('--for a HelmRelease: the events of the chain are in the result (real helm/source-controller messages)', () => {
    const docs = [
      obj('HelmRepository', 'team/charts', {
        spec: { url: 'https://charts.example.com' },
        status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Failed', message: 'x' }] },
      }),
      obj('HelmChart', 'team/team-web', {
        spec: { chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'charts' } },
        status: { conditions: [{ type: 'Ready', status: 'False', reason: 'NoSourceArtifact', message: 'x' }] },
      }),
      obj('HelmRelease', 'team/web', {
        spec: { chart: { spec: { chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'charts' } } } },
        status: { conditions: [{ type: 'Ready', status: 'False', reason: 'SourceNotReady', message: 'x' }] },
      }),
      obj('HelmRelease', 'team/other', { spec: {}, status: READY() }),
      event(
        { kind: 'HelmRepository', namespace: 'team', name: 'charts' },
        'Failed',
        'failed to fetch Helm repository index: 404 Not Found',
      ),
      event(
        { kind: 'HelmChart', namespace: 'team', name: 'team-web' },
        'NoSourceArtifact',
        "no artifact available for HelmRepository source 'charts'",
      ),
      event(
        { kind: 'HelmRelease', namespace: 'team', name: 'web' },
        'SourceNotReady',
        "HelmChart 'team/team-web' is not ready",
      ),
      event(
        { kind: 'HelmRelease', namespace: 'team', name: 'other' },
        'InstallSucceeded',
        'Helm install succeeded',
        'Normal',
      ),
    ];
    const groups = eventGroups(graphOf(docs), { for: { kind: 'HelmRelease', namespace: 'team', name: 'web' } });
    assert.deepEqual(groups.map((x) => id(x.object)).sort(), [
      'HelmChart/team/team-web',
      'HelmRelease/team/web',
      'HelmRepository/team/charts',
    ]);
  });

  it('--warnings and namespace filters', () => {
    const g = cluster();
    const w = eventGroups(g, { warningsOnly: true });
    assert.ok(w.every((x) => x.events.every((e) => e.type === 'Warning')));
    assert.deepEqual(
      w.map((x) => id(x.object)),
      ['Kustomization/flux-system/infra', 'Pod/shop/web-5d4f-aaaaa'],
    );
    assert.deepEqual(
      eventGroups(g, { namespace: 'shop' }).map((x) => id(x.object)),
      ['Pod/shop/web-5d4f-aaaaa', 'ReplicaSet/shop/web-5d4f'],
    );
  });

  it('merges repeated events (same type, reason, message): counts add up, newest time wins', () => {
    const ks = { kind: 'Kustomization', namespace: 'flux-system', name: 'a' };
    const g = graphOf(
      [
        obj('Kustomization', 'a', { status: READY() }),
        {
          ...event(ks, 'Failed', 'same', 'Warning', '2026-11-24T10:00:00Z'),
          metadata: { name: 'e1', namespace: 'flux-system' },
        },
        {
          ...event(ks, 'Failed', 'same', 'Warning', '2026-11-24T10:05:00Z'),
          metadata: { name: 'e2', namespace: 'flux-system' },
        },
        {
          ...event(ks, 'Failed', 'other', 'Warning', '2026-11-24T10:01:00Z'),
          metadata: { name: 'e3', namespace: 'flux-system' },
        },
      ],
      [],
      { now: new Date('2026-11-24T10:10:00Z') },
    );
    const [grp] = eventGroups(g);
    assert.deepEqual(
      grp!.events.map((e) => `${e.message} ${e.count} ${e.lastSeen}`),
      ['same 2 2026-11-24T10:05:00Z', 'other 1 2026-11-24T10:01:00Z'],
    );
  });

  it('sanitises messages', () => {
    const infra = eventGroups(cluster()).find((x) => x.object.name === 'infra')!;
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(infra.events[0]!.message), infra.events[0]!.message);
    assert.match(infra.events[0]!.message, /^health boom/);
  });

  it('the workloads example: a Kustomization’s events include its Deployments’ Pods', () => {
    const g = example('workloads');
    const groups = eventGroups(g, { for: { kind: 'Kustomization', namespace: 'flux-system', name: 'shop' } });
    const kinds = new Set(groups.map((x) => x.object.kind));
    assert.ok(kinds.has('Pod') && kinds.has('Kustomization'), [...kinds].join(', '));
    assert.equal(groups[0]!.events[0]!.type, 'Warning');
    assert.ok(groups.some((x) => x.events.some((e) => e.reason === 'FailedScheduling')));
  });
});
