// kustomize-controller messages (Kustomization v1beta1, v1beta2, v1): source and artifact fetch, kustomize
// build, SOPS decryption, post-build substitution, dependsOn, health checks, validation and impersonation.
// `versions` is the kustomize-controller range (v0.1.0 of 2020 to v1.9.x). The server-side apply and wait
// texts of fluxcd/pkg/ssa (v0.15+) and the Kubernetes API errors they carry live in ssa.ts.
//
// Wording by era (read from the tags):
//   v0.1–v0.14  kubectl-based apply: "validation failed: <kubectl output>", "apply failed: <kubectl output>",
//               kstatus health checks "Health check timed out for [...]" (v0.14: "Health check failed for [...]")
//   v0.15–v0.29 fluxcd/pkg/ssa apply; "Health check failed after <d>, <err>"; "failed to download artifact, error: <err>";
//               "var substitution failed for '<name>': <err>"; "dependency '<ns/name>' is not updated yet" (v0.19+)
//   v0.30–v1.1  "Health check failed after <d>: <err>"; "dependency '<ns/name>' revision is not up to date";
//               fluxcd/pkg/http/fetch "failed to download archive: <err>"
//   v1.2+       "health check failed after <d>: <err>", "Source artifact not found, retrying in <d>";
//               v1.3–v1.7 "post build failed for '<gvk>/<name>'"-style, v1.8+ "decryption failed for '<gvk>/<name>'"
//
// Order matters: within this file, more specific patterns come first.

import type { MessagePattern, ReasonSignal } from './types.js';

export const PATTERNS: MessagePattern[] = [
  // ---------------------------------------------------------------- source and artifact
  {
    id: 'kustomize-controller/source-object-not-found',
    emitter: 'kustomize-controller',
    code: 'flux.reference-missing',
    cause: 'source-missing',
    // getSource returns the NotFound error unwrapped; the reconciler writes it as the Ready message.
    re: /^(?<plural>gitrepositories|ocirepositories|buckets|externalartifacts)\.source\.toolkit\.fluxcd\.io \\?"(?<name>[^"\\]+)\\?" not found$/,
    versions: '>=1.0.0',
    cite: 'kustomize-controller@v1.9.3 internal/controller/kustomization_controller.go getSource "if apierrors.IsNotFound(err) { return src, err }" and conditions.MarkFalse(obj, meta.ReadyCondition, meta.ArtifactFailedReason, "%s", err) (same in v1.6.0; v0.26.3 wrote "Source \'%s\' not found" as the Ready message instead)',
    reasons: ['ArtifactFailed'],
    kinds: ['Kustomization'],
    samples: [
      // source-filled: the Kubernetes NotFound text of the source object
      'gitrepositories.source.toolkit.fluxcd.io "apps" not found',
      'ocirepositories.source.toolkit.fluxcd.io "manifests" not found',
    ],
  },
  {
    id: 'kustomize-controller/get-source-failed',
    emitter: 'kustomize-controller',
    code: 'kustomize.source-not-ready',
    cause: 'get-source-failed',
    re: /unable to get source '(?<source>[^']+)': /,
    versions: '>=0.2.0',
    cite: 'kustomize-controller@v1.9.3 internal/controller/kustomization_controller.go getSource "unable to get source \'%s\': %w" (v0.26.3 controllers/kustomization_controller.go, same)',
    reasons: ['ArtifactFailed'],
    kinds: ['Kustomization'],
    samples: [
      // source-filled: a transient API error while reading the source
      'unable to get source \'flux-system/apps\': Get "https://10.96.0.1:443/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/apps": context deadline exceeded',
    ],
  },
  {
    id: 'kustomize-controller/source-not-found-log',
    emitter: 'kustomize-controller',
    code: 'flux.reference-missing',
    cause: 'source-missing',
    re: /\bSource (?:'(?<source>[^']+)' )?not found\b/,
    versions: '>=0.2.0',
    cite: 'kustomize-controller@v1.9.4 internal/controller/kustomization_controller.go "Source \'%s\' not found" (v0.8+; v0.2–v0.7 "Source not found")',
    reasons: ['ArtifactFailed'],
    samples: [
      // fluxcd/kustomize-controller#272 (v0.8, log line)
      "Source 'GitRepository/flux-system' not found",
      // source-filled: the same format from the source, verbs filled in
      'Source not found',
    ],
  },
  {
    id: 'kustomize-controller/source-artifact-missing',
    emitter: 'kustomize-controller',
    code: 'kustomize.source-not-ready',
    cause: 'no-artifact',
    // The source has no artifact in its status. v0.x wrote this without the retry interval; with it, the
    // v0.x text means the artifact file was not found (source-artifact-file-missing).
    re: /(?:Source artifact not found, retrying in|Source is not ready(?!, artifact not found, retrying in)(?:, artifact not found)?)/,
    versions: '>=0.2.0',
    cite: 'kustomize-controller@v1.9.3 internal/controller/kustomization_controller.go "Source artifact not found, retrying in %s" (artifact nil); kustomize-controller@v0.26.3 controllers/kustomization_controller.go "Source is not ready, artifact not found" (artifact nil)',
    reasons: ['ArtifactFailed'],
    samples: [
      // gimlet-io/capacitor#149 (kustomize.toolkit.fluxcd.io/v1)
      'Source artifact not found, retrying in 30s',
      // fluxcd/flux2#1494 (2021, v1beta1, log line)
      'Source is not ready, artifact not found',
      // fluxcd/kustomize-controller#4 (2020, the first wording)
      'Source is not ready',
    ],
  },
  {
    id: 'kustomize-controller/source-artifact-file-missing',
    emitter: 'kustomize-controller',
    code: 'kustomize.source-not-ready',
    cause: 'artifact-not-in-storage',
    re: /Source is not ready, artifact not found, retrying in/,
    versions: '>=0.2.0',
    cite: 'kustomize-controller@v1.9.3 internal/controller/kustomization_controller.go "Source is not ready, artifact not found, retrying in %s" (fetch.ErrFileNotFound, HTTP 404); kustomize-controller@v0.26.3 controllers/kustomization_controller.go (same text for ArtifactNotFoundError)',
    reasons: ['ArtifactFailed', 'Progressing'],
    samples: [
      // source-filled: the same format from the source, verbs filled in
      'Source is not ready, artifact not found, retrying in 30s',
    ],
  },
  {
    id: 'kustomize-controller/artifact-download-failed',
    emitter: 'kustomize-controller',
    code: 'kustomize.source-not-ready',
    cause: 'artifact-download-failed',
    re: /(?:faile?d to download (?:artifact|archive)|faile?d to untar artifact|failed to (?:verify|extract) archive|failed to verify artifact: computed checksum|computed digest doesn't match|artifact is \d+ bytes greater than the max download size)/,
    versions: '>=0.1.0',
    cite: 'kustomize-controller@v0.9.0 controllers/kustomization_controller.go "faild to download artifact from %s, status: %s"; kustomize-controller@v0.29.0 "failed to download artifact, error: %w"; github.com/fluxcd/pkg/http/fetch@v0.25.0 archive_fetcher.go "failed to download archive: %w"',
    reasons: ['ArtifactFailed'],
    samples: [
      'failed to download artifact, error: GET http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/apps/1a2b.tar.gz giving up after 10 attempt(s)',
      'faild to download artifact from http://source-controller.gitops-system/gitrepository/gitops-system/podinfo/latest.tar.gz, status: 404 Not Found',
      // fluxcd/flux2#836 (2021, v1beta1, error log)
      'faild to download artifact from http://source-controller.flux-system.svc.k8s-prod.local./gitrepository/flux-system/k8s-prod/687b5930bbe44638b9c5e377ac50e33afbb542b9.tar.gz, status: 404 Not Found',
      'failed to download archive: GET http://source-controller.flux-system.svc.cluster.local./ocirepository/apps/app/sha256:0a1b.tar.gz giving up after 10 attempt(s): Get "http://source-controller.flux-system.svc.cluster.local./ocirepository/apps/app/sha256:0a1b.tar.gz": dial tcp 10.96.0.20:80: connect: connection refused',
    ],
  },
  {
    id: 'kustomize-controller/source-access-denied',
    emitter: 'kustomize-controller',
    code: 'kustomize.source-not-ready',
    cause: 'access-denied',
    re: /can't access '(?<source>[^']+)', (?<why>cross-namespace references have been blocked|\S+ feature gate is disabled)/,
    versions: '>=0.20.0',
    cite: "kustomize-controller@v1.9.4 internal/controller/kustomization_controller.go \"can't access '%s/%s', cross-namespace references have been blocked\"",
    reasons: ['AccessDenied'],
    samples: ["can't access 'GitRepository/flux-system/shared', cross-namespace references have been blocked"],
  },

  // ---------------------------------------------------------------- kustomize build
  {
    id: 'kustomize-controller/path-not-found',
    emitter: 'kustomize-controller',
    code: 'kustomize.build-failed',
    cause: 'path-not-found',
    re: /kustomization path not found: (?:l?stat|open) (?<path>[^\n:]+): no such file or directory/,
    versions: '>=0.1.0',
    cite: 'kustomize-controller@v1.9.4 internal/controller/kustomization_controller.go "kustomization path not found: %w"',
    reasons: ['ArtifactFailed'],
    samples: [
      // fluxcd/flux2#1184 (Flux v0.8)
      'kustomization path not found: stat /tmp/: no such file or directory',
      // fluxcd/flagger#1396 (an OCIRepository whose artifact lacks the path)
      'ArtifactFailed: kustomization path not found: stat /tmp/kustomization-878691743/kustomize/tester: no such file or directory',
      // fluxcd/flux2#1303 (a Windows path separator in spec.path)
      'kustomization path not found: stat /tmp/flux-system414368903/clusters\\kind-local-dev: no such file or directory',
      // XenitAB/terraform-modules#402 (kubectl get kustomizations)
      'kustomization path not found: stat /tmp/team3897174358/tenants/puretest: no such file or directory',
    ],
  },
  {
    id: 'kustomize-controller/kustomization-file-invalid',
    emitter: 'kustomize-controller',
    code: 'kustomize.build-failed',
    cause: 'kustomization-file-invalid',
    re: /error decrypting (?:env )?sources: failed to (?:unmarshal|read) kustomization file(?: from '(?<path>[^']+)')?/,
    versions: '>=0.24.0',
    cite: 'kustomize-controller@v1.9.4 internal/decryptor/decryptor.go "failed to unmarshal kustomization file from \'%s\': %w" wrapped in "error decrypting sources: %w" (v0.24–v1.4 "error decrypting env sources: %w")',
    reasons: ['BuildFailed'],
    samples: [
      // fluxcd/kustomize-controller#706 (the message before the path was added)
      'error decrypting env sources: failed to unmarshal kustomization file: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Kustomization.patches of type types.Patch',
      // source-filled: the same format from the source, verbs filled in
      "error decrypting sources: failed to unmarshal kustomization file from '/tmp/kustomization-1/apps/kustomization.yaml': yaml: line 4: did not find expected key",
    ],
  },
  {
    id: 'kustomize-controller/build-decode-failed',
    emitter: 'kustomize-controller',
    code: 'kustomize.build-failed',
    cause: 'invalid-yaml',
    re: /failed to decode Kubernetes (?:YAML from (?<file>[^\s:]+)|apiVersion, kind and name from)/,
    versions: '>=0.2.0',
    cite: 'kustomize-controller@v0.30.0 controllers/kustomization_generator.go "failed to decode Kubernetes YAML from %s: %w"; kustomize-controller@v1.9.4 internal/controller/kustomization_controller.go "failed to decode Kubernetes apiVersion, kind and name from: %v"',
    reasons: ['BuildFailed'],
    samples: [
      'failed to decode Kubernetes YAML from /tmp/kustomization-123/apps/deploy.yaml: missing Resource metadata',
      'failed to decode Kubernetes apiVersion, kind and name from: {"metadata":{"name":"x"}}',
    ],
  },
  {
    id: 'kustomize-controller/build-panic',
    emitter: 'kustomize-controller',
    code: 'kustomize.build-failed',
    cause: 'kustomize-panic',
    re: /recovered from (?:kustomize build panic|panic while parsing YAML file)/,
    versions: '>=0.25.0',
    cite: 'kustomize-controller@v0.30.0 controllers/kustomization_generator.go "recovered from kustomize build panic: %v" (github.com/fluxcd/pkg/kustomize after v0.30)',
    reasons: ['BuildFailed'],
    samples: [
      'kustomize build failed: recovered from kustomize build panic: runtime error: invalid memory address or nil pointer dereference',
    ],
  },
  {
    id: 'kustomize-controller/kustomize-build-failed',
    emitter: 'kustomize-controller',
    code: 'kustomize.build-failed',
    cause: 'kustomize-error',
    re: /kustomize (?:build|create) failed: (?:[^\n]{0,400}?accumulating resources from '(?<resource>[^']+)')?/,
    versions: '>=0.1.0',
    cite: 'kustomize-controller@v1.9.4 internal/controller/kustomization_controller.go "kustomize build failed: %w"; kustomize-controller@v0.14.0 controllers/kustomization_generator.go "kustomize create failed: %w"',
    reasons: ['BuildFailed'],
    samples: [
      // fluxcd/flagger#1396 (truncated by the reporter)
      "BuildFailed: kustomize build failed: accumulating resources: accumulation err='accumulating resources from './appmesh': read /tmp/kustomiz",
      // flanksource/canary-checker#1643 (a Flux Kustomization status)
      "kustomize build failed: accumulating resources: accumulation err='accumulating resources from 'k8s': read /tmp/kustomization-2520510114/fixtures/k8s: is a directory': recursed accumulation of path '/tmp/kustomization-2520510114/fixtures/k8s': accumulating resources: accumulation err='accumulating resources from 'namespace_pass.yaml': open /tmp/kustomization-2520510114/fixtures/k8s/namespace_pass.yaml: no such file or directory'",
      // source-filled: the same format from the source, verbs filled in
      'kustomize build failed: map[string]interface {}(nil): yaml: unmarshal errors:\n  line 7: mapping key "metadata" already defined at line 2',
    ],
  },

  // ---------------------------------------------------------------- SOPS decryption
  {
    id: 'kustomize-controller/decryption-not-configured',
    emitter: 'kustomize-controller',
    code: 'kustomize.decryption-failed',
    cause: 'decryption-not-configured',
    re: /is SOPS encryp?ted(?<=(?<object>\S+) is SOPS encryp?ted), configuring decryption is required for this secret to be reconciled/,
    versions: '>=0.17.0',
    cite: 'kustomize-controller@v1.9.4 internal/controller/kustomization_controller.go "%s is SOPS encrypted, configuring decryption is required for this secret to be reconciled" (v0.17–v0.21 "encryted")',
    reasons: ['ReconciliationFailed'],
    samples: [
      'Secret/apps/db-credentials is SOPS encrypted, configuring decryption is required for this secret to be reconciled',
      'Secret/apps/db-credentials is SOPS encryted, configuring decryption is required for this secret to be reconciled',
    ],
  },
  {
    id: 'kustomize-controller/decryption-secret-missing',
    emitter: 'kustomize-controller',
    code: 'kustomize.decryption-failed',
    cause: 'decryption-secret-missing',
    re: /(?:cannot get (?:[\w-]+ )?(?:SOPS age )?decryption Secret '(?<secret>[^']+)'|decryption secret error): secrets? \\?"(?<name>[^"\\]+)\\?" not found/,
    versions: '>=0.1.0',
    cite: 'kustomize-controller@v1.9.4 internal/decryptor/decryptor.go "cannot get %s decryption Secret \'%s\': %w"; kustomize-controller@v0.23.0 controllers/kustomization_decryptor.go "decryption secret error: %w"',
    reasons: ['BuildFailed'],
    samples: [
      'error decrypting sources: cannot get sops decryption Secret \'flux-system/sops-age\': secrets "sops-age" not found',
      'decryption secret error: secrets "sops-gpg" not found',
      'cannot get sops SOPS age decryption Secret \'flux-system/sops-age\': secrets "sops-age" not found',
    ],
  },
  {
    id: 'kustomize-controller/decryption-secret-not-found',
    emitter: 'kustomize-controller',
    code: 'kustomize.decryption-failed',
    cause: 'decryption-secret-missing',
    // ImportKeys returns the NotFound error of the decryption Secret unwrapped: the whole Ready message.
    re: /^secrets \\?"(?<name>[^"\\]+)\\?" not found$/,
    versions: '>=0.24.0',
    cite: 'kustomize-controller@v1.9.3 internal/decryptor/decryptor.go ImportKeys "if apierrors.IsNotFound(err) { return err }" (v0.26.3 controllers/kustomization_decryptor.go, same), written with conditions.MarkFalse(obj, meta.ReadyCondition, meta.BuildFailedReason, "%s", err)',
    reasons: ['BuildFailed'],
    kinds: ['Kustomization'],
    samples: [
      // source-filled: the Kubernetes NotFound text of spec.decryption.secretRef
      'secrets "sops-age" not found',
    ],
  },
  {
    id: 'kustomize-controller/decryption-key-import-failed',
    emitter: 'kustomize-controller',
    code: 'kustomize.decryption-failed',
    cause: 'decryption-key-invalid',
    re: /failed to import '(?<key>[^']+)' data from (?:[\w-]+ )?(?:SOPS age )?(?:decryption )?Secret '(?<secret>[^']+)'/,
    versions: '>=0.23.0',
    cite: "kustomize-controller@v1.9.4 internal/decryptor/decryptor.go \"failed to import '%s' data from %s SOPS age decryption Secret '%s': %w\"; kustomize-controller@v0.23.0 \"failed to import '%s' data from Secret '%s': %w\"",
    reasons: ['BuildFailed'],
    samples: [
      "failed to import 'identity.agekey' data from sops SOPS age decryption Secret 'flux-system/sops-age': failed to parse and add to age identities: malformed secret key",
      "failed to import 'sops.asc' data from sops decryption Secret 'flux-system/sops-gpg': failed to import armored key data into GnuPG keyring",
    ],
  },
  {
    id: 'kustomize-controller/sops-no-matching-key',
    emitter: 'kustomize-controller',
    code: 'kustomize.decryption-failed',
    cause: 'no-matching-key',
    re: /(?:Failed to get the data key required to decrypt the SOPS file|no age identity found[^\n]{0,40}that could decrypt|no identities specified|0 successful groups required, got 0|[Tt]he key could not be decrypted with any of the PGP entries|could not decrypt data key with PGP key|failed to decrypt sops data key with (?<provider>pgp|age|AWS KMS|GCP KMS Key|Azure Key Vault key|Vault))/,
    versions: '>=0.1.0',
    cite: 'github.com/getsops/sops/v3@v3.9.0 cmd/sops/common/common.go "Failed to get the data key required to decrypt the SOPS file."; kustomize-controller@v1.1.0 internal/sops/age/keysource.go "failed to create reader for decrypting sops data key with age: %w"',
    reasons: ['BuildFailed'],
    samples: [
      // getsops/sops#1084 (a Flux Kustomization, the key Secret has no age identity)
      "decryption failed for 'cas-user-pass': failed to decrypt and format 'se-2/cas-user-pass' Secret data: cannot get sops data key: Failed to get the data key required to decrypt the SOPS file.\n\nGroup 0: FAILED\n  age1758ynd4uzc83t24x4748uk42n6838rfg9k2ypvfhaqsn2vl3n5tq25yx3p: FAILED\n    - | failed to create reader for decrypting sops data key with\n      | age: no identities specified",
      // source-filled: the same format from the source, verbs filled in
      'Error getting data key: 0 successful groups required, got 0',
    ],
  },
  {
    id: 'kustomize-controller/sops-mac-mismatch',
    emitter: 'kustomize-controller',
    code: 'kustomize.decryption-failed',
    cause: 'mac-mismatch',
    re: /failed to verify sops data integrity(?:: expected mac '[^']*', got '[^']*')?/,
    versions: '>=0.24.0',
    cite: "kustomize-controller@v1.9.4 internal/decryptor/decryptor.go \"failed to verify sops data integrity: expected mac '%s', got '%s'\"",
    reasons: ['BuildFailed'],
    samples: [
      "decryption failed for 'Secret/db': failed to decrypt and format 'apps/db' Secret data: failed to verify sops data integrity: expected mac 'A1', got 'B2'",
    ],
  },
  {
    id: 'kustomize-controller/decryption-failed',
    emitter: 'kustomize-controller',
    code: 'kustomize.decryption-failed',
    cause: 'decryption-error',
    re: /(?:decryption failed for '(?<object>[^']+)'|error decrypting (?:env |\.env )?(?:sources|files?)(?!: failed to (?:unmarshal|read) kustomization file)|failed to decrypt and format '[^']+'|cannot get sops data key|error decrypting sops tree)/,
    versions: '>=0.1.0',
    cite: 'kustomize-controller@v1.9.4 internal/controller/kustomization_controller.go "decryption failed for \'%s/%s\': %w" (v0.1–v1.7 "decryption failed for \'%s\': %w"); internal/decryptor/decryptor.go "failed to decrypt and format \'%s/%s\' %s data: %w"',
    reasons: ['BuildFailed'],
    samples: [
      "decryption failed for 'Secret.v1./db-credentials': failed to decrypt and format 'apps/db-credentials' Secret data: error decrypting sops tree: cipher: message authentication failed",
      'error decrypting .env file: DataWithFormat: Error unmarshalling input',
    ],
  },

  // ---------------------------------------------------------------- post-build substitution
  {
    id: 'kustomize-controller/substitute-from-missing',
    emitter: 'kustomize-controller',
    code: 'kustomize.substitution-failed',
    cause: 'substitute-from-missing',
    re: /substitute from '(?<kind>ConfigMap|Secret)\/(?<name>[^']+)' error: (?:configmaps?|secrets?) \\?"[^"\\]+\\?" not found/,
    versions: '>=0.9.0',
    cite: 'kustomize-controller@v0.30.0 controllers/kustomization_varsub.go "substitute from \'ConfigMap/%s\' error: %w"; github.com/fluxcd/pkg/kustomize@v1.35.3 kustomize_varsub.go (same, kustomize-controller v0.31+)',
    reasons: ['BuildFailed'],
    samples: [
      "var substitution failed for 'apps': substitute from 'ConfigMap/cluster-vars' error: configmaps \"cluster-vars\" not found",
      "post build failed for 'Kustomization.v1.kustomize.toolkit.fluxcd.io/apps': unable to get subsituteFrom: substitute from 'Secret/cluster-secrets' error: secrets \"cluster-secrets\" not found",
    ],
  },
  {
    id: 'kustomize-controller/variable-not-set-strict',
    emitter: 'kustomize-controller',
    code: 'kustomize.substitution-failed',
    cause: 'variable-not-set',
    re: /variable not set \(strict mode\): \\?"(?<variable>[^"\\]+)\\?"/,
    versions: '>=1.3.0',
    cite: 'github.com/fluxcd/pkg/envsubst@v1.7.0 template.go errVarNotSet "variable not set (strict mode)" as "%w: %q"',
    reasons: ['BuildFailed'],
    samples: [
      // fluxcd/flux2-monitoring-example#44 (StrictPostBuildSubstitutions=true)
      'post build failed for \'flux-grafana-dashboards-XX\': envsubst error: variable substitution failed: variable not set (strict mode): "DS_PROMETHEUS"',
      // fluxcd/flux2#5967 (Flux 2.9, strict by default)
      'post build failed for \'CustomResourceDefinition.v1.apiextensions.k8s.io/kustomizations.kustomize.toolkit.fluxcd.io\': envsubst error: variable substitution failed: variable not set (strict mode): "var"',
      // tyriis/home-ops#10529 (pasted across lines)
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the reporter's manifest uses a literal Flux variable
      'post build failed for \'HelmRelease.v2.helm.toolkit.fluxcd.io/${APP}\':\n  envsubst error: variable substitution failed: variable not set (strict mode): "REV"',
    ],
  },
  {
    id: 'kustomize-controller/var-name-invalid',
    emitter: 'kustomize-controller',
    code: 'kustomize.substitution-failed',
    cause: 'var-name-invalid',
    re: /'(?<variable>[^']+)' var name is invalid, must match '[^']+'/,
    versions: '>=0.10.0',
    cite: "github.com/fluxcd/pkg/kustomize@v1.35.3 kustomize_varsub.go \"'%s' var name is invalid, must match '%s'\" (kustomize-controller v0.10–v0.30 controllers/kustomization_varsub.go)",
    reasons: ['BuildFailed'],
    samples: [
      "var substitution failed for 'apps': 'cluster-name' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'",
    ],
  },
  {
    id: 'kustomize-controller/substitution-syntax',
    emitter: 'kustomize-controller',
    code: 'kustomize.substitution-failed',
    cause: 'bad-syntax',
    re: /variable substitution failed: (?<error>missing closing brace|bad substitution|unable to parse variable name|unable to parse substitution within function|unable to parse default function)/,
    versions: '>=0.8.0',
    cite: 'github.com/fluxcd/pkg/envsubst@v1.7.0 parse/parse.go "missing closing brace", "bad substitution" (github.com/drone/envsubst before kustomize-controller v1.3)',
    reasons: ['BuildFailed'],
    samples: [
      "post build failed for 'ConfigMap.v1./app-config': envsubst error: variable substitution failed: missing closing brace",
    ],
  },
  {
    id: 'kustomize-controller/substitution-failed',
    emitter: 'kustomize-controller',
    code: 'kustomize.substitution-failed',
    cause: 'substitution-error',
    re: /(?:post build failed for '(?<object>[^']+)'|var substitution failed for '(?<name>[^']+)'|post-build actions failed|variable substitution failed|envsubst error|unable to get subsituteFrom)/,
    versions: '>=0.8.0',
    cite: 'kustomize-controller@v1.9.4 internal/controller/kustomization_controller.go "post build failed for \'%s/%s\': %w"; kustomize-controller@v1.2.0 "var substitution failed for \'%s\': %w"; kustomize-controller@v0.8.0 "post-build actions failed: %w"',
    reasons: ['BuildFailed'],
    samples: [
      "var substitution failed for 'apps': YAMLToJSON: yaml: line 12: mapping values are not allowed in this context",
      'post-build actions failed: variable substitution failed: unable to parse variable name',
    ],
  },

  // ---------------------------------------------------------------- dependsOn
  {
    id: 'kustomize-controller/dependency-not-found',
    emitter: 'kustomize-controller',
    code: 'flux.reference-missing',
    cause: 'dependency-missing',
    re: /(?:dependency '(?<dependency>[^']+)' not found|unable to get '(?<name>[^']+)' dependency: kustomizations?(?:\.kustomize\.toolkit\.fluxcd\.io)? \\?"[^"\\]+\\?" not found)/,
    versions: '>=0.1.0',
    cite: 'kustomize-controller@v1.9.4 internal/controller/kustomization_controller.go "dependency \'%s\' not found: %w" (v0.30+); kustomize-controller@v0.29.0 "unable to get \'%s\' dependency: %w"',
    reasons: ['DependencyNotReady'],
    samples: [
      'dependency \'flux-system/infra\' not found: kustomizations.kustomize.toolkit.fluxcd.io "infra" not found',
      'unable to get \'flux-system/infra\' dependency: kustomizations.kustomize.toolkit.fluxcd.io "infra" not found',
    ],
  },
  {
    id: 'kustomize-controller/dependency-not-ready',
    emitter: 'kustomize-controller',
    code: 'kustomize.dependency-not-ready',
    cause: 'dependency-not-ready',
    re: /dependency '(?<dependency>[^']+)' (?:is not ready|is not updated yet|revision is not up to date)/,
    versions: '>=0.1.0',
    cite: 'kustomize-controller@v1.9.4 internal/controller/kustomization_controller.go "dependency \'%s\' is not ready", "dependency \'%s\' revision is not up to date" (v0.19–v0.29 "is not updated yet")',
    reasons: ['DependencyNotReady'],
    samples: [
      // fluxcd/flux2#1193 (v0.11, log line)
      "dependency 'flux-system/keycloak-operator' is not ready",
      // source-filled: the same format from the source, verbs filled in
      "dependency 'flux-system/infra' revision is not up to date",
      "dependency 'flux-system/crds' is not ready according to readyExpr eval",
    ],
  },

  // ---------------------------------------------------------------- health checks
  {
    id: 'kustomize-controller/health-check-kstatus-v0',
    emitter: 'kustomize-controller',
    code: 'kustomize.health-check-failed',
    cause: 'timeout',
    re: /Health check (?:timed out|failed) for \[(?<objects>[^\]\n]{0,4000})\]/,
    versions: '>=0.1.0 <0.15.0',
    cite: 'kustomize-controller@v0.13.0 controllers/kustomization_healthcheck.go "Health check timed out for [%v]"; kustomize-controller@v0.14.0 "Health check failed for [%s]"',
    reasons: ['HealthCheckFailed'],
    samples: [
      // fluxcd/flux2#1193 (Flux v0.7.7, log line)
      "Health check timed out for [deployments.apps 'keycloak-operator/keycloak-operator']",
      // source-filled: the same format from the source, verbs filled in
      "Health check failed for [Deployment 'apps/podinfo' (status 'Failed'): Progress deadline exceeded]",
    ],
  },
  {
    id: 'kustomize-controller/health-check-failed',
    emitter: 'kustomize-controller',
    code: 'kustomize.health-check-failed',
    cause: 'wait-failed',
    re: /[Hh]ealth check failed after (?<after>[\d.]+(?:ns|µs|us|ms|s|m|h)(?:[\d.]+(?:ns|µs|us|ms|s|m|h))*)[,:] /,
    versions: '>=0.15.0',
    cite: 'kustomize-controller@v1.9.4 internal/controller/kustomization_controller.go "health check failed after %s: %w" (v0.15–v0.29 "Health check failed after %s, %w", v0.30–v1.1 "Health check failed after %s: %w")',
    reasons: ['HealthCheckFailed'],
    samples: [
      // fluxcd/kustomize-controller#709 (v0.26.3)
      "Health check failed after 2m0.013489487s, timeout waiting for: [HelmRelease/wpb-services/httpbin status: 'InProgress']",
      // source-filled: the same format from the source, verbs filled in
      "health check failed after 5m0.042s: failed early due to stalled resources: [Deployment/apps/podinfo status: 'Failed': Progress deadline exceeded]",
    ],
  },

  // ---------------------------------------------------------------- kubectl-era validation and apply (v0.1–v0.14)
  {
    id: 'kustomize-controller/kubectl-validation-failed',
    emitter: 'kustomize-controller',
    code: 'kustomize.validation-failed',
    cause: 'kubectl-rejected',
    // Not fluxcd/pkg/ssa's "<Kind>/<ns>/<name> apply failed: ..." (the lookbehind skips an object id before it).
    re: /(?:validation|apply)(?<!\/\S* (?:validation|apply)) (?:failed|timeout): /,
    versions: '>=0.1.0 <0.15.0',
    cite: 'kustomize-controller@v0.14.0 controllers/kustomization_controller.go "validation failed: %s", "apply failed: %s" (kubectl output)',
    reasons: ['ValidationFailed', 'ReconciliationFailed'],
    samples: [
      // fluxcd/kustomize-controller#244 (v0.6, log line)
      'validation failed: kustomization.kustomize.toolkit.fluxcd.io/alb-ingress-controller created (dry run)\nkustomization.kustomize.toolkit.fluxcd.io/basics created (dry run)',
      // source-filled: the same format from the source, verbs filled in
      'validation failed: error: unable to recognize "8117172a-dd83-422a-9a54-1db02f6a0601.yaml": no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v1"',
      'apply failed: Error from server (Forbidden): error when creating "8117172a.yaml": namespaces is forbidden: User "system:serviceaccount:apps:reconciler" cannot create resource "namespaces" in API group "" at the cluster scope',
    ],
  },

  // ---------------------------------------------------------------- impersonation and remote clusters
  {
    id: 'kustomize-controller/impersonation-failed',
    emitter: 'kustomize-controller',
    code: 'kustomize.rbac-forbidden',
    cause: 'impersonation-failed',
    re: /(?:service account impersonation failed|the service account secret '(?<secret>[^']+)' does not containt? a token|skiping pruning, failed to find account to impersonate)/,
    versions: '>=0.1.0',
    cite: 'kustomize-controller@v0.14.0 controllers/kustomization_controller.go "service account impersonation failed: %w"; kustomize-controller@v0.19.0 "the service account secret \'%s\' does not containt a token"; kustomize-controller@v1.9.4 "skiping pruning, failed to find account to impersonate"',
    reasons: ['ReconciliationFailed', 'PruneFailed'],
    samples: [
      'service account impersonation failed: serviceaccounts "reconciler" not found',
      "the service account secret 'apps/reconciler-token-x7k2p' does not containt a token",
    ],
  },
  {
    id: 'kustomize-controller/kubeconfig-secret',
    emitter: 'kustomize-controller',
    code: 'flux.reference-missing',
    cause: 'kubeconfig-secret-missing',
    re: /(?:unable to read KubeConfig secret '(?<secret>[^']+)' error|KubeConfig secret '(?<secret2>[^']+)' (?:doesn't contain a 'value' key|does not contain a '[^']+' key with a kubeconfig))/,
    versions: '>=0.1.0',
    cite: 'github.com/fluxcd/pkg/runtime@v0.110.1 client/impersonator.go "unable to read KubeConfig secret \'%s\' error: %w" (kustomize-controller v0.30+; before in controllers/kustomization_impersonation.go)',
    reasons: ['ReconciliationFailed'],
    samples: [
      'failed to build kube client: unable to read KubeConfig secret \'flux-system/prod-kubeconfig\' error: secrets "prod-kubeconfig" not found',
      "KubeConfig secret 'flux-system/prod-kubeconfig' does not contain a 'value' key with a kubeconfig",
    ],
  },
  {
    id: 'kustomize-controller/gc-forbidden',
    emitter: 'kustomize-controller',
    code: 'kustomize.rbac-forbidden',
    cause: 'prune-forbidden',
    re: /gc query failed for (?<kind>\w+): [^\n]{0,300}?is forbidden/,
    versions: '>=0.6.0 <0.15.0',
    cite: 'kustomize-controller@v0.14.0 controllers/kustomization_gc.go "gc query failed for %s: %v"',
    reasons: ['PruneFailed'],
    samples: [
      // fluxcd/kustomize-controller#217 (v0.5.3, debug log)
      'gc query failed for DestinationRule: destinationrules.networking.istio.io is forbidden: User "system:serviceaccount:flux-system:flux-deployer" cannot list resource "destinationrules" in API group "networking.istio.io" in the namespace "kafka"',
    ],
  },
];

const REASON_CITE = 'kustomize-controller@v1.9.3 api/v1beta2/condition_types.go';

/**
 * Kustomization reasons that tell the cause when no message pattern matches (a message in a wording the
 * catalogue does not know, redacted or cut). ArtifactFailed and ReconciliationFailed are too broad to tell
 * one cause; PruneFailed too (RBAC or a stuck finalizer).
 */
export const REASONS: ReasonSignal[] = [
  {
    id: 'kustomize-controller/reason-BuildFailed',
    emitter: 'kustomize-controller',
    reason: 'BuildFailed',
    code: 'kustomize.build-failed',
    cause: 'build-error',
    versions: '>=0.1.0',
    cite: `${REASON_CITE} BuildFailedReason (v1beta1 and v1beta2; v1 uses fluxcd/pkg/apis/meta BuildFailedReason)`,
    kinds: ['Kustomization'],
  },
  {
    id: 'kustomize-controller/reason-HealthCheckFailed',
    emitter: 'kustomize-controller',
    reason: 'HealthCheckFailed',
    code: 'kustomize.health-check-failed',
    cause: 'health-check-failed',
    versions: '>=0.1.0',
    cite: `${REASON_CITE} HealthCheckFailedReason`,
    kinds: ['Kustomization'],
  },
  {
    id: 'kustomize-controller/reason-ValidationFailed',
    emitter: 'kustomize-controller',
    reason: 'ValidationFailed',
    code: 'kustomize.validation-failed',
    cause: 'validation-error',
    versions: '>=0.1.0 <0.15.0',
    cite: 'kustomize-controller@v1.9.3 api/v1beta1/condition_types.go ValidationFailedReason (kubectl-era dry-run)',
    kinds: ['Kustomization'],
  },
  {
    id: 'kustomize-controller/reason-DependencyNotReady',
    emitter: 'kustomize-controller',
    reason: 'DependencyNotReady',
    code: 'kustomize.dependency-not-ready',
    cause: 'dependency-not-ready',
    versions: '>=0.1.0',
    cite: `${REASON_CITE} DependencyNotReadyReason (v1: fluxcd/pkg/apis/meta DependencyNotReadyReason)`,
    kinds: ['Kustomization'],
  },
  {
    id: 'kustomize-controller/reason-AccessDenied',
    emitter: 'kustomize-controller',
    reason: 'AccessDenied',
    code: 'kustomize.source-not-ready',
    cause: 'access-denied',
    versions: '>=0.20.0',
    cite: 'github.com/fluxcd/pkg/apis/acl@v0.3.0 acl.go AccessDeniedReason (kustomize-controller v0.20+)',
    kinds: ['Kustomization'],
  },
];
