import { rule } from '../../src/rules/source-tls.js';
import { cond, obj, READY, ruleTester, status } from '../helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: loose test spec
const failing = (kind: string, name: string, spec: any, reason: string, msg: string, type = 'FetchFailed') =>
  obj(kind, name, {
    spec,
    status: status(['False', reason, msg], type === 'Ready' ? [] : [cond(type, 'True', reason, msg)]),
  });

ruleTester(rule, {
  valid: [
    {
      name: 'healthy OCIRepository with a certSecretRef',
      objects: [
        obj('OCIRepository', 'app', {
          spec: { url: 'oci://harbor.example.com/team/app', certSecretRef: { name: 'harbor-ca' } },
          status: READY(),
        }),
      ],
    },
    {
      name: 'TLS Secret not found is source.secret-missing',
      source: 'fluxcd/source-controller internal/controller/bucket_controller_test.go',
      objects: [
        failing(
          'Bucket',
          'artifacts',
          { bucketName: 'artifacts', endpoint: 'minio.example.com', certSecretRef: { name: 'minio-ca' } },
          'AuthenticationFailed',
          "failed to get TLS config: secret 'flux-system/minio-ca' not found",
        ),
      ],
    },
    {
      name: 'TLS handshake timeout is a network problem (source.unreachable)',
      source: 'Go net/http transport error "net/http: TLS handshake timeout", wrapped by helmrepository_controller.go',
      objects: [
        failing(
          'HelmRepository',
          'bitnami',
          { url: 'https://charts.bitnami.com/bitnami' },
          'Failed',
          'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.bitnami.com/bitnami/index.yaml": net/http: TLS handshake timeout',
        ),
      ],
    },
    {
      name: 'progressing OCIRepository (Ready=Unknown) with an old x509 FetchFailed',
      source: 'https://github.com/fluxcd/source-controller/issues/1673',
      objects: [
        obj('OCIRepository', 'kj-test', {
          spec: { url: 'oci://harbor.tanzu.com/nginx/mage' },
          status: status(
            ['Unknown', 'ProgressingWithRetry', 'reconciliation in progress'],
            [
              cond(
                'FetchFailed',
                'True',
                'OCIPullFailed',
                'failed to determine artifact digest: Get "https://harbor.tanzu.com/v2/": x509: certificate signed by unknown authority',
              ),
            ],
          ),
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'OCIRepository: server certificate signed by an unknown authority',
      source: 'https://github.com/fluxcd/source-controller/issues/1673',
      objects: [
        failing(
          'OCIRepository',
          'kj-test',
          { url: 'oci://harbor.tanzu.com/nginx/mage' },
          'OCIPullFailed',
          'failed to determine artifact digest: Get "https://harbor.tanzu.com/v2/": x509: certificate signed by unknown authority; Get "https://harbor.tanzu.com/v2/": x509: certificate signed by unknown authority',
        ),
      ],
      expect: [
        {
          cause: 'unknown-ca',
          data: { host: 'harbor.tanzu.com' },
          summary:
            'OCIRepository flux-system/kj-test: TLS verification of oci://harbor.tanzu.com/nginx/mage failed: the certificate of harbor.tanzu.com is signed by an authority the controller does not trust',
          fixTarget: { kind: 'OCIRepository', namespace: 'flux-system', name: 'kj-test' },
          remediation: [
            /flux create secret tls kj-test-tls -n flux-system --ca-crt-file=\.\/ca\.crt/,
            /spec\.certSecretRef/,
          ],
        },
      ],
    },
    {
      name: 'HelmRepository on a non-default HTTPS port: server certificate signed by an unknown authority',
      source:
        'captured from source-controller v1.9.3 (Flux v2.9.2) in the fluxdoctor test environment (scenario helm-repo-untrusted-ca)',
      objects: [
        failing(
          'HelmRepository',
          'charts',
          { url: 'https://127.0.0.1:40951/public' },
          'Failed',
          'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://127.0.0.1:40951/public/index.yaml": tls: failed to verify certificate: x509: certificate signed by unknown authority',
        ),
      ],
      expect: [
        {
          cause: 'unknown-ca',
          data: { hostPort: '127.0.0.1:40951' },
          summary: /the certificate of 127\.0\.0\.1 is signed by an authority the controller does not trust/,
          fixTarget: { kind: 'HelmRepository', namespace: 'flux-system', name: 'charts' },
          remediation: [/spec\.certSecretRef/, /openssl s_client -connect 127\.0\.0\.1:40951 /],
        },
      ],
    },
    {
      name: 'HelmRepository: CA in certSecretRef cannot be parsed (reason AuthenticationFailed)',
      source:
        'fluxcd/source-controller internal/controller/helmrepository_controller_test.go: "failed to construct Helm client\'s TLS config: failed to parse CA certificate"',
      objects: [
        failing(
          'HelmRepository',
          'internal',
          { url: 'https://charts.internal.example.com', certSecretRef: { name: 'internal-ca' } },
          'AuthenticationFailed',
          "failed to construct Helm client's TLS config: failed to parse CA certificate",
        ),
      ],
      expect: [
        {
          cause: 'ca-data-invalid',
          summary:
            'HelmRepository flux-system/internal: TLS verification of https://charts.internal.example.com failed: the CA certificate in Secret flux-system/internal-ca cannot be parsed',
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'internal-ca' },
        },
      ],
    },
    {
      name: 'GitRepository: server certificate expired',
      source:
        'Go crypto/x509 CertificateInvalidError "x509: certificate has expired or is not yet valid: current time %s is after %s" behind crypto/tls "tls: failed to verify certificate: %w", in net/http\'s Get error, wrapped by go-git/fluxcd pkg "unable to clone \'%s\': %w" and gitCheckout',
      objects: [
        failing(
          'GitRepository',
          'apps',
          { url: 'https://git.example.com/org/app', secretRef: { name: 'git-creds' } },
          'GitOperationFailed',
          'failed to checkout and determine revision: unable to clone \'https://git.example.com/org/app\': Get "https://git.example.com/org/app/info/refs?service=git-upload-pack": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-11-24T10:00:00Z is after 2026-10-01T00:00:00Z',
        ),
      ],
      expect: [
        {
          cause: 'certificate-expired',
          summary:
            'GitRepository flux-system/apps: TLS verification of https://git.example.com/org/app failed: the certificate presented by git.example.com has expired (or is not yet valid)',
          remediation: [/flux reconcile source git apps -n flux-system/],
        },
      ],
    },
    {
      name: 'HelmChart via an OCI HelmRepository: unknown authority reported as AuthenticationFailed',
      source:
        'fluxcd/source-controller helmchart_controller.go buildFromHelmRepository ("tls", "unknown certificate authority" → "failed to authenticate with the Helm repository: %s"); tag listing error form as in https://github.com/helm/helm/issues/12423',
      objects: [
        obj('HelmRepository', 'internal', {
          spec: { type: 'oci', url: 'oci://registry.internal.example.com/charts' },
        }),
        failing(
          'HelmChart',
          'apps-web',
          { chart: 'web', version: '1.x', sourceRef: { kind: 'HelmRepository', name: 'internal' } },
          'AuthenticationFailed',
          'failed to authenticate with the Helm repository: chart pull error: failed to get chart version for remote reference: could not get tags for "web": could not fetch tags for "oci://registry.internal.example.com/charts/web": GET "https://registry.internal.example.com/v2/charts/web/tags/list": tls: failed to verify certificate: x509: certificate signed by unknown authority',
        ),
      ],
      expect: [
        {
          object: 'HelmChart/flux-system/apps-web',
          cause: 'unknown-ca',
          summary:
            /\(via HelmRepository flux-system\/internal\): TLS verification .* registry\.internal\.example\.com is signed by an authority/,
          fixTarget: { kind: 'HelmRepository', namespace: 'flux-system', name: 'internal' },
        },
      ],
    },
    {
      name: 'HelmChart (source v1beta1, v0.19): certificate valid for other names',
      source: 'https://github.com/fluxcd/source-controller/issues/510',
      objects: [
        obj('HelmRepository', 'ingress-nginx', {
          spec: { url: 'https://kubernetes.github.io/ingress-nginx' },
          status: READY(),
        }),
        {
          ...failing(
            'HelmChart',
            'ingress-nginx',
            { chart: 'ingress-nginx', sourceRef: { kind: 'HelmRepository', name: 'ingress-nginx' } },
            'ChartPullFailed',
            'chart pull error: failed to download chart for remote reference: Get "https://github.com/kubernetes/ingress-nginx/releases/download/helm-chart-4.0.10/ingress-nginx-4.0.10.tgz": x509: certificate is valid for github.com, www.github.com, not kubernetes.github.io',
            'Ready',
          ),
          apiVersion: 'source.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [
        {
          cause: 'hostname-mismatch',
          summary:
            'HelmChart flux-system/ingress-nginx (via HelmRepository flux-system/ingress-nginx): TLS verification of https://kubernetes.github.io/ingress-nginx failed: the certificate of kubernetes.github.io is not issued for that host name',
          fixTarget: { kind: 'HelmRepository', namespace: 'flux-system', name: 'ingress-nginx' },
        },
      ],
    },
    {
      name: 'mTLS: the server wants a client certificate',
      source: 'go crypto/tls alert.go "remote error: tls: %s", wrapped by helmrepository_controller.go',
      objects: [
        failing(
          'HelmRepository',
          'mtls',
          { url: 'https://charts.mtls.example', certSecretRef: { name: 'mtls' } },
          'IndexationFailed',
          'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.mtls.example/index.yaml": remote error: tls: certificate required',
        ),
      ],
      expect: [
        {
          cause: 'client-cert',
          summary:
            'HelmRepository flux-system/mtls: TLS verification of https://charts.mtls.example failed: charts.mtls.example rejected the client certificate (mTLS)',
          remediation: [/--tls-crt-file=\.\/tls\.crt/],
        },
      ],
    },
  ],
});
