// Benchmark: load a large `kubectl get -A -o yaml` snapshot (default ~100 MB) and diagnose it.
// Prints absolute numbers and ratios against a baseline measured in the same run: parsing the
// same text as one YAML document with the `yaml` package (what a naive reader would do).
//
//   npm run bench              # ~100 MB
//   npm run bench -- 20        # ~20 MB

import { performance } from 'node:perf_hooks';
import { parse as parseYaml, stringify } from 'yaml';
import { diagnose } from '../src/diagnose/engine.js';
import { Graph } from '../src/graph/graph.js';
import { SnapshotBuilder } from '../src/read/snapshot.js';

const targetMb = Number(process.argv[2] ?? 100);

function makeObjects(count: number) {
  const items: object[] = [];
  for (let i = 0; i < count; i++) {
    const ns = `team-${i % 50}`;
    const failing = i % 10 === 0;
    items.push({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: {
        name: `app-${i}`,
        namespace: ns,
        uid: `uid-ks-${i}`,
        generation: 3,
        resourceVersion: String(100000 + i),
        creationTimestamp: '2026-11-20T10:00:00Z',
        labels: {
          'kustomize.toolkit.fluxcd.io/name': 'tenants',
          'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
        },
        annotations: { description: 'x'.repeat(200) },
      },
      spec: {
        interval: '10m',
        path: `./apps/${ns}/app-${i}`,
        prune: true,
        sourceRef: { kind: 'GitRepository', name: `repo-${i % 500}`, namespace: 'flux-system' },
        dependsOn: i % 7 === 0 && i > 0 ? [{ name: `app-${i - 1}`, namespace: `team-${(i - 1) % 50}` }] : undefined,
        postBuild: { substitute: { cluster: 'prod', region: 'eu-west-1' } },
      },
      status: {
        observedGeneration: 3,
        lastAppliedRevision: 'main@sha1:0123456789abcdef0123456789abcdef01234567',
        conditions: [
          failing
            ? {
                type: 'Ready',
                status: 'False',
                reason: 'BuildFailed',
                message: `kustomization path not found: stat /tmp/kustomization-1/apps/${ns}/app-${i}: no such file or directory`,
                lastTransitionTime: '2026-11-24T10:00:00Z',
                observedGeneration: 3,
              }
            : {
                type: 'Ready',
                status: 'True',
                reason: 'ReconciliationSucceeded',
                message: 'Applied revision: main@sha1:0123456789abcdef0123456789abcdef01234567',
                lastTransitionTime: '2026-11-24T10:00:00Z',
                observedGeneration: 3,
              },
        ],
        inventory: {
          entries: Array.from({ length: 8 }, (_, j) => ({ id: `${ns}_app-${i}-${j}_apps_Deployment`, v: 'v1' })),
        },
      },
    });
  }
  for (let r = 0; r < 500; r++) {
    items.push({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: {
        name: `repo-${r}`,
        namespace: 'flux-system',
        generation: 1,
        creationTimestamp: '2026-11-20T10:00:00Z',
      },
      spec: { url: `https://git.example.com/org/repo-${r}`, interval: '5m', ref: { branch: 'main' } },
      status: {
        observedGeneration: 1,
        artifact: { revision: 'main@sha1:0123456789abcdef0123456789abcdef01234567' },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'Succeeded',
            message: 'stored artifact',
            lastTransitionTime: '2026-11-24T10:00:00Z',
          },
        ],
      },
    });
  }
  return items;
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const v = fn();
  return [v, performance.now() - t0];
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(1);

// Size the snapshot: measure one batch, scale.
const sizeOf = (n: number) =>
  stringify({ apiVersion: 'v1', items: makeObjects(n), kind: 'List' }, { lineWidth: 0 }).length;
const fixed = sizeOf(0);
const perObject = (sizeOf(500) - fixed) / 500;
const count = Math.max(100, Math.round((targetMb * 1024 * 1024 - fixed) / perObject));
const items = makeObjects(count);
const yamlText = stringify(
  { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } },
  { lineWidth: 0 },
);
const jsonText = JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
console.log(`snapshot: ${items.length} objects, YAML ${mb(yamlText.length)} MB, JSON ${mb(jsonText.length)} MB`);

const heap0 = process.memoryUsage().heapUsed;
const [snap, tRead] = time(() => {
  const b = new SnapshotBuilder();
  b.addText(yamlText, 'bench.yaml');
  return b.build();
});
const heapRead = process.memoryUsage().heapUsed;
if (snap.objects.length !== items.length) throw new Error(`read ${snap.objects.length} of ${items.length}`);

const [, tJson] = time(() => {
  const b = new SnapshotBuilder();
  b.addText(jsonText, 'bench.json');
  return b.build();
});

const [report, tDiag] = time(() => diagnose(new Graph(snap)));

// Baseline: the whole YAML as one document through the yaml package.
const [base, tBase] = time(() => parseYaml(yamlText, { uniqueKeys: false }) as { items: unknown[] });
if (base.items.length !== items.length) throw new Error('baseline read a different number of objects');

console.log(
  `read YAML (fluxdoctor reader):  ${tRead.toFixed(0)} ms  (${(yamlText.length / 1024 / 1024 / (tRead / 1000)).toFixed(1)} MB/s, heap +${mb(heapRead - heap0)} MB)`,
);
console.log(`read YAML (baseline yaml.parse): ${tBase.toFixed(0)} ms`);
console.log(`ratio reader/baseline:          ${(tRead / tBase).toFixed(2)}x`);
console.log(`read JSON (fluxdoctor reader):  ${tJson.toFixed(0)} ms`);
console.log(
  `diagnose:                       ${tDiag.toFixed(0)} ms, ${report.findings.length} findings over ${report.objects.total} Flux objects`,
);
