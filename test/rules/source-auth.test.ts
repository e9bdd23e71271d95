import { rule } from '../../src/rules/source-auth.js';
import { cond, event, obj, READY, ruleTester, secret, status } from '../helpers.js';

// source-controller sets FetchFailed=True (reason, message) and copies it to Ready=False;
// image-reflector-controller sets Ready=False directly.
// biome-ignore lint/suspicious/noExplicitAny: loose test spec
const failing = (kind: string, name: string, spec: any, reason: string, msg: string, type = 'FetchFailed') =>
  obj(kind, name, {
    spec,
    status: status(['False', reason, msg], type === 'Ready' ? [] : [cond(type, 'True', reason, msg)]),
  });

// Modern wrapping of go-git errors: source-controller gitCheckout
// fmt.Errorf("failed to checkout and determine revision: %w", err) (reason GitOperationFailed) around
// fluxcd/pkg git/gogit/clone.go fmt.Errorf("unable to clone '%s': %w", url, err).
const clone = (url: string, inner: string) =>
  `failed to checkout and determine revision: unable to clone '${url}': ${inner}`;

const https = { url: 'https://github.com/org/private', ref: { branch: 'main' }, secretRef: { name: 'git-creds' } };
const ssh = { url: 'ssh://git@github.com/org/fleet', ref: { branch: 'main' }, secretRef: { name: 'flux-system' } };

ruleTester(rule, {
  valid: [
    {
      name: 'healthy GitRepository',
      objects: [obj('GitRepository', 'apps', { spec: https, status: READY() }), secret('flux-system/git-creds')],
    },
    {
      name: 'Secret not found is source.secret-missing, although the reason is AuthenticationFailed',
      source: 'fluxcd/source-controller internal/controller/gitrepository_controller.go getAuthOpts',
      objects: [
        failing(
          'GitRepository',
          'apps',
          https,
          'AuthenticationFailed',
          "failed to get secret 'flux-system/git-creds': failed to get secret 'flux-system/git-creds': secrets \"git-creds\" not found",
        ),
      ],
    },
    {
      name: 'TLS error reported with AuthenticationFailed belongs to source.tls',
      source: 'fluxcd/source-controller internal/controller/helmrepository_controller_test.go',
      objects: [
        failing(
          'HelmRepository',
          'internal',
          { url: 'https://charts.internal.example.com', certSecretRef: { name: 'ca' } },
          'AuthenticationFailed',
          "failed to construct Helm client's TLS config: failed to parse CA certificate",
        ),
      ],
    },
    {
      name: 'branch not found (source.ref-not-found)',
      source: 'https://github.com/controlplaneio-fluxcd/flux-operator/issues/284',
      objects: [
        failing(
          'GitRepository',
          'flux-system',
          ssh,
          'GitOperationFailed',
          clone('ssh://git@github.com/org/fleet', 'couldn\'t find remote ref "refs/heads/master"'),
        ),
      ],
    },
    {
      name: 'progressing GitRepository with an old authentication Warning event',
      source: 'https://github.com/fluxcd/source-controller/issues/1275',
      objects: [
        obj('GitRepository', 'apps', {
          spec: https,
          status: status(['Unknown', 'Progressing', 'building artifact: new upstream revision']),
        }),
        event(
          { kind: 'GitRepository', namespace: 'flux-system', name: 'apps' },
          'GitOperationFailed',
          clone('https://github.com/org/private', 'authentication required'),
        ),
      ],
    },
  ],
  invalid: [
    {
      name: 'HTTPS Git credentials rejected',
      source:
        'https://github.com/fluxcd/source-controller/issues/1275 ("unable to clone \'<repoURL>\': authentication required"), wrapped by gitCheckout',
      objects: [
        failing(
          'GitRepository',
          'apps',
          https,
          'GitOperationFailed',
          clone('https://github.com/org/private', 'authentication required'),
        ),
        secret('flux-system/git-creds', ['username', 'password']),
      ],
      expect: [
        {
          cause: 'rejected',
          summary:
            'GitRepository flux-system/apps: github.com rejected the credentials in Secret flux-system/git-creds for https://github.com/org/private',
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'git-creds' },
          evidence: [/authentication required/],
          remediation: [
            /flux create secret git git-creds -n flux-system --url=https:\/\/github\.com\/org\/private/,
            /flux reconcile source git apps -n flux-system/,
          ],
        },
      ],
    },
    {
      name: 'private repository without any credentials',
      source: 'https://github.com/windsorcli/cli/issues/2462 (GitRepository without secretRef for a private repo)',
      objects: [
        failing(
          'GitRepository',
          'apps',
          { url: 'https://github.com/org/private', ref: { branch: 'main' } },
          'GitOperationFailed',
          clone('https://github.com/org/private', 'authentication required'),
        ),
      ],
      expect: [
        {
          cause: 'no-credentials',
          data: { newSecret: 'apps-auth' },
          summary: /requires credentials .* has no spec\.secretRef/,
          fixTarget: { kind: 'GitRepository', namespace: 'flux-system', name: 'apps' },
          remediation: [/Set spec\.secretRef\.name: apps-auth/],
        },
      ],
    },
    {
      name: 'SSH key rejected',
      source:
        'https://github.com/fluxcd/flux2/issues/826 (inner error "ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain"), wrapped by gitCheckout',
      objects: [
        failing(
          'GitRepository',
          'flux-system',
          ssh,
          'GitOperationFailed',
          clone(
            'ssh://git@github.com/org/fleet',
            'ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain',
          ),
        ),
      ],
      expect: [
        {
          cause: 'ssh-rejected',
          summary:
            'GitRepository flux-system/flux-system: github.com rejected the SSH key in Secret flux-system/flux-system',
          remediation: [/deploy key/],
        },
      ],
    },
    {
      name: 'SSH host key mismatch',
      source: 'https://github.com/fluxcd/flux2/issues/3774',
      objects: [
        failing(
          'GitRepository',
          'flux-system',
          ssh,
          'GitOperationFailed',
          "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/myrepo': ssh: handshake failed: knownhosts: key mismatch",
        ),
      ],
      expect: [
        {
          cause: 'host-key',
          summary:
            'GitRepository flux-system/flux-system: the SSH host key of github.com does not match the known_hosts of Secret flux-system/flux-system',
          remediation: [/ssh-keyscan github\.com/],
        },
      ],
    },
    {
      name: 'HelmRepository index 403 Forbidden',
      source: 'https://github.com/fluxcd/source-controller/issues/976',
      objects: [
        failing(
          'HelmRepository',
          'helm-charts-test',
          {
            url: 'https://artifactory.mydomain.com/artifactory/helm-charts-test',
            secretRef: { name: 'helm-charts-creds' },
          },
          'Failed',
          'failed to fetch Helm repository index: failed to cache index to temporary file: failed to fetch https://artifactory.mydomain.com/artifactory/helm-charts-test/index.yaml : 403 Forbidden',
        ),
      ],
      expect: [
        {
          summary: /artifactory\.mydomain\.com rejected the credentials in Secret flux-system\/helm-charts-creds/,
          remediation: [
            /flux create secret helm helm-charts-creds -n flux-system/,
            /flux reconcile source helm helm-charts-test -n flux-system/,
          ],
        },
      ],
    },
    {
      name: 'ImageRepository 401 from ECR with workload identity',
      source: 'https://github.com/fluxcd/image-reflector-controller/issues/399',
      objects: [
        failing(
          'ImageRepository',
          'app',
          { image: '123456789012.dkr.ecr.us-east-2.amazonaws.com/app', provider: 'aws' },
          'ReadOperationFailed',
          'scan failed: GET https://123456789012.dkr.ecr.us-east-2.amazonaws.com/v2/app/tags/list?n=1000: unexpected status code 401 Unauthorized: Not Authorized',
          'Ready',
        ),
      ],
      expect: [
        {
          cause: 'provider',
          data: { provider: 'aws' },
          summary: /refused the aws workload identity/,
          remediation: [/flux reconcile image repository app -n flux-system/],
        },
      ],
    },
    {
      name: 'Bucket Access Denied',
      source: 'https://github.com/fluxcd/source-controller/issues/954',
      objects: [
        failing(
          'Bucket',
          'podinfo',
          { bucketName: 'fluxcd', endpoint: 'minio.example.com', secretRef: { name: 'minio-creds' } },
          'BucketOperationFailed',
          "failed to confirm existence of 'fluxcd' bucket: Access Denied.",
        ),
        secret('flux-system/minio-creds', ['accesskey', 'secretkey']),
      ],
      expect: [
        {
          cause: 'rejected',
          summary: /minio\.example\.com rejected the credentials in Secret flux-system\/minio-creds/,
          remediation: [/--from-literal=accesskey=<access-key>/],
        },
      ],
    },
    {
      name: 'HelmChart pulling from an OCI HelmRepository gets 401',
      source:
        'https://github.com/helm/helm/issues/12423 (HelmChart status); current source-controller prefixes "failed to authenticate with the Helm repository: " (helmchart_controller.go buildFromHelmRepository)',
      objects: [
        obj('HelmRepository', 'bitnami', {
          spec: {
            type: 'oci',
            url: 'oci://registry-1.docker.io/bitnamicharts/external-dns',
            secretRef: { name: 'dockerhub' },
          },
        }),
        failing(
          'HelmChart',
          'external-dns-external-dns',
          { chart: 'external-dns', version: '6.x', sourceRef: { kind: 'HelmRepository', name: 'bitnami' } },
          'AuthenticationFailed',
          'failed to authenticate with the Helm repository: chart pull error: failed to get chart version for remote reference: could not get tags for "external-dns": could not fetch tags for "oci://registry-1.docker.io/bitnamicharts/external-dns/external-dns": GET "https://registry-1.docker.io/v2/bitnamicharts/external-dns/external-dns/tags/list": unexpected status code 401: unauthorized: authentication required',
        ),
      ],
      expect: [
        {
          object: 'HelmChart/flux-system/external-dns-external-dns',
          summary:
            /via HelmRepository flux-system\/bitnami\): registry-1\.docker\.io rejected the credentials in Secret flux-system\/dockerhub/,
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'dockerhub' },
          remediation: [/flux create secret oci dockerhub -n flux-system --url=registry-1\.docker\.io/],
        },
      ],
    },
    {
      name: 'source v1beta1 (source-controller v0.2–v0.16): "unable to clone …, error: ssh: handshake failed"',
      source:
        'https://github.com/fluxcd/flux2/issues/826 (inner error); source-controller@v0.16.0 "unable to clone \'%s\', error: %w"',
      objects: [
        {
          ...failing(
            'GitRepository',
            'flux-system',
            ssh,
            'GitOperationFailed',
            "unable to clone 'ssh://git@github.com/org/fleet', error: ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain",
          ),
          apiVersion: 'source.toolkit.fluxcd.io/v1beta1',
        },
        secret('flux-system/flux-system', ['identity', 'identity.pub', 'known_hosts']),
      ],
      expect: [{ cause: 'ssh-rejected', fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'flux-system' } }],
    },
    {
      name: 'a redacted message: the reason AuthenticationFailed alone tells it',
      source: 'github.com/fluxcd/source-controller/api v1/condition_types.go AuthenticationFailedReason',
      objects: [
        failing(
          'HelmRepository',
          'charts',
          { url: 'https://charts.example.com', secretRef: { name: 'helm-creds' } },
          'AuthenticationFailed',
          '***',
        ),
        secret('flux-system/helm-creds', ['username', 'password']),
      ],
      expect: [
        {
          cause: 'rejected',
          summary:
            'HelmRepository flux-system/charts: charts.example.com rejected the credentials in Secret flux-system/helm-creds for https://charts.example.com',
          remediation: [/flux create secret helm helm-creds -n flux-system/],
        },
      ],
    },
    {
      name: 'a suspended GitRepository whose condition still shows the auth failure is still reported',
      source:
        'fluxcd/pkg git/gogit/clone.go "unable to clone \'%s\': %w" with go-git transport.ErrAuthenticationRequired, wrapped by source-controller gitCheckout',
      objects: [
        obj('GitRepository', 'apps', {
          spec: { ...https, suspend: true },
          status: status([
            'False',
            'GitOperationFailed',
            "failed to checkout and determine revision: unable to clone 'https://github.com/org/private': authentication required",
          ]),
        }),
        secret('flux-system/git-creds', ['username', 'password']),
      ],
      expect: [{ cause: 'rejected', fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'git-creds' } }],
    },
  ],
});
