import { rule } from '../../src/rules/source-secret-missing.js';
import { cond, obj, READY, ruleTester, secret, status } from '../helpers.js';

// source-controller marks FetchFailed=True with the error's reason and message, and the summary
// helper copies them to Ready=False (internal/reconcile/summarize; see the Ready/FetchFailed pairs
// asserted in internal/controller/*_controller_test.go).
// biome-ignore lint/suspicious/noExplicitAny: loose test spec
const failing = (kind: string, name: string, spec: any, reason: string, msg: string, type = 'FetchFailed') =>
  obj(kind, name, {
    spec,
    status: status(
      ['False', reason, msg],
      type === 'Ready' ? [] : [cond(type, type === 'SourceVerified' ? 'False' : 'True', reason, msg)],
    ),
  });

// fluxcd/source-controller internal/controller/gitrepository_controller.go: getSecret returns
// fmt.Errorf("failed to get secret '%s/%s': %w", namespace, name, err) and getAuthOpts wraps it again
// with fmt.Errorf("failed to get secret '%s/%s': %w", ...) under reason AuthenticationFailed.
// internal/controller/gitrepository_controller_test.go asserts the inner form:
// "failed to get secret '/non-existing': secrets \"non-existing\" not found".
const GIT_SECRET_NOT_FOUND =
  "failed to get secret 'flux-system/git-creds': failed to get secret 'flux-system/git-creds': secrets \"git-creds\" not found";

const gitSpec = { url: 'https://github.com/org/app', ref: { branch: 'main' }, secretRef: { name: 'git-creds' } };

ruleTester(rule, {
  valid: [
    {
      name: 'ready GitRepository whose Secret exists',
      objects: [obj('GitRepository', 'apps', { spec: gitSpec, status: READY() }), secret('flux-system/git-creds')],
    },
    {
      name: 'ready GitRepository, Secrets read, referenced Secret absent (not failing: no finding)',
      objects: [obj('GitRepository', 'apps', { spec: gitSpec, status: READY() }), secret('flux-system/other')],
    },
    {
      name: 'failing with rejected credentials while the Secret exists with its keys (source.auth)',
      source: 'https://github.com/fluxcd/source-controller/issues/1275',
      objects: [
        failing(
          'GitRepository',
          'apps',
          gitSpec,
          'GitOperationFailed',
          "failed to checkout and determine revision: unable to clone 'https://github.com/org/app': authentication required",
        ),
        secret('flux-system/git-creds', ['username', 'password']),
      ],
    },
    {
      name: 'progressing GitRepository (Ready=Unknown) with a stale not-found FetchFailed condition',
      objects: [
        obj('GitRepository', 'apps', {
          spec: gitSpec,
          status: status(
            ['Unknown', 'ProgressingWithRetry', 'reconciliation in progress'],
            [cond('FetchFailed', 'True', 'AuthenticationFailed', GIT_SECRET_NOT_FOUND)],
          ),
        }),
      ],
    },
    {
      name: 'failing ImageRepository whose service account is missing (not a Secret)',
      source: 'fluxcd/pkg runtime/secrets/reader.go: "serviceaccount \'%s\' not found"',
      objects: [
        failing(
          'ImageRepository',
          'podinfo',
          { image: 'ghcr.io/org/podinfo', serviceAccountName: 'puller' },
          'AuthenticationFailed',
          "failed to configure authentication options: serviceaccount 'flux-system/puller' not found",
          'Ready',
        ),
      ],
    },
  ],
  invalid: [
    {
      name: 'GitRepository secretRef names a Secret that does not exist',
      source: 'fluxcd/source-controller internal/controller/gitrepository_controller.go getAuthOpts/getSecret',
      objects: [
        failing('GitRepository', 'apps', gitSpec, 'AuthenticationFailed', GIT_SECRET_NOT_FOUND),
        secret('flux-system/unrelated'),
      ],
      expect: [
        {
          object: 'GitRepository/flux-system/apps',
          cause: 'secret-not-found',
          summary:
            'GitRepository flux-system/apps references Secret flux-system/git-creds (spec.secretRef), which does not exist',
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'git-creds' },
          evidence: [/secrets "git-creds" not found/],
          remediation: [
            /flux create secret git git-creds -n flux-system --url=https:\/\/github\.com\/org\/app --username=<username> --password=<token>/,
            /flux reconcile source git apps -n flux-system/,
          ],
        },
      ],
    },
    {
      name: 'Git SSH Secret without known_hosts',
      source:
        'fluxcd/pkg git/options.go Validate: "invalid \'%s\' auth option: \'known_hosts\' is required" (git/options_test.go), wrapped by source-controller getAuthOpts as "failed to configure authentication options: %w"',
      objects: [
        failing(
          'GitRepository',
          'infra',
          { url: 'ssh://git@github.com/org/infra', secretRef: { name: 'ssh-key' } },
          'AuthenticationFailed',
          "failed to configure authentication options: invalid 'ssh' auth option: 'known_hosts' is required",
        ),
        secret('flux-system/ssh-key', ['identity', 'identity.pub']),
      ],
      expect: [
        {
          cause: 'keys-missing',
          data: { keys: 'known_hosts' },
          summary:
            'GitRepository flux-system/infra references Secret flux-system/ssh-key (spec.secretRef), which lacks the key(s) known_hosts (it has: identity, identity.pub)',
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'ssh-key' },
          remediation: [
            /flux create secret git ssh-key -n flux-system --url=ssh:\/\/git@github\.com\/org\/infra --private-key-file/,
          ],
        },
      ],
    },
    {
      name: 'HelmRepository authentication Secret missing (Secrets not read: the message decides)',
      source:
        'fluxcd/source-controller internal/helm/getter/client_opts.go configureAuthentication; asserted in internal/controller/helmchart_controller_test.go',
      objects: [
        failing(
          'HelmRepository',
          'bitnami',
          { url: 'https://charts.example.com', secretRef: { name: 'helm-creds' } },
          'AuthenticationFailed',
          'failed to get authentication secret \'flux-system/helm-creds\': secrets "helm-creds" not found',
        ),
      ],
      expect: [
        {
          summary: /HelmRepository flux-system\/bitnami references Secret flux-system\/helm-creds/,
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'helm-creds' },
          remediation: [
            /flux create secret helm helm-creds -n flux-system --username=<username> --password=<password>/,
          ],
        },
      ],
    },
    {
      name: 'ImageRepository pull Secret missing',
      source:
        'fluxcd/image-reflector-controller internal/controller/imagerepository_controller.go: "failed to configure authentication options: %w" (reason AuthenticationFailed) around internal/registry/options.go r.Get(secretRef)',
      objects: [
        failing(
          'ImageRepository',
          'podinfo',
          { image: 'ghcr.io/org/podinfo', secretRef: { name: 'regcred' } },
          'AuthenticationFailed',
          'failed to configure authentication options: secrets "regcred" not found',
          'Ready',
        ),
      ],
      expect: [
        {
          summary: /ImageRepository flux-system\/podinfo references Secret flux-system\/regcred/,
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'regcred' },
          remediation: [
            /flux create secret oci regcred -n flux-system --url=ghcr\.io/,
            /flux reconcile image repository podinfo/,
          ],
        },
      ],
    },
    {
      name: 'HelmChart cannot use its OCI HelmRepository Secret (repository has no status)',
      source: 'fluxcd/source-controller helmchart_controller.go buildFromHelmRepository -> getter.GetClientOpts',
      objects: [
        obj('HelmRepository', 'podinfo', {
          spec: { type: 'oci', url: 'oci://ghcr.io/org/charts', secretRef: { name: 'oci-creds' } },
        }),
        failing(
          'HelmChart',
          'apps-podinfo',
          { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } },
          'AuthenticationFailed',
          'failed to get authentication secret \'flux-system/oci-creds\': secrets "oci-creds" not found',
        ),
      ],
      expect: [
        {
          object: 'HelmChart/flux-system/apps-podinfo',
          summary:
            /references Secret flux-system\/oci-creds \(spec\.secretRef of HelmRepository flux-system\/podinfo\)/,
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'oci-creds' },
          remediation: [/flux create secret oci oci-creds -n flux-system --url=ghcr\.io/],
        },
      ],
    },
    {
      name: 'Git verification key Secret missing (SourceVerified=False, VerificationError)',
      source:
        'fluxcd/source-controller internal/controller/gitrepository_controller_test.go: "public keys secret error: secrets \\"none-existing\\" not found"',
      objects: [
        failing(
          'GitRepository',
          'apps',
          { url: 'https://github.com/org/app', verify: { mode: 'HEAD', secretRef: { name: 'pgp-keys' } } },
          'VerificationError',
          'public keys secret error: secrets "pgp-keys" not found',
          'SourceVerified',
        ),
      ],
      expect: [
        {
          summary: /Secret flux-system\/pgp-keys \(spec\.verify\.secretRef\), which does not exist/,
          remediation: [/kubectl create secret generic pgp-keys -n flux-system --from-file=author\.asc/],
        },
      ],
    },
    {
      name: 'inferred from what was read: failing Bucket whose Secret lacks secretkey',
      objects: [
        failing(
          'Bucket',
          'artifacts',
          { bucketName: 'artifacts', endpoint: 'minio.example.com:9000', secretRef: { name: 'minio-creds' } },
          'AuthenticationFailed',
          "invalid 'minio-creds' secret data: required fields 'accesskey' and 'secretkey'",
        ),
        secret('flux-system/minio-creds', ['accesskey']),
      ],
      source:
        'fluxcd/source-controller internal/bucket/minio/minio.go ValidateSecret; asserted in internal/controller/bucket_controller_test.go',
      expect: [
        {
          // The Secret has accesskey: the key it lacks is secretkey (the message lists both).
          cause: 'keys-missing',
          data: { keys: 'secretkey' },
          summary:
            'Bucket flux-system/artifacts references Secret flux-system/minio-creds (spec.secretRef), which lacks the key(s) secretkey (it has: accesskey)',
          remediation: [/--from-literal=accesskey=<access-key> --from-literal=secretkey=<secret-key>/],
        },
      ],
    },
    {
      name: 'inferred from what was read: failing GitRepository whose secret was deleted',
      source: 'https://github.com/fluxcd/source-controller/issues/1275 (message); absence from the Secrets read',
      objects: [
        failing(
          'GitRepository',
          'apps',
          gitSpec,
          'GitOperationFailed',
          "failed to checkout and determine revision: unable to clone 'https://github.com/org/app': authentication required",
        ),
        secret('flux-system/other'),
      ],
      expect: [
        {
          cause: 'secret-not-found',
          summary: /references Secret flux-system\/git-creds \(spec\.secretRef\), which does not exist/,
          evidence: [/not among the Secrets read/],
        },
      ],
    },
    {
      name: 'source v1beta1 (source-controller v0.1–v0.21): "auth secret error: secrets … not found"',
      source: 'source-controller@v0.21.0 controllers/gitrepository_controller.go "auth secret error: %w"',
      objects: [
        {
          ...failing(
            'GitRepository',
            'flux-system',
            { url: 'ssh://git@github.com/org/fleet', ref: { branch: 'main' }, secretRef: { name: 'flux-system' } },
            'AuthenticationFailed',
            'auth secret error: secrets "flux-system" not found',
            'Ready',
          ),
          apiVersion: 'source.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [
        {
          cause: 'secret-not-found',
          summary:
            'GitRepository flux-system/flux-system references Secret flux-system/flux-system (spec.secretRef), which does not exist',
          remediation: [
            /flux create secret git flux-system -n flux-system --url=ssh:\/\/git@github\.com\/org\/fleet --private-key-file/,
          ],
        },
      ],
    },
    {
      name: 'source v1 (v1.7+ runtime/secrets): the TLS Secret of a HelmRepository is not found',
      source:
        'github.com/fluxcd/pkg/runtime secrets "secret \'%s\' not found", wrapped by source-controller "failed to get TLS authentication secret \'%s\': %w"',
      objects: [
        failing(
          'HelmRepository',
          'charts',
          { url: 'https://charts.example.com', certSecretRef: { name: 'repo-ca' } },
          'AuthenticationFailed',
          "failed to get TLS authentication secret 'flux-system/repo-ca': secret 'flux-system/repo-ca' not found",
        ),
      ],
      expect: [
        {
          cause: 'secret-not-found',
          summary:
            'HelmRepository flux-system/charts references Secret flux-system/repo-ca (spec.certSecretRef), which does not exist',
          remediation: [/flux create secret tls repo-ca -n flux-system --ca-crt-file=\.\/ca\.crt/],
        },
      ],
    },
    {
      name: 'inferred from what was read: a proxy Secret without address (edge keys of the kind table)',
      source:
        "source-controller@v1.6.0 internal/controller/gitrepository_controller.go \"invalid proxy secret '%s/%s': key 'address' is missing\"",
      objects: [
        failing(
          'GitRepository',
          'apps',
          { ...gitSpec, proxySecretRef: { name: 'proxy' } },
          'GitOperationFailed',
          'unable to clone',
        ),
        secret('flux-system/git-creds'),
        secret('flux-system/proxy', ['username', 'password']),
      ],
      expect: [
        {
          cause: 'keys-missing',
          data: { keys: 'address' },
          summary:
            'GitRepository flux-system/apps references Secret flux-system/proxy (spec.proxySecretRef), which lacks the key(s) address (it has: password, username)',
          remediation: [/flux create secret proxy proxy -n flux-system --address=/],
        },
      ],
    },
    {
      name: 'image v1beta1 (image-reflector-controller v0.x): the pull Secret has no entry for the registry',
      source: 'image-reflector-controller@v0.35.2 internal/secret/secret.go "auth for %q not found in secret %v"',
      objects: [
        {
          ...obj('ImageRepository', 'app', {
            spec: { image: 'ghcr.io/org/app', secretRef: { name: 'regcred' } },
            status: status([
              'False',
              'AuthenticationFailed',
              'failed to configure authentication options: auth for "ghcr.io" not found in secret flux-system/regcred',
            ]),
          }),
          apiVersion: 'image.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [
        {
          cause: 'secret-unusable',
          summary:
            'ImageRepository flux-system/app cannot use Secret flux-system/regcred (spec.secretRef): failed to configure authentication options: auth for "ghcr.io" not found in secret flux-system/regcred',
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'regcred' },
        },
      ],
    },
  ],
});
