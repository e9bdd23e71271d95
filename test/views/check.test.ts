// The check view over graphs: controllers, CRDs and served versions, API versions in use, artifact
// storage, what a snapshot recorded; and the `check` command's output and exit codes.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { renderCheckText } from '../../src/cli/commands/check.js';
import { type Io, main } from '../../src/cli/main.js';
import { Graph } from '../../src/graph/graph.js';
import { readSnapshotFiles } from '../../src/read/files.js';
import type { K8sObject } from '../../src/types.js';
import { artifactProbeTarget, type CheckReport, checkView, imageTag, inClusterHost } from '../../src/views/check.js';
import { graphOf, obj, READY, snapshotOf } from '../helpers.js';

function controller(name: string, opts: { ready?: boolean; tag?: string } = {}): K8sObject {
  const ready = opts.ready !== false;
  return obj('Deployment', `flux-system/${name}`, {
    labels: { 'app.kubernetes.io/part-of': 'flux' },
    spec: {
      replicas: 1,
      template: {
        spec: { containers: [{ name: 'manager', image: `ghcr.io/fluxcd/${name}:${opts.tag ?? 'v1.9.3'}` }] },
      },
    },
    status: {
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: ready ? 1 : 0,
      availableReplicas: ready ? 1 : 0,
      conditions: [
        ready
          ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }
          : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
      ],
    },
  });
}

function crd(
  plural: string,
  group: string,
  versions: string[],
  opts: { stored?: string[]; established?: boolean; flux?: string } = {},
): K8sObject {
  return obj('CustomResourceDefinition', `${plural}.${group}`, {
    labels: { 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/version': opts.flux ?? 'v2.9.2' },
    spec: {
      group,
      names: { plural },
      versions: versions.map((v, i) => ({ name: v, served: true, storage: i === 0 })),
    },
    status: {
      storedVersions: opts.stored ?? [versions[0]],
      conditions: [
        { type: 'Established', status: opts.established === false ? 'False' : 'True', reason: 'InitialNamesAccepted' },
      ],
    },
  });
}

const CONTROLLERS = ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'];
const SRC = 'source.toolkit.fluxcd.io';
const KS = 'kustomize.toolkit.fluxcd.io';

function gitRepo(name: string, artifactUrl?: string | null): K8sObject {
  return obj('GitRepository', `flux-system/${name}`, {
    spec: { url: 'https://github.com/x/y' },
    status: {
      ...READY("stored artifact for revision 'main@sha1:abc'"),
      ...(artifactUrl === null
        ? {}
        : {
            artifact: {
              url:
                artifactUrl ??
                `http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/${name}/abc.tar.gz`,
              revision: 'main@sha1:abc',
              lastUpdateTime: '2026-11-24T10:00:00Z',
            },
          }),
    },
  });
}

function healthy(): K8sObject[] {
  return [
    ...CONTROLLERS.map((c) => controller(c)),
    crd('gitrepositories', SRC, ['v1', 'v1beta2']),
    crd('ocirepositories', SRC, ['v1']),
    crd('helmrepositories', SRC, ['v1']),
    crd('buckets', SRC, ['v1']),
    crd('helmcharts', SRC, ['v1']),
    crd('kustomizations', KS, ['v1']),
    crd('helmreleases', 'helm.toolkit.fluxcd.io', ['v2']),
    crd('alerts', 'notification.toolkit.fluxcd.io', ['v1beta3']),
    crd('providers', 'notification.toolkit.fluxcd.io', ['v1beta3']),
    crd('receivers', 'notification.toolkit.fluxcd.io', ['v1']),
    gitRepo('flux-system'),
    obj('Kustomization', 'flux-system/flux-system', {
      spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
      status: READY(),
    }),
  ];
}

/** A graph as a live read gives it: the kinds read are recorded. */
function graphWith(objects: K8sObject[], info: Record<string, unknown> = {}): Graph {
  const snap = snapshotOf(objects);
  snap.info = { ...snap.info, kindsRead: ['Deployment', 'CustomResourceDefinition'], ...info };
  return new Graph(snap);
}

const byStatus = (r: CheckReport, s: string) => r.items.filter((i) => i.status === s).map((i) => i.title);

describe('check view', () => {
  it('a healthy installation passes: controller versions from the image tag, CRDs with their versions', () => {
    const r = checkView(
      graphWith(healthy(), { server: 'https://10.0.0.1:6443', serverVersion: 'v1.34.1', context: 'prod' }),
      {
        live: true,
      },
    );
    assert.equal(r.ok, true, JSON.stringify(byStatus(r, 'fail')));
    assert.equal(r.counts.fail, 0);
    const ctrl = r.items.filter((i) => i.section === 'controllers');
    assert.equal(ctrl.length, 4);
    assert.ok(ctrl.every((i) => i.status === 'ok' && i.data?.version === 'v1.9.3'));
    assert.ok(
      r.items.some((i) => i.title === 'gitrepositories.source.toolkit.fluxcd.io: serves v1, v1beta2 (stored v1)'),
    );
    assert.ok(r.items.some((i) => i.title === 'Kubernetes v1.34.1' && i.status === 'ok'));
    assert.ok(r.items.some((i) => i.title.startsWith('Flux v2.9.2')));
    assert.ok(
      r.items.some(
        (i) =>
          i.section === 'apiVersions' &&
          i.title === 'Kustomization: 1 object in kustomize.toolkit.fluxcd.io/v1: served',
      ),
    );
    assert.ok(
      r.items.some(
        (i) => i.section === 'storage' && i.status === 'ok' && /1 ready source has an artifact/.test(i.title),
      ),
    );
    assert.match(r.items[0]!.title, /API server https:\/\/10\.0\.0\.1:6443 reachable \(context prod\)/);
  });

  it('a controller that is not ready fails, with its reason', () => {
    const objs = healthy().map((o) =>
      o.metadata.name === 'helm-controller' ? controller('helm-controller', { ready: false }) : o,
    );
    const r = checkView(graphWith(objs), { live: true });
    assert.equal(r.ok, false);
    assert.deepEqual(byStatus(r, 'fail'), ['helm-controller v1.9.3: not ready (0/1) — ReplicasNotReady']);
  });

  it('no controller at all fails and points at --flux-namespace; a missing controller that objects need fails', () => {
    const none = checkView(graphWith(healthy().filter((o) => o.kind !== 'Deployment')), { live: true });
    assert.ok(
      byStatus(none, 'fail').some((t) => /no Flux controllers in namespace flux-system/.test(t)),
      JSON.stringify(none.items),
    );
    const noKs = checkView(graphWith(healthy().filter((o) => o.metadata.name !== 'kustomize-controller')), {
      live: true,
    });
    assert.ok(
      byStatus(noKs, 'fail').some((t) =>
        /kustomize-controller: no Deployment in flux-system, but 1 Kustomization object needs it/.test(t),
      ),
      JSON.stringify(noKs.items),
    );
  });

  it('a CRD that is not established fails; stored versions no longer served warn (flux migrate)', () => {
    const objs = healthy().map((o) =>
      o.metadata.name === `kustomizations.${KS}`
        ? crd('kustomizations', KS, ['v1'], { established: false })
        : o.metadata.name === `helmcharts.${SRC}`
          ? crd('helmcharts', SRC, ['v1'], { stored: ['v1beta2', 'v1'] })
          : o,
    );
    const r = checkView(graphWith(objs), { live: true });
    assert.ok(
      byStatus(r, 'fail').some((t) => /^kustomizations\.kustomize\.toolkit\.fluxcd\.io: not established/.test(t)),
    );
    assert.ok(byStatus(r, 'warn').some((t) => /helmcharts.* stored as v1beta2, which is no longer served/.test(t)));
  });

  it('objects in an API version the CRD does not serve fail; a deprecated served version warns', () => {
    const objs = healthy();
    const old = gitRepo('legacy');
    old.apiVersion = `${SRC}/v1beta2`;
    const gone = obj('Kustomization', 'flux-system/old', { spec: {}, status: READY() });
    gone.apiVersion = `${KS}/v1beta1`;
    const r = checkView(graphWith([...objs, old, gone]), { live: false });
    assert.ok(
      byStatus(r, 'fail').some((t) =>
        /^Kustomization: 1 object in kustomize\.toolkit\.fluxcd\.io\/v1beta1: not served by the CRD \(serves v1\)/.test(
          t,
        ),
      ),
    );
    assert.ok(
      byStatus(r, 'warn').some((t) =>
        /^GitRepository: 1 object in source\.toolkit\.fluxcd\.io\/v1beta2: served, but deprecated/.test(t),
      ),
    );
  });

  it('a ready source without an artifact URL fails the storage check', () => {
    const r = checkView(graphWith([...healthy(), gitRepo('lost', null)]), { live: true });
    assert.ok(
      byStatus(r, 'fail').some((t) => /1 ready source has no artifact URL: GitRepository flux-system\/lost/.test(t)),
    );
  });

  it('the artifact probe: ok, failing storage, and in-cluster URLs reported as not checked from outside', () => {
    const g = graphWith(healthy());
    const url = artifactProbeTarget(g)!;
    assert.match(url, /^http:\/\/source-controller\.flux-system\.svc\.cluster\.local\.\//);
    const inCluster = checkView(g, {
      live: true,
      probe: { url, outcome: 'in-cluster', detail: 'cluster-internal name' },
    });
    assert.equal(inCluster.ok, true);
    assert.ok(inCluster.items.some((i) => i.status === 'skip' && /not checked from outside the cluster/.test(i.title)));
    const lost = checkView(g, { live: true, probe: { url, outcome: 'fail', detail: 'HEAD 404' } });
    assert.equal(lost.ok, false);
    assert.ok(byStatus(lost, 'fail').some((t) => /artifact download fails/.test(t)));
  });

  it('a snapshot says what it recorded; without CRDs the served versions are not checked (no failure)', () => {
    const snap = checkView(
      graphWith(healthy(), { server: 'https://k:6443', serverVersion: 'v1.30.2', capturedAt: '2026-11-24T10:00:00Z' }),
      {
        live: false,
      },
    );
    assert.match(
      snap.items[0]!.title,
      /the snapshot recorded API server https:\/\/k:6443, captured at 2026-11-24T10:00:00Z/,
    );
    assert.ok(byStatus(snap, 'warn').some((t) => /Kubernetes v1\.30\.2 is older than 1\.33/.test(t)));
    const noCrds = graphOf(healthy().filter((o) => o.kind !== 'CustomResourceDefinition'));
    const r = checkView(noCrds, { live: false });
    assert.equal(r.ok, true);
    assert.ok(
      r.items.some(
        (i) =>
          i.status === 'skip' &&
          /CRDs not in the snapshot: served versions not checked \(GitRepository v1, Kustomization v1\)/.test(i.title),
      ),
    );
  });

  it('cluster text is sanitised', () => {
    const evil = controller('source-controller', { tag: 'v1\u001b[31m.0' });
    const r = checkView(graphWith([evil]), { live: true });
    assert.ok(r.items.every((i) => !i.title.includes('\u001b')));
  });

  it('reads the bundled healthy example', () => {
    const r = checkView(new Graph(readSnapshotFiles({ snapshots: ['examples/healthy'] })), { live: false });
    assert.equal(r.ok, true, JSON.stringify(byStatus(r, 'fail')));
    assert.ok(r.items.filter((i) => i.section === 'controllers' && i.status === 'ok').length >= 4);
  });

  it('helpers: image tags and in-cluster host names', () => {
    assert.equal(imageTag('ghcr.io/fluxcd/source-controller:v1.9.3@sha256:abc'), 'v1.9.3');
    assert.equal(imageTag('localhost:5000/fluxcd/source-controller'), undefined);
    assert.equal(inClusterHost('source-controller.flux-system.svc.cluster.local.'), true);
    assert.equal(inClusterHost('source-controller'), true);
    assert.equal(inClusterHost('127.0.0.1'), false);
    assert.equal(inClusterHost('artifacts.example.com'), false);
  });
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: {},
  };
  const code = await main(['node', 'fluxdoctor', ...args], io);
  return { code, out, err };
}

function snapshotFile(objects: K8sObject[]): string {
  const p = join(mkdtempSync(join(tmpdir(), 'fd-check-')), 'cluster.yaml');
  writeFileSync(p, stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  return p;
}

describe('fluxdoctor check', () => {
  it('prints a checklist and exits 0 when everything passes', async () => {
    const r = await run(['check', '--snapshot', snapshotFile(healthy())]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^fluxdoctor check — snapshot/);
    assert.match(r.out, /\n {2}✓ source-controller v1\.9\.3: ready \(1\/1\)\n/);
    // The snapshot did not record the API server: that check was skipped, and the last line says so.
    assert.match(r.out, /\n {2}- API server: not recorded in the snapshot/);
    assert.match(r.out, /\n✓ 18 checks passed, 1 skipped \(not checked: see "-" above\)\n$/);
    assert.doesNotMatch(r.out, /all checks passed/);
    const doc = JSON.parse((await run(['check', '--snapshot', snapshotFile(healthy()), '-o', 'json'])).out);
    assert.deepEqual(doc.counts, { ok: 18, fail: 0, warn: 0, skip: 1 });
  });

  it('"all checks passed" only when no check was skipped', () => {
    const base = {
      ok: true,
      input: 'live' as const,
      context: 'ctx',
      fluxNamespace: 'flux-system',
      objects: { total: 0, ready: 0, failing: 0, suspended: 0, waiting: 0, progressing: 0, unknown: 0 },
      items: [{ section: 'cluster' as const, status: 'ok' as const, title: 'API server v1.31' }],
    };
    assert.match(
      renderCheckText({ ...base, counts: { ok: 1, fail: 0, warn: 0, skip: 0 } }, false),
      /✓ all checks passed\n$/,
    );
    const warned = renderCheckText({ ...base, counts: { ok: 1, fail: 0, warn: 2, skip: 3 } }, false);
    assert.match(warned, /✓ 1 check passed, 2 warnings, 3 skipped/);
    assert.doesNotMatch(warned, /all checks passed/);
  });

  it('exits 1 when a check fails, and -o json / yaml carry the same report', async () => {
    const objs = healthy().map((o) =>
      o.metadata.name === 'helm-controller' ? controller('helm-controller', { ready: false }) : o,
    );
    const file = snapshotFile(objs);
    const t = await run(['check', '--snapshot', file]);
    assert.equal(t.code, 1);
    assert.match(t.out, /✗ helm-controller v1\.9\.3: not ready/);
    assert.match(t.out, /✗ 1 check failed/);
    const j = await run(['check', '--snapshot', file, '-o', 'json']);
    assert.equal(j.code, 1);
    const doc = JSON.parse(j.out);
    assert.equal(doc.ok, false);
    assert.equal(doc.counts.fail, 1);
    const y = await run(['check', '--snapshot', file, '-o', 'yaml']);
    assert.match(y.out, /^ok: false$/m);
  });

  it('exits 2 when the input cannot be read, or there is no kubeconfig', async () => {
    assert.equal((await run(['check', '--snapshot', '/nonexistent/cluster.yaml'])).code, 2);
    const noKc = await run(['check', '--kubeconfig', '/nonexistent/kubeconfig']);
    assert.equal(noKc.code, 2);
  });

  it('an API server that does not answer is an input error (exit 2) with the failed check, not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-kc-'));
    const kc = join(dir, 'config');
    writeFileSync(
      kc,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: 'http://127.0.0.1:1' } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'ctx',
      }),
    );
    const r = await run(['check', '--kubeconfig', kc, '--request-timeout', '2s']);
    assert.equal(r.code, 2, r.err);
    assert.doesNotMatch(r.out, /all checks passed/);
    assert.match(r.out, /✗ API server http:\/\/127\.0\.0\.1:1 not reachable/);
  });
});
