import { rule } from '../../src/rules/source-ref-not-found.js';
import { cond, obj, READY, ruleTester, status } from '../helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: loose test spec
const failing = (kind: string, name: string, spec: any, reason: string, msg: string) =>
  obj(kind, name, { spec, status: status(['False', reason, msg], [cond('FetchFailed', 'True', reason, msg)]) });

ruleTester(rule, {
  valid: [
    {
      name: 'healthy GitRepository on a tag',
      objects: [
        obj('GitRepository', 'apps', {
          spec: { url: 'https://github.com/org/app', ref: { tag: 'v1.2.3' } },
          status: READY('stored artifact for revision v1.2.3@sha1:0123456789abcdef'),
        }),
      ],
    },
    {
      name: 'repository not found is an access problem (source.auth)',
      source: 'https://github.com/fluxcd/flux2/issues/1426; fluxcd/pkg git/git.go ErrRepositoryNotFound',
      objects: [
        failing(
          'GitRepository',
          'apps',
          { url: 'https://gitlab.com/org/app', ref: { branch: 'main' }, secretRef: { name: 'token' } },
          'GitOperationFailed',
          "failed to checkout and determine revision: unable to clone: repository not found: git repository: 'https://gitlab.com/org/app'",
        ),
      ],
    },
    {
      name: 'OCI tag listing refused (auth), not a missing tag',
      source:
        'fluxcd/source-controller ocirepository_controller.go getTagBySemver (remote.List error wrapped as "failed to determine the artifact tag for \'%s\': %w"); go-containerregistry error form as in https://github.com/rancher/fleet/issues/1760',
      objects: [
        failing(
          'OCIRepository',
          'podinfo',
          { url: 'oci://ghcr.io/org/podinfo', ref: { semver: '>=6.0.0' } },
          'ReadOperationFailed',
          "failed to determine the artifact tag for 'oci://ghcr.io/org/podinfo': GET https://ghcr.io/v2/org/podinfo/tags/list?n=1000: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:org/podinfo Type:repository]]",
        ),
      ],
    },
    {
      name: 'progressing GitRepository with a stale ref-not-found FetchFailed',
      source: 'https://github.com/controlplaneio-fluxcd/flux-operator/issues/284',
      objects: [
        obj('GitRepository', 'flux-system', {
          spec: { url: 'ssh://git@github.com/my-repo', ref: { branch: 'custom-branch' } },
          status: status(
            ['Unknown', 'Progressing', 'building artifact'],
            [
              cond(
                'FetchFailed',
                'True',
                'GitOperationFailed',
                "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/my-repo': couldn't find remote ref \"refs/heads/master\"",
              ),
            ],
          ),
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'GitRepository without spec.ref: default branch master does not exist',
      source: 'https://github.com/controlplaneio-fluxcd/flux-operator/issues/284',
      objects: [
        failing(
          'GitRepository',
          'flux-system',
          { url: 'ssh://git@github.com/my-repo', ref: {} },
          'GitOperationFailed',
          "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/my-repo': couldn't find remote ref \"refs/heads/master\"",
        ),
      ],
      expect: [
        {
          cause: 'ref-missing',
          data: { what: 'branch', value: 'master', field: 'spec.ref.branch' },
          summary:
            "GitRepository flux-system/flux-system: branch 'master' does not exist at ssh://git@github.com/my-repo",
          fixTarget: { kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' },
          remediation: [/git ls-remote --heads ssh:\/\/git@github\.com\/my-repo/, /spec\.ref\.branch .*not set/],
        },
      ],
    },
    {
      name: 'GitRepository tag does not exist',
      source:
        'fluxcd/pkg git/gogit/clone_test.go ("couldn\'t find remote ref \\"refs/tags/invalid\\""), wrapped by clone.go "unable to clone \'%s\': %w" and source-controller gitCheckout',
      objects: [
        failing(
          'GitRepository',
          'apps',
          { url: 'https://github.com/org/app', ref: { tag: 'v9.9.9' } },
          'GitOperationFailed',
          "failed to checkout and determine revision: unable to clone 'https://github.com/org/app': couldn't find remote ref \"refs/tags/v9.9.9\"",
        ),
      ],
      expect: [
        {
          cause: 'ref-missing',
          data: { what: 'tag', value: 'v9.9.9' },
          summary: "GitRepository flux-system/apps: tag 'v9.9.9' does not exist at https://github.com/org/app",
          remediation: [
            /git ls-remote --tags https:\/\/github\.com\/org\/app/,
            /Set spec\.ref\.tag of GitRepository flux-system\/apps/,
          ],
        },
      ],
    },
    {
      name: 'OCIRepository tag not in the registry',
      source: 'https://github.com/fluxcd/flux2/issues/5329',
      objects: [
        failing(
          'OCIRepository',
          'podinfo',
          { url: 'oci://ghcr.io/stefanprodan/charts/podinfo', ref: { tag: '6.0.0' } },
          'OCIPullFailed',
          'failed to determine artifact digest: GET https://ghcr.io/v2/stefanprodan/charts/podinfo/manifests/6.0.0: MANIFEST_UNKNOWN: manifest unknown',
        ),
      ],
      expect: [
        {
          cause: 'ref-missing',
          data: { what: 'tag', value: '6.0.0' },
          summary:
            "OCIRepository flux-system/podinfo: tag '6.0.0' does not exist at oci://ghcr.io/stefanprodan/charts/podinfo",
          remediation: [
            /flux list artifacts oci:\/\/ghcr\.io\/stefanprodan\/charts\/podinfo/,
            /flux reconcile source oci podinfo -n flux-system/,
          ],
        },
      ],
    },
    {
      name: 'OCIRepository semver range matches no tag',
      source:
        'fluxcd/source-controller internal/controller/ocirepository_controller_test.go: "failed to determine the artifact tag for \'oci://%s/podinfo\': no match found for semver: <= 6.1.0" (reason ReadOperationFailed)',
      objects: [
        failing(
          'OCIRepository',
          'podinfo',
          { url: 'oci://ghcr.io/org/podinfo', ref: { semver: '<= 6.1.0' } },
          'ReadOperationFailed',
          "failed to determine the artifact tag for 'oci://ghcr.io/org/podinfo': no match found for semver: <= 6.1.0",
        ),
      ],
      expect: [
        {
          cause: 'semver-no-match',
          data: { value: '<= 6.1.0' },
          summary:
            'OCIRepository flux-system/podinfo: no tag at oci://ghcr.io/org/podinfo satisfies the semver range <= 6.1.0',
        },
      ],
    },
    {
      name: 'source v1beta1, source-controller v0.1: "git clone error: couldn\'t find remote ref"',
      source:
        'https://github.com/fluxcd/flux2/issues/1014 (go-git text); source-controller@v0.1.0 "git clone error: %w"',
      objects: [
        {
          ...failing(
            'GitRepository',
            'flux-system',
            { url: 'ssh://git@github.com/org/fleet', ref: { branch: 'main' } },
            'GitOperationFailed',
            'git clone error: couldn\'t find remote ref "refs/heads/main"',
          ),
          apiVersion: 'source.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [{ cause: 'ref-missing', data: { what: 'branch', value: 'main', field: 'spec.ref.branch' } }],
    },
    {
      name: 'source v1beta2, libgit2 (v0.x): "git commit \'<sha>\' not found"',
      source: 'source-controller@v0.31.0 pkg/git/libgit2/checkout.go "git commit \'%s\' not found: %w"',
      objects: [
        {
          ...failing(
            'GitRepository',
            'apps',
            { url: 'https://github.com/org/app', ref: { commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' } },
            'GitOperationFailed',
            "failed to checkout and determine revision: git commit 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' not found: object not found",
          ),
          apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
        },
      ],
      expect: [
        {
          cause: 'ref-missing',
          data: { what: 'commit', value: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' },
          remediation: [/git ls-remote https:\/\/github\.com\/org\/app/],
        },
      ],
    },
    {
      name: 'OCIRepository whose repository the registry does not know (NAME_UNKNOWN)',
      source:
        'source-controller@v1.9.1 internal/controller/ocirepository_controller.go "failed to pull artifact from \'%s\': %w" with the registry NAME_UNKNOWN',
      objects: [
        failing(
          'OCIRepository',
          'app',
          { url: 'oci://ghcr.io/org/manifests/app', ref: { tag: 'latest' } },
          'OCIPullFailed',
          "failed to pull artifact from 'oci://ghcr.io/org/manifests/app': GET https://ghcr.io/v2/org/manifests/app/manifests/latest: NAME_UNKNOWN: repository name not known to registry",
        ),
      ],
      expect: [
        {
          cause: 'repository-unknown',
          summary:
            'OCIRepository flux-system/app: the registry does not know the repository oci://ghcr.io/org/manifests/app',
          remediation: [/Fix spec\.url of OCIRepository flux-system\/app/],
        },
      ],
    },
  ],
});
