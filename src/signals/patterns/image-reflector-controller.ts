// image-reflector-controller messages (ImageRepository, ImagePolicy): the Ready/Stalled condition
// messages, the events and the log lines. `versions` is the image-reflector-controller range (v0.1.0 of
// October 2020, image.toolkit.fluxcd.io/v1alpha1, to v1.2.x); the registry texts it wraps come from
// github.com/google/go-containerregistry (remote.List, name.ParseReference), cited with that module.
//
// Wording by era (read from the tags):
//   v0.1–v0.24  ImageRepository: Ready=False ReconciliationFailed with the bare remote.List error
//               ("GET https://<registry>/v2/<repo>/tags/list?n=1000: DENIED: …") or the bare Secret error
//               (`secrets "regcred" not found`, `auth for "<registry>" not found in secret <ns>/<name>`);
//               ImagePolicy: "no image found for policy" (v0.1–v0.9), "Cannot determine latest tag for
//               policy: <err>" (v0.10–v0.24, Warning event reason `error`), "no tags found in local storage
//               for '<repo>'" (v0.20–v0.24), "referenced ImageRepository has not been scanned yet" (to v0.35)
//   v0.25+      reconcilers rewritten: "scan failed: <err>" (ReadOperationFailed), "failed to configure
//               authentication options: <err>" (AuthenticationFailed), ImagePolicy "invalid policy: <err>" /
//               "failed to filter tags: <err>" (Stalled InvalidPolicy), "retrying in 30s error: no tags in
//               database" (DependencyNotReady), "failed to get the referred ImageRepository: <err>"
//   v0.15–v0.34 ".spec.image value should not start with URL scheme; remove '<s>://'", "… should not contain a
//               tag; remove ':<tag>'" (v0.19.1+); v0.35+ "image '<image>' should not include URL scheme|a tag"
//   v1.0+       Secrets read through fluxcd/pkg/runtime/secrets (TLS and proxy Secrets; texts in source-controller.ts)
//
// The Go standard library's network and TLS errors read the same in every controller: they are the
// source-controller patterns, registered here for the kinds this controller reconciles.
//
// Order matters: within this file, more specific patterns come first.

import { PATTERNS as SOURCE } from './source-controller.js';
import type { MessagePattern, ReasonSignal } from './types.js';

/** `GET https://<registry>/v2/<repository>/tags/list?n=1000: ` as go-containerregistry prefixes a registry error (quotes JSON-escaped in logs). */
const TAGS_LIST = String.raw`(?:GET|HEAD) \\?"?https?://(?<registry>[^/\s"\\]+)/v2/(?<repository>[^\s"\\]+?)/tags/list[^\s:"\\]*\\?"?: `;

/** Go standard-library network and TLS patterns of source-controller.ts, with samples as this controller writes them. */
function stdlib(id: string, samples: string[]): MessagePattern {
  const p = SOURCE.find((x) => x.id === `source-controller/${id}`);
  if (!p) throw new Error(`source-controller/${id} is not in source-controller.ts`);
  return {
    ...p,
    id: `image-reflector-controller/${id}`,
    emitter: 'image-reflector-controller',
    versions: '>=0.1.0',
    reasons: ['ReadOperationFailed', 'ReconciliationFailed'],
    kinds: ['ImageRepository'],
    samples,
  };
}

export const PATTERNS: MessagePattern[] = [
  // ---------------------------------------------------------------- ImageRepository: Secrets
  {
    id: 'image-reflector-controller/secret-not-found',
    emitter: 'image-reflector-controller',
    code: 'source.secret-missing',
    cause: 'secret-not-found',
    re: /(?:failed to configure authentication options: )?secrets? \\?"(?<secret>[^"\\]+)\\?" not found/,
    versions: '>=0.1.0',
    cite: 'image-reflector-controller@v1.2.0 internal/controller/imagerepository_controller.go "failed to configure authentication options: %w" around the API server\'s NotFound (`secrets "%s" not found`); image-reflector-controller@v0.9.0 controllers/imagerepository_controller.go SetImageRepositoryReadiness(…, err.Error()) (bare)',
    reasons: ['AuthenticationFailed', 'ReconciliationFailed'],
    kinds: ['ImageRepository'],
    samples: [
      // source-filled: v0.25+
      'failed to configure authentication options: secrets "regcred" not found',
      // source-filled: v0.1–v0.24 (bare error, reason ReconciliationFailed)
      'secrets "ghcr-auth" not found',
    ],
  },
  {
    id: 'image-reflector-controller/dockerconfig-registry-missing',
    emitter: 'image-reflector-controller',
    code: 'source.secret-missing',
    cause: 'dockerconfig-host-missing',
    re: /auth for \\?"(?<host>[^"\\]+)\\?" not found in secret (?<secret>[\w.-]+\/[\w.-]+)/,
    versions: '>=0.1.0 <1.0.0',
    cite: 'image-reflector-controller@v0.35.2 internal/secret/secret.go "auth for %q not found in secret %v"; image-reflector-controller@v0.1.0 controllers/imagerepository_controller.go (same)',
    reasons: ['AuthenticationFailed', 'ReconciliationFailed'],
    kinds: ['ImageRepository'],
    samples: [
      // source-filled
      'failed to configure authentication options: auth for "ghcr.io" not found in secret flux-system/regcred',
      'auth for "registry.example.com:5000" not found in secret apps/pull-secret',
    ],
  },
  {
    id: 'image-reflector-controller/secret-type-invalid',
    emitter: 'image-reflector-controller',
    code: 'source.secret-missing',
    cause: 'dockerconfig-invalid',
    re: /(?:unknown secret type \\?"(?<type>[^"\\]+)\\?"|cannot use secret '(?<secret>[^']+)' to construct TLS config: invalid secret type: '[^']*')/,
    versions: '>=0.1.0 <1.0.0',
    cite: 'image-reflector-controller@v0.35.2 internal/secret/secret.go "unknown secret type %q", "cannot use secret \'%s\' to construct TLS config: invalid secret type: \'%s\'"',
    reasons: ['AuthenticationFailed', 'ReconciliationFailed'],
    kinds: ['ImageRepository'],
    samples: [
      'failed to configure authentication options: unknown secret type "Opaque"',
      "cannot use secret 'registry-ca' to construct TLS config: invalid secret type: 'kubernetes.io/dockerconfigjson'",
    ],
  },
  {
    id: 'image-reflector-controller/client-cert-key-missing',
    emitter: 'image-reflector-controller',
    code: 'source.secret-missing',
    cause: 'secret-keys-missing',
    re: /(?:client certificate found, but no key|invalid '(?<secret>[^']+)' secret data: both certificate and private key need to be provided)/,
    versions: '>=0.5.0 <1.0.0',
    cite: 'image-reflector-controller@v0.29.1 controllers/imagerepository_controller.go "client certificate found, but no key"; image-reflector-controller@v0.35.2 internal/secret/secret.go "invalid \'%s\' secret data: both certificate and private key need to be provided"',
    reasons: ['AuthenticationFailed', 'ReconciliationFailed'],
    kinds: ['ImageRepository'],
    samples: [
      'client certificate found, but no key',
      "failed to configure authentication options: invalid 'registry-tls' secret data: both certificate and private key need to be provided",
    ],
  },

  // ---------------------------------------------------------------- ImageRepository: the image reference
  {
    id: 'image-reflector-controller/image-url-invalid',
    emitter: 'image-reflector-controller',
    code: 'image.scan-failed',
    cause: 'image-url-invalid',
    re: /(?:image '(?<image>[^']+)' should not include (?:a tag; remove ':(?<tag>[^']*)'|URL scheme; remove '(?<scheme>[^']*):\/\/')|\.spec\.image value should not (?:contain a tag; remove ':(?<tag2>[^']*)'|start with URL scheme; remove '[^']*:\/\/'))/,
    versions: '>=0.15.0',
    cite: "image-reflector-controller@v1.2.0 internal/registry/helper.go \"image '%s' should not include a tag; remove ':%s'\", \"image '%s' should not include URL scheme; remove '%s://'\"; image-reflector-controller@v0.24.0 controllers/imagerepository_controller.go \".spec.image value should not contain a tag; remove ':%s'\"",
    reasons: ['ImageURLInvalid'],
    kinds: ['ImageRepository'],
    samples: [
      // source-filled: v0.35+
      "image 'ghcr.io/acme/app:1.0.0' should not include a tag; remove ':1.0.0'",
      "image 'https://ghcr.io/acme/app' should not include URL scheme; remove 'https://'",
      // source-filled: v0.15–v0.34
      ".spec.image value should not contain a tag; remove ':latest'",
      ".spec.image value should not start with URL scheme; remove 'https://'",
    ],
  },
  {
    id: 'image-reflector-controller/image-reference-unparsable',
    emitter: 'image-reflector-controller',
    code: 'image.scan-failed',
    cause: 'image-url-invalid',
    re: /(?:could not parse reference: (?<image>\S+)|repository can only contain the characters `[^`]*`: (?<repository>\S+)|registries must be valid RFC 3986 URI authorities: (?<registry>\S+)|a repository name must be specified)/,
    versions: '>=0.1.0',
    cite: 'github.com/google/go-containerregistry@v0.21.6 pkg/name/ref.go "could not parse reference: %s"; pkg/name/check.go "%s can only contain the characters `%s`: %s"; pkg/name/registry.go "registries must be valid RFC 3986 URI authorities: %s", via image-reflector-controller@v1.2.0 internal/registry/helper.go ParseImageReference',
    reasons: ['ImageURLInvalid'],
    kinds: ['ImageRepository'],
    samples: [
      'could not parse reference: ghcr.io/Acme/App',
      'repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: Acme/App',
    ],
  },

  // ---------------------------------------------------------------- ImageRepository: the registry answers the scan
  {
    id: 'image-reflector-controller/scan-repository-not-found',
    emitter: 'image-reflector-controller',
    code: 'image.scan-failed',
    cause: 'repository-not-found',
    re: new RegExp(
      `${TAGS_LIST}(?<error>NAME_UNKNOWN|NOT_FOUND|MANIFEST_UNKNOWN|unexpected status code 404)|repository name not known to registry`,
    ),
    versions: '>=0.1.0',
    cite: 'github.com/google/go-containerregistry@v0.21.6 pkg/v1/remote/transport/error.go "%s %s: " + Diagnostic "%s: %s" (code: message), "unexpected status code %d %s"; wrapped by image-reflector-controller@v1.2.0 internal/controller/imagerepository_controller.go "scan failed: %w" (bare before v0.25)',
    reasons: ['ReadOperationFailed', 'ReconciliationFailed'],
    kinds: ['ImageRepository'],
    samples: [
      // source-filled: v0.25+
      'scan failed: GET https://ghcr.io/v2/acme/ap/tags/list?n=1000: NAME_UNKNOWN: repository name not known to registry',
      // source-filled: v0.x bare error
      'GET https://registry.example.com/v2/team/missing/tags/list?n=1000: unexpected status code 404 Not Found (HEAD responses have no body, use GET for details)',
    ],
  },
  {
    id: 'image-reflector-controller/scan-rate-limited',
    emitter: 'image-reflector-controller',
    code: 'image.scan-failed',
    cause: 'rate-limited',
    re: /(?:\bTOOMANYREQUESTS: |unexpected status code 429\b)/,
    versions: '>=0.1.0',
    cite: 'github.com/google/go-containerregistry@v0.21.6 pkg/v1/remote/transport/error.go TooManyRequestsErrorCode "TOOMANYREQUESTS", "unexpected status code %d %s"; wrapped by image-reflector-controller@v1.2.0 internal/controller/imagerepository_controller.go "scan failed: %w"',
    reasons: ['ReadOperationFailed', 'ReconciliationFailed'],
    kinds: ['ImageRepository'],
    samples: [
      // source-filled (Docker Hub's message)
      'scan failed: GET https://index.docker.io/v2/library/nginx/tags/list?n=1000: TOOMANYREQUESTS: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
      'scan failed: GET https://quay.io/v2/org/app/tags/list?n=1000: unexpected status code 429 Too Many Requests',
    ],
  },
  {
    id: 'image-reflector-controller/scan-unauthorized',
    emitter: 'image-reflector-controller',
    code: 'source.auth',
    cause: 'registry-unauthorized',
    re: /(?:unexpected status code (?<status>40[13])\b|\b(?:UNAUTHORIZED|DENIED|FORBIDDEN): )/,
    versions: '>=0.1.0',
    cite: 'github.com/google/go-containerregistry@v0.21.6 pkg/v1/remote/transport/error.go "unexpected status code %d %s: %s", Diagnostic "%s: %s" (UNAUTHORIZED, DENIED); wrapped by image-reflector-controller@v1.2.0 internal/controller/imagerepository_controller.go "scan failed: %w"',
    reasons: ['ReadOperationFailed', 'ReconciliationFailed'],
    kinds: ['ImageRepository'],
    samples: [
      // fluxcd/image-reflector-controller#399 (v0.x of Flux v0.41, ECR with IRSA; account redacted)
      'scan failed: GET https://XXXXXXXX.dkr.ecr.us-east-2.amazonaws.com/v2/XXXXXXXX/tags/list?n=1000: unexpected status code 401 Unauthorized: Not Authorized',
      // fluxcd/image-reflector-controller#781 (the event as kubectl describe wrapped it)
      'scan failed: GET https://auth.docker.io/token?scope=repository%!A(MISSING)getirwin%!F(MISSING)antalya%!A(MISSING)pull&service=registry.docker.io: unexpected status code 401 U\nnauthorized: {"details":"incorrect username or password"}',
      // fluxcd/image-reflector-controller#194 (v0.13, GCR with workload identity; the bare v0.x error, cut by the reporter)
      'GET https://gcr.io/v2/dx-kingdon/podinfo/tags/list?n=1000: DENIED: Failed to read tag',
      // source-filled
      'scan failed: GET https://ghcr.io/v2/acme/private/tags/list?n=1000: UNAUTHORIZED: authentication required',
    ],
  },
  stdlib('tls-hostname-mismatch', [
    'scan failed: Get "https://10.0.0.5:5000/v2/": tls: failed to verify certificate: x509: cannot validate certificate for 10.0.0.5 because it doesn\'t contain any IP SANs',
  ]),
  stdlib('tls-unknown-authority', [
    'scan failed: Get "https://registry.internal.example/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority',
  ]),
  stdlib('tls-expired', [
    'scan failed: Get "https://registry.example.com/v2/": x509: certificate has expired or is not yet valid: current time 2024-03-01T10:00:00Z is after 2024-02-28T23:59:59Z',
  ]),
  stdlib('tls-scheme-mismatch', [
    'scan failed: Get "https://registry.local:5000/v2/": http: server gave HTTP response to HTTPS client',
  ]),
  stdlib('dns-lookup-failed', [
    'scan failed: Get "https://registry.internal/v2/": dial tcp: lookup registry.internal on 10.96.0.10:53: no such host',
  ]),
  stdlib('connection-refused', [
    'scan failed: Get "https://registry.local:5000/v2/": dial tcp 10.0.0.7:5000: connect: connection refused',
  ]),
  stdlib('no-route', [
    'scan failed: Get "https://registry.example.com/v2/": dial tcp 192.168.10.5:443: connect: no route to host',
  ]),
  stdlib('connect-timeout', [
    'scan failed: Get "https://ghcr.io/v2/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
  ]),
  stdlib('proxy-connect-failed', [
    'scan failed: Get "https://ghcr.io/v2/": proxyconnect tcp: dial tcp 10.1.1.1:3128: connect: connection refused',
  ]),

  // ---------------------------------------------------------------- ImagePolicy: the policy selects nothing
  {
    id: 'image-reflector-controller/policy-filter-left-nothing',
    emitter: 'image-reflector-controller',
    code: 'image.policy-no-match',
    cause: 'no-tags-left',
    re: /version list argument cannot be empty/,
    versions: '>=0.1.0',
    cite: 'image-reflector-controller@v1.2.0 internal/policy/semver.go, alphabetical.go, numerical.go "version list argument cannot be empty"',
    reasons: ['Failure', 'ReconciliationFailed', 'error'],
    kinds: ['ImagePolicy'],
    samples: [
      // fluxcd/image-reflector-controller#294 (v1beta1 event, reason `error`)
      'Cannot determine latest tag for policy: version list argument cannot be empty',
      // fluxcd/image-reflector-controller#194 (the v0.13 log line)
      'version list argument cannot be empty',
    ],
  },
  {
    id: 'image-reflector-controller/policy-no-version-matches',
    emitter: 'image-reflector-controller',
    code: 'image.policy-no-match',
    cause: 'no-tag-matches',
    re: /(?:unable to determine latest version from provided list|no image found for policy)/,
    versions: '>=0.1.0',
    cite: 'image-reflector-controller@v1.2.0 internal/policy/semver.go "unable to determine latest version from provided list"; image-reflector-controller@v0.9.1 controllers/imagepolicy_controller.go "no image found for policy"',
    reasons: ['Failure', 'ReconciliationFailed', 'error'],
    kinds: ['ImagePolicy'],
    samples: [
      // source-filled: v0.25+ (Ready=False, reason Failure)
      'unable to determine latest version from provided list',
      // source-filled: v0.10–v0.24
      'Cannot determine latest tag for policy: unable to determine latest version from provided list',
      // source-filled: v0.1–v0.9
      'no image found for policy',
    ],
  },
  {
    id: 'image-reflector-controller/policy-numeric-value-invalid',
    emitter: 'image-reflector-controller',
    code: 'image.policy-no-match',
    cause: 'numeric-value-invalid',
    re: /failed to parse invalid numeric value '(?<value>[^']*)'/,
    versions: '>=0.6.0',
    cite: 'image-reflector-controller@v1.2.0 internal/policy/numerical.go "failed to parse invalid numeric value \'%s\'"',
    reasons: ['Failure', 'ReconciliationFailed', 'error'],
    kinds: ['ImagePolicy'],
    samples: ["failed to parse invalid numeric value 'main-3f2a1b'"],
  },
  {
    id: 'image-reflector-controller/policy-cannot-determine-latest',
    emitter: 'image-reflector-controller',
    code: 'image.policy-no-match',
    cause: 'no-tag-matches',
    re: /Cannot determine latest tag for policy/,
    versions: '>=0.10.0 <0.25.0',
    cite: 'image-reflector-controller@v0.24.0 controllers/imagepolicy_controller.go "Cannot determine latest tag for policy: %w"',
    reasons: ['ReconciliationFailed', 'error'],
    kinds: ['ImagePolicy'],
    samples: ['Cannot determine latest tag for policy'],
  },
  {
    id: 'image-reflector-controller/policy-regex-invalid',
    emitter: 'image-reflector-controller',
    code: 'image.policy-no-match',
    cause: 'invalid-policy',
    re: /(?:invalid regular expression pattern '(?<pattern>[^']*)'|invalid order argument provided: '(?<order>[^']*)'|given ImagePolicyChoice object is invalid)/,
    versions: '>=0.1.0',
    cite: 'image-reflector-controller@v1.2.0 internal/policy/filter.go "invalid regular expression pattern \'%s\': %w"; internal/policy/numerical.go "invalid order argument provided: \'%s\', must be one of: %s, %s"; internal/policy/factory.go "given ImagePolicyChoice object is invalid"',
    reasons: ['InvalidPolicy', 'ReconciliationFailed'],
    kinds: ['ImagePolicy'],
    samples: [
      // source-filled: v0.25+ (Stalled, reason InvalidPolicy)
      "invalid policy: failed to filter tags: invalid regular expression pattern '^main-(?P<ts>[0-9+)$': error parsing regexp: missing closing ]: `[0-9+)$`",
      "invalid policy: invalid order argument provided: 'ascending', must be one of: asc, desc",
    ],
  },
  {
    id: 'image-reflector-controller/policy-invalid',
    emitter: 'image-reflector-controller',
    code: 'image.policy-no-match',
    cause: 'invalid-policy',
    re: /(?:^|: )invalid policy: /,
    versions: '>=0.25.0',
    cite: 'image-reflector-controller@v1.2.0 internal/controller/imagepolicy_controller.go errInvalidPolicy "invalid policy: %w"',
    reasons: ['InvalidPolicy'],
    kinds: ['ImagePolicy'],
    samples: ['invalid policy: semver parse error: improper constraint: 1.x.x.x'],
  },

  // ---------------------------------------------------------------- ImagePolicy: its ImageRepository
  {
    id: 'image-reflector-controller/policy-repository-missing',
    emitter: 'image-reflector-controller',
    code: 'flux.reference-missing',
    cause: 'image-repository-missing',
    re: /(?:referenced ImageRepository does not exist: )?imagerepositor(?:y|ies)(?:\.image\.toolkit\.fluxcd\.io)? \\?"(?<name>[^"\\]+)\\?" not found/i,
    versions: '>=0.1.0',
    cite: 'image-reflector-controller@v1.2.0 internal/controller/imagepolicy_controller.go "failed to get the referred ImageRepository: %w" around "referenced %s does not exist: %w"; image-reflector-controller@v0.9.0 controllers/imagepolicy_controller.go (the bare NotFound, reason DependencyNotReady)',
    reasons: ['DependencyNotReady'],
    kinds: ['ImagePolicy'],
    samples: [
      // source-filled: v0.25+
      'failed to get the referred ImageRepository: referenced ImageRepository does not exist: imagerepositories.image.toolkit.fluxcd.io "podinfo" not found',
      // source-filled: v0.1–v0.24
      'ImageRepository.image.toolkit.fluxcd.io "podinfo" not found',
    ],
  },
  {
    id: 'image-reflector-controller/policy-waiting-for-tags',
    emitter: 'image-reflector-controller',
    code: 'image.policy-no-match',
    cause: 'waiting-for-repository',
    re: /(?:no tags in database|referenced ImageRepository has not been scanned yet|no tags found in local storage for '(?<repository>[^']*)')/,
    versions: '>=0.1.0',
    cite: 'image-reflector-controller@v1.2.0 internal/controller/imagepolicy_controller.go errNoTagsInDatabase "no tags in database" wrapped "retrying in %s error: %w"; image-reflector-controller@v0.35.0 "referenced ImageRepository has not been scanned yet"; image-reflector-controller@v0.24.0 controllers/imagepolicy_controller.go "no tags found in local storage for \'%s\'"',
    reasons: ['DependencyNotReady'],
    kinds: ['ImagePolicy'],
    samples: [
      'retrying in 30s error: no tags in database',
      'referenced ImageRepository has not been scanned yet',
      "no tags found in local storage for 'podinfo'",
    ],
  },
];

/** Reasons that tell the cause when the message is redacted or in a wording not collected here. */
export const REASONS: ReasonSignal[] = [
  {
    id: 'image-reflector-controller/reason-ImageURLInvalid',
    emitter: 'image-reflector-controller',
    reason: 'ImageURLInvalid',
    code: 'image.scan-failed',
    cause: 'image-url-invalid',
    versions: '>=0.25.0',
    cite: 'image-reflector-controller@v1.2.0 api/v1beta2/condition_types.go ImageURLInvalidReason',
    kinds: ['ImageRepository'],
  },
  {
    id: 'image-reflector-controller/reason-ReadOperationFailed',
    emitter: 'image-reflector-controller',
    reason: 'ReadOperationFailed',
    code: 'image.scan-failed',
    cause: 'scan-failed',
    versions: '>=0.25.0',
    cite: 'image-reflector-controller@v1.2.0 api/v1beta2/condition_types.go ReadOperationFailedReason',
    kinds: ['ImageRepository'],
  },
  {
    id: 'image-reflector-controller/reason-InvalidPolicy',
    emitter: 'image-reflector-controller',
    reason: 'InvalidPolicy',
    code: 'image.policy-no-match',
    cause: 'invalid-policy',
    versions: '>=0.25.0',
    cite: 'image-reflector-controller@v1.2.0 internal/controller/imagepolicy_controller.go MarkStalled(obj, "InvalidPolicy", …)',
    kinds: ['ImagePolicy'],
  },
  {
    id: 'image-reflector-controller/reason-DependencyNotReady',
    emitter: 'image-reflector-controller',
    reason: 'DependencyNotReady',
    code: 'image.policy-no-match',
    cause: 'waiting-for-repository',
    versions: '>=0.1.0',
    cite: 'image-reflector-controller@v1.2.0 api/v1beta2/condition_types.go DependencyNotReadyReason',
    kinds: ['ImagePolicy'],
  },
];
