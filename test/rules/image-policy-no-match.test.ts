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
          summary:
            /ImagePolicy flux-system\/app: no tag of ImageRepository flux-system\/app \(it has 3 tags, latest: main-1a2b3c4, v2\.0\.0-rc\.1, v1\.9\.0\) matches semver range ">=3\.0\.0"/,
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
          summary:
            /matches numerical asc with filterTags pattern "\^release-\(\?P<ts>\[0-9\]\+\)\$" extract "\$ts" \(the filter leaves no tag\)/,
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
      expect: [{ summary: /has an invalid policy .*invalid regular expression pattern/ }],
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
          summary: /waits for ImageRepository flux-system\/app \(it is failed: ReadOperationFailed\)/,
          fixTarget: { kind: 'ImageRepository', namespace: 'flux-system', name: 'app' },
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
