// The one target parser (src/core/target.ts): every accepted form, every refusal, and the
// defence-in-depth check of the writer's request path. Issue 8: `Kustomization/flux-system/apps`
// was split on the first '/' and suspended flux-system/flux-system.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  invalidName,
  invalidNamespace,
  nearestKinds,
  parseTarget,
  parseTargetWords,
  pickNamespace,
  TargetError,
} from '../src/core/target.js';
import { Graph } from '../src/graph/graph.js';
import { KINDS } from '../src/kinds/table.js';
import { assertObjectPath, FluxWriter } from '../src/live/write.js';
import type { ApiClient } from '../src/read/live.js';
import { kubectlName } from '../src/render/views.js';
import { resolveTarget, ViewError } from '../src/views/common.js';
import { obj, READY, snapshotOf } from './helpers.js';

const simple = (spec: string, opts = {}) => {
  const t = parseTarget(spec, opts);
  return { kind: t.kind.kind, namespace: t.namespace, name: t.name, explicit: t.namespaceExplicit };
};

describe('parseTarget: accepted forms', () => {
  it('KIND/NAMESPACE/NAME takes the namespace from the middle segment', () => {
    assert.deepEqual(simple('Kustomization/flux-system/apps'), {
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'apps',
      explicit: true,
    });
    assert.deepEqual(simple('hr/flux-system/redis'), {
      kind: 'HelmRelease',
      namespace: 'flux-system',
      name: 'redis',
      explicit: true,
    });
  });

  it('KIND/NAME takes -n, else the default namespace, else none (looked up in every namespace)', () => {
    assert.deepEqual(simple('ks/apps', { namespace: 'team-a' }), {
      kind: 'Kustomization',
      namespace: 'team-a',
      name: 'apps',
      explicit: true,
    });
    assert.deepEqual(simple('ks/apps', { defaultNamespace: 'default' }), {
      kind: 'Kustomization',
      namespace: 'default',
      name: 'apps',
      explicit: false,
    });
    assert.deepEqual(simple('ks/apps'), { kind: 'Kustomization', namespace: undefined, name: 'apps', explicit: false });
    assert.throws(() => parseTarget('ks/apps', { allowAllNamespaces: false }), /give its namespace/);
  });

  it('KIND/NS/NAME with an -n that agrees is accepted', () => {
    assert.equal(parseTarget('ks/flux-system/apps', { namespace: 'flux-system' }).namespace, 'flux-system');
  });

  it('short names, plurals, any case, and kind.group', () => {
    const cases: [string, string][] = [
      ['ks/x', 'Kustomization'],
      ['KS/x', 'Kustomization'],
      ['kustomizations/x', 'Kustomization'],
      ['KUSTOMIZATION/x', 'Kustomization'],
      ['kustomizations.kustomize.toolkit.fluxcd.io/x', 'Kustomization'],
      ['kustomization.v1.kustomize.toolkit.fluxcd.io/x', 'Kustomization'],
      ['hr/x', 'HelmRelease'],
      ['helmreleases/x', 'HelmRelease'],
      ['gitrepo/x', 'GitRepository'],
      ['GitRepositories/x', 'GitRepository'],
      ['ocirepo/x', 'OCIRepository'],
      ['helmrepo/x', 'HelmRepository'],
      ['hc/x', 'HelmChart'],
      ['deploy/x', 'Deployment'],
      ['deployments.apps/x', 'Deployment'],
      ['cm/x', 'ConfigMap'],
      ['po/x', 'Pod'],
    ];
    for (const [spec, kind] of cases) assert.equal(parseTarget(spec).kind.kind, kind, spec);
  });

  it('cluster-scoped kinds have no namespace; -n is ignored for them', () => {
    assert.deepEqual(simple('ns/flux-system', { namespace: 'apps' }), {
      kind: 'Namespace',
      namespace: undefined,
      name: 'flux-system',
      explicit: false,
    });
    assert.throws(() => parseTarget('ns/a/b'), /cluster-scoped/);
  });

  it('dotted and long valid names are accepted', () => {
    assert.equal(parseTarget('cm/kube-root-ca.crt').name, 'kube-root-ca.crt');
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    assert.equal(long.length, 253);
    assert.equal(parseTarget(`ks/${long}`).name, long);
    assert.equal(parseTarget(`ks/${'n'.repeat(63)}/x`).namespace, 'n'.repeat(63));
  });

  it('KIND NAME as two words (kubectl), also KIND NAMESPACE/NAME', () => {
    assert.equal(parseTargetWords(['hr', 'podinfo'], { namespace: 'apps' }).namespace, 'apps');
    const t = parseTargetWords(['ks', 'flux-system/apps']);
    assert.deepEqual([t.kind.kind, t.namespace, t.name], ['Kustomization', 'flux-system', 'apps']);
    assert.throws(() => parseTargetWords(['ks/a', 'b']), TargetError);
    assert.throws(() => parseTargetWords(['ks', 'a', 'b']), TargetError);
    assert.throws(() => parseTargetWords([]), TargetError);
  });
});

describe('parseTarget: the kubectl -o name form (kind.group/name)', () => {
  it('accepts what `get -o name` prints, for every kind', () => {
    assert.equal(kubectlName('HelmRelease', 'podinfo'), 'helmrelease.helm.toolkit.fluxcd.io/podinfo');
    assert.deepEqual(simple('helmrelease.helm.toolkit.fluxcd.io/podinfo'), {
      kind: 'HelmRelease',
      namespace: undefined,
      name: 'podinfo',
      explicit: false,
    });
    assert.deepEqual(simple('kustomization.kustomize.toolkit.fluxcd.io/apps', { namespace: 'team-a' }), {
      kind: 'Kustomization',
      namespace: 'team-a',
      name: 'apps',
      explicit: true,
    });
    assert.deepEqual(simple('kustomization.kustomize.toolkit.fluxcd.io/flux-system/apps'), {
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'apps',
      explicit: true,
    });
    for (const k of KINDS) {
      const spec = kubectlName(k.kind, 'my-app.v2');
      assert.match(spec, k.group ? /^[a-z0-9]+\.[a-z0-9.-]+\/my-app\.v2$/ : /^[a-z0-9]+\/my-app\.v2$/, spec);
      const t = parseTarget(spec);
      assert.equal(t.kind.kind, k.kind, spec);
      assert.equal(t.name, 'my-app.v2', spec);
    }
  });

  it("refuses a kind with another kind's group", () => {
    assert.throws(() => parseTarget('helmrelease.source.toolkit.fluxcd.io/podinfo'), TargetError);
    assert.throws(() => parseTarget('gitrepository.helm.toolkit.fluxcd.io/x'), TargetError);
  });
});

describe('parseTarget: refusals', () => {
  const refused: [string, RegExp, object?][] = [
    ['', /empty/],
    ['apps', /no KIND\/ part/],
    ['ks/', /empty segment/],
    ['/apps', /empty segment/],
    ['ks//apps', /empty segment/],
    ['ks/a/b/c', /4 segments/],
    ['ks/flux-system/apps/extra/more', /5 segments/],
    ['ks/.', /not a valid object name/],
    ['ks/..', /not a valid object name/],
    ['ks/flux-system/..', /not a valid object name/],
    ['ks/../apps', /not a valid namespace/],
    ['ks/./apps', /not a valid namespace/],
    ['ks/Apps', /not a valid object name/],
    ['ks/FLUX-SYSTEM/apps', /not a valid namespace/],
    ['ks/my app', /not a valid object name/],
    ['ks/apps ', /not a valid object name/],
    [' ks/apps', /is not a kind/],
    ['ks/apps\n', /not a valid object name/],
    ['ks/ápps', /not a valid object name/],
    ['ks/apps\u202e', /not a valid object name/],
    ['ks/ap\u200bps', /not a valid object name/],
    ['ks/-apps', /not a valid object name/],
    ['ks/apps-', /not a valid object name/],
    ['ks/a..b', /not a valid object name/],
    ['ks/.apps', /not a valid object name/],
    ['ks/a_b', /not a valid object name/],
    ['ks/a%2Fb', /not a valid object name/],
    ['ks/a?x=1', /not a valid object name/],
    ['ks/a#b', /not a valid object name/],
    ['ks/a:b', /not a valid object name/],
    ['ks/a\\b', /not a valid object name/],
    [`ks/${'a'.repeat(254)}`, /longer than 253/],
    [`ks/${'n'.repeat(64)}/x`, /longer than 63/],
    ['ks/flux.system/apps', /not a valid namespace/],
    ['ks/flux-system/apps', /names namespace flux-system but -n \(namespace\) is apps/, { namespace: 'apps' }],
    ['ks/apps', /invalid namespace "\.\."/, { namespace: '..' }],
    ['ks/apps', /invalid namespace/, { namespace: 'Team A' }],
    ['kustomizatoin/apps', /unknown kind "kustomizatoin".*nearest known kinds: Kustomization/],
    ['helmrelase/apps', /nearest known kinds: HelmRelease/],
    ['kustomizations.helm.toolkit.fluxcd.io/x', /unknown kind/],
    ['k$/apps', /is not a kind/],
    ['deploy/web', /'Deployment' is not a Flux kind/, { fluxOnly: true }],
  ];
  for (const [spec, re, opts] of refused) {
    it(`refuses ${JSON.stringify(spec).slice(0, 60)}${opts ? ` with ${JSON.stringify(opts)}` : ''}`, () => {
      assert.throws(
        () => parseTarget(spec, opts),
        (e: unknown) => e instanceof TargetError && re.test(e.message),
      );
    });
  }

  it('shape errors show the accepted forms; echoed input carries no control characters', () => {
    const e = (() => {
      try {
        parseTarget('ks/a/b/c\u001b]52;c;ZWNobyBoaQ==\u0007');
      } catch (x) {
        return x as Error;
      }
    })();
    assert.ok(e instanceof TargetError);
    assert.match(e.message, /KIND\/NAME \(with -n NAMESPACE\) or KIND\/NAMESPACE\/NAME/);
    assert.doesNotMatch(e.message, /[\u0000-\u001f\u007f]/);
  });

  it('nearestKinds names the closest kinds', () => {
    assert.equal(nearestKinds('gitrepostory')[0], 'GitRepository');
    assert.equal(nearestKinds('ocirepo')[0], 'OCIRepository');
  });

  it('property: whatever the input, a target is refused or is exactly valid Kubernetes names', () => {
    const seg = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('.', '..', 'apps', 'flux-system', 'ks', 'hr', 'Kustomization', '%2e', 'a.b', '-', ''),
      fc.stringMatching(/^[a-z0-9.-]{0,10}$/),
    );
    fc.assert(
      fc.property(fc.array(seg, { minLength: 0, maxLength: 5 }), fc.option(seg, { nil: undefined }), (segs, ns) => {
        const spec = segs.join('/');
        let t: ReturnType<typeof parseTarget>;
        try {
          t = parseTarget(spec, { namespace: ns });
        } catch (e) {
          assert.ok(e instanceof TargetError, String(e));
          return;
        }
        assert.ok(segs.length === 2 || segs.length === 3);
        assert.equal(invalidName(t.name), undefined);
        assert.equal(t.name, segs[segs.length - 1]);
        if (t.namespace !== undefined) assert.equal(invalidNamespace(t.namespace), undefined);
        if (segs.length === 3) assert.equal(t.namespace, segs[1]);
        else if (t.kind.namespaced) assert.equal(t.namespace, ns);
      }),
      { seed: 8, numRuns: 2000 },
    );
  });
});

describe('pickNamespace and resolveTarget: lookup without a namespace', () => {
  const t = parseTarget('hr/redis');
  it('one match is taken, several name the namespaces, none says so', () => {
    assert.deepEqual(pickNamespace(t, ['apps'], 'hr/redis'), { kind: 'HelmRelease', namespace: 'apps', name: 'redis' });
    assert.throws(() => pickNamespace(t, ['b', 'a'], 'hr/redis'), /several namespaces \(a, b\).*-n NAMESPACE/);
    assert.throws(
      () => pickNamespace(t, [], 'hr/redis'),
      /^Error: no HelmRelease named redis$|no HelmRelease named redis/,
    );
  });

  const graph = new Graph(
    snapshotOf([
      obj('Kustomization', 'flux-system/flux-system', { status: READY() }),
      obj('Kustomization', 'flux-system/apps', { status: READY() }),
      obj('Kustomization', 'team-a/apps', { status: READY() }),
      obj('HelmRelease', 'apps/redis', { status: READY() }),
    ]),
  );

  it('Kustomization/flux-system/apps is flux-system/apps, never flux-system/flux-system', () => {
    assert.deepEqual(resolveTarget(graph, ['Kustomization/flux-system/apps']), {
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'apps',
    });
    assert.deepEqual(resolveTarget(graph, 'ks/apps', 'team-a'), {
      kind: 'Kustomization',
      namespace: 'team-a',
      name: 'apps',
    });
  });

  it('hr/redis finds apps/redis; ks/apps is ambiguous; hr/nope does not invent flux-system', () => {
    assert.deepEqual(resolveTarget(graph, ['hr/redis']), { kind: 'HelmRelease', namespace: 'apps', name: 'redis' });
    assert.throws(() => resolveTarget(graph, ['ks/apps']), /several namespaces \(flux-system, team-a\)/);
    assert.throws(
      () => resolveTarget(graph, ['hr/nope']),
      (e: unknown) =>
        e instanceof ViewError && /no HelmRelease named nope/.test(e.message) && !/flux-system/.test(e.message),
    );
    assert.throws(() => resolveTarget(graph, ['ks/..']), ViewError);
  });
});

describe('FluxWriter: the request path names exactly the object', () => {
  // An ApiClient stand-in: discovery only; records every other request and fails it.
  const fake = () => {
    const sent: string[] = [];
    const api = {
      json: async (method: string, path: string) => {
        if (path.startsWith('/apis/') && path.split('/').length === 3)
          return { versions: [{ version: 'v1' }], preferredVersion: { version: 'v1' } };
        sent.push(`${method} ${path}`);
        if (method === 'GET' && path.includes('fieldSelector'))
          return {
            items: [
              { metadata: { namespace: 'flux-system', name: 'apps' } },
              { metadata: { namespace: 'flux-system', name: 'flux-system' } },
            ],
          };
        return { metadata: { namespace: 'flux-system', name: 'apps' } };
      },
    } as unknown as ApiClient;
    return { writer: new FluxWriter(api), sent };
  };

  it('suspend Kustomization/flux-system/apps patches …/namespaces/flux-system/kustomizations/apps', async () => {
    const { writer, sent } = fake();
    const t = parseTarget('Kustomization/flux-system/apps', { fluxOnly: true });
    const ref = await writer.resolve(t, 'Kustomization/flux-system/apps');
    await writer.patch(ref, { spec: { suspend: true } });
    assert.deepEqual(sent, ['PATCH /apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps']);
  });

  it('a name-only target is looked up by fieldSelector and matched by exact name', async () => {
    const { writer, sent } = fake();
    const ref = await writer.resolve(parseTarget('ks/apps'), 'ks/apps');
    assert.deepEqual(ref, { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' });
    assert.deepEqual(sent, [
      'GET /apis/kustomize.toolkit.fluxcd.io/v1/kustomizations?fieldSelector=metadata.name%3Dapps',
    ]);
    await assert.rejects(writer.resolve(parseTarget('ks/nope'), 'ks/nope'), /no Kustomization named nope/);
  });

  it('refuses names and namespaces that are not Kubernetes names, before sending anything', async () => {
    const { writer, sent } = fake();
    for (const ref of [
      { kind: 'Kustomization', namespace: 'flux-system', name: '..' },
      { kind: 'Kustomization', namespace: 'flux-system', name: '.' },
      { kind: 'Kustomization', namespace: '..', name: 'apps' },
      { kind: 'Kustomization', namespace: 'flux-system', name: 'a/b' },
      { kind: 'Kustomization', namespace: 'flux-system', name: '%2e%2e' },
      { kind: 'Kustomization', name: 'apps' },
    ])
      await assert.rejects(
        writer.patch(ref, { spec: { suspend: true } }),
        /refusing|no namespace/,
        JSON.stringify(ref),
      );
    assert.deepEqual(sent, []);
  });

  it('assertObjectPath refuses a path that does not end in exactly the object', () => {
    const ref = { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' };
    const good = '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps';
    assertObjectPath(good, ref);
    for (const bad of [
      '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/flux-system',
      '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps/..',
      '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/x/../apps',
      '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/team-a/kustomizations/apps',
      '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/helmreleases/apps',
      '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps?dryRun=All',
      '/namespaces/flux-system/kustomizations/apps',
    ])
      assert.throws(() => assertObjectPath(bad, ref), /refusing to write/, bad);
  });
});
