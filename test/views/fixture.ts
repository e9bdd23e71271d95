// A small GitOps cluster for the view tests: the flux-system Kustomization (inventory) applies the
// apps Kustomization, which applies a Deployment (→ ReplicaSet → Pods) and a ConfigMap that was not
// read; apps depends on infra (failing), which applies a HelmRelease whose chart comes from a
// HelmRepository and whose Deployment carries the helm owner labels.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Graph } from '../../src/graph/graph.js';
import { readSnapshotFiles } from '../../src/read/files.js';
import { cond, type Doc, event, graphOf, logLine, obj, READY, status } from '../helpers.js';

export const NOW = new Date('2026-11-24T10:10:00Z');
const KS = 'kustomize.toolkit.fluxcd.io';
const inv = (...ids: string[]) => ({ entries: ids.map((id) => ({ id, v: 'v1' })) });

export const HOSTILE = 'boom \u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u001b[0m';

export function clusterDocs(): Doc[] {
  return [
    obj('GitRepository', 'flux-system', {
      status: { ...READY(), artifact: { revision: 'main@sha1:aaaa', lastUpdateTime: '2026-11-24T10:05:00Z' } },
      labels: { [`${KS}/name`]: 'flux-system', [`${KS}/namespace`]: 'flux-system' },
    }),
    obj('Kustomization', 'flux-system', {
      spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' }, path: './clusters/prod' },
      status: {
        ...READY('Applied revision: main@sha1:aaaa'),
        lastAppliedRevision: 'main@sha1:aaaa',
        inventory: inv(
          `flux-system_flux-system_${KS}_Kustomization`,
          'flux-system_flux-system_source.toolkit.fluxcd.io_GitRepository',
          `flux-system_apps_${KS}_Kustomization`,
          `flux-system_infra_${KS}_Kustomization`,
        ),
      },
    }),
    obj('Kustomization', 'apps', {
      spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' }, dependsOn: [{ name: 'infra' }] },
      status: {
        ...status(['False', 'DependencyNotReady', "dependency 'flux-system/infra' is not ready"]),
        lastAppliedRevision: 'main@sha1:aaaa',
        inventory: inv('shop_web_apps_Deployment', 'shop_settings__ConfigMap'),
      },
    }),
    obj('Kustomization', 'infra', {
      spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
      status: {
        ...status(['False', 'HealthCheckFailed', `health check failed ${HOSTILE}`]),
        inventory: inv(
          'flux-system_redis_helm.toolkit.fluxcd.io_HelmRelease',
          'flux-system_bitnami_source.toolkit.fluxcd.io_HelmRepository',
        ),
      },
    }),
    obj('HelmRepository', 'bitnami', {
      spec: { url: 'https://charts.example.com' },
      status: status(['False', 'Failed', 'failed to fetch Helm repository index']),
    }),
    obj('HelmChart', 'flux-system-redis', {
      spec: { chart: 'redis', sourceRef: { kind: 'HelmRepository', name: 'bitnami' } },
      status: status(['False', 'NoSourceArtifact', "no artifact available for HelmRepository source 'bitnami'"]),
      labels: { 'helm.toolkit.fluxcd.io/name': 'redis', 'helm.toolkit.fluxcd.io/namespace': 'flux-system' },
    }),
    obj('HelmRelease', 'redis', {
      spec: { chart: { spec: { chart: 'redis', sourceRef: { kind: 'HelmRepository', name: 'bitnami' } } } },
      status: status(['False', 'SourceNotReady', 'HelmChart is not ready']),
    }),
    obj('Deployment', 'redis/redis', {
      uid: 'd-redis',
      spec: { replicas: 1 },
      status: { replicas: 1, availableReplicas: 1, updatedReplicas: 1, observedGeneration: 1 },
      labels: { 'helm.toolkit.fluxcd.io/name': 'redis', 'helm.toolkit.fluxcd.io/namespace': 'flux-system' },
    }),
    obj('Deployment', 'shop/web', {
      uid: 'd-web',
      spec: { replicas: 2 },
      status: { replicas: 2, availableReplicas: 0, updatedReplicas: 2, observedGeneration: 1 },
    }),
    obj('ReplicaSet', 'shop/web-5d4f', {
      uid: 'rs-web',
      spec: { replicas: 2 },
      extra: {},
    }),
    obj('Pod', 'shop/web-5d4f-aaaaa', {
      status: {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'app',
            state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "web:9"' } },
          },
        ],
      },
    }),
    obj('Pod', 'shop/web-5d4f-bbbbb', { status: { phase: 'Running', conditions: [cond('Ready', 'True', '')] } }),
    obj('Kustomization', 'team/legacy', {
      spec: { suspend: true, sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' } },
      status: READY(),
    }),
    obj('ConfigMap', 'default/unrelated'),
    event(
      { kind: 'Kustomization', namespace: 'flux-system', name: 'infra' },
      'HealthCheckFailed',
      `health ${HOSTILE}`,
      'Warning',
      '2026-11-24T10:08:00Z',
    ),
    event(
      { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
      'DependencyNotReady',
      'waiting for infra',
      'Normal',
      '2026-11-24T10:09:00Z',
    ),
    event(
      { kind: 'Pod', namespace: 'shop', name: 'web-5d4f-aaaaa' },
      'Failed',
      'Failed to pull image "web:9"',
      'Warning',
      '2026-11-24T10:07:00Z',
    ),
    event(
      { kind: 'Pod', namespace: 'shop', name: 'web-5d4f-aaaaa' },
      'BackOff',
      'Back-off pulling image "web:9"',
      'Normal',
      '2026-11-24T10:09:30Z',
    ),
    event(
      { kind: 'ReplicaSet', namespace: 'shop', name: 'web-5d4f' },
      'SuccessfulCreate',
      'Created pod: web-5d4f-aaaaa',
      'Normal',
      '2026-11-24T10:00:00Z',
    ),
    event(
      { kind: 'ConfigMap', namespace: 'default', name: 'unrelated' },
      'Whatever',
      'not about Flux',
      'Warning',
      '2026-11-24T10:09:00Z',
    ),
  ];
}

/** ownerReferences need uids; obj() does not take them, so patch them in. */
function withOwners(docs: Doc[]): Doc[] {
  for (const d of docs) {
    if (typeof d === 'string') continue;
    if (d.kind === 'ReplicaSet' && d.metadata.name === 'web-5d4f')
      d.metadata.ownerReferences = [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-web', controller: true },
      ];
    if (d.kind === 'Pod')
      d.metadata.ownerReferences = [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d4f', uid: 'rs-web', controller: true },
      ];
  }
  return docs;
}

export function clusterLogs(): Doc[] {
  const infra = { kind: 'Kustomization', namespace: 'flux-system', name: 'infra' };
  return [
    { ...logLine(infra, 'Reconciliation failed', `health check failed ${HOSTILE}`), ts: '2026-11-24T10:08:00.000Z' },
    { ...logLine(infra, 'starting reconcile', undefined, 'info'), ts: '2026-11-24T09:00:00.000Z' },
    { ...logLine(infra, 'debug detail', undefined, 'debug'), ts: '2026-11-24T10:09:00.000Z' },
    {
      ...logLine({ kind: 'HelmRepository', namespace: 'flux-system', name: 'bitnami' }, 'fetch failed', 'no such host'),
      ts: '2026-11-24T10:01:00.000Z',
    },
    // A helm-controller line about the HelmRelease (keyed field only, no controllerKind).
    {
      level: 'info',
      ts: '2026-11-24T10:02:00.000Z',
      msg: 'release pending',
      HelmRelease: { name: 'redis', namespace: 'flux-system' },
    },
  ];
}

export function cluster(): Graph {
  return graphOf(withOwners(clusterDocs()), clusterLogs(), { now: NOW });
}

const EXAMPLES = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'examples');

export function example(name: string): Graph {
  return new Graph(readSnapshotFiles({ snapshots: [join(EXAMPLES, name)], logs: [join(EXAMPLES, name, 'logs')] }));
}
