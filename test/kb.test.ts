// The Flux knowledge base: explain for fields (every top-level spec field of every kind), the
// offline docs search (the seed's common issues find their workflow), and their CLI commands.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Io, main } from '../src/cli/main.js';
import { explainField, FieldNotFoundError, looksLikeField } from '../src/kb/explain-field.js';
import { fluxApi, preferredVersion } from '../src/kb/flux-api.js';
import { searchDocs } from '../src/kb/search.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    env: {},
  };
  const code = await main(['node', 'fluxdoctor', ...args], io);
  return { code, out, err };
}

describe('explainField', () => {
  const api = fluxApi();

  it('the knowledge base holds every Flux kind of the pinned controllers', () => {
    const kinds = api.kinds.map((k) => k.kind);
    for (const k of [
      'GitRepository',
      'OCIRepository',
      'HelmRepository',
      'HelmChart',
      'Bucket',
      'Kustomization',
      'HelmRelease',
      'Alert',
      'Provider',
      'Receiver',
      'ImageRepository',
      'ImagePolicy',
      'ImageUpdateAutomation',
    ])
      assert.ok(kinds.includes(k), `missing ${k}`);
  });

  it('answers for every top-level spec field of every Flux kind', () => {
    let n = 0;
    for (const k of api.kinds) {
      const spec = k.versions[preferredVersion(k)]!.spec;
      for (const [name, node] of Object.entries(spec?.fields ?? {})) {
        const e = explainField(`${k.kind}.spec.${name}`);
        assert.equal(e.kind, k.kind);
        assert.equal(e.path, `${k.kind}.spec.${name}`);
        assert.equal(e.type, node.type);
        assert.ok(e.type.length > 0);
        n++;
      }
    }
    assert.ok(n > 150, `only ${n} spec fields`);
  });

  it('explains a nested path with its children, case-insensitive kind and short names', () => {
    const e = explainField('helmrelease.spec.install.remediation');
    assert.equal(e.path, 'HelmRelease.spec.install.remediation');
    assert.equal(e.type, 'object');
    assert.match(e.description ?? '', /remediation/i);
    assert.ok(e.children.some((c) => c.name === 'retries' && c.type === 'integer'));
    assert.equal(explainField('hr.spec.chart').kind, 'HelmRelease');
    assert.equal(explainField('ks.spec.prune').type, 'boolean');
    const interval = explainField('Kustomization.spec.interval');
    assert.equal(interval.required, true);
    const mode = explainField('HelmRelease.spec.driftDetection.mode');
    assert.deepEqual(mode.enum, ['enabled', 'warn', 'disabled']);
  });

  it('an unknown path names the nearest valid prefix and its children', () => {
    assert.throws(
      () => explainField('HelmRelease.spec.install.remediatio'),
      (e: unknown) =>
        e instanceof FieldNotFoundError &&
        e.nearestPath === 'HelmRelease.spec.install' &&
        e.children.includes('remediation') &&
        /remediatio/.test(e.message),
    );
    assert.throws(() => explainField('NoSuchKind.spec'), /unknown Flux kind 'NoSuchKind'/);
  });

  it('tells field paths from diagnosis codes', () => {
    assert.equal(looksLikeField('HelmRelease.spec.chart'), true);
    assert.equal(looksLikeField('Kustomization'), true);
    assert.equal(looksLikeField('source.auth'), false);
    assert.equal(looksLikeField('Deployment.spec'), false);
  });
});

describe('searchDocs', () => {
  const cases: [string, RegExp][] = [
    ['GitRepository authentication', /GitRepository authentication/i],
    ['branch does not exist', /branch/i],
    ['HelmRelease chart not found', /chart.not.found/i],
    ['chart values invalid', /values.invalid/i],
    ['Kustomization source not ready', /source.not.ready/i],
    ['RBAC permission forbidden', /RBAC/i],
    ['image policy no match', /polic(y|ies).*(match|no tag)|no tag.*policy/i],
    ['image automation push fails', /push/i],
    ['SOPS decryption', /SOPS|decrypt/i],
    ['receiver webhook token', /receiver/i],
  ];
  for (const [q, want] of cases) {
    it(`finds the right page for "${q}"`, () => {
      const hits = searchDocs(q);
      assert.ok(hits.length > 0);
      assert.match(hits[0]!.title, want, `top: ${hits[0]!.title}`);
      for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1]!.score >= hits[i]!.score);
    });
  }

  it('the workflows are among the results, with their source anchors', () => {
    const hits = searchDocs('GitRepository authentication');
    assert.equal(hits[0]!.source, 'docs/reference/troubleshooting-workflows.md#gitrepository-authentication-failure');
    assert.ok(searchDocs('helm chart not found').some((h) => h.source === 'code:helm.chart-not-found'));
    assert.deepEqual(searchDocs('the of and'), []);
  });
});

describe('CLI: explain FIELD and docs search', () => {
  it('explain HelmRelease.spec.chart prints the field like kubectl explain', async () => {
    const r = await run(['explain', 'HelmRelease.spec.chart']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /KIND: {5}HelmRelease/);
    assert.match(r.out, /FIELD: {4}HelmRelease\.spec\.chart <object>/);
    assert.match(r.out, /FIELDS:\n {2}metadata\t<object>/);
    assert.match(r.out, /spec\t<object> -required-/);
  });

  it('explain keeps diagnosis codes and their unknown-code error', async () => {
    const code = await run(['explain', 'source.auth']);
    assert.equal(code.code, 0);
    assert.match(code.out, /^# source\.auth:/);
    const bad = await run(['explain', 'source.nope']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown code 'source\.nope'/);
    const badField = await run(['explain', 'GitRepository.spec.nope']);
    assert.equal(badField.code, 2);
    assert.match(badField.err, /Fields of GitRepository\.spec: .*secretRef/);
  });

  it('explain -o json returns the structured field', async () => {
    const r = await run(['explain', 'ks.spec.prune', '-o', 'json']);
    assert.equal(r.code, 0, r.err);
    const e = JSON.parse(r.out);
    assert.equal(e.path, 'Kustomization.spec.prune');
    assert.equal(e.type, 'boolean');
  });

  it('docs search prints ranked results; -o json is parseable', async () => {
    const r = await run(['docs', 'search', 'chart', 'not', 'found']);
    assert.equal(r.code, 0, r.err);
    const [head, first] = r.out.split('\n');
    assert.match(head!, /^SCORE\s+TITLE\s+SOURCE$/);
    assert.match(first!, /^\d+\.\d\d\s+.*chart not found/i);
    const j = await run(['docs', 'search', 'RBAC', '-o', 'json', '--limit', '3']);
    const hits = JSON.parse(j.out);
    assert.equal(hits.length, 3);
    assert.match(hits[0].title, /RBAC/);
  });
});

describe('explain from a cluster’s own CRDs', () => {
  it('uses the served schema of the CRDs given, with the pinned conditions', async () => {
    const { apiFromCrds } = await import('../src/kb/crd-schema.js');
    const { fluxApi } = await import('../src/kb/flux-api.js');
    const { explainField } = await import('../src/kb/explain-field.js');
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gitrepositories.source.toolkit.fluxcd.io' },
      spec: {
        group: 'source.toolkit.fluxcd.io',
        names: { kind: 'GitRepository', plural: 'gitrepositories', shortNames: ['gitrepo'] },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                properties: {
                  spec: {
                    type: 'object',
                    required: ['url'],
                    properties: {
                      url: { type: 'string', description: 'The repository URL.' },
                      clusterOnlyField: { type: 'integer', default: 3 },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    };
    const api = apiFromCrds(
      [crd, { spec: { group: 'example.com' } }],
      fluxApi(),
      'the CRDs installed in the cluster (context test)',
    );
    assert.equal(api.kinds.length, 1);
    const e = explainField('gitrepo.spec.clusterOnlyField', api);
    assert.equal(e.type, 'integer');
    assert.equal(e.default, 3);
    assert.match(e.source, /installed in the cluster/);
    assert.ok(api.kinds[0]!.conditions.length > 0, 'conditions come from the pinned data');
    assert.throws(
      () => explainField('GitRepository.spec.clusterOnlyField'),
      /does not exist/,
      'the pinned schema has no such field',
    );
  });
});
