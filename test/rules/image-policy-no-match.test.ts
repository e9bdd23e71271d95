import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose } from '../../src/diagnose/engine.js';
import { rule } from '../../src/rules/image-policy-no-match.js';
import { rule as scanFailed } from '../../src/rules/image-scan-failed.js';
import { cond, graphOf, idOf, obj, READY, ruleTester, status } from '../helpers.js';

// image-reflector-controller:
//   internal/policy/semver.go  SemVer.Latest: "unable to determine latest version from provided list",
//                              "version list argument cannot be empty"
//   internal/controller/imagepolicy_controller.go: conditions.MarkFalse(obj, Ready, metav1.StatusFailure ("Failure"), "%s", err)
//   no tags: MarkFalse(Ready, DependencyNotReady, "retrying in %s error: %w", errNoTagsInDatabase)
//     — exact text asserted in internal/controller/imagepolicy_controller_test.go: "retrying in 30s error: no tags in database"
//   invalid filter: MarkStalled(obj, "InvalidPolicy", ...) "failed to filter tags: invalid regular expression pattern '%s': %w"
//     (internal/policy/filter.go; internal/controller/policy_test.go expects "invalid regular expression pattern")

const repo = (st: unknown) =>
  obj('ImageRepository', 'app', { spec: { image: 'ghcr.io/acme/app', interval: '5m' }, status: st });
const scanned = READY('successful scan: found 3 tags');
(scanned as Record<string, unknown>).lastScanResult = {
  tagCount: 3,
  latestTags: ['main-1a2b3c4', 'v2.0.0-rc.1', 'v1.9.0'],
};

const policy = (st: unknown, spec: Record<string, unknown> = { policy: { semver: { range: '>=3.0.0' } } }) =>
  obj('ImagePolicy', 'app', { spec: { imageRepositoryRef: { name: 'app' }, ...spec }, status: st });

ruleTester(rule, {
  valid: [
    {
      name: 'resolved policy',
      objects: [repo(scanned), policy(READY('Latest image tag for ghcr.io/acme/app resolved to v1.9.0'))],
    },
    {
      name: 'look-alike: access denied to a cross-namespace ImageRepository is not a tag mismatch',
      source:
        'imagepolicy_controller.go getImageRepository: "cannot access \'%s/%s\', cross-namespace references have been blocked"',
      objects: [
        repo(scanned),
        policy(
          status([
            'False',
            'AccessDenied',
            "failed to get the referred ImageRepository: cannot access 'ImageRepository/other/app', cross-namespace references have been blocked",
          ]),
        ),
      ],
    },
    {
      name: 'waits for an ImageRepository that does not exist: flux.reference-missing reports it',
      objects: [
        obj('ImageRepository', 'other', { spec: { image: 'ghcr.io/acme/other' }, status: READY() }),
        policy(status(['False', 'DependencyNotReady', 'retrying in 30s error: no tags in database'])),
      ],
    },
  ],
  invalid: [
    {
      name: 'semver range matches no tag',
      source: 'fluxcd/image-reflector-controller internal/policy/semver.go SemVer.Latest',
      objects: [
        repo(scanned),
        policy(status(['False', 'Failure', 'unable to determine latest version from provided list'])),
      ],
      expect: [
        {
          object: 'ImagePolicy/flux-system/app',
          cause: 'no-tag-matches',
          data: { range: '>=3.0.0' },
          summary:
            'ImagePolicy flux-system/app: no tag of ImageRepository flux-system/app (it has 3 tags, latest: main-1a2b3c4, v2.0.0-rc.1, v1.9.0) matches semver range ">=3.0.0"',
          fixTarget: { kind: 'ImagePolicy', namespace: 'flux-system', name: 'app' },
          evidence: [/unable to determine latest version from provided list/],
          remediation: [
            /Adjust spec\.policy\.semver\.range \(">=3\.0\.0"\)/,
            /flux reconcile image policy app -n flux-system/,
          ],
        },
      ],
    },
    {
      name: 'filterTags leaves no tag (older controller message)',
      source: 'https://github.com/fluxcd/image-reflector-controller/issues/294',
      objects: [
        repo(scanned),
        policy(
          status([
            'False',
            'ReconciliationFailed',
            'Cannot determine latest tag for policy: version list argument cannot be empty',
          ]),
          {
            filterTags: { pattern: '^release-(?P<ts>[0-9]+)$', extract: '$ts' },
            policy: { numerical: { order: 'asc' } },
          },
        ),
      ],
      expect: [
        {
          cause: 'no-tags-left',
          data: { pattern: '^release-(?P<ts>[0-9]+)$', extract: '$ts' },
          summary:
            'ImagePolicy flux-system/app: no tag of ImageRepository flux-system/app (it has 3 tags, latest: main-1a2b3c4, v2.0.0-rc.1, v1.9.0) matches numerical asc with filterTags pattern "^release-(?P<ts>[0-9]+)$" extract "$ts" (the filter leaves no tag)',
          remediation: [/Test the pattern/],
        },
      ],
    },
    {
      name: 'invalid filter regex: Stalled InvalidPolicy',
      source: 'fluxcd/image-reflector-controller internal/policy/filter.go + internal/controller/policy_test.go',
      objects: [
        repo(scanned),
        policy(
          {
            observedGeneration: 1,
            conditions: [
              cond(
                'Ready',
                'False',
                'InvalidPolicy',
                "failed to filter tags: invalid regular expression pattern '^test-(.*': error parsing regexp: missing closing ): `^test-(.*`",
              ),
              cond(
                'Stalled',
                'True',
                'InvalidPolicy',
                "failed to filter tags: invalid regular expression pattern '^test-(.*': error parsing regexp: missing closing ): `^test-(.*`",
              ),
            ],
          },
          { filterTags: { pattern: '^test-(.*', extract: '$1' }, policy: { semver: { range: '>=0.x' } } },
        ),
      ],
      expect: [
        {
          cause: 'invalid-policy',
          summary:
            'ImagePolicy flux-system/app has an invalid policy (semver range ">=0.x" with filterTags pattern "^test-(.*" extract "$1"): failed to filter tags: invalid regular expression pattern \'^test-(.*\': error parsing regexp: missing closing ): `^test-(.*`',
          remediation: [/Fix spec\.policy \/ spec\.filterTags of ImagePolicy flux-system\/app/],
        },
      ],
    },
    {
      name: 'waits for a failing ImageRepository: explained by the imageRepository edge',
      source: 'fluxcd/image-reflector-controller internal/controller/imagepolicy_controller_test.go',
      objects: [
        repo(
          status([
            'False',
            'ReadOperationFailed',
            'scan failed: GET https://ghcr.io/v2/acme/app/tags/list?n=1000: UNAUTHORIZED: authentication required',
          ]),
        ),
        policy(status(['False', 'DependencyNotReady', 'retrying in 30s error: no tags in database'])),
      ],
      expect: [
        {
          cause: 'waiting-for-repository',
          summary:
            'ImagePolicy flux-system/app has no tags to choose from: it waits for ImageRepository flux-system/app (it is failed: ReadOperationFailed)',
          fixTarget: { kind: 'ImageRepository', namespace: 'flux-system', name: 'app' },
        },
      ],
    },
    {
      name: 'v0.1–v0.9 (image v1alpha1): "no image found for policy"',
      source:
        'image-reflector-controller@v0.9.1 controllers/imagepolicy_controller.go msg := "no image found for policy"',
      objects: [
        repo(scanned),
        {
          ...policy(status(['False', 'ReconciliationFailed', 'no image found for policy'])),
          apiVersion: 'image.toolkit.fluxcd.io/v1alpha1',
        },
      ],
      expect: [{ cause: 'no-tag-matches', data: { range: '>=3.0.0' } }],
    },
    {
      name: 'v0.x to v0.35 (image v1beta1): "referenced ImageRepository has not been scanned yet"',
      source:
        'image-reflector-controller@v0.35.0 controllers/imagepolicy_controller.go "referenced ImageRepository has not been scanned yet" (DependencyNotReady)',
      objects: [
        repo(status(['False', 'ReconciliationFailed', 'secrets "regcred" not found'])),
        {
          ...policy(status(['False', 'DependencyNotReady', 'referenced ImageRepository has not been scanned yet'])),
          apiVersion: 'image.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [
        {
          cause: 'waiting-for-repository',
          summary:
            'ImagePolicy flux-system/app has no tags to choose from: it waits for ImageRepository flux-system/app (it is failed: ReconciliationFailed)',
          remediation: [/kubectl describe/, /flux reconcile image repository app -n flux-system/],
        },
      ],
    },
    {
      name: 'a numerical policy over tags that are not numbers',
      source:
        'image-reflector-controller@v1.2.0 internal/policy/numerical.go "failed to parse invalid numeric value \'%s\'"',
      objects: [
        repo(scanned),
        policy(status(['False', 'Failure', "failed to parse invalid numeric value 'main-1a2b3c4'"]), {
          policy: { numerical: { order: 'asc' } },
        }),
      ],
      expect: [
        {
          cause: 'numeric-value-invalid',
          data: { value: 'main-1a2b3c4' },
          summary:
            'ImagePolicy flux-system/app: the numerical policy cannot order the tag value "main-1a2b3c4" of ImageRepository flux-system/app (numerical asc)',
          remediation: [/extract only numbers/],
        },
      ],
    },
    {
      name: 'no filter and an empty version list: the repository gave no tags',
      source: 'image-reflector-controller@v1.2.0 internal/policy/semver.go "version list argument cannot be empty"',
      objects: [
        repo(READY('successful scan: found 0 tags')),
        policy(status(['False', 'Failure', 'version list argument cannot be empty'])),
      ],
      expect: [
        {
          cause: 'no-tags',
          summary:
            'ImagePolicy flux-system/app: ImageRepository flux-system/app gave the policy no tags to choose from (semver range ">=3.0.0")',
        },
      ],
    },
  ],
});

describe('image.policy-no-match in the engine', () => {
  it('hands a policy waiting for a failing ImageRepository to image.scan-failed', () => {
    const graph = graphOf([
      repo(
        status([
          'False',
          'ReadOperationFailed',
          'scan failed: GET https://ghcr.io/v2/acme/app/tags/list?n=1000: NAME_UNKNOWN: repository name not known to registry',
        ]),
      ),
      policy(status(['False', 'DependencyNotReady', 'retrying in 30s error: no tags in database'])),
    ]);
    const report = diagnose(graph, { rules: [rule, scanFailed] });
    assert.deepEqual(
      report.findings.map((f) => [f.code, idOf(f.rootCause), f.affected.map(idOf)]),
      [['image.scan-failed', 'ImageRepository/flux-system/app', ['ImagePolicy/flux-system/app']]],
    );
  });

  it('keeps a no-match finding at the policy even when the repository fails later', () => {
    const graph = graphOf([
      repo(
        status([
          'False',
          'ReadOperationFailed',
          'scan failed: GET https://ghcr.io/v2/acme/app/tags/list?n=1000: TOOMANYREQUESTS: rate limit',
        ]),
      ),
      policy(status(['False', 'Failure', 'unable to determine latest version from provided list'])),
    ]);
    const report = diagnose(graph, { rules: [rule, scanFailed] });
    assert.deepEqual(report.findings.map((f) => [f.code, idOf(f.rootCause)]).sort(), [
      ['image.policy-no-match', 'ImagePolicy/flux-system/app'],
      ['image.scan-failed', 'ImageRepository/flux-system/app'],
    ]);
  });
});
