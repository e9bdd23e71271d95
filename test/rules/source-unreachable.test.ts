import { rule } from '../../src/rules/source-unreachable.js';
import { cond, obj, READY, ruleTester, status } from '../helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: loose test spec
const failing = (kind: string, name: string, spec: any, reason: string, msg: string, type = 'FetchFailed') =>
  obj(kind, name, {
    spec,
    status: status(['False', reason, msg], type === 'Ready' ? [] : [cond(type, 'True', reason, msg)]),
  });

const ssh = { url: 'ssh://git@github.com/org/fleet', ref: { branch: 'main' }, secretRef: { name: 'flux-system' } };

ruleTester(rule, {
  valid: [
    {
      name: 'healthy HelmRepository',
      objects: [
        obj('HelmRepository', 'bitnami', { spec: { url: 'https://charts.bitnami.com/bitnami' }, status: READY() }),
      ],
    },
    {
      name: 'x509 error (source.tls), even though it comes from an HTTP GET',
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
    },
    {
      name: 'credentials rejected (source.auth)',
      source: 'https://github.com/fluxcd/image-reflector-controller/issues/781',
      objects: [
        failing(
          'ImageRepository',
          'antalya',
          { image: 'docker.io/getirwin/antalya', secretRef: { name: 'dockerhub' } },
          'ReadOperationFailed',
          'scan failed: GET https://auth.docker.io/token?scope=repository%3Agetirwin%2Fantalya%3Apull&service=registry.docker.io: unexpected status code 401 Unauthorized: {"details":"incorrect username or password"}',
          'Ready',
        ),
      ],
    },
  ],
  invalid: [
    {
      name: 'suspended GitRepository whose condition still shows a DNS error: reported (resuming it fails the same way)',
      source: 'https://github.com/fluxcd/flux2/issues/1494',
      objects: [
        obj('GitRepository', 'flux-system', {
          spec: { ...ssh, suspend: true },
          status: status([
            'False',
            'GitOperationFailed',
            "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/org/fleet': dial tcp: lookup github.com on 10.100.0.10:53: read udp 192.168.78.214:47218->10.100.0.10:53: i/o timeout",
          ]),
        }),
      ],
      expect: [{ cause: 'dns', data: { host: 'github.com' } }],
    },
    {
      name: 'GitRepository over SSH: DNS lookup times out',
      source:
        'https://github.com/fluxcd/flux2/issues/1494 (inner error); current wrapping from source-controller gitCheckout + fluxcd/pkg git/gogit/clone.go',
      objects: [
        failing(
          'GitRepository',
          'flux-system',
          ssh,
          'GitOperationFailed',
          "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/org/fleet': dial tcp: lookup github.com on 10.100.0.10:53: read udp 192.168.78.214:47218->10.100.0.10:53: i/o timeout",
        ),
      ],
      expect: [
        {
          cause: 'dns',
          data: { host: 'github.com' },
          summary:
            'GitRepository flux-system/flux-system cannot reach ssh://git@github.com/org/fleet: the host name github.com does not resolve from the cluster (DNS lookup failed)',
          evidence: [/i\/o timeout/],
          remediation: [/nslookup github\.com/, /flux reconcile source git flux-system -n flux-system/],
        },
      ],
    },
    {
      name: 'GitRepository over SSH: connection timed out',
      source: 'https://github.com/fluxcd/source-controller/issues/1992',
      objects: [
        failing(
          'GitRepository',
          'flux-system',
          ssh,
          'GitOperationFailed',
          "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/xxx/yyys': ssh: handshake failed: read tcp 11.11.1.11:45906->140.82.121.4:22: read: connection timed out",
        ),
      ],
      expect: [
        {
          cause: 'timeout',
          summary:
            'GitRepository flux-system/flux-system cannot reach ssh://git@github.com/org/fleet: the connection to github.com timed out (spec.timeout not set)',
          remediation: [/spec\.timeout/],
        },
      ],
    },
    {
      name: 'HelmRepository index: DNS server misbehaving',
      source:
        'https://github.com/fluxcd/source-controller/issues/192 (inner error); wrapping from helmrepository_controller.go reconcileSource and internal/helm/repository/chart_repository.go CacheIndex',
      objects: [
        failing(
          'HelmRepository',
          'bitnami-charts',
          { url: 'https://charts.bitnami.com/bitnami' },
          'Failed',
          'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.bitnami.com/bitnami/index.yaml": dial tcp: lookup charts.bitnami.com on 10.43.0.10:53: server misbehaving',
        ),
      ],
      expect: [
        {
          cause: 'dns',
          summary:
            'HelmRepository flux-system/bitnami-charts cannot reach https://charts.bitnami.com/bitnami: the host name charts.bitnami.com does not resolve from the cluster (DNS lookup failed)',
          remediation: [/flux reconcile source helm bitnami-charts -n flux-system/],
        },
      ],
    },
    {
      name: 'HelmChart downloading a chart: connection refused (its repository is healthy)',
      source:
        'https://github.com/fluxcd/source-controller/issues/192 (HelmChart "Get \\"https://charts.helm.sh/stable/packages/coredns-1.13.8.tgz\\": dial tcp: ..."); current wrapping: internal/helm/chart/builder_remote.go "failed to download chart for remote reference: %w" in a BuildError "chart pull error: ..."',
      objects: [
        obj('HelmRepository', 'stable', { spec: { url: 'https://charts.helm.sh/stable' }, status: READY() }),
        failing(
          'HelmChart',
          'kube-system-coredns',
          { chart: 'coredns', sourceRef: { kind: 'HelmRepository', name: 'stable' } },
          'ChartPullError',
          'chart pull error: failed to download chart for remote reference: Get "https://charts.helm.sh/stable/packages/coredns-1.13.8.tgz": dial tcp 10.0.0.12:443: connect: connection refused',
        ),
      ],
      expect: [
        {
          object: 'HelmChart/flux-system/kube-system-coredns',
          cause: 'refused',
          summary:
            'HelmChart flux-system/kube-system-coredns (via HelmRepository flux-system/stable) cannot reach https://charts.helm.sh/stable: charts.helm.sh refused or reset the connection',
          remediation: [/flux reconcile source helm stable -n flux-system/],
        },
      ],
    },
    {
      name: 'ImageRepository: registry times out (Warning event only, no condition message)',
      source:
        'https://github.com/fluxcd/image-reflector-controller/issues/148 (inner error "Get \\"https://git.something.com:5050/v2/\\": dial tcp …:5050: i/o timeout"); current prefix "scan failed: %w" with Ready=False ReadOperationFailed in imagerepository_controller.go',
      objects: [
        obj('ImageRepository', 'app', {
          spec: { image: 'git.something.com:5050/team/app' },
          status: status(['False', 'ReadOperationFailed', '']),
        }),
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'app.x', namespace: 'flux-system' },
          involvedObject: { kind: 'ImageRepository', namespace: 'flux-system', name: 'app' },
          reason: 'ReadOperationFailed',
          message: 'scan failed: Get "https://git.something.com:5050/v2/": dial tcp 10.20.30.40:5050: i/o timeout',
          type: 'Warning',
          count: 12,
          lastTimestamp: '2026-11-24T10:00:00Z',
        },
      ],
      expect: [
        {
          cause: 'timeout',
          summary:
            'ImageRepository flux-system/app cannot reach git.something.com:5050/team/app: the connection to git.something.com timed out (spec.timeout not set)',
          evidence: [/i\/o timeout/],
        },
      ],
    },
    {
      name: 'source v1beta1 (source-controller v0.2–v0.16): "unable to clone \'<url>\', error: …no such host"',
      source:
        'source-controller@v0.16.0 pkg/git/gogit/checkout.go "unable to clone \'%s\', error: %w" around go net DNSError',
      objects: [
        {
          ...failing(
            'GitRepository',
            'fleet',
            { url: 'https://gitlab.internal/ops/fleet.git', ref: { branch: 'main' } },
            'GitOperationFailed',
            'unable to clone \'https://gitlab.internal/ops/fleet.git\', error: Get "https://gitlab.internal/ops/fleet.git/info/refs?service=git-upload-pack": dial tcp: lookup gitlab.internal: no such host',
            'Ready',
          ),
          apiVersion: 'source.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [{ cause: 'dns', data: { host: 'gitlab.internal' } }],
    },
    {
      name: 'HelmRepository (v1beta2) through a proxy that refuses',
      source:
        'go net/http transport.go "proxyconnect %s: %w", wrapped by helmrepository_controller.go "failed to fetch Helm repository index: %w"',
      objects: [
        {
          ...failing(
            'HelmRepository',
            'charts',
            { url: 'https://charts.example.com', proxySecretRef: { name: 'proxy' } },
            'IndexationFailed',
            'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.example.com/index.yaml": proxyconnect tcp: dial tcp 10.1.1.1:3128: connect: connection refused',
          ),
          apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
        },
      ],
      expect: [
        {
          cause: 'proxy',
          summary:
            'HelmRepository flux-system/charts cannot reach https://charts.example.com: the proxy configured in Secret flux-system/proxy failed to connect to charts.example.com',
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'proxy' },
        },
      ],
    },
    {
      name: 'HelmRepository whose URL serves no index.yaml (404)',
      source: 'https://github.com/fluxcd/source-controller/issues/824',
      objects: [
        failing(
          'HelmRepository',
          'example',
          { url: 'https://example.com' },
          'IndexationFailed',
          'failed to fetch Helm repository index: failed to cache index to temporary file: failed to fetch https://example.com/index.yaml : 404 Not Found',
        ),
      ],
      expect: [
        {
          cause: 'index-not-found',
          summary:
            'HelmRepository flux-system/example cannot read the Helm repository index at https://example.com: the server answered 404 (check spec.url)',
        },
      ],
    },
  ],
});
