import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rule } from '../../src/rules/flux-crd-missing.js';
import { cond, diagnoseDocs, findingKeys, idOf, obj, READY, ruleTester } from '../helpers.js';

const established = cond('Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted');

function crd(plural: string, group: string, kind: string, versions: [string, boolean][], conditions = [established]) {
  return obj('CustomResourceDefinition', `${plural}.${group}`, {
    spec: {
      group,
      names: { kind, plural },
      scope: 'Namespaced',
      versions: versions.map(([name, served], i) => ({ name, served, storage: i === 0 })),
    },
    status: { conditions },
  });
}

const SRC = 'source.toolkit.fluxcd.io';
const KS = 'kustomize.toolkit.fluxcd.io';
const gitCrd = crd('gitrepositories', SRC, 'GitRepository', [
  ['v1', true],
  ['v1beta2', true],
]);
const ksCrd = crd('kustomizations', KS, 'Kustomization', [['v1', true]]);
const hrCrd = crd('helmreleases', 'helm.toolkit.fluxcd.io', 'HelmRelease', [['v2', true]]);

ruleTester(rule, {
  valid: [
    {
      name: 'CRDs established and serving the versions in use',
      objects: [
        gitCrd,
        ksCrd,
        obj('GitRepository', 'flux-system', { status: READY() }),
        obj('Kustomization', 'apps', {
          spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
          status: READY(),
        }),
      ],
    },
    {
      name: 'a non-Flux CRD that is not established is not ours',
      objects: [
        crd(
          'certificates',
          'cert-manager.io',
          'Certificate',
          [['v1', true]],
          [cond('Established', 'False', 'NotAccepted', 'not all names are accepted')],
        ),
      ],
    },
    {
      name: 'referenced kind has no CRD, but only unrelated CRDs were read (Flux CRDs not in the snapshot)',
      objects: [
        crd('certificates', 'cert-manager.io', 'Certificate', [['v1', true]]),
        obj('Kustomization', 'apps', {
          spec: { sourceRef: { kind: 'OCIRepository', name: 'manifests' } },
          status: READY(),
        }),
      ],
    },
    {
      name: 'referenced kind has no CRD object but objects of that kind exist (the CRD is there)',
      objects: [
        ksCrd,
        obj('OCIRepository', 'manifests', { status: READY() }),
        obj('Kustomization', 'apps', {
          spec: { sourceRef: { kind: 'OCIRepository', name: 'manifests' } },
          status: READY(),
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'CRD not established: names conflict',
      // kubernetes apiextensions-apiserver pkg/controller/status/naming_controller.go:
      // Established=False, Reason "NotAccepted", Message "not all names are accepted".
      source: 'kubernetes/apiextensions-apiserver pkg/controller/status/naming_controller.go',
      objects: [
        crd(
          'gitrepositories',
          SRC,
          'GitRepository',
          [['v1', true]],
          [
            cond('NamesAccepted', 'False', 'NotAccepted', 'not all names are accepted'),
            cond('Established', 'False', 'NotAccepted', 'not all names are accepted'),
          ],
        ),
      ],
      expect: [
        {
          object: 'CustomResourceDefinition/gitrepositories.source.toolkit.fluxcd.io',
          summary: /it is not established \(Established=False, NotAccepted\)/,
          fixTarget: { kind: 'CustomResourceDefinition', name: 'gitrepositories.source.toolkit.fluxcd.io' },
          evidence: [/Established=False \(NotAccepted\): not all names are accepted/],
          remediation: [/flux install/],
        },
      ],
    },
    {
      name: 'objects written in v1beta1, which the upgraded CRD no longer serves',
      objects: [
        ksCrd,
        { ...obj('Kustomization', 'apps', { status: READY() }), apiVersion: `${KS}/v1beta1` },
        { ...obj('Kustomization', 'infra', { status: READY() }), apiVersion: `${KS}/v1beta1` },
      ],
      expect: [
        {
          object: 'CustomResourceDefinition/kustomizations.kustomize.toolkit.fluxcd.io',
          summary:
            /does not serve kustomize.toolkit.fluxcd.io\/v1beta1, which Kustomization flux-system\/apps and Kustomization flux-system\/infra use/,
          evidence: [/spec.versions: v1 \(served: true\); objects use kustomize.toolkit.fluxcd.io\/v1beta1/],
          remediation: [/flux migrate/],
        },
      ],
    },
    {
      name: 'Kustomization and HelmRelease reference OCIRepository, whose CRD is not installed: one finding',
      objects: [
        ksCrd,
        hrCrd,
        gitCrd,
        obj('Kustomization', 'apps', {
          spec: { sourceRef: { kind: 'OCIRepository', name: 'manifests' } },
          status: READY(),
        }),
        obj('HelmRelease', 'apps/web', { spec: { chartRef: { kind: 'OCIRepository', name: 'web' } }, status: READY() }),
      ],
      expect: [
        {
          object: 'Kustomization/flux-system/apps',
          reportAt: 'HelmRelease/apps/web',
          summary:
            /CustomResourceDefinition ocirepositories.source.toolkit.fluxcd.io is not installed, so OCIRepository objects cannot exist; HelmRelease apps\/web and Kustomization flux-system\/apps reference a OCIRepository and cannot be reconciled/,
          fixTarget: { kind: 'CustomResourceDefinition', name: 'ocirepositories.source.toolkit.fluxcd.io' },
          evidence: [/spec.sourceRef of Kustomization\/flux-system\/apps names OCIRepository\/flux-system\/manifests/],
          remediation: [
            /^Upgrade or reinstall Flux/,
            /^flux install$/,
            /^kubectl get crd ocirepositories.source.toolkit.fluxcd.io$/,
          ],
        },
        { object: 'HelmRelease/apps/web', evidence: [/spec.chartRef of HelmRelease\/apps\/web/] },
      ],
    },
    {
      name: 'ImagePolicy without the image CRDs: install the optional component',
      objects: [
        crd('imagepolicies', 'image.toolkit.fluxcd.io', 'ImagePolicy', [['v1', true]]),
        obj('ImagePolicy', 'podinfo', { spec: { imageRepositoryRef: { name: 'podinfo' } } }),
      ],
      expect: [
        {
          summary: /imagerepositories.image.toolkit.fluxcd.io is not installed.*\(spec.imageRepositoryRef: podinfo\)/,
          remediation: [/flux install --components-extra=image-reflector-controller/],
        },
      ],
    },
  ],
});

it('engine: a missing CRD wins over flux.reference-missing on the same object', () => {
  const r = diagnoseDocs([
    ksCrd,
    gitCrd,
    obj('Kustomization', 'apps', {
      spec: { sourceRef: { kind: 'OCIRepository', name: 'manifests' } },
      status: READY(),
    }),
  ]);
  const keys = findingKeys(r);
  assert.ok(keys.includes('error flux.crd-missing Kustomization/flux-system/apps'), keys.join('\n'));
  assert.ok(!r.findings.some((f) => f.code === 'flux.reference-missing'), keys.join('\n'));
  assert.equal(idOf(r.findings[0]!.rootCause), 'Kustomization/flux-system/apps');
});
