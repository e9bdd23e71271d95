// source-controller messages (GitRepository, HelmRepository incl. OCI, OCIRepository, Bucket, HelmChart):
// the condition messages of Ready/FetchFailed/BuildFailed/SourceVerified, the events and log lines.
// `versions` is the source-controller range (v0.1.0 of August 2020 to v1.9.x); the Go standard library,
// Helm and registry texts the controller wraps are cited with their own module. Git transport texts
// (go-git, x/crypto/ssh, libgit2) live in go-git.ts.
//
// Wording by era (what changed and when, read from the tags):
//   v0.1–v0.21  "auth secret error: <err>", "credentials secret error: <err>" (Bucket), "failed to download
//               repository index: <err>", "no chart version found for <name>-<version>", "git commit '<sha>' not found"
//   v0.22+      reconcilers rewritten: "failed to get secret '<ns>/<name>': <err>", "failed to fetch Helm repository
//               index: <err>", "no '<chart>' chart with version matching '<version>' found", "signature verification of
//               commit '<sha>' failed: <err>"
//   v0.25+      OCI HelmRepository, "failed to login to registry"; v0.26+ OCIRepository; v0.30+ cosign verification
//   v1.1+       proxy Secrets, "failed to get authentication secret '<ns>/<name>'"; v1.3+ notation; v1.7+ the
//               fluxcd/pkg/runtime/secrets reader ("secret '<ns>/<name>' not found", "secret '<ref>': proxy address is empty")
//
// Order matters: within this file, more specific patterns come first.

import type { MessagePattern, ReasonSignal } from './types.js';

const rx = (...parts: string[]) => new RegExp(parts.join(''));

/** `Get "https://host/..."` as net/http prefixes a transport error (quotes JSON-escaped in log lines). */
const HTTP_GET = String.raw`(?:(?:Get|GET|Head|HEAD|Post|POST) \\?"?https?://(?<host>[^/:"\\\s]+)[^"\\\s]*\\?"?: )?`;
/** A dial target: `host:port` or `[v6]:port`. */
const ADDR = String.raw`(?<host>\[[0-9a-fA-F:.]+\]|[\w.-]+):(?<port>\d+)`;
/** Kubernetes' NotFound text for a Secret (`secrets "x" not found`), or fluxcd/pkg/runtime/secrets' own. */
const SECRET_NOT_FOUND = String.raw`(?:secrets? \\?"[^"\\]+\\?" not found|secret '[^']+' not found)`;

export const PATTERNS: MessagePattern[] = [
  // ---------------------------------------------------------------- Secrets a source references
  {
    id: 'source-controller/get-secret-not-found',
    emitter: 'source-controller',
    code: 'source.secret-missing',
    cause: 'secret-not-found',
    re: rx(
      `failed to get (?:(?<what>TLS authentication|authentication|proxy|STS) )?secret '(?<secret>[^']+)': `,
      SECRET_NOT_FOUND,
    ),
    versions: '>=0.22.0',
    cite: 'source-controller@v1.9.1 internal/controller/gitrepository_controller.go "failed to get secret \'%s/%s\': %w"; internal/helm/getter/client_opts.go "failed to get authentication secret \'%s\': %w"',
    reasons: ['AuthenticationFailed'],
    samples: [
      // source-filled: GitRepository v1.x
      'failed to get secret \'flux-system/git-creds\': secrets "git-creds" not found',
      // source-filled: HelmRepository v1.1–v1.6 and v1.7+ (runtime/secrets reader)
      'failed to get authentication secret \'apps/helm-creds\': secrets "helm-creds" not found',
      "failed to get TLS authentication secret 'apps/repo-ca': secret 'apps/repo-ca' not found",
      // source-filled: GitRepository proxy Secret v1.1–v1.6
      'failed to get proxy secret \'flux-system/proxy\': secrets "proxy" not found',
    ],
  },
  {
    id: 'source-controller/secret-error-not-found',
    emitter: 'source-controller',
    code: 'source.secret-missing',
    cause: 'secret-not-found',
    re: rx(
      String.raw`(?<what>auth|credentials|PGP public keys|public keys) secret error: secrets? \\?"(?<secret>[^"\\]+)\\?" not found`,
    ),
    versions: '>=0.1.0',
    cite: 'source-controller@v0.21.0 controllers/gitrepository_controller.go "auth secret error: %w"; controllers/bucket_controller.go "credentials secret error: %w"; source-controller@v1.9.1 internal/controller/gitrepository_controller.go "public keys secret error: %w"',
    reasons: ['AuthenticationFailed', 'VerificationFailed'],
    samples: [
      // source-filled: GitRepository / HelmRepository / HelmChart before v0.22
      'auth secret error: secrets "flux-system" not found',
      // source-filled: Bucket before v0.22
      'credentials secret error: secrets "minio-creds" not found',
      // source-filled: spec.verify.secretRef, v0.1–v1.8 and v1.9+
      'PGP public keys secret error: secrets "pgp-keys" not found',
      'public keys secret error: secrets "signing-keys" not found',
    ],
  },
  {
    id: 'source-controller/secret-data-invalid',
    emitter: 'source-controller',
    code: 'source.secret-missing',
    cause: 'secret-keys-missing',
    re: /invalid '(?<secret>[^']+)' secret data(?: for '(?<sts>[^']+)' STS provider)?: (?<detail>required fields? [^\n]+|requires a [^\n]+|fields '[^']+' and '[^']+' require each other's presence|both certificate and private key need to be provided)/,
    versions: '>=0.1.0',
    cite: "source-controller@v1.9.1 internal/bucket/minio/minio.go \"invalid '%s' secret data: required fields 'accesskey' and 'secretkey'\"; internal/helm/getter/getter.go \"invalid '%s' secret data: required fields 'username' and 'password'\"; source-controller@v0.16.0 pkg/git/transport.go \"invalid '%s' secret data: required fields 'identity' and 'known_hosts'\"",
    reasons: ['AuthenticationFailed', 'BucketOperationFailed'],
    samples: [
      // source-filled
      "invalid 'minio-creds' secret data: required fields 'accesskey' and 'secretkey'",
      "failed to configure Helm client with secret data: invalid 'helm-creds' secret data: required fields 'username' and 'password'",
      "invalid 'flux-system' secret data: required fields 'identity' and 'known_hosts'",
      "invalid 'gcs-creds' secret data: required fields 'serviceaccount'",
      "invalid 'sts-creds' secret data for 'ldap' STS provider: required fields 'username', 'password'",
      "invalid 'repo-tls' secret data: fields 'certFile' and 'keyFile' require each other's presence",
    ],
  },
  {
    id: 'source-controller/runtime-secret-key-missing',
    emitter: 'source-controller',
    code: 'source.secret-missing',
    cause: 'secret-keys-missing',
    re: /secret '(?<secret>[^']+)'(?:: key '(?<key>[^']+)' not found| must contain exactly one of '[^']+' or '[^']+'|: (?:found certificate but missing private key|found private key but missing certificate|no CA certificate or client certificate pair found))/,
    versions: '>=1.7.0',
    cite: "github.com/fluxcd/pkg/runtime@v0.110.1 secrets/error.go KeyNotFoundError \"secret '%s': key '%s' not found\", TLSValidationError \"found certificate but missing private key\"; secrets/converter.go \"secret '%s' must contain exactly one of '%s' or '%s'\"",
    reasons: ['AuthenticationFailed'],
    samples: [
      "failed to get TLS config: secret 'flux-system/repo-tls': key 'ca.crt' not found",
      "secret 'apps/client-cert': found certificate but missing private key",
    ],
  },
  {
    id: 'source-controller/git-auth-option-missing',
    emitter: 'source-controller',
    code: 'source.secret-missing',
    cause: 'git-auth-key-missing',
    re: /invalid '(?<transport>ssh|https?)' auth option: '(?<key>identity|known_hosts|host|password)' (?:is required|requires 'username' to be set)/,
    versions: '>=0.17.0',
    cite: "source-controller@v0.31.0 pkg/git/options.go \"invalid '%s' auth option: 'known_hosts' is required\"; github.com/fluxcd/pkg/git@v0.52.0 options.go (source-controller v0.32+)",
    reasons: ['AuthenticationFailed'],
    samples: [
      // source-filled: an SSH URL with a Secret that has only username/password
      "failed to configure authentication options: invalid 'ssh' auth option: 'identity' is required",
      "invalid 'ssh' auth option: 'known_hosts' is required",
      "invalid 'https' auth option: 'password' requires 'username' to be set",
    ],
  },
  {
    id: 'source-controller/proxy-address-missing',
    emitter: 'source-controller',
    code: 'source.secret-missing',
    cause: 'proxy-address-missing',
    re: /(?:invalid proxy secret|secret) '(?<secret>[^']+)': (?:key 'address' is missing|proxy address is empty)/,
    versions: '>=1.1.0',
    cite: "source-controller@v1.6.0 internal/controller/gitrepository_controller.go \"invalid proxy secret '%s/%s': key 'address' is missing\"; github.com/fluxcd/pkg/runtime@v0.110.1 secrets/converter.go \"secret '%s': proxy address is empty\"",
    reasons: ['AuthenticationFailed'],
    samples: [
      // source-filled
      "failed to configure proxy options: invalid proxy secret 'flux-system/proxy': key 'address' is missing",
      "failed to get proxy address: secret 'flux-system/proxy': proxy address is empty",
    ],
  },
  {
    id: 'source-controller/ssh-identity-password-missing',
    emitter: 'source-controller',
    code: 'source.secret-missing',
    cause: 'ssh-identity-password-missing',
    re: /SSH identity key is encrypted but no 'password' field was provided in the secret '(?<secret>[^']+)'/,
    versions: '>=1.9.0',
    cite: "source-controller@v1.9.1 internal/controller/gitrepository_controller.go \"SSH identity key is encrypted but no 'password' field was provided in the secret '%s/%s'\"",
    reasons: ['AuthenticationFailed'],
    samples: [
      "SSH identity key is encrypted but no 'password' field was provided in the secret 'flux-system/deploy-key'",
    ],
  },
  {
    id: 'source-controller/github-app-secret',
    emitter: 'source-controller',
    code: 'source.secret-missing',
    cause: 'github-app-config',
    re: /(?:secretRef with github app data must be specified when provider is set to github|secretRef '(?<secret>[^']+)' has github app data but provider is not set to github)/,
    versions: '>=1.5.0',
    cite: 'source-controller@v1.9.1 internal/controller/gitrepository_controller.go "secretRef with github app data must be specified when provider is set to github"',
    reasons: ['InvalidProviderConfiguration'],
    samples: [
      'secretRef with github app data must be specified when provider is set to github',
      "secretRef 'flux-system/gh-app' has github app data but provider is not set to github",
    ],
  },
  {
    id: 'source-controller/verify-keys-missing',
    emitter: 'source-controller',
    code: 'source.secret-missing',
    cause: 'verify-keys-missing',
    re: /(?:(?:PGP|SSH) signature detected but no (?:PGP|SSH) public keys found in secret|(?:no public keys found|no certificates found|'(?<key>[^']+)' not found) in secret '(?<secret>[^']+)'|verification secret cannot be empty)/,
    versions: '>=0.31.0',
    cite: 'source-controller@v1.9.1 internal/controller/helmchart_controller.go "no public keys found in secret \'%s\'"; internal/controller/ocirepository_controller.go "\'%s\' not found in secret \'%s\'"; internal/controller/gitrepository_controller.go "PGP signature detected but no PGP public keys found in secret (keys with %s suffix)"',
    reasons: ['VerificationError'],
    samples: [
      "no public keys found in secret 'flux-system/cosign-pub'",
      "'trustpolicy.json' not found in secret 'apps/notation-config'",
      'PGP signature detected but no PGP public keys found in secret (keys with .asc suffix)',
    ],
  },
  {
    id: 'source-controller/dockerconfig-host-missing',
    emitter: 'source-controller',
    code: 'source.secret-missing',
    cause: 'dockerconfig-host-missing',
    re: /no auth config for '(?<host>[^']+)' in the docker-registry Secret '(?<secret>[^']+)'/,
    versions: '>=0.25.0',
    cite: "source-controller@v1.9.1 internal/helm/registry/auth.go \"no auth config for '%s' in the docker-registry Secret '%s'\"",
    reasons: ['AuthenticationFailed'],
    samples: [
      "failed to configure Helm client with secret data: no auth config for 'ghcr.io' in the docker-registry Secret 'regcred'",
    ],
  },
  {
    id: 'source-controller/dockerconfig-invalid',
    emitter: 'source-controller',
    code: 'source.secret-missing',
    cause: 'dockerconfig-invalid',
    re: /unable to (?:load Docker config|get authentication data) from Secret '(?<secret>[^']+)'/,
    versions: '>=0.25.0',
    cite: 'source-controller@v1.9.1 internal/helm/registry/auth.go "unable to load Docker config from Secret \'%s\': %w"',
    reasons: ['AuthenticationFailed'],
    samples: ["unable to load Docker config from Secret 'regcred': unexpected end of JSON input"],
  },

  // ---------------------------------------------------------------- verification (cosign, notation, OpenPGP, SSH)
  {
    id: 'source-controller/git-commit-signature-failed',
    emitter: 'source-controller',
    code: 'source.verification-failed',
    cause: 'commit-signature-invalid',
    re: /signature verification of commit '(?<commit>[^']+)' failed: /,
    versions: '>=0.22.0',
    cite: 'source-controller@v1.9.1 internal/controller/gitrepository_controller.go "signature verification of commit \'%s\' failed: %w"',
    reasons: ['VerificationError', 'VerificationFailed'],
    samples: [
      "signature verification of commit 'main@sha1:1a2b3c4d5e6f' failed: unable to verify Git commit: unable to verify payload with any of the given key rings",
      "signature verification of commit '6a1f0c9' failed: unable to verify Git commit SSH signature: no matching key",
    ],
  },
  {
    id: 'source-controller/git-tag-signature-failed',
    emitter: 'source-controller',
    code: 'source.verification-failed',
    cause: 'tag-signature-invalid',
    re: /signature verification of tag '(?<tag>[^']+)' failed: /,
    versions: '>=1.1.0',
    cite: 'source-controller@v1.9.1 internal/controller/gitrepository_controller.go "signature verification of tag \'%s\' failed: %w"',
    reasons: ['VerificationError', 'VerificationFailed'],
    samples: [
      "signature verification of tag 'v1.2.0@sha1:9f0e1d2c' failed: unable to verify Git tag: unable to verify payload with any of the given key rings",
    ],
  },
  {
    id: 'source-controller/git-not-signed',
    emitter: 'source-controller',
    code: 'source.verification-failed',
    cause: 'not-signed',
    re: /(?:no PGP signature found for commit: (?<commit>\S+)|commit does not have a PGP signature|cannot verify signature of tag '(?<tag>[^']+)' since it is not signed|unable to verify payload as the provided signature is empty)/,
    versions: '>=0.1.0',
    cite: 'source-controller@v0.16.0 controllers/gitrepository_controller.go "no PGP signature found for commit: %s"; source-controller@v0.31.0 pkg/git/git.go "commit does not have a PGP signature"; source-controller@v1.9.1 internal/controller/gitrepository_controller.go "cannot verify signature of tag \'%s\' since it is not signed"',
    reasons: ['VerificationFailed', 'VerificationError'],
    samples: [
      'no PGP signature found for commit: 1a2b3c4d5e6f7a8b9c0d',
      "signature verification of commit 'main/1a2b3c4' failed: commit does not have a PGP signature",
      "cannot verify signature of tag 'v1.0.0' since it is not signed",
    ],
  },
  {
    id: 'source-controller/git-pgp-keyring-mismatch',
    emitter: 'source-controller',
    code: 'source.verification-failed',
    cause: 'signature-invalid',
    re: /(?:PGP signature '(?<signature>[^']*)' of '(?<signer>[^']*)' can't be verified|(?:failed|unable) to verify commit with any of the given key rings|unable to verify payload with any of the given key rings)/,
    versions: '>=0.1.0',
    cite: 'source-controller@v0.16.0 controllers/gitrepository_controller.go "PGP signature \'%s\' of \'%s\' can\'t be verified"; source-controller@v0.31.0 pkg/git/git.go "failed to verify commit with any of the given key rings"; github.com/fluxcd/pkg/git@v0.14.1 git.go "unable to verify payload with any of the given key rings"',
    reasons: ['VerificationFailed'],
    samples: [
      "PGP signature 'AB12CD34EF56' of 'Jane Doe <jane@example.com>' can't be verified",
      "signature verification of commit 'main/5d7f2e1' failed: failed to verify commit with any of the given key rings",
    ],
  },
  {
    id: 'source-controller/oci-no-matching-signatures',
    emitter: 'source-controller',
    code: 'source.verification-failed',
    cause: 'no-matching-signature',
    re: /(?:no matching signatures were found for '(?<ref>[^']+)'|no matching signatures|signature verification failed for all the signatures associated with (?<artifact>\S+))/,
    versions: '>=0.30.0',
    cite: 'source-controller@v1.9.1 internal/controller/ocirepository_controller.go "no matching signatures were found for \'%s\'"; internal/oci/notation/notation.go "signature verification failed for all the signatures associated with %s"; github.com/sigstore/cosign/v2@v2.2.0 pkg/cosign/errors.go "no matching signatures"',
    reasons: ['VerificationError'],
    samples: [
      "failed to verify the signature using provider 'cosign': no matching signatures were found for 'ghcr.io/org/manifests:1.0.0'",
      "failed to verify the signature using provider 'cosign': no matching signatures: none of the expected identities matched what was in the certificate",
      "failed to verify the signature using provider 'notation': signature verification failed for all the signatures associated with ghcr.io/org/app@sha256:0f2b",
    ],
  },
  {
    id: 'source-controller/oci-signature-failed',
    emitter: 'source-controller',
    code: 'source.verification-failed',
    cause: 'signature-invalid',
    re: /failed to verify (?:the signature|OCI image signature '[^']*') using provider '(?<provider>[^']+)'/,
    versions: '>=0.30.0',
    cite: 'source-controller@v1.9.1 internal/controller/ocirepository_controller.go "failed to verify the signature using provider \'%s\': %w"; internal/controller/helmchart_controller.go (same format)',
    reasons: ['VerificationError'],
    samples: [
      "failed to verify the signature using provider 'cosign': unable to get Rekor public keys: context deadline exceeded",
    ],
  },
  {
    id: 'source-controller/chart-verification-error',
    emitter: 'source-controller',
    code: 'source.verification-failed',
    cause: 'chart-signature-invalid',
    re: /chart verification error: /,
    versions: '>=0.31.0',
    cite: 'source-controller@v1.9.1 internal/helm/chart/errors.go ErrChartVerification "chart verification error"',
    reasons: ['ChartVerificationError', 'VerificationError'],
    samples: [
      'chart verification error: failed to verify oci://ghcr.io/stefanprodan/charts/podinfo:6.2.1: no matching signatures',
    ],
  },

  // ---------------------------------------------------------------- HelmChart: chart, version, path, values, dependencies
  {
    id: 'source-controller/chart-version-not-found',
    emitter: 'source-controller',
    code: 'helm.chart-not-found',
    cause: 'version-not-found',
    re: /no '(?<chart>[^']+)' chart with version matching '(?<version>[^']+)' found/,
    versions: '>=0.19.0',
    cite: "source-controller@v1.9.1 internal/helm/repository/chart_repository.go \"no '%s' chart with version matching '%s' found\"",
    reasons: ['ChartPullError', 'ChartPullFailed'],
    samples: [
      "chart pull error: failed to get chart version for remote reference: no 'podinfo' chart with version matching '9.9.9' found",
      "invalid chart reference: failed to get chart version for remote reference: no 'ingress-nginx' chart with version matching '>=5.0.0 <6.0.0' found",
    ],
  },
  {
    id: 'source-controller/chart-version-not-found-v0',
    emitter: 'source-controller',
    code: 'helm.chart-not-found',
    cause: 'version-not-found',
    re: /no chart version found for (?<chart>\S+)-(?<version>v?\d[^\s]*|[<>=~^*][^\s]*)/,
    versions: '>=0.1.0 <0.19.0',
    cite: 'source-controller@v0.18.0 internal/helm/repository.go "no chart version found for %s-%s"',
    reasons: ['ChartPullFailed'],
    samples: ['no chart version found for podinfo-9.9.9', 'no chart version found for cert-manager-1.2.3-rc.1'],
  },
  {
    id: 'source-controller/chart-name-not-found',
    emitter: 'source-controller',
    code: 'helm.chart-not-found',
    cause: 'chart-not-in-index',
    re: /(?:failed to get chart version for remote reference|chart pull error)[^\n]{0,120}?: no chart name found/,
    versions: '>=0.19.0',
    cite: 'source-controller@v1.9.1 internal/helm/repository/chart_repository.go returns helm.sh/helm/v4@v4.2.2 pkg/repo/v1/index.go ErrNoChartName "no chart name found"',
    reasons: ['ChartPullError'],
    samples: ['chart pull error: failed to get chart version for remote reference: no chart name found'],
  },
  {
    id: 'source-controller/oci-chart-version-not-found',
    emitter: 'source-controller',
    code: 'helm.chart-not-found',
    cause: 'oci-chart-version-not-found',
    re: /(?:could not locate a version matching provided version string (?<version>\S+)|unable to locate any tags in provided repository: (?<repository>\S+))/,
    versions: '>=0.25.0',
    cite: 'source-controller@v1.9.1 internal/helm/repository/oci_chart_repository.go "could not locate a version matching provided version string %s", "unable to locate any tags in provided repository: %s"',
    reasons: ['ChartPullError'],
    samples: [
      'chart pull error: failed to get chart version for remote reference: could not locate a version matching provided version string 7.x',
      'chart pull error: failed to get chart version for remote reference: unable to locate any tags in provided repository: oci://ghcr.io/org/charts/app',
    ],
  },
  {
    id: 'source-controller/oci-chart-manifest-unknown',
    emitter: 'source-controller',
    code: 'helm.chart-not-found',
    cause: 'oci-chart-version-not-found',
    re: /failed to (?:download chart for remote reference|get chart version for remote reference)[^\n]{0,400}?(?:MANIFEST_UNKNOWN|manifest unknown|NAME_UNKNOWN|name unknown)/,
    versions: '>=0.25.0',
    cite: 'source-controller@v1.9.1 internal/helm/chart/builder_remote.go "failed to download chart for remote reference: %w" with internal/helm/repository/oci_chart_repository.go "failed to get \'%s\': %w" and the registry\'s MANIFEST_UNKNOWN',
    reasons: ['ChartPullError'],
    samples: [
      "chart pull error: failed to download chart for remote reference: failed to get 'oci://ghcr.io/org/charts/app:1.2.3': ghcr.io/org/charts/app:1.2.3: not found: MANIFEST_UNKNOWN: manifest unknown",
    ],
  },
  {
    id: 'source-controller/chart-path-missing',
    emitter: 'source-controller',
    code: 'helm.chart-not-found',
    cause: 'chart-path-missing',
    re: /(?:invalid chart reference|chart reference error|chart location read error|chart path error): (?:l?stat|open) (?<path>\S+): no such file or directory/,
    versions: '>=0.1.0',
    cite: 'source-controller@v1.9.1 internal/helm/chart/errors.go ErrChartReference "invalid chart reference" (v0.19–v0.21 "chart reference error"); source-controller@v0.18.0 controllers/helmchart_controller.go "chart location read error: %w"',
    reasons: ['InvalidChartReference', 'ChartPullError'],
    samples: [
      'invalid chart reference: stat /tmp/helmchart-flux-system-apps-1234/source/charts/podinfo: no such file or directory',
      'chart location read error: stat /tmp/helmchart-012345/charts/app: no such file or directory',
    ],
  },
  {
    id: 'source-controller/chart-values-file-missing',
    emitter: 'source-controller',
    code: 'helm.values-invalid',
    cause: 'values-file-missing',
    re: /(?:no values file found at path '(?<path>[^']+)'|failed to locate override values file: \S+|invalid values file path: \S+|failed to (?:open|read from) values file '[^']+')/,
    versions: '>=0.1.0',
    cite: 'source-controller@v1.9.1 internal/helm/chart/builder_local.go "no values file found at path \'%s\' (reference \'%s\')"; source-controller@v0.5.0 internal/helm/chart.go "failed to locate override values file: %s"',
    reasons: ['ValuesFilesError'],
    samples: [
      "values files merge error: no values file found at path 'values-prod.yaml' (reference './charts/app')",
      'failed to locate override values file: values-prod.yaml',
    ],
  },
  {
    id: 'source-controller/chart-dependency',
    emitter: 'source-controller',
    code: 'helm.chart-dependency',
    cause: 'dependency-unresolved',
    re: /(?:failed to add (?:remote|local) dependency '(?<dependency>[^']+)'|dependency build error: |can't get a valid version for (?:dependency|constraint) '[^']+'|no chart repository for URL '(?<repository>[^']+)'|no chart found at '[^']+' \(reference '[^']*'\)|dependency '?[^\s']+'? has an invalid version\/constraint format)/,
    versions: '>=0.2.0',
    cite: "source-controller@v1.9.1 internal/helm/chart/dependency_manager.go \"failed to add remote dependency '%s': %w\", \"no chart repository for URL '%s'\"; source-controller@v0.18.0 internal/helm/dependency_manager.go \"can't get a valid version for dependency '%s'\"",
    reasons: ['DependencyBuildError'],
    samples: [
      "dependency build error: failed to add remote dependency 'redis': no chart repository for URL 'https://charts.bitnami.com/bitnami'",
      "can't get a valid version for dependency 'postgresql'",
      "dependency build error: failed to add local dependency 'common': no chart found at '/tmp/helmchart-1/charts/common' (reference '../common')",
    ],
  },

  // ---------------------------------------------------------------- the reference does not exist at the remote
  {
    id: 'source-controller/oci-manifest-unknown',
    emitter: 'source-controller',
    code: 'source.ref-not-found',
    cause: 'oci-tag-not-found',
    re: /(?:failed to determine artifact digest|failed to determine the artifact tag for '[^']*'|failed to pull artifact from '[^']*')[^\n]{0,400}?(?:\/manifests\/(?<tag>[^\s:/]+): )?(?<error>MANIFEST_UNKNOWN|manifest unknown|NAME_UNKNOWN|name unknown)/,
    versions: '>=0.26.0',
    cite: 'source-controller@v1.9.1 internal/controller/ocirepository_controller.go "failed to determine artifact digest: %w", "failed to pull artifact from \'%s\': %w" with the registry\'s MANIFEST_UNKNOWN (github.com/google/go-containerregistry@v0.20.0 pkg/v1/remote/transport/error.go)',
    reasons: ['OCIArtifactPullFailed', 'ReadOperationFailed'],
    samples: [
      // fluxcd/flux2#5329 (OCIRepository for a tag that was never pushed)
      'failed to determine artifact digest: GET https://ghcr.io/v2/stefanprodan/charts/podinfo/manifests/6.0.0: MANIFEST_UNKNOWN: manifest unknown',
      // source-filled: the same format from the source, verbs filled in
      "failed to pull artifact from 'oci://ghcr.io/org/manifests/app': GET https://ghcr.io/v2/org/manifests/app/manifests/latest: NAME_UNKNOWN: repository name not known to registry",
    ],
  },
  {
    id: 'source-controller/semver-no-match',
    emitter: 'source-controller',
    code: 'source.ref-not-found',
    cause: 'semver-no-match',
    re: /no match found for semver: (?<semver>[^\n,]+?)(?=$|[\n,"]|: )/,
    versions: '>=0.1.0',
    cite: 'source-controller@v1.9.1 internal/controller/ocirepository_controller.go "no match found for semver: %s"; source-controller@v0.16.0 pkg/git/checkout.go (same); github.com/fluxcd/pkg/git/gogit@v0.1.0 clone.go (same)',
    reasons: ['GitOperationFailed', 'OCIArtifactPullFailed'],
    samples: [
      'failed to checkout and determine revision: no match found for semver: >=2.0.0 <3.0.0',
      "failed to determine the artifact tag for 'oci://ghcr.io/org/manifests': no match found for semver: 9.x",
    ],
  },
  {
    id: 'source-controller/git-commit-not-found',
    emitter: 'source-controller',
    code: 'source.ref-not-found',
    cause: 'commit-not-found',
    re: /git commit '(?<commit>[^']+)' not found/,
    versions: '>=0.1.0 <0.32.0',
    cite: 'source-controller@v0.31.0 pkg/git/libgit2/checkout.go "git commit \'%s\' not found: %w"',
    reasons: ['GitOperationFailed'],
    samples: ["git commit 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' not found: object not found"],
  },
  {
    id: 'source-controller/git-repository-empty',
    emitter: 'source-controller',
    code: 'source.ref-not-found',
    cause: 'empty-repository',
    re: /git repository is empty/,
    versions: '>=0.35.0',
    cite: 'source-controller@v1.9.1 internal/controller/gitrepository_controller.go "git repository is empty"',
    reasons: ['GitOperationFailed'],
    samples: ['failed to checkout and determine revision: git repository is empty'],
  },
  {
    id: 'source-controller/sparse-checkout-dir-missing',
    emitter: 'source-controller',
    code: 'source.ref-not-found',
    cause: 'sparse-dir-missing',
    re: /sparse checkout dir '(?<path>[^']+)' (?:does not exist in repository|cannot be resolved)/,
    versions: '>=1.6.0',
    cite: 'source-controller@v1.9.1 internal/controller/gitrepository_controller.go "sparse checkout dir \'%s\' does not exist in repository: %w"',
    reasons: ['GitOperationFailed'],
    samples: [
      "sparse checkout dir './clusters/staging' does not exist in repository: stat /tmp/gitrepository-1/clusters/staging: no such file or directory",
    ],
  },
  {
    id: 'source-controller/bucket-not-found',
    emitter: 'source-controller',
    code: 'source.ref-not-found',
    cause: 'bucket-not-found',
    re: /bucket '(?<bucket>[^']+)' not found/,
    versions: '>=0.1.0',
    cite: 'source-controller@v1.9.1 internal/controller/bucket_controller.go "bucket \'%s\' not found"',
    reasons: ['BucketOperationFailed'],
    samples: ["bucket 'flux-artifacts' not found"],
  },
  {
    id: 'source-controller/include-missing',
    emitter: 'source-controller',
    code: 'flux.reference-missing',
    cause: 'include-missing',
    re: /could not get resource for include '(?<include>[^']+)': gitrepositor(?:y|ies)(?:\.source\.toolkit\.fluxcd\.io)? \\?"[^"\\]+\\?" not found/,
    versions: '>=0.22.0',
    cite: 'source-controller@v1.9.1 internal/controller/gitrepository_controller.go "could not get resource for include \'%s\': %w"',
    reasons: ['IncludeUnavailable'],
    samples: [
      'could not get resource for include \'shared-config\': gitrepositories.source.toolkit.fluxcd.io "shared-config" not found',
    ],
  },

  // ---------------------------------------------------------------- credentials the remote rejects
  {
    id: 'source-controller/helm-repository-unauthorized',
    emitter: 'source-controller',
    code: 'source.auth',
    cause: 'helm-repository-unauthorized',
    re: /(?:failed to (?:fetch Helm repository index|download repository index|cache index to temporary file|download chart for remote reference)|chart pull error|is not a valid chart repository or cannot be reached)[^\n]{0,300}?failed to fetch (?<url>\S+) : (?<status>40[13])\b/,
    versions: '>=0.1.0',
    cite: 'source-controller@v1.9.1 internal/controller/helmrepository_controller.go "failed to fetch Helm repository index: %w" with helm.sh/helm/v4@v4.2.2 pkg/getter/httpgetter.go "failed to fetch %s : %s"',
    reasons: ['AuthenticationFailed', 'IndexationFailed', 'ChartPullError'],
    samples: [
      // fluxcd/source-controller#976 (v0.32, Artifactory)
      'failed to fetch Helm repository index: failed to cache index to temporary file: failed to fetch https://artifactory.mydomain.com/artifactory/helm-charts-test/index.yaml : 403 Forbidden',
      // source-filled: the same format from the source, verbs filled in
      'failed to download repository index: failed to fetch https://charts.example.com/index.yaml : 401 Unauthorized',
    ],
  },
  {
    id: 'source-controller/oci-registry-unauthorized',
    emitter: 'source-controller',
    code: 'source.auth',
    cause: 'registry-unauthorized',
    re: /(?:UNAUTHORIZED: (?:authentication required|access to the requested resource is not authorized)|unexpected status code 40[13]: (?:unauthorized|denied|forbidden)|response status code 40[13]: (?:unauthorized|denied|forbidden)|DENIED: (?:requested access to the resource is denied|[^\n;]{1,200}))/,
    versions: '>=0.25.0',
    cite: 'github.com/google/go-containerregistry@v0.20.0 pkg/v1/remote/transport/error.go "%s: %s" (code: message, e.g. UNAUTHORIZED); oras.land/oras-go/v2@v2.5.0 registry/remote/errcode "response status code %d: %s" as wrapped by source-controller@v1.9.1 internal/controller/ocirepository_controller.go and helmchart_controller.go',
    reasons: ['AuthenticationFailed', 'OCIArtifactPullFailed', 'ChartPullError'],
    samples: [
      // helm/helm#12423 (a Flux HelmChart pulling from an OCI HelmRepository)
      'chart pull error: failed to get chart version for remote reference: could not get tags for "external-dns": could not fetch tags for "oci://registry-1.docker.io/bitnamicharts/external-dns/external-dns": GET "https://registry-1.docker.io/v2/bitnamicharts/external-dns/external-dns/tags/list": unexpected status code 401: unauthorized: authentication required',
      // source-filled: OCIRepository without credentials
      'failed to determine artifact digest: GET https://ghcr.io/v2/org/private/manifests/latest: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:org/private Type:repository]]',
      'failed to determine artifact digest: GET https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/app/manifests/1.0.0: DENIED: Your authorization token has expired. Reauthenticate and try again.',
    ],
  },
  {
    id: 'source-controller/oci-login-failed',
    emitter: 'source-controller',
    code: 'source.auth',
    cause: 'registry-login-failed',
    re: /failed to (?:login|log into) (?:to )?(?:OCI (?:chart )?(?:registry|repository)|registry '(?<registry>[^']+)'|OCI chart repository for HelmRepository '[^']+')/,
    versions: '>=0.25.0',
    cite: 'source-controller@v1.7.0 internal/controller/helmchart_controller.go "failed to login to OCI registry: %w"; source-controller@v1.1.0 internal/controller/helmrepository_controller_oci.go "failed to login to registry \'%s\': %w"',
    reasons: ['AuthenticationFailed'],
    samples: [
      'failed to login to registry \'ghcr.io\': Get "https://ghcr.io/v2/": denied: denied',
      'failed to login to OCI registry: login attempt to https://registry.example.com/v2/ failed with status: 401 Unauthorized',
    ],
  },
  {
    id: 'source-controller/cloud-credential-failed',
    emitter: 'source-controller',
    code: 'source.auth',
    cause: 'cloud-credential-failed',
    re: /(?:failed to get credential from '?(?<provider>[\w-]+)'?: |failed to authenticate with the Helm repository: |AWS authentication failed: |failed to create (?:token|shared) credential from '(?<secret>[^']+)' Secret)/,
    versions: '>=0.26.0',
    cite: 'source-controller@v1.9.1 internal/controller/ocirepository_controller.go "failed to get credential from %s: %w"; internal/helm/getter/client_opts.go "failed to get credential from \'%s\': %w"; internal/bucket/minio/minio.go "AWS authentication failed: %w"',
    reasons: ['AuthenticationFailed'],
    samples: [
      'failed to get credential from aws: operation error ECR: GetAuthorizationToken, failed to sign request: failed to retrieve credentials',
      "failed to get credential from 'azure': DefaultAzureCredential: failed to acquire a token",
    ],
  },
  {
    id: 'source-controller/bucket-access-denied',
    emitter: 'source-controller',
    code: 'source.auth',
    cause: 'bucket-credentials-rejected',
    re: /(?:failed to confirm existence of '(?<bucket>[^']+)' bucket: |listing objects from bucket '[^']+' failed: |indexation of objects from bucket '[^']+' failed: )?(?:Access Denied\.?|The Access Key Id you provided does not exist in our records|The request signature we calculated does not match the signature you provided|\bInvalidAccessKeyId\b|\bSignatureDoesNotMatch\b|the specified bucket name may be incorrect, nonexistent, or the caller might lack sufficient permissions|Bucket name may be incorrect, it does not exist or caller does not have enough permissions)/,
    versions: '>=0.1.0',
    cite: 'source-controller@v1.9.1 internal/controller/bucket_controller.go "failed to confirm existence of \'%s\' bucket: %w" with the S3 error text (github.com/minio/minio-go/v7); pkg/azure/blob.go "the specified bucket name may be incorrect, nonexistent, or the caller might lack sufficient permissions to access it: %w"',
    reasons: ['BucketOperationFailed', 'AuthenticationFailed'],
    samples: [
      "failed to confirm existence of 'flux-artifacts' bucket: Access Denied.",
      "failed to confirm existence of 'flux' bucket: The Access Key Id you provided does not exist in our records.",
      "indexation of objects from bucket 'manifests' failed: the specified bucket name may be incorrect, nonexistent, or the caller might lack sufficient permissions to access it: GET https://acct.blob.core.windows.net/manifests",
    ],
  },

  // ---------------------------------------------------------------- TLS (Go crypto/tls and crypto/x509)
  {
    id: 'source-controller/tls-hostname-mismatch',
    emitter: 'source-controller',
    code: 'source.tls',
    cause: 'hostname-mismatch',
    re: /x509: (?:certificate is valid for (?<names>[^\n]+?), not (?<wanted>[\w.*-]+)|certificate is not valid for any names, but wanted to match [\w.*-]+|certificate relies on legacy Common Name field|cannot validate certificate for (?<ip>[\d.:a-fA-F]+) because it doesn't contain any IP SANs)/,
    versions: '>=0.1.0',
    cite: 'go@1.22.0 src/crypto/x509/verify.go HostnameError "x509: certificate is valid for %s, not %s"',
    reasons: ['ChartPullError', 'IndexationFailed', 'GitOperationFailed'],
    samples: [
      // fluxcd/source-controller#510 (corporate TLS interception; HelmChart v0.19)
      'chart pull error: failed to download chart for remote reference: Get "https://github.com/kubernetes/ingress-nginx/releases/download/helm-chart-4.0.10/ingress-nginx-4.0.10.tgz": x509: certificate is valid for github.com, www.github.com, not kubernetes.github.io',
      // source-filled: the same format from the source, verbs filled in
      'failed to determine artifact digest: Get "https://10.0.0.5:5000/v2/": tls: failed to verify certificate: x509: cannot validate certificate for 10.0.0.5 because it doesn\'t contain any IP SANs',
    ],
  },
  {
    id: 'source-controller/tls-unknown-authority',
    emitter: 'source-controller',
    code: 'source.tls',
    cause: 'unknown-ca',
    re: rx(HTTP_GET, `(?:tls: failed to verify certificate: )?x509: certificate signed by unknown authority`),
    versions: '>=0.1.0',
    cite: 'go@1.22.0 src/crypto/x509/verify.go UnknownAuthorityError "x509: certificate signed by unknown authority"',
    reasons: ['IndexationFailed', 'GitOperationFailed', 'OCIArtifactPullFailed', 'ChartPullError'],
    samples: [
      // source-filled: HelmRepository behind a private CA, Go >= 1.20 wording
      'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.internal.example/index.yaml": tls: failed to verify certificate: x509: certificate signed by unknown authority',
      // source-filled: GitRepository v0.x
      'unable to clone \'https://git.internal.example/ops/fleet.git\', error: Get "https://git.internal.example/ops/fleet.git/info/refs?service=git-upload-pack": x509: certificate signed by unknown authority',
    ],
  },
  {
    id: 'source-controller/tls-expired',
    emitter: 'source-controller',
    code: 'source.tls',
    cause: 'certificate-expired',
    re: /x509: certificate has expired or is not yet valid(?:: current time (?<now>\S+) is (?:after|before) (?<bound>\S+))?/,
    versions: '>=0.1.0',
    cite: 'go@1.22.0 src/crypto/x509/verify.go CertificateInvalidError Expired "x509: certificate has expired or is not yet valid: %s"',
    reasons: ['IndexationFailed', 'GitOperationFailed'],
    samples: [
      'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.example.com/index.yaml": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2024-03-01T10:00:00Z is after 2024-02-28T23:59:59Z',
    ],
  },
  {
    id: 'source-controller/tls-ca-data-invalid',
    emitter: 'source-controller',
    code: 'source.tls',
    cause: 'ca-data-invalid',
    re: /(?:cannot append certificate into certificate pool: invalid (?:caFile|CA certificate)|failed to parse CA certificate|PEM CA bundle could not be appended to x509 certificate pool)/,
    versions: '>=0.22.0',
    cite: 'source-controller@v1.0.0 internal/helm/getter/getter.go "cannot append certificate into certificate pool: invalid caFile"; source-controller@v1.6.0 internal/tls/config.go "... invalid CA certificate"; github.com/fluxcd/pkg/runtime@v0.110.1 secrets/converter.go "failed to parse CA certificate"',
    reasons: ['AuthenticationFailed'],
    samples: [
      'failed to create TLS client config with secret data: cannot append certificate into certificate pool: invalid caFile',
      "failed to construct Helm client's TLS config: cannot append certificate into certificate pool: invalid CA certificate",
      "failed to get TLS config: secret 'flux-system/repo-ca': failed to parse CA certificate",
    ],
  },
  {
    id: 'source-controller/tls-alert',
    emitter: 'source-controller',
    code: 'source.tls',
    cause: 'tls-alert',
    re: /remote error: tls: (?<alert>bad certificate|certificate required|handshake failure|unknown certificate authority|unknown certificate|protocol version not supported)/,
    versions: '>=0.1.0',
    cite: 'go@1.22.0 src/crypto/tls/alert.go "remote error: tls: %s"',
    reasons: ['IndexationFailed', 'GitOperationFailed'],
    samples: [
      'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.mtls.example/index.yaml": remote error: tls: certificate required',
    ],
  },
  {
    id: 'source-controller/tls-scheme-mismatch',
    emitter: 'source-controller',
    code: 'source.tls',
    cause: 'scheme-mismatch',
    re: /(?:http: server gave HTTP response to HTTPS client|first record does not look like a TLS handshake)/,
    versions: '>=0.1.0',
    cite: 'go@1.22.0 src/net/http/transport.go "http: server gave HTTP response to HTTPS client"; src/crypto/tls/conn.go "tls: first record does not look like a TLS handshake"',
    reasons: ['OCIArtifactPullFailed', 'IndexationFailed'],
    samples: [
      'failed to determine artifact digest: Get "https://registry.local:5000/v2/": http: server gave HTTP response to HTTPS client',
    ],
  },

  // ---------------------------------------------------------------- the remote cannot be reached (Go net)
  {
    id: 'source-controller/dns-lookup-failed',
    emitter: 'source-controller',
    code: 'source.unreachable',
    cause: 'dns',
    re: /lookup (?<host>[\w.-]+)(?: on (?<resolver>[\w.:[\]-]+))?: (?<error>no such host|server misbehaving|(?:read|dial) udp [^\s]+: (?:i\/o timeout|connect: [^\n]+|read: connection refused)|i\/o timeout)/,
    versions: '>=0.1.0',
    cite: 'go@1.22.0 src/net/net.go DNSError "lookup %s on %s: %s" ("no such host", "server misbehaving")',
    reasons: ['IndexationFailed', 'GitOperationFailed', 'OCIArtifactPullFailed', 'BucketOperationFailed'],
    samples: [
      // fluxcd/source-controller#192 (v0.7, HelmRepository and GitRepository log lines)
      'failed to download repository index: Get "https://charts.bitnami.com/bitnami/index.yaml": dial tcp: lookup charts.bitnami.com on 10.43.0.10:53: server misbehaving',
      // the same line as it stands in the JSON log of that report
      'failed to download repository index: Get \\"https://charts.bitnami.com/bitnami/index.yaml\\": dial tcp: lookup charts.bitnami.com on 10.43.0.10:53: server misbehaving',
      // source-filled
      'failed to checkout and determine revision: unable to clone \'https://gitlab.internal/ops/fleet.git\': Get "https://gitlab.internal/ops/fleet.git/info/refs?service=git-upload-pack": dial tcp: lookup gitlab.internal: no such host',
    ],
  },
  {
    id: 'source-controller/connection-refused',
    emitter: 'source-controller',
    code: 'source.unreachable',
    cause: 'connection-refused',
    // Not a refused proxy (source-controller/proxy-connect-failed).
    re: rx(`(?<!proxyconnect tcp: )dial tcp `, ADDR, `: connect: connection refused`),
    versions: '>=0.1.0',
    cite: 'go@1.22.0 src/net/net.go OpError "dial tcp %s: connect: connection refused"',
    reasons: ['IndexationFailed', 'GitOperationFailed', 'OCIArtifactPullFailed', 'BucketOperationFailed'],
    samples: [
      'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.example.com/index.yaml": dial tcp 10.0.12.7:443: connect: connection refused',
      'failed to confirm existence of \'flux\' bucket: Get "http://minio.minio.svc:9000/flux/?location=": dial tcp 10.96.14.3:9000: connect: connection refused',
    ],
  },
  {
    id: 'source-controller/no-route',
    emitter: 'source-controller',
    code: 'source.unreachable',
    cause: 'no-route',
    re: rx(`dial tcp `, ADDR, `: connect: (?<error>no route to host|network is unreachable)`),
    versions: '>=0.1.0',
    cite: 'go@1.22.0 src/net/net.go OpError "dial tcp %s: connect: %s" (syscall EHOSTUNREACH, ENETUNREACH)',
    reasons: ['IndexationFailed', 'GitOperationFailed', 'OCIArtifactPullFailed'],
    samples: [
      'failed to determine artifact digest: Get "https://registry.example.com/v2/": dial tcp 192.168.10.5:443: connect: no route to host',
    ],
  },
  {
    id: 'source-controller/connect-timeout',
    emitter: 'source-controller',
    code: 'source.unreachable',
    cause: 'timeout',
    re: rx(
      `(?:dial tcp `,
      ADDR,
      String.raw`: (?:i/o timeout|connect: connection timed out)|\(Client\.Timeout exceeded while awaiting headers\)|net/http: TLS handshake timeout|timeout awaiting response headers)`,
    ),
    versions: '>=0.1.0',
    cite: 'go@1.22.0 src/net/http/client.go "(Client.Timeout exceeded while awaiting headers)"; src/net/net.go "dial tcp %s: i/o timeout"',
    reasons: ['IndexationFailed', 'GitOperationFailed', 'OCIArtifactPullFailed'],
    samples: [
      'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.example.com/index.yaml": dial tcp 203.0.113.9:443: i/o timeout',
      'failed to determine artifact digest: Get "https://ghcr.io/v2/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.example.com/index.yaml": net/http: TLS handshake timeout',
    ],
  },
  {
    id: 'source-controller/proxy-connect-failed',
    emitter: 'source-controller',
    code: 'source.unreachable',
    cause: 'proxy',
    re: /(?:proxyconnect tcp: (?<error>[^\n]+)|socks connect tcp [^\n]+)/,
    versions: '>=0.1.0',
    cite: 'go@1.22.0 src/net/http/transport.go "proxyconnect %s: %w"',
    reasons: ['IndexationFailed', 'GitOperationFailed', 'OCIArtifactPullFailed'],
    samples: [
      'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.example.com/index.yaml": proxyconnect tcp: dial tcp 10.1.1.1:3128: connect: connection refused',
    ],
  },
  {
    id: 'source-controller/helm-index-not-found',
    emitter: 'source-controller',
    code: 'source.unreachable',
    cause: 'index-not-found',
    re: /(?:failed to (?:fetch Helm repository index|download repository index|cache index to temporary file)|is not a valid chart repository or cannot be reached)[^\n]{0,300}?failed to fetch (?<url>\S+\/index\.yaml) : (?<status>404)\b/,
    versions: '>=0.1.0',
    cite: 'source-controller@v1.9.1 internal/controller/helmrepository_controller.go "failed to fetch Helm repository index: %w" with helm.sh/helm/v4@v4.2.2 pkg/getter/httpgetter.go "failed to fetch %s : %s"',
    reasons: ['IndexationFailed'],
    samples: [
      // fluxcd/source-controller#824 (the message before the PR)
      'failed to fetch Helm repository index: failed to cache index to temporary file: failed to fetch https://example.com/index.yaml : 404 Not Found',
    ],
  },
  {
    id: 'source-controller/helm-server-error',
    emitter: 'source-controller',
    code: 'source.unreachable',
    cause: 'server-error',
    re: /failed to fetch (?<url>\S+) : (?<status>5\d\d)\b/,
    versions: '>=0.1.0',
    cite: 'helm.sh/helm/v4@v4.2.2 pkg/getter/httpgetter.go "failed to fetch %s : %s" as wrapped by source-controller@v1.9.1 internal/controller/helmrepository_controller.go',
    reasons: ['IndexationFailed', 'ChartPullError'],
    samples: [
      'failed to fetch Helm repository index: failed to cache index to temporary file: failed to fetch https://charts.example.com/index.yaml : 503 Service Unavailable',
    ],
  },
];

/** Reasons that tell the cause when the message is redacted or in a wording not collected here. */
export const REASONS: ReasonSignal[] = [
  {
    // Also written for a missing Secret or a TLS problem, but those messages match a pattern first.
    id: 'source-controller/reason-AuthenticationFailed',
    emitter: 'source-controller',
    reason: 'AuthenticationFailed',
    code: 'source.auth',
    cause: 'credentials-rejected',
    versions: '>=0.22.0',
    cite: 'github.com/fluxcd/source-controller/api@v1.9.3 v1/condition_types.go AuthenticationFailedReason',
  },
  ...['InvalidCommitSignature', 'InvalidTagSignature', 'VerificationError', 'ChartVerificationError'].map(
    (reason): ReasonSignal => ({
      id: `source-controller/reason-${reason}`,
      emitter: 'source-controller',
      reason,
      code: 'source.verification-failed',
      cause: 'signature-invalid',
      versions: reason === 'ChartVerificationError' ? '>=0.31.0' : '>=0.22.0',
      cite:
        reason === 'VerificationError'
          ? 'github.com/fluxcd/source-controller/api@v1.9.3 v1/condition_types.go VerificationError'
          : reason === 'ChartVerificationError'
            ? 'source-controller@v1.9.3 internal/helm/chart/errors.go ErrChartVerification "ChartVerificationError"'
            : `source-controller@v1.9.3 internal/controller/gitrepository_controller.go conditions.MarkFalse(obj, SourceVerifiedCondition, "${reason}", …)`,
    }),
  ),
];
