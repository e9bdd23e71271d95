// image-automation-controller messages (ImageUpdateAutomation v1alpha1, v1alpha2, v1beta1, v1beta2, v1):
// checking out the GitRepository, committing and pushing the update. `versions` is the
// image-automation-controller range (v0.1.0 of 2020 to v1.2.x), read from the tags.
//
// Wording by era:
//   v0.1–v0.38  one Ready=False (ReconciliationFailed) with the bare error: "push rejected; check git secret
//               has write access" (v0.7–v0.10), libgit2 push callback "ref %s rejected: %s" (v0.11–v0.2x),
//               "referenced git repository is missing" (GitNotAvailable), "failed to get secret '%s': %w" (v0.33)
//   v0.39+      phases with reasons: SourceManagerFailed "failed configuring source manager: %w" (e.g.
//               "failed to get auth secret '%s/%s': %w", "referenced git repository does not exist: %w"),
//               GitOperationFailed "failed to checkout source: %w" and "failed to update source: %w" around
//               fluxcd/pkg git/gogit Push "failed to push to remote: %w"
// The Git server's refusal is the innermost text: GitHub "GH006: Protected branch update failed",
// "push declined due to repository rule violations"; GitLab "protected branch hook declined",
// "You are not allowed to push code to protected branches"; a read-only deploy key "The key you are
// authenticating with has been marked as read only". go-git's transport errors (authentication required, …)
// are in go-git.ts.
//
// Order matters: within this file, more specific patterns come first.

import type { MessagePattern, ReasonSignal } from './types.js';

const IAC = 'image-automation-controller' as const;
const KINDS = ['ImageUpdateAutomation'];

export const PATTERNS: MessagePattern[] = [
  // ---------------------------------------------------------------- the phase wrappers
  {
    id: 'image-automation-controller/push-failed',
    emitter: IAC,
    code: 'image.git-push-failed',
    cause: 'push',
    re: /\b(?:failed to update source: (?:failed to push to remote)?|failed to push to remote\b)/,
    versions: '>=0.39.0',
    cite: 'image-automation-controller@v1.2.1 internal/controller/imageupdateautomation_controller.go "failed to update source: %w" (GitOperationFailed) around fluxcd/pkg git/gogit@v0.16.1 client.go Push "failed to push to remote: %w"',
    reasons: ['GitOperationFailed'],
    kinds: KINDS,
    samples: [
      'failed to update source: failed to push to remote: unexpected client error: unexpected requesting "https://github.com/org/fleet/git-receive-pack" status code: 500',
      'failed to push to remote: some git error',
    ],
  },
  {
    id: 'image-automation-controller/checkout-failed',
    emitter: IAC,
    code: 'image.git-push-failed',
    cause: 'checkout',
    re: /\b(?:failed to checkout source|failed configuring source manager): /,
    versions: '>=0.39.0',
    cite: 'image-automation-controller@v1.2.1 internal/controller/imageupdateautomation_controller.go "failed to checkout source: %w" (GitOperationFailed), "failed configuring source manager: %w" (SourceManagerFailed)',
    reasons: ['GitOperationFailed', 'SourceManagerFailed'],
    kinds: KINDS,
    samples: [
      "failed to checkout source: unable to clone 'ssh://git@github.com/org/fleet': unexpected EOF",
      "failed configuring source manager: source kind 'Bucket' not supported",
    ],
  },
  // ---------------------------------------------------------------- the Git server refuses the push
  {
    id: 'image-automation-controller/protected-branch',
    emitter: IAC,
    code: 'image.git-push-failed',
    cause: 'protected',
    re: /\b(?:GH006: Protected branch update failed(?: for (?<ref>\S{1,300}))?|GH013: Repository rule violations|push declined due to repository rule violations|protected branch hook declined|pre-receive hook declined|You are not allowed (?:to push code to protected branches|to force push code to a protected branch)|Changes must be made through a pull request)/,
    versions: '>=0.1.0',
    cite: 'fluxcd/pkg git/gogit@v0.16.1 client.go Push "failed to push to remote: %w" (image-automation-controller@v1.2.1, "failed to update source: %w") around go-git\'s "command error on %s: %s" with the report-status of the Git server (GitHub GH006/GH013, GitLab pre-receive)',
    kinds: KINDS,
    samples: [
      // source-filled: go-git ReferenceUpdateStatus with GitLab's report-status
      'failed to update source: failed to push to remote: command error on refs/heads/main: protected branch hook declined',
      'failed to update source: failed to push to remote: command error on refs/heads/main: push declined due to repository rule violations',
      // GitHub's side-band text as go-git surfaces it
      'failed to push to remote: unknown error: remote: error: GH006: Protected branch update failed for refs/heads/main.',
      'remote: GitLab: You are not allowed to push code to protected branches on this project.',
    ],
  },
  {
    id: 'image-automation-controller/read-only',
    emitter: IAC,
    code: 'image.git-push-failed',
    cause: 'read-only',
    re: /\b(?:The key you are authenticating with has been marked as read only|push rejected; check git secret has write access|Write access to repository not granted|Permission to [\w.-]{1,200}\/[\w.-]{1,200}(?:\.git)? denied to|The requested URL returned error: 403|deploy key (?:does not|doesn't) have write access)/,
    versions: '>=0.7.0',
    cite: 'image-automation-controller@v0.10.0 controllers/imageupdateautomation_controller.go "push rejected; check git secret has write access" (v0.7–v0.10); v1.2.1 "failed to update source: %w" around fluxcd/pkg git/gogit Push "failed to push to remote: %w" with the server text',
    kinds: KINDS,
    samples: [
      // https://github.com/fluxcd/flux2/issues/5095
      'failed to update source: failed to push to remote: unknown error: ERROR: The key you are authenticating with has been marked as read only.',
      'push rejected; check git secret has write access',
      'failed to push to remote: unknown error: remote: Write access to repository not granted.',
    ],
  },
  {
    id: 'image-automation-controller/non-fast-forward',
    emitter: IAC,
    code: 'image.git-push-failed',
    cause: 'non-fast-forward',
    re: /\b(?:non-fast-forward update|failed to push some refs.{0,200}?fetch first|reference has changed concurrently)/,
    versions: '>=0.1.0',
    cite: 'fluxcd/pkg git/gogit@v0.16.1 client.go Push "failed to push to remote: %w" around go-git "non-fast-forward update: %s" and the reference-update race "reference has changed concurrently"',
    kinds: KINDS,
    samples: ['failed to update source: failed to push to remote: non-fast-forward update: refs/heads/main'],
  },
  {
    id: 'image-automation-controller/ref-rejected',
    emitter: IAC,
    code: 'image.git-push-failed',
    cause: 'rejected',
    re: /\bref (?<ref>refs\/\S{1,300}) rejected: (?<status>[^\n]{1,300})/,
    versions: '>=0.11.0 <0.39.0',
    cite: 'image-automation-controller@v0.20.0 controllers/imageupdateautomation_controller.go push callback "ref %s rejected: %s" (libgit2 era)',
    kinds: KINDS,
    samples: ['ref refs/heads/main rejected: pre-commit hook failed'],
  },
  // ---------------------------------------------------------------- the GitRepository and its Secret
  {
    id: 'image-automation-controller/auth-secret',
    emitter: IAC,
    code: 'image.git-push-failed',
    cause: 'secret',
    re: /\bfailed to get (?:auth )?secret '(?<secret>[^']{1,300})': .{0,300}?secrets? \\?"(?<name>[^"\\]{1,253})\\?" not found/,
    versions: '>=0.33.0',
    cite: 'image-automation-controller@v1.2.1 internal/source/source.go "failed to get auth secret \'%s/%s\': %w" (v0.36+); v0.33.0 controllers/imageupdateautomation_controller.go "failed to get secret \'%s\': %w"',
    kinds: KINDS,
    samples: [
      'failed configuring source manager: failed to get auth secret \'flux-system/flux-system\': secrets "flux-system" not found',
      'failed to get secret \'flux-system/git-creds\': secrets "git-creds" not found',
    ],
  },
  {
    id: 'image-automation-controller/git-repository-missing',
    emitter: IAC,
    code: 'flux.reference-missing',
    cause: 'source-missing',
    re: /\breferenced git repository (?:does not exist: gitrepositories(?:\.source\.toolkit\.fluxcd\.io)? \\?"(?<name>[^"\\]{1,253})\\?" not found|is missing)/,
    versions: '>=0.1.0',
    cite: 'image-automation-controller@v1.2.1 internal/source/source.go "referenced git repository does not exist: %w"; v0.33.0 controllers/imageupdateautomation_controller.go "referenced git repository is missing" (GitNotAvailable)',
    reasons: ['SourceManagerFailed', 'GitNotAvailable'],
    kinds: KINDS,
    samples: [
      'failed configuring source manager: referenced git repository does not exist: gitrepositories.source.toolkit.fluxcd.io "fleet" not found',
      'referenced git repository is missing',
    ],
  },
];

export const REASONS: ReasonSignal[] = [
  {
    id: 'image-automation-controller/reason-GitNotAvailable',
    emitter: IAC,
    reason: 'GitNotAvailable',
    code: 'flux.reference-missing',
    cause: 'source-missing',
    versions: '>=0.1.0 <0.39.0',
    cite: 'image-automation-controller@v0.33.0 api/v1beta1/imageupdateautomation_types.go GitNotAvailableReason',
    kinds: KINDS,
  },
];
