// Git transport errors as source-controller (and image-automation-controller) wrap them: go-git
// (github.com/go-git/go-git/v5), golang.org/x/crypto/ssh and its knownhosts package, fluxcd/pkg/git/gogit,
// and libgit2 (git2go, `spec.gitImplementation: libgit2`, source-controller v0.5–v0.32).
//
// `versions` is the source-controller range whose GitRepository messages carry the text (the library text
// itself is older and stable); `cite` names the library module and file that writes it. The wrapper that
// source-controller puts in front changed over the years and is tolerated by every pattern:
//   v0.1.0          "git clone error: <err>"
//   v0.2.0–v0.16.x  "unable to clone '<url>', error: <err>"
//   v0.17.0–v0.21.x "unable to clone '<url>': <err>" (go-git), "unable to clone: <err>" (libgit2)
//   v0.22.0+        "failed to checkout and determine revision: unable to clone '<url>': <err>"
//                   (or "... unable to list remote for '<url>': <err>", "unable to fetch-connect to remote '<url>': <err>")
// Messages pasted from notification providers arrive HTML-escaped (`&#39;`), from JSON logs with `\"`.
//
// Order matters: within this file, more specific patterns come first.

import type { MessagePattern } from './types.js';

const rx = (...parts: string[]) => new RegExp(parts.join(''));

/** The optional source-controller wrapper that names the URL. */
const WRAP = String.raw`(?:unable to (?:clone|list remote for|fetch-connect to remote|fetch remote|remote ls for) (?:'|&#39;)(?<url>[^'&\s]+)(?:'|&#39;)(?:, error)?: (?:ssh: handshake failed: )?)?`;

export const PATTERNS: MessagePattern[] = [
  {
    id: 'go-git/ssh-unable-to-authenticate',
    emitter: 'go-git',
    code: 'source.auth',
    cause: 'ssh-key-rejected',
    re: rx(
      WRAP,
      String.raw`ssh: unable to authenticate, attempted methods \[(?<methods>[^\]]*)\], no supported methods remain`,
    ),
    versions: '>=0.1.0',
    cite: 'golang.org/x/crypto@v0.53.0 ssh/client_auth.go "ssh: unable to authenticate, attempted methods %v, no supported methods remain"',
    reasons: ['GitOperationFailed', 'AuthenticationFailed'],
    samples: [
      // fluxcd/source-controller#652 (source-controller v0.24, log line)
      "failed to checkout and determine revision: unable to clone 'ssh://git@SECRET_URL.git': ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain",
      // fluxcd/flux2#826 (source-controller v0.7, log line)
      "unable to clone 'ssh://git@github.com/squaremo/flux-example', error: ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain",
      // fluxcd/flux2#251 (gotk v0.0.28 bootstrap)
      'git clone error: ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain',
    ],
  },
  {
    id: 'go-git/knownhosts-key-mismatch',
    emitter: 'go-git',
    code: 'source.auth',
    cause: 'host-key-mismatch',
    re: rx(WRAP, `knownhosts: key mismatch`),
    versions: '>=0.1.0',
    cite: 'golang.org/x/crypto@v0.53.0 ssh/knownhosts/knownhosts.go "knownhosts: key mismatch"',
    reasons: ['GitOperationFailed', 'AuthenticationFailed'],
    samples: [
      // fluxcd/source-controller#490 (GitHub host key rotation, source-controller v0.18, log and CLI)
      "unable to clone 'ssh://git@github.com/user/repository', error: ssh: handshake failed: knownhosts: key mismatch",
      "unable to clone 'ssh://git@github.com/stefanprodan/my-demo-fleet': ssh: handshake failed: knownhosts: key mismatch",
      // fluxcd/flux2#3774 (Flux v2.0.0-rc.1, pasted with line breaks)
      "failed to checkout and determine revision: \nunable to clone 'ssh://git@github.com/myrepo': ssh: \nhandshake failed: knownhosts: key mismatch",
      // fluxcd/flux2#2098 (event, source-controller v0.18)
      "unable to clone 'ssh://git@github.com/deploy', error: ssh: handshake failed: knownhosts: key mismatch",
    ],
  },
  {
    id: 'go-git/knownhosts-key-unknown',
    emitter: 'go-git',
    code: 'source.auth',
    cause: 'host-key-unknown',
    re: rx(WRAP, `knownhosts: key is unknown`),
    versions: '>=0.1.0',
    cite: 'golang.org/x/crypto@v0.53.0 ssh/knownhosts/knownhosts.go "knownhosts: key is unknown"',
    reasons: ['GitOperationFailed', 'AuthenticationFailed'],
    samples: [
      // src-d/go-git#637 (the same library text, as go-git users report it)
      'ssh: handshake failed: knownhosts: key is unknown',
      // source-filled: source-controller v1.x wrapper
      "failed to checkout and determine revision: unable to clone 'ssh://git@gitlab.example.com/team/app.git': ssh: handshake failed: knownhosts: key is unknown",
    ],
  },
  {
    id: 'go-git/ssh-no-common-algorithm',
    emitter: 'go-git',
    code: 'source.auth',
    cause: 'ssh-algorithm-mismatch',
    re: rx(
      WRAP,
      String.raw`ssh: no common algorithm for (?<what>[\w -]+); (?:client|we) offered: \[[^\]]*\], (?:server|peer) offered: \[[^\]]*\]`,
    ),
    versions: '>=0.1.0',
    cite: 'golang.org/x/crypto@v0.53.0 ssh/common.go "ssh: no common algorithm for %s; we offered: %v, peer offered: %v" (older x/crypto: "client offered: %v, server offered: %v")',
    reasons: ['GitOperationFailed'],
    samples: [
      // source-filled: x/crypto before 2023 wording
      "unable to clone 'ssh://git@bitbucket.example.com:7999/ops/fleet.git': ssh: handshake failed: ssh: no common algorithm for host key; client offered: [ecdsa-sha2-nistp384], server offered: [ssh-rsa]",
      // source-filled: current wording
      "failed to checkout and determine revision: unable to clone 'ssh://git@old.example.com/repo.git': ssh: handshake failed: ssh: no common algorithm for key exchange; we offered: [curve25519-sha256], peer offered: [diffie-hellman-group1-sha1]",
    ],
  },
  {
    id: 'go-git/ssh-connection-dropped',
    emitter: 'go-git',
    code: 'source.unreachable',
    cause: 'ssh-connection-dropped',
    re: rx(
      WRAP,
      String.raw`ssh: handshake failed: (?:(?:read|write) tcp [^\s>]+->(?<host>\[[0-9a-fA-F:]+\]|[\w.-]+):(?<port>\d+): (?:read|write): (?<error>connection reset by peer|connection timed out|broken pipe|no route to host)|(?<error2>EOF)\b)`,
    ),
    versions: '>=0.1.0',
    cite: 'golang.org/x/crypto@v0.53.0 ssh/client.go "ssh: handshake failed: %w" wrapping a net.OpError',
    reasons: ['GitOperationFailed'],
    samples: [
      // fluxcd/source-controller#1992 (Flux v2.7)
      "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/xxx/yyys': ssh: handshake failed: read tcp 11.11.1.11:45906->140.82.121.4:22: read: connection timed out",
      // fluxcd/source-controller#1154 (source-controller v1.0)
      "failed to checkout and determine revision: unable to list remote for 'ssh://git@github.com/...': ssh: handshake failed: read tcp 10.42.0.15:56574->140.82.114.4:22: read: connection reset by peer",
      // source-filled: the server closes the connection (IP allow list)
      "unable to clone 'ssh://git@git.example.com/fleet.git', error: ssh: handshake failed: EOF",
    ],
  },
  {
    id: 'go-git/ssh-identity-invalid',
    emitter: 'go-git',
    code: 'source.secret-missing',
    cause: 'ssh-identity-invalid',
    re: /ssh: (?<error>no key found|this private key is passphrase protected|cannot decode encrypted private keys)/,
    versions: '>=0.1.0',
    cite: 'golang.org/x/crypto@v0.53.0 ssh/keys.go "ssh: no key found", "ssh: this private key is passphrase protected"',
    reasons: ['AuthenticationFailed'],
    samples: [
      // source-filled: fluxcd/pkg/git/gogit clone.go "unable to construct auth method with options: %w"
      'failed to checkout and determine revision: unable to construct auth method with options: ssh: no key found',
      // source-filled: source-controller v0.17–v0.31 gogit wrapper
      'failed to construct auth method with options: ssh: this private key is passphrase protected',
    ],
  },
  {
    id: 'go-git/libgit2-host-key',
    emitter: 'go-git',
    code: 'source.auth',
    cause: 'host-key-verification-failed',
    re: /(?:unable to clone '(?<url>[^'\s]+)', error: Certificate\b|user cancelled hostkey check|hostkey could not be verified|hostkey verification aborted: no known_hosts found|no entries in known_hosts match host '(?<host>[^']+)'|host mismatch: "[^"]*" "[^"]*")/,
    versions: '>=0.5.0 <0.33.0',
    cite: 'github.com/fluxcd/pkg/git/libgit2@v0.1.0 transport/ssh.go "no entries in known_hosts match host \'%s\' with fingerprint \'%s\'"; source-controller@v0.22.0 pkg/git/libgit2/transport.go "hostkey could not be verified"; libgit2 "user cancelled hostkey check"',
    reasons: ['GitOperationFailed'],
    samples: [
      // fluxcd/source-controller#397 (image-automation-controller with libgit2)
      "unable to clone 'ssh://git@example.com/repo.git', error: Certificate",
      // fluxcd/image-automation-controller#71 (Azure DevOps, libgit2)
      "unable to clone 'ssh://XXX@vs-ssh.visualstudio.com/v3/XXX/XXX/XXX', error: user cancelled hostkey check",
      // fluxcd/image-automation-controller#207
      "unable to clone 'ssh://git@github.com/amithapa/k8-deployments', error: Certificate",
      // source-filled: fluxcd/pkg/git/libgit2 transport/ssh.go
      "failed to checkout and determine revision: unable to fetch-connect to remote 'ssh://git@github.com/org/repo': no entries in known_hosts match host 'github.com' with fingerprint 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s'",
    ],
  },
  {
    id: 'go-git/libgit2-auth-failed',
    emitter: 'go-git',
    code: 'source.auth',
    cause: 'libgit2-auth-failed',
    re: /(?:remote authentication required but no callback set|too many redirects or authentication replays|Failed to retrieve list of SSH authentication methods|Failed to authenticate SSH session)/,
    versions: '>=0.5.0 <0.33.0',
    cite: 'github.com/libgit2/libgit2@v1.1.0 src/transports/http.c "remote authentication required but no callback set"; src/transports/ssh.c "Failed to retrieve list of SSH authentication methods"',
    reasons: ['GitOperationFailed'],
    samples: [
      // source-filled: libgit2 over https without credentials
      "unable to clone 'https://dev.azure.com/org/project/_git/fleet', error: remote authentication required but no callback set",
      // source-filled: libgit2 with wrong credentials
      "failed to checkout and determine revision: unable to clone 'https://gitlab.example.com/ops/fleet.git': too many redirects or authentication replays",
      // libgit2/pygit2#1013 (the same libssh2 text)
      'Failed to retrieve list of SSH authentication methods: Failed getting response',
    ],
  },
  {
    id: 'go-git/http-authentication-required',
    emitter: 'go-git',
    code: 'source.auth',
    cause: 'http-auth-required',
    // Not the registry's `UNAUTHORIZED: authentication required` (source-controller/oci-registry-unauthorized),
    // nor libgit2's `remote authentication required but no callback set` (go-git/libgit2-auth-failed).
    re: rx(WRAP, `(?<!UNAUTHORIZED: |unauthorized: |remote )authentication required`),
    versions: '>=0.1.0',
    cite: 'github.com/go-git/go-git/v5@v5.19.1 plumbing/transport/common.go ErrAuthenticationRequired "authentication required"',
    reasons: ['GitOperationFailed', 'AuthenticationFailed'],
    samples: [
      // fluxcd/flux2#529 (source-controller v0.4, Ready condition; YAML quoting undone)
      "unable to clone 'https://github.example.com/test/gitops-test', error: authentication required",
      // fluxcd/source-controller#1275 (v1.1)
      "unable to clone '<repoURL>': authentication required",
      // fluxcd/flux2#3301 (v0.31)
      "unable to clone 'https://github.com/13567436138/mygit4.git': authentication required",
      // fluxcd/source-controller#478 (alert text, HTML-escaped by the notification provider)
      'error GitRepository/[name] - Reconciler error unable to clone &#39;https://[repoaddress]&#39;, error: authentication required',
      // fluxcd/flux2#4292 (title)
      'failed to checkout and determine revision: unable to clone authentication required',
    ],
  },
  {
    id: 'go-git/http-authorization-failed',
    emitter: 'go-git',
    code: 'source.auth',
    cause: 'http-forbidden',
    re: rx(WRAP, `authorization failed`),
    versions: '>=0.1.0',
    cite: 'github.com/go-git/go-git/v5@v5.19.1 plumbing/transport/common.go ErrAuthorizationFailed "authorization failed"',
    reasons: ['GitOperationFailed', 'AuthenticationFailed'],
    samples: [
      // source-filled: a token without read access (HTTP 403)
      "failed to checkout and determine revision: unable to clone 'https://dev.azure.com/org/project/_git/fleet': authorization failed",
    ],
  },
  {
    id: 'go-git/repository-not-found',
    emitter: 'go-git',
    code: 'source.auth',
    cause: 'repository-not-found',
    // GitHub and GitLab answer 404 for a private repository without valid credentials.
    re: rx(WRAP, `repository not found`),
    versions: '>=0.1.0',
    cite: 'github.com/go-git/go-git/v5@v5.19.1 plumbing/transport/common.go ErrRepositoryNotFound "repository not found"',
    reasons: ['GitOperationFailed'],
    samples: [
      // source-filled
      "failed to checkout and determine revision: unable to clone 'https://github.com/org/privat-fleet': repository not found",
      "unable to clone 'https://github.com/org/fleet', error: repository not found",
    ],
  },
  {
    id: 'go-git/remote-repository-empty',
    emitter: 'go-git',
    code: 'source.ref-not-found',
    cause: 'empty-repository',
    re: rx(WRAP, `remote repository is empty`),
    versions: '>=0.1.0',
    cite: 'github.com/go-git/go-git/v5@v5.19.1 plumbing/transport/common.go ErrEmptyRemoteRepository "remote repository is empty"',
    reasons: ['GitOperationFailed'],
    samples: [
      // source-filled
      "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/org/new-fleet': remote repository is empty",
    ],
  },
  {
    id: 'go-git/couldnt-find-remote-ref',
    emitter: 'go-git',
    code: 'source.ref-not-found',
    cause: 'remote-ref-not-found',
    re: rx(
      WRAP,
      String.raw`couldn't find remote ref (?:\\?"|'|&#39;|&quot;)?(?:refs/heads/(?<branch>[^"'\s\\&]+)|refs/tags/(?<tag>[^"'\s\\&]+)|(?<ref>[^"'\s\\&]+))`,
    ),
    versions: '>=0.1.0',
    cite: 'github.com/go-git/go-git/v5@v5.19.1 remote.go NoMatchingRefSpecError "couldn\'t find remote ref %q"; github.com/fluxcd/pkg/git/gogit@v0.1.0 clone.go "couldn\'t find remote ref \'%s\'"',
    reasons: ['GitOperationFailed'],
    samples: [
      // fluxcd/flux2#1014 (flux bootstrap v0.9, same go-git text)
      'git clone error: couldn\'t find remote ref "refs/heads/main"',
      // source-filled: source-controller v1.x Ready message
      "failed to checkout and determine revision: unable to clone 'https://github.com/org/fleet': couldn't find remote ref \"refs/heads/mian\"",
      // source-filled: fluxcd/pkg/git/gogit wording, JSON-escaped in a log line
      "unable to clone 'ssh://git@github.com/org/fleet': couldn't find remote ref 'refs/tags/v1.2.3'",
      "failed to checkout and determine revision: unable to clone 'https://github.com/org/fleet': couldn't find remote ref \\\"refs/heads/dev\\\"",
    ],
  },
  {
    id: 'go-git/unable-to-resolve-ref',
    emitter: 'go-git',
    code: 'source.ref-not-found',
    cause: 'ref-not-found',
    re: /unable to resolve ref '(?<ref>[^']+)' to a specific commit/,
    versions: '>=0.35.0',
    cite: 'github.com/fluxcd/pkg/git/gogit@v0.7.1 clone.go "unable to resolve ref \'%s\' to a specific commit"',
    reasons: ['GitOperationFailed'],
    samples: [
      // source-filled: spec.ref.name
      "failed to checkout and determine revision: unable to resolve ref 'refs/pull/42/head' to a specific commit",
    ],
  },
  {
    id: 'go-git/commit-object-not-found',
    emitter: 'go-git',
    code: 'source.ref-not-found',
    cause: 'commit-not-found',
    re: /unable to resolve commit object for '(?<commit>[0-9a-fA-F]{4,64})': object not found/,
    versions: '>=0.17.0',
    cite: 'github.com/fluxcd/pkg/git/gogit@v0.1.0 clone.go "unable to resolve commit object for \'%s\': %w" with go-git plumbing.ErrObjectNotFound "object not found"',
    reasons: ['GitOperationFailed'],
    samples: [
      // source-filled: spec.ref.commit that is not in the repository
      "failed to checkout and determine revision: unable to resolve commit object for 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678': object not found",
    ],
  },
  {
    id: 'go-git/tag-reference-not-found',
    emitter: 'go-git',
    code: 'source.ref-not-found',
    cause: 'tag-not-found',
    re: /unable to find (?:reference for )?tag (?:ref )?'(?<tag>[^']+)': reference not found/,
    versions: '>=0.5.0',
    cite: 'source-controller@v0.5.0 pkg/git/v2/checkout.go "unable to find tag \'%s\': %w"; github.com/fluxcd/pkg/git/gogit@v0.14.1 clone.go "unable to find reference for tag \'%s\': %w" with go-git plumbing.ErrReferenceNotFound',
    reasons: ['GitOperationFailed'],
    samples: [
      // source-filled: source-controller v0.5–v0.16 (libgit2-era checkout strategy v2)
      "unable to find tag 'v1.4.0': reference not found",
      // source-filled: fluxcd/pkg/git/gogit
      "failed to checkout and determine revision: unable to find reference for tag 'v9.9.9': reference not found",
    ],
  },
  {
    id: 'go-git/http-server-error',
    emitter: 'go-git',
    code: 'source.unreachable',
    cause: 'http-server-error',
    re: /unexpected client error: unexpected requesting \\?"(?<url>[^"\s\\]+)\\?" status code: (?<status>5\d\d)/,
    versions: '>=0.1.0',
    cite: 'github.com/go-git/go-git/v5@v5.19.1 plumbing/transport/http/common.go "unexpected requesting %q status code: %d" wrapped in plumbing/error.go "unexpected client error: %s"',
    reasons: ['GitOperationFailed'],
    samples: [
      // source-filled: a Git server behind a failing gateway
      'failed to checkout and determine revision: unable to clone \'https://git.example.com/ops/fleet\': unexpected client error: unexpected requesting "https://git.example.com/ops/fleet/info/refs?service=git-upload-pack" status code: 502',
    ],
  },
];
