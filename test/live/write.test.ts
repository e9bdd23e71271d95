// The write verbs' request bodies and decisions, pure: exactly the fields the flux CLI changes, the
// sources --with-source reconciles first, when a reconcile counts as handled; and the CLI's input
// errors (no cluster needed).

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type Io, main } from '../../src/cli/main.js';
import { kindInfo } from '../../src/kinds/table.js';
import {
  isStatic,
  reconcilePatch,
  reconcileProgress,
  resumePatch,
  sourcesOf,
  suspendPatch,
} from '../../src/live/write.js';
import { cond, obj, READY } from '../helpers.js';

const TS = '2026-11-24T10:00:00.123Z';

describe('patch bodies', () => {
  it('reconcile sets only reconcile.fluxcd.io/requestedAt (HelmRelease --force/--reset add forceAt/resetAt)', () => {
    assert.deepEqual(reconcilePatch(TS), { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': TS } } });
    assert.deepEqual(reconcilePatch(TS, { force: true, reset: true }), {
      metadata: {
        annotations: {
          'reconcile.fluxcd.io/requestedAt': TS,
          'reconcile.fluxcd.io/forceAt': TS,
          'reconcile.fluxcd.io/resetAt': TS,
        },
      },
    });
  });

  it('suspend sets spec.suspend: true; the Flux Operator kinds use their reconcile annotation', () => {
    assert.deepEqual(suspendPatch(kindInfo('Kustomization')!), { spec: { suspend: true } });
    assert.deepEqual(suspendPatch(kindInfo('FluxInstance')!), {
      metadata: { annotations: { 'fluxcd.controlplane.io/reconcile': 'disabled' } },
    });
  });

  it('resume removes spec.suspend (null in a merge patch) and requests a reconcile', () => {
    assert.deepEqual(resumePatch(kindInfo('GitRepository')!, TS), {
      metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': TS } },
      spec: { suspend: null },
    });
    assert.deepEqual(resumePatch(kindInfo('ResourceSet')!, TS), {
      metadata: {
        annotations: { 'fluxcd.controlplane.io/reconcile': 'enabled', 'reconcile.fluxcd.io/requestedAt': TS },
      },
    });
  });

  it('static objects have nothing to reconcile (OCI HelmRepository, statusless kinds)', () => {
    assert.equal(isStatic(obj('HelmRepository', 'flux-system/oci', { spec: { type: 'oci', url: 'oci://x' } })), true);
    assert.equal(isStatic(obj('HelmRepository', 'flux-system/http', { spec: { url: 'https://x' } })), false);
    assert.equal(
      isStatic(obj('Provider', 'flux-system/slack', { spec: { type: 'slack' } })),
      kindInfo('Provider')?.statusless === true,
    );
  });
});

describe('--with-source: what flux reconciles first', () => {
  it('Kustomization → its sourceRef, with the namespace default', () => {
    const ks = obj('Kustomization', 'apps/web', { spec: { sourceRef: { kind: 'OCIRepository', name: 'manifests' } } });
    assert.deepEqual(sourcesOf(ks), [
      { ref: { kind: 'OCIRepository', namespace: 'apps', name: 'manifests' }, withSource: false },
    ]);
    const cross = obj('Kustomization', 'apps/web', {
      spec: { sourceRef: { kind: 'GitRepository', name: 'repo', namespace: 'flux-system' } },
    });
    assert.deepEqual(sourcesOf(cross)[0]!.ref, { kind: 'GitRepository', namespace: 'flux-system', name: 'repo' });
    const ea = obj('Kustomization', 'apps/web', { spec: { sourceRef: { kind: 'ExternalArtifact', name: 'x' } } });
    assert.throws(() => sourcesOf(ea), /cannot reconcile source of kind ExternalArtifact/);
  });

  it('HelmRelease spec.chart → the generated HelmChart <ns>-<name> in the source namespace, with its own source', () => {
    const hr = obj('HelmRelease', 'apps/redis', {
      spec: {
        chart: {
          spec: { chart: 'redis', sourceRef: { kind: 'HelmRepository', name: 'bitnami', namespace: 'flux-system' } },
        },
      },
    });
    assert.deepEqual(sourcesOf(hr), [
      { ref: { kind: 'HelmChart', namespace: 'flux-system', name: 'apps-redis' }, withSource: true },
    ]);
    const chart = obj('HelmChart', 'flux-system/apps-redis', {
      spec: { sourceRef: { kind: 'HelmRepository', name: 'bitnami' } },
    });
    assert.deepEqual(sourcesOf(chart), [
      { ref: { kind: 'HelmRepository', namespace: 'flux-system', name: 'bitnami' }, withSource: false },
    ]);
  });

  it('HelmRelease chartRef → the OCIRepository, or the HelmChart with its source', () => {
    const oci = obj('HelmRelease', 'apps/web', { spec: { chartRef: { kind: 'OCIRepository', name: 'web-chart' } } });
    assert.deepEqual(sourcesOf(oci), [
      { ref: { kind: 'OCIRepository', namespace: 'apps', name: 'web-chart' }, withSource: false },
    ]);
    const hc = obj('HelmRelease', 'apps/web', {
      spec: { chartRef: { kind: 'HelmChart', name: 'c', namespace: 'charts' } },
    });
    assert.deepEqual(sourcesOf(hc), [{ ref: { kind: 'HelmChart', namespace: 'charts', name: 'c' }, withSource: true }]);
  });

  it('other kinds have no source to reconcile', () => {
    assert.throws(() => sourcesOf(obj('GitRepository', 'flux-system/x', { spec: {} })), /has no source to reconcile/);
  });
});

describe('when a reconcile request counts as handled', () => {
  const handled = (extra: object) => ({ ...READY(), lastHandledReconcileAt: TS, ...extra });

  it('waits until status.lastHandledReconcileAt equals the request', () => {
    const o = obj('GitRepository', 'flux-system/x', {
      status: { ...READY(), lastHandledReconcileAt: '2026-11-24T09:00:00Z' },
    });
    assert.equal(reconcileProgress(o, TS).done, false);
    assert.deepEqual(reconcileProgress(obj('GitRepository', 'flux-system/x', { status: handled({}) }), TS), {
      done: true,
      ready: true,
      phase: 'ready',
    });
  });

  it('keeps waiting while Ready is Unknown or the generation is not observed yet', () => {
    const progressing = obj('Kustomization', 'flux-system/x', {
      status: {
        lastHandledReconcileAt: TS,
        observedGeneration: 1,
        conditions: [cond('Ready', 'Unknown', 'Progressing')],
      },
    });
    assert.equal(reconcileProgress(progressing, TS).done, false);
    const stale = obj('Kustomization', 'flux-system/x', { generation: 2, status: handled({}) });
    assert.equal(reconcileProgress(stale, TS).done, false);
  });

  it('ends not ready when Ready is False', () => {
    const failed = obj('GitRepository', 'flux-system/x', {
      status: {
        lastHandledReconcileAt: TS,
        observedGeneration: 1,
        conditions: [cond('Ready', 'False', 'GitOperationFailed', 'x')],
      },
    });
    assert.deepEqual(reconcileProgress(failed, TS), { done: true, ready: false, phase: 'not ready' });
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

describe('reconcile, suspend, resume: input errors', () => {
  const kc = join(mkdtempSync(join(tmpdir(), 'fd-kc-')), 'config');
  writeFileSync(
    kc,
    'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:1\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: ctx\n  context:\n    cluster: c\n    user: u\n    namespace: team-a\ncurrent-context: ctx\n',
  );

  for (const verb of ['reconcile', 'suspend', 'resume']) {
    it(`${verb} refuses --snapshot (it writes to a live cluster)`, async () => {
      const r = await run([verb, 'ks/apps', '--snapshot', 'cluster.yaml']);
      assert.equal(r.code, 2);
      assert.match(r.err, new RegExp(`${verb} writes to a live cluster: --snapshot is not accepted`));
    });
  }

  it('a kind that is not a Flux kind, or a malformed target, is an input error', async () => {
    const r = await run(['reconcile', 'deployment/web', '--kubeconfig', kc]);
    assert.equal(r.code, 2);
    assert.match(r.err, /'Deployment' is not a Flux kind/);
    const bad = await run(['suspend', 'apps', '--kubeconfig', kc]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /expected KIND\/NAME/);
  });

  it('an unreachable API server is a clear error (exit 2); --force is for HelmReleases', async () => {
    const r = await run(['suspend', 'ks/apps', '--kubeconfig', kc, '--request-timeout', '2s']);
    assert.equal(r.code, 2);
    assert.match(r.err, /127\.0\.0\.1:1/);
    const f = await run(['reconcile', 'ks/apps', '--kubeconfig', kc, '--force']);
    assert.equal(f.code, 2);
    assert.match(f.err, /--force and --reset are for HelmReleases/);
  });
});
