import { rule } from '../../src/rules/source-verification-failed.js';
import { cond, obj, READY, ruleTester, status } from '../helpers.js';

// source-controller marks SourceVerified=False (a bipolar condition) with the reason and message,
// and the summary helper copies the failure to Ready=False.
// biome-ignore lint/suspicious/noExplicitAny: loose test spec
const unverified = (kind: string, name: string, spec: any, reason: string, msg: string, more: any[] = []) =>
  obj(kind, name, {
    spec,
    status: status(['False', reason, msg], [cond('SourceVerified', 'False', reason, msg), ...more]),
  });

const gitSpec = {
  url: 'https://github.com/org/app',
  ref: { branch: 'main' },
  verify: { mode: 'HEAD', secretRef: { name: 'pgp-public-keys' } },
};

ruleTester(rule, {
  valid: [
    {
      name: 'verified GitRepository',
      objects: [
        obj('GitRepository', 'apps', {
          spec: gitSpec,
          status: status(
            ['True', 'Succeeded', 'stored artifact for revision main@sha1:0123456789abcdef'],
            [
              cond(
                'SourceVerified',
                'True',
                'Succeeded',
                "verified signature of\n\t- commit '0123456789abcdef' with key 'ABCDEF'",
              ),
            ],
          ),
        }),
      ],
    },
    {
      name: 'verification Secret missing is source.secret-missing',
      source: 'fluxcd/source-controller internal/controller/gitrepository_controller_test.go',
      objects: [
        unverified(
          'GitRepository',
          'apps',
          gitSpec,
          'VerificationError',
          'public keys secret error: secrets "pgp-public-keys" not found',
        ),
      ],
    },
    {
      name: 'OCIRepository failing to pull (no verification involved)',
      source: 'https://github.com/fluxcd/flux2/issues/5329',
      objects: [
        obj('OCIRepository', 'podinfo', {
          spec: {
            url: 'oci://ghcr.io/stefanprodan/charts/podinfo',
            ref: { tag: '6.0.0' },
            verify: { provider: 'cosign' },
          },
          status: status(
            [
              'False',
              'OCIPullFailed',
              'failed to determine artifact digest: GET https://ghcr.io/v2/stefanprodan/charts/podinfo/manifests/6.0.0: MANIFEST_UNKNOWN: manifest unknown',
            ],
            [cond('SourceVerified', 'True', 'Succeeded', 'verified signature of revision 6.1.0@sha256:abc')],
          ),
        }),
      ],
    },
    {
      name: 'healthy HelmChart',
      objects: [
        obj('HelmChart', 'apps-web', { spec: { chart: 'web', verify: { provider: 'cosign' } }, status: READY() }),
      ],
    },
  ],
  invalid: [
    {
      name: 'Git commit not signed by a trusted key',
      source:
        'fluxcd/source-controller internal/controller/gitrepository_controller_test.go: SourceVerified=False InvalidCommitSignature "signature verification of commit \'shasum\' failed: unable to verify Git commit: unable to verify payload with any of the given key rings"',
      objects: [
        unverified(
          'GitRepository',
          'apps',
          gitSpec,
          'InvalidCommitSignature',
          "signature verification of commit '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c' failed: unable to verify Git commit: unable to verify payload with any of the given key rings",
        ),
      ],
      expect: [
        {
          cause: 'keys',
          data: { secret: 'Secret flux-system/pgp-public-keys' },
          summary:
            'GitRepository flux-system/apps: OpenPGP/SSH (mode HEAD) signature verification of commit 0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c failed against the keys in Secret flux-system/pgp-public-keys',
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'pgp-public-keys' },
          remediation: [
            /git verify-commit 0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c/,
            /flux reconcile source git apps -n flux-system/,
          ],
        },
      ],
    },
    {
      name: 'OCIRepository cosign keyless: no matching signatures',
      source:
        "fluxcd/source-controller internal/controller/ocirepository_controller.go reconcileSource (\"failed to verify the signature using provider '%s': %w\", VerificationError, 'cosign keyless' when no secretRef) and verifySignature (\"no matching signatures were found for '%s'\")",
      objects: [
        unverified(
          'OCIRepository',
          'podinfo',
          {
            url: 'oci://ghcr.io/stefanprodan/manifests/podinfo',
            ref: { semver: '6.x' },
            verify: { provider: 'cosign' },
          },
          'VerificationError',
          "failed to verify the signature using provider 'cosign keyless': no matching signatures were found for 'ghcr.io/stefanprodan/manifests/podinfo@sha256:6f1dbf4e6d2c8d7d2f7c1d0e6b3a5c4d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b'",
        ),
      ],
      expect: [
        {
          cause: 'keyless',
          summary:
            'OCIRepository flux-system/podinfo: cosign signature verification of oci://ghcr.io/stefanprodan/manifests/podinfo failed (keyless: check matchOIDCIdentity)',
          remediation: [/cosign verify ghcr\.io\/stefanprodan\/manifests\/podinfo/, /matchOIDCIdentity/],
        },
      ],
    },
    {
      name: 'HelmChart from an OCI repository without signatures (BuildFailed ChartVerificationError)',
      source:
        'fluxcd/source-controller internal/controller/helmchart_controller_test.go: BuildFailed ChartVerificationError / SourceVerified=False VerificationError "chart verification error: failed to verify <url>: no signatures found"',
      objects: [
        obj('HelmChart', 'apps-podinfo', {
          spec: {
            chart: 'podinfo',
            version: '6.5.0',
            sourceRef: { kind: 'HelmRepository', name: 'podinfo' },
            verify: { provider: 'cosign' },
          },
          status: status(
            [
              'False',
              'ChartVerificationError',
              'chart verification error: failed to verify oci://ghcr.io/stefanprodan/charts/podinfo:6.5.0: no signatures found',
            ],
            [
              cond(
                'BuildFailed',
                'True',
                'ChartVerificationError',
                'chart verification error: failed to verify oci://ghcr.io/stefanprodan/charts/podinfo:6.5.0: no signatures found',
              ),
              cond(
                'SourceVerified',
                'False',
                'VerificationError',
                'chart verification error: failed to verify oci://ghcr.io/stefanprodan/charts/podinfo:6.5.0: no signatures found',
              ),
            ],
          ),
        }),
      ],
      expect: [
        {
          object: 'HelmChart/flux-system/apps-podinfo',
          cause: 'keyless',
          summary:
            'HelmChart flux-system/apps-podinfo: cosign signature verification of chart podinfo failed (keyless: check matchOIDCIdentity)',
          evidence: [/no signatures found/],
        },
      ],
    },
    {
      name: 'source v1beta1 (source-controller v0.16): "PGP signature ... can\'t be verified"',
      source:
        "source-controller@v0.16.0 controllers/gitrepository_controller.go \"PGP signature '%s' of '%s' can't be verified\"",
      objects: [
        {
          ...obj('GitRepository', 'apps', {
            spec: gitSpec,
            status: status([
              'False',
              'VerificationFailed',
              "PGP signature 'AB12CD34EF56' of 'Jane Doe <jane@example.com>' can't be verified",
            ]),
          }),
          apiVersion: 'source.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [
        {
          cause: 'keys',
          summary:
            'GitRepository flux-system/apps: OpenPGP/SSH (mode HEAD) signature verification of https://github.com/org/app failed against the keys in Secret flux-system/pgp-public-keys',
          remediation: [/add that public key to Secret flux-system\/pgp-public-keys/],
        },
      ],
    },
    {
      name: 'a message in a wording not collected: SourceVerified=False still tells it',
      source:
        'source-controller@v1.9.3 internal/controller/ocirepository_controller.go MarkFalse(SourceVerifiedCondition, VerificationError, …)',
      objects: [
        unverified(
          'OCIRepository',
          'app',
          { url: 'oci://ghcr.io/org/app', verify: { provider: 'notation', secretRef: { name: 'notation-config' } } },
          'VerificationError',
          'verification failed: ***',
        ),
      ],
      expect: [
        {
          cause: 'keys',
          summary:
            'OCIRepository flux-system/app: notation signature verification of oci://ghcr.io/org/app failed against the keys in Secret flux-system/notation-config',
          remediation: [/notation verify ghcr\.io\/org\/app/],
        },
      ],
    },
  ],
});
