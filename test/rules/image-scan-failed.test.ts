import { rule } from '../../src/rules/image-scan-failed.js';
import { cond, event, obj, READY, ruleTester, secret, status } from '../helpers.js';

// image-reflector-controller internal/controller/imagerepository_controller.go:
//   e := fmt.Errorf("scan failed: %w", err)
//   conditions.MarkFalse(obj, meta.ReadyCondition, imagev1.ReadOperationFailedReason, "%s", e)
// and the registry error is go-containerregistry's transport.Error (pkg/v1/remote/transport/error.go):
//   "<METHOD> <url>: <CODE>: <message>[; <detail>]" or "<METHOD> <url>: unexpected status code <n> <text>: <body>".
// remote.List requests `/v2/<repo>/tags/list?n=1000`.

const repo = (name: string, image: string, st: unknown, extra: Record<string, unknown> = {}) =>
  obj('ImageRepository', name, { spec: { image, interval: '5m', ...extra }, status: st });

ruleTester(rule, {
  valid: [
    {
      name: 'successful scan',
      objects: [repo('app', 'ghcr.io/acme/app', READY('successful scan: found 12 tags'))],
    },
    {
      name: 'scan in progress',
      objects: [
        repo(
          'app',
          'ghcr.io/acme/app',
          status(
            ['Unknown', 'Progressing', 'scanning: first scan'],
            [cond('Reconciling', 'True', 'Progressing', 'scanning: first scan')],
          ),
        ),
      ],
    },
    {
      name: 'suspended after an old failure',
      objects: [
        obj('ImageRepository', 'app', {
          spec: { image: 'ghcr.io/acme/app', suspend: true },
          status: status([
            'False',
            'ReadOperationFailed',
            'scan failed: GET https://ghcr.io/v2/acme/app/tags/list?n=1000: UNAUTHORIZED: authentication required',
          ]),
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'repository does not exist (NAME_UNKNOWN)',
      source:
        'imagerepository_controller.go "scan failed: %w" + go-containerregistry transport/error.go Diagnostic.String(); NAME_UNKNOWN message from the distribution spec ("repository name not known to registry")',
      objects: [
        repo(
          'app',
          'ghcr.io/acme/ap',
          status([
            'False',
            'ReadOperationFailed',
            'scan failed: GET https://ghcr.io/v2/acme/ap/tags/list?n=1000: NAME_UNKNOWN: repository name not known to registry',
          ]),
        ),
        obj('ImagePolicy', 'app', { spec: { imageRepositoryRef: { name: 'app' } } }),
      ],
      expect: [
        {
          object: 'ImageRepository/flux-system/app',
          cause: 'repository-not-found',
          data: { host: 'ghcr.io', image: 'ghcr.io/acme/ap', policies: 'ImagePolicy flux-system/app' },
          summary:
            'ImageRepository flux-system/app cannot scan ghcr.io/acme/ap: the repository does not exist in the registry (check spec.image); ImagePolicies that cannot select new tags: ImagePolicy flux-system/app',
          fixTarget: { kind: 'ImageRepository', namespace: 'flux-system', name: 'app' },
          evidence: [/NAME_UNKNOWN: repository name not known to registry/],
          remediation: [/crane ls ghcr\.io\/acme\/ap/, /flux reconcile image repository app -n flux-system/],
        },
      ],
    },
    {
      name: 'Docker Hub rate limit (TOOMANYREQUESTS), no secretRef',
      source:
        'go-containerregistry TOOMANYREQUESTS error as quoted in https://github.com/aquasecurity/starboard/issues/1252, wrapped by imagerepository_controller.go "scan failed: %w"',
      objects: [
        repo(
          'nginx',
          'nginx',
          status([
            'False',
            'ReadOperationFailed',
            'scan failed: GET https://index.docker.io/v2/library/nginx/tags/list?n=1000: TOOMANYREQUESTS: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
          ]),
        ),
      ],
      expect: [
        {
          cause: 'rate-limited',
          data: { host: 'index.docker.io', newSecret: 'regcred' },
          summary:
            'ImageRepository flux-system/nginx cannot scan nginx: the registry is rate-limiting the scans; ImagePolicies that cannot select new tags: none',
          remediation: [
            /kubectl create secret docker-registry regcred -n flux-system --docker-server=index\.docker\.io/,
          ],
        },
      ],
    },
    {
      name: 'credentials rejected, Secret named: the Secret is the fix target',
      source: 'https://github.com/fluxcd/image-reflector-controller/issues/781 (event ReadOperationFailed)',
      objects: [
        repo(
          'antalya',
          'docker.io/getirwin/antalya',
          status([
            'False',
            'ReadOperationFailed',
            'scan failed: GET https://auth.docker.io/token?scope=repository%!A(MISSING)getirwin%!F(MISSING)antalya%!A(MISSING)pull&service=registry.docker.io: unexpected status code 401 Unauthorized: {"details":"incorrect username or password"}',
          ]),
          { secretRef: { name: 'dockerhub' } },
        ),
        secret('dockerhub', ['.dockerconfigjson'], 'kubernetes.io/dockerconfigjson'),
        event(
          { kind: 'ImageRepository', namespace: 'flux-system', name: 'antalya' },
          'ReadOperationFailed',
          'scan failed: GET https://auth.docker.io/token?scope=repository%!A(MISSING)getirwin%!F(MISSING)antalya%!A(MISSING)pull&service=registry.docker.io: unexpected status code 401 Unauthorized: {"details":"incorrect username or password"}',
        ),
      ],
      expect: [
        {
          cause: 'auth',
          data: { secret: 'flux-system/dockerhub', host: 'docker.io' },
          summary:
            'ImageRepository flux-system/antalya cannot scan docker.io/getirwin/antalya: the registry rejected the credentials (or none were given); ImagePolicies that cannot select new tags: none',
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'dockerhub' },
          evidence: [/401 Unauthorized/],
          remediation: [/Check Secret flux-system\/dockerhub/],
        },
      ],
    },
    {
      name: 'ECR 401 (real report)',
      source: 'https://github.com/fluxcd/image-reflector-controller/issues/399',
      objects: [
        repo(
          'ecr-app',
          '123456789012.dkr.ecr.us-east-2.amazonaws.com/app',
          status([
            'False',
            'ReadOperationFailed',
            'scan failed: GET https://123456789012.dkr.ecr.us-east-2.amazonaws.com/v2/app/tags/list?n=1000: unexpected status code 401 Unauthorized: Not Authorized',
          ]),
          { provider: 'aws' },
        ),
      ],
      expect: [
        { cause: 'auth', summary: /rejected the credentials/, remediation: [/spec\.provider: aws\|azure\|gcp/] },
      ],
    },
    {
      name: 'image with a tag: Stalled ImageURLInvalid',
      source:
        "image-reflector-controller internal/registry/helper.go: \"image '%s' should not include a tag; remove ':%s'\"",
      objects: [
        repo('app', 'ghcr.io/acme/app:1.0.0', {
          observedGeneration: 1,
          conditions: [
            cond(
              'Ready',
              'False',
              'ImageURLInvalid',
              "image 'ghcr.io/acme/app:1.0.0' should not include a tag; remove ':1.0.0'",
            ),
            cond(
              'Stalled',
              'True',
              'ImageURLInvalid',
              "image 'ghcr.io/acme/app:1.0.0' should not include a tag; remove ':1.0.0'",
            ),
          ],
        }),
      ],
      expect: [
        {
          cause: 'image-url-invalid',
          data: { repositoryOnly: 'ghcr.io/acme/app' },
          summary:
            'ImageRepository flux-system/app cannot scan ghcr.io/acme/app:1.0.0: spec.image is not a valid image repository reference; ImagePolicies that cannot select new tags: none',
          remediation: [
            /Set spec\.image of ImageRepository flux-system\/app to the repository only \(e\.g\. ghcr\.io\/acme\/app\)/,
          ],
        },
      ],
    },
    {
      name: 'v0.x (image v1alpha1): the bare registry error with reason ReconciliationFailed',
      source:
        'image-reflector-controller@v0.9.0 controllers/imagerepository_controller.go SetImageRepositoryReadiness(…, ReconciliationFailedReason, err.Error()) with the remote.List error; text from https://github.com/fluxcd/image-reflector-controller/pull/194',
      objects: [
        {
          ...repo(
            'podinfo',
            'gcr.io/dx-kingdon/podinfo',
            status([
              'False',
              'ReconciliationFailed',
              'GET https://gcr.io/v2/dx-kingdon/podinfo/tags/list?n=1000: NAME_UNKNOWN: Repository not found',
            ]),
          ),
          apiVersion: 'image.toolkit.fluxcd.io/v1alpha1',
        },
      ],
      expect: [{ cause: 'repository-not-found', data: { host: 'gcr.io' }, evidence: [/NAME_UNKNOWN/] }],
    },
    {
      name: 'v0.19–v0.34 wording of an image with a tag (image v1beta1)',
      source:
        'image-reflector-controller@v0.24.0 controllers/imagerepository_controller.go ".spec.image value should not contain a tag; remove \':%s\'"',
      objects: [
        {
          ...repo(
            'app',
            'ghcr.io/acme/app:latest',
            status(['False', 'ReconciliationFailed', ".spec.image value should not contain a tag; remove ':latest'"]),
          ),
          apiVersion: 'image.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [{ cause: 'image-url-invalid', data: { repositoryOnly: 'ghcr.io/acme/app' } }],
    },
    {
      name: 'a registry behind a private CA',
      source: 'image-reflector-controller "scan failed: %w" around go crypto/x509 UnknownAuthorityError',
      objects: [
        repo(
          'app',
          'registry.internal.example/team/app',
          status([
            'False',
            'ReadOperationFailed',
            'scan failed: Get "https://registry.internal.example/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority',
          ]),
        ),
      ],
      expect: [
        {
          cause: 'tls',
          summary:
            'ImageRepository flux-system/app cannot scan registry.internal.example/team/app: the TLS connection to the registry failed; ImagePolicies that cannot select new tags: none',
          remediation: [/spec\.certSecretRef of ImageRepository flux-system\/app/],
        },
      ],
    },
    {
      name: 'the registry host does not resolve',
      source: 'image-reflector-controller "scan failed: %w" around go net DNSError',
      objects: [
        repo(
          'app',
          'registry.internal/team/app',
          status([
            'False',
            'ReadOperationFailed',
            'scan failed: Get "https://registry.internal/v2/": dial tcp: lookup registry.internal on 10.96.0.10:53: no such host',
          ]),
        ),
      ],
      expect: [
        {
          cause: 'unreachable',
          summary:
            'ImageRepository flux-system/app cannot scan registry.internal/team/app: the registry cannot be reached; ImagePolicies that cannot select new tags: none',
          remediation: [/can reach registry\.internal: DNS/],
        },
      ],
    },
    {
      name: 'the pull Secret does not exist (v0.25+ wording)',
      source:
        'image-reflector-controller@v1.2.0 internal/controller/imagerepository_controller.go "failed to configure authentication options: %w"',
      objects: [
        repo(
          'app',
          'ghcr.io/acme/app',
          status([
            'False',
            'AuthenticationFailed',
            'failed to configure authentication options: secrets "regcred" not found',
          ]),
          { secretRef: { name: 'regcred' } },
        ),
      ],
      expect: [
        {
          cause: 'secret',
          summary:
            'ImageRepository flux-system/app cannot scan ghcr.io/acme/app: the Secret it uses for ghcr.io is missing or unusable; ImagePolicies that cannot select new tags: none',
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'regcred' },
        },
      ],
    },
    {
      name: 'a failure the catalogue does not know is still a scan failure (no false all-clear)',
      source:
        'image-reflector-controller@v1.2.0 "failed to determine if it\'s scan time: %w", Ready=False reason Failure',
      objects: [
        repo(
          'app',
          'ghcr.io/acme/app',
          status(['False', 'Failure', "failed to determine if it's scan time: badger: database closed"]),
        ),
      ],
      expect: [
        {
          cause: 'scan-failed',
          summary:
            'ImageRepository flux-system/app cannot scan ghcr.io/acme/app (Failure); ImagePolicies that cannot select new tags: none',
          remediation: [/kubectl describe/],
        },
      ],
    },
  ],
});
