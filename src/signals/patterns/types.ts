// The shape of one controller message pattern: the text a Flux controller (or Kubernetes, or the
// Helm SDK) writes into a condition message, an event or a log line, matched once, cited once.
//
// Each file in this directory holds the patterns of one emitting component. A pattern names the
// diagnosis code it is evidence for (docs/diagnosis-codes.md), the cause within that code, the data it
// captures (named groups), the releases whose source contains the format, where in the source it is
// written, and at least one real message it must match (from the source with its verbs filled, or
// verbatim from a public report). test/signals/patterns.test.ts feeds every sample to every pattern.

/** The component whose source writes the message. */
export type Emitter =
  | 'source-controller'
  | 'kustomize-controller'
  | 'helm-controller'
  | 'helm-sdk'
  | 'notification-controller'
  | 'image-reflector-controller'
  | 'image-automation-controller'
  | 'ssa' // fluxcd/pkg/ssa and cli-utils kstatus: the server-side apply and wait errors
  | 'go-git' // go-git / libgit2 / ssh transport errors wrapped by source- and image-automation-controller
  | 'kubernetes'; // kubelet, scheduler, ReplicaSet/Job/PVC/Service controllers, admission, API server

export interface MessagePattern {
  /** Stable id, `<emitter>/<short-name>`, e.g. `source-controller/git-auth-required`. */
  id: string;
  emitter: Emitter;
  /** The diagnosis code this message is evidence for (or `none` for a symptom that is never a root cause). */
  code: string;
  /** The cause within the code, kebab-case (e.g. `ssh-handshake`, `branch-not-found`). */
  cause: string;
  /** Matches the message; named groups become `data` (e.g. `(?<secret>…)`). Tolerant of wrapping. */
  re: RegExp;
  /**
   * Releases of the emitter whose source writes this format, as a semver range on the emitter's own
   * version (e.g. `>=0.1.0 <0.25.0`, `>=1.0.0`). For `kubernetes`, the Kubernetes version range.
   */
  versions: string;
  /** Where it is written: `module@version path/file.go` and the format string, verbatim. */
  cite: string;
  /** Real messages this pattern must match (at least one). Values may be redacted (`***`). */
  samples: string[];
  /** Optional condition/event reasons this message appears with (e.g. `AuthenticationFailed`). */
  reasons?: string[];
  /** Only for objects of these kinds (default: every kind the emitter's messages reach). */
  kinds?: string[];
}

/**
 * A condition or event reason that alone tells the cause when no message pattern matches (the message
 * was redacted, truncated or is in a wording the catalogue does not know yet). Each emitter module may
 * export `REASONS` beside `PATTERNS`.
 */
export interface ReasonSignal {
  /** Stable id, `<emitter>/reason-<Reason>`. */
  id: string;
  emitter: Emitter;
  /** The reason as the controller writes it (`AuthenticationFailed`). */
  reason: string;
  code: string;
  cause: string;
  versions: string;
  /** Where the reason constant is defined, e.g. `source-controller@v1.9.3 api/v1/condition_types.go AuthenticationFailedReason`. */
  cite: string;
  kinds?: string[];
}
