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
          summary:
            /ImageRepository flux-system\/app cannot scan ghcr\.io\/acme\/ap: the repository does not exist.*ImagePolicy flux-system\/app cannot select new tags/,
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
          summary: /cannot scan nginx: the registry is rate-limiting the scans/,
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
          summary: /cannot scan docker\.io\/getirwin\/antalya: the registry rejected the credentials/,
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
      expect: [{ summary: /rejected the credentials/, remediation: [/spec\.provider: aws\|azure\|gcp/] }],
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
          summary: /spec\.image is not a valid image repository reference/,
          remediation: [
            /Set spec\.image of ImageRepository flux-system\/app to the repository only \(e\.g\. ghcr\.io\/acme\/app\)/,
          ],
        },
      ],
    },
  ],
});
