// notification-controller messages (Provider/Alert v1beta1, v1beta2, v1beta3, Receiver v1beta1–v1): alert
// dispatch failures (Warning events NotificationDispatchFailed on the Alert, event-server log lines),
// Provider validation of the v1beta1/v1beta2 era (Ready=False on the Provider), and the Receiver's token.
// `versions` is the notification-controller range (v0.1.0 of 2020 to v1.9.x), read from the tags.
//
// Wording by era:
//   v0.1–v1.1  Providers and Alerts have status: Provider Ready=False "invalid address %s: %w" (v0.30+),
//              "no address found in 'spec.address' nor in `spec.secretRef`" (v0.5+), "failed to read secret,
//              error: %w", "no caFile found in secret %s" (v0.13–v1.0), "could not append to cert pool:
//              invalid CA found in %s"; Alert Ready=False "provider %s is not ready"; the event server only
//              logs ("failed to read provider", "failed to initialize provider", "failed to send notification")
//   v1.2–v1.6  v1beta3 drops the status: Warning events on the Alert "failed to dispatch notification for %s: %s"
//              and "failed to send notification for %s: %s"; "failed to initialize notifier for provider '%s': %w",
//              "failed to read secret: %w", "invalid address in secret: …"
//   v1.7+      "failed to get secret '%s': %w" (getSecret), "failed to get TLS config: %w" (runtime/secrets)
// The notifiers wrap the HTTP error the same way in every release: "postMessage failed: %w" around
// internal/notifier/client.go "failed to execute request: %w" or "request failed with status code %d[, %s]".
//
// Order matters: within this file, more specific patterns come first (ties of the innermost match).

import type { MessagePattern, ReasonSignal } from './types.js';

const NC = 'notification-controller' as const;
const PROVIDER_KINDS = ['Provider', 'Alert'];

export const PATTERNS: MessagePattern[] = [
  // ---------------------------------------------------------------- wrappers (never a cause)
  {
    id: 'notification-controller/dispatch-failed',
    emitter: NC,
    code: 'none',
    cause: 'dispatch-failed',
    re: /\bfailed to (?<step>dispatch|send) notification(?: for (?<involved>[^\s:]+))?/,
    versions: '>=0.1.0',
    cite: 'notification-controller@v1.9.3 internal/server/event_handlers.go "failed to dispatch notification for %s: %s", "failed to send notification for %s: %s" (events v1.2+; log messages "failed to send notification" since v0.1)',
    reasons: ['NotificationDispatchFailed'],
    kinds: PROVIDER_KINDS,
    samples: [
      // https://github.com/fluxcd/notification-controller/issues/965 (event on the Alert)
      'failed to send notification for Kustomization/tenant/apps: postMessage failed: failed to execute request: context deadline exceeded',
      // source-filled
      "failed to dispatch notification for HelmRelease/apps/podinfo: failed to initialize notifier for provider 'slack': unsupported provider",
    ],
  },
  // ---------------------------------------------------------------- a missing Provider (reference)
  {
    id: 'notification-controller/provider-not-found',
    emitter: NC,
    code: 'flux.reference-missing',
    cause: 'provider-missing',
    re: /\bfailed to read provider: providers(?:\.notification\.toolkit\.fluxcd\.io)? \\?"(?<name>[^"\\]+)\\?" not found/,
    versions: '>=0.1.0',
    cite: 'notification-controller@v1.9.3 internal/server/event_handlers.go "failed to read provider: %w" (v0.1–v1.1 the log message "failed to read provider" with the error) around the Kubernetes NotFound text',
    kinds: PROVIDER_KINDS,
    samples: [
      // source-filled
      'failed to dispatch notification for Kustomization/flux-system/apps: failed to read provider: providers.notification.toolkit.fluxcd.io "slack" not found',
      'failed to read provider: providers.notification.toolkit.fluxcd.io "msteams" not found',
    ],
  },
  {
    id: 'notification-controller/provider-not-ready',
    emitter: NC,
    code: 'notification.provider-failed',
    cause: 'provider-not-ready',
    re: /\bprovider (?<provider>[\w.-]+\/[\w.-]+) is not ready/,
    versions: '>=0.5.0 <1.2.0',
    cite: 'notification-controller@v0.33.0 controllers/alert_controller.go "provider %s is not ready" (Alert v1beta1/v1beta2 Ready=False)',
    kinds: ['Alert'],
    samples: ['provider flux-system/slack is not ready'],
  },
  // ---------------------------------------------------------------- the Provider's Secret
  {
    id: 'notification-controller/get-secret',
    emitter: NC,
    code: 'notification.provider-failed',
    cause: 'secret',
    re: /\bfailed to (?:get|read) secret(?: '(?<secret>[^']{1,300})')?(?:, error)?: .{0,300}?secrets? \\?"(?<name>[^"\\]{1,253})\\?" not found/,
    versions: '>=0.5.0',
    cite: 'notification-controller@v1.9.3 internal/server/event_handlers.go getSecret "failed to get secret \'%s\': %w" (v1.7+); v1.2–v1.6 "failed to read secret: %w"; v0.5–v1.1 controllers/provider_controller.go "failed to read secret, error: %w"',
    kinds: PROVIDER_KINDS,
    samples: [
      // source-filled (v1.7+)
      "failed to dispatch notification for Kustomization/flux-system/apps: failed to initialize notifier for provider 'slack': failed to get secret 'flux-system/slack-url': secrets \"slack-url\" not found",
      // source-filled (v1.2–v1.6)
      'failed to initialize notifier for provider \'slack\': failed to read secret: secrets "slack-url" not found',
      // source-filled (v0.5–v1.1, Provider Ready=False ValidationFailed)
      'failed to read secret, error: secrets "slack-url" not found',
    ],
  },
  // ---------------------------------------------------------------- TLS
  {
    id: 'notification-controller/tls-config',
    emitter: NC,
    code: 'notification.provider-failed',
    cause: 'tls',
    re: /\b(?:failed to get TLS config|no caFile found in secret (?<secret>[\w.-]+)|could not append to cert pool: invalid CA found in (?<ca>[\w.-]+))/,
    versions: '>=0.13.0',
    cite: 'notification-controller@v1.9.3 internal/server/event_handlers.go "failed to get TLS config: %w" (v1.7+); v0.33.0 controllers/provider_controller.go "no caFile found in secret %s" (v0.13–v1.0), "could not append to cert pool: invalid CA found in %s" (v0.13–v1.1)',
    kinds: PROVIDER_KINDS,
    samples: [
      "failed to initialize notifier for provider 'gitlab': failed to get TLS config: secret 'flux-system/gitlab-ca': failed to parse CA certificate",
      'no caFile found in secret gitlab-ca',
      'could not append to cert pool: invalid CA found in gitlab-ca',
    ],
  },
  {
    id: 'notification-controller/x509',
    emitter: NC,
    code: 'notification.provider-failed',
    cause: 'tls',
    re: /\b(?:x509: (?<x509>[^\n]{1,200})|remote error: tls: [\w ]{1,80}|tls: failed to verify certificate)/,
    versions: '>=0.1.0',
    cite: 'notification-controller@v1.9.3 internal/notifier/client.go postMessage "failed to execute request: %w" around the Go crypto/x509 and crypto/tls errors',
    kinds: PROVIDER_KINDS,
    samples: [
      'postMessage failed: failed to execute request: Post "https://chat.example.com/hooks/***": tls: failed to verify certificate: x509: certificate signed by unknown authority',
    ],
  },
  // ---------------------------------------------------------------- the address
  {
    id: 'notification-controller/invalid-address',
    emitter: NC,
    code: 'notification.provider-failed',
    cause: 'address',
    re: /\b(?:invalid address (?:in secret: address exceeds maximum length|(?<address>\S{1,300}): )|no address found in 'spec\.address' nor in `spec\.secretRef`|invalid (?:Slack|Google Chat|Zulip|PagerDuty|Discord|Rocket|Matrix|Lark|Webex) (?:hook |endpoint )?URL|unsupported protocol scheme|missing protocol scheme|invalid 'proxy' in secret|invalid proxy (?:in secret )?'?[^'\s]{0,300}'?: )/,
    versions: '>=0.5.0',
    cite: 'notification-controller@v0.33.0 controllers/provider_controller.go "invalid address %s: %w" (v0.30–v1.1), "no address found in \'spec.address\' nor in `spec.secretRef`" (v0.5–v1.1); v1.9.3 internal/server/event_handlers.go "invalid address in secret: address exceeds maximum length of %d bytes" (v1.2+); internal/notifier/slack.go "invalid Slack hook URL %s: \'%w\'"; Go net/url "missing protocol scheme", net/http "unsupported protocol scheme"',
    reasons: ['InvalidURL'],
    kinds: PROVIDER_KINDS,
    samples: [
      'invalid address slack.example.com/hooks: parse "slack.example.com/hooks": invalid URI for request',
      "no address found in 'spec.address' nor in `spec.secretRef`",
      "failed to initialize notifier for provider 'slack': invalid Slack hook URL htps://hooks.slack.com: 'parse error'",
      'postMessage failed: failed to execute request: Post "hooks.slack.com/services/***": unsupported protocol scheme ""',
    ],
  },
  {
    id: 'notification-controller/initialize-notifier',
    emitter: NC,
    code: 'notification.provider-failed',
    cause: 'address',
    re: /\bfailed to initialize (?:notifier for provider '(?<provider>[^']{1,253})'|provider, error|notifier)\b/,
    versions: '>=0.20.0',
    cite: 'notification-controller@v1.9.3 internal/server/event_handlers.go "failed to initialize notifier for provider \'%s\': %w" (v1.2+); v0.33.0 controllers/provider_controller.go "failed to initialize provider, error: %w" (v0.20–v1.1)',
    kinds: PROVIDER_KINDS,
    samples: [
      "failed to dispatch notification for Kustomization/flux-system/apps: failed to initialize notifier for provider 'teams': provider msteam not supported",
      'failed to initialize provider, error: provider msteam not supported',
    ],
  },
  // ---------------------------------------------------------------- the receiving service answers
  {
    id: 'notification-controller/status-unauthorized',
    emitter: NC,
    code: 'notification.provider-failed',
    cause: 'auth',
    re: /\brequest failed with status code (?<status>401|403)\b|\bSlack responded with error: (?<slack>invalid_auth|not_authed|token_revoked|account_inactive|token_expired)\b/,
    versions: '>=0.15.0',
    cite: 'notification-controller@v1.9.3 internal/notifier/client.go "request failed with status code %d" (v0.15–v1.6 "request failed with status code %d, %s" with the body); internal/notifier/slack.go "Slack responded with error: %s" (v1.6+)',
    kinds: PROVIDER_KINDS,
    samples: [
      'failed to send notification for GitRepository/flux-system/flux-system: postMessage failed: request failed with status code 401, {"message":"Bad credentials"}',
      'postMessage failed: Slack responded with error: invalid_auth',
    ],
  },
  {
    id: 'notification-controller/status-not-found',
    emitter: NC,
    code: 'notification.provider-failed',
    cause: 'not-found',
    re: /\brequest failed with status code (?<status>404)\b|\bSlack responded with error: (?<slack>channel_not_found|no_service|no_text)\b/,
    versions: '>=0.15.0',
    cite: 'notification-controller@v1.9.3 internal/notifier/client.go "request failed with status code %d"; internal/notifier/slack.go "Slack responded with error: %s"',
    kinds: PROVIDER_KINDS,
    samples: [
      'postMessage failed: request failed with status code 404, no_service',
      'postMessage failed: Slack responded with error: channel_not_found',
    ],
  },
  {
    id: 'notification-controller/status-error',
    emitter: NC,
    code: 'notification.provider-failed',
    cause: 'http',
    re: /\brequest failed with status code (?<status>\d{3})\b|\bSlack responded with error: (?<slack>\w{1,80})/,
    versions: '>=0.15.0',
    cite: 'notification-controller@v1.9.3 internal/notifier/client.go "request failed with status code %d"; internal/notifier/slack.go "Slack responded with error: %s"',
    kinds: PROVIDER_KINDS,
    samples: ['postMessage failed: request failed with status code 400, invalid_payload'],
  },
  // ---------------------------------------------------------------- the receiving service cannot be reached
  {
    id: 'notification-controller/unreachable',
    emitter: NC,
    code: 'notification.provider-failed',
    cause: 'unreachable',
    re: /\b(?:lookup (?<host>[\w.-]{1,253})(?: on [\w.:[\]-]{1,60})?: no such host|connect: connection refused|i\/o timeout|context deadline exceeded|giving up after \d+ attempt|network is unreachable|Client\.Timeout exceeded)/,
    versions: '>=0.5.0',
    cite: 'notification-controller@v1.9.3 internal/notifier/client.go "failed to execute request: %w" around the Go net and net/http errors (retryablehttp "giving up after %d attempt(s)")',
    kinds: PROVIDER_KINDS,
    samples: [
      // https://github.com/fluxcd/notification-controller/issues/740 (log line, error field)
      'postMessage failed: failed to execute request: context deadline exceeded',
      // source-filled
      'postMessage failed: failed to execute request: Post "https://hooks.slack.com/services/***": dial tcp: lookup hooks.slack.com on 10.96.0.10:53: no such host',
    ],
  },
  // ---------------------------------------------------------------- Receiver token
  {
    id: 'notification-controller/receiver-token-secret',
    emitter: NC,
    code: 'notification.receiver-secret-missing',
    cause: 'secret-missing',
    re: /\bunable to read (?:token from secret '(?<secret>[^']{1,300})' error|secret, error): .{0,300}?not found/,
    versions: '>=0.1.0',
    cite: 'notification-controller@v1.9.3 internal/controller/receiver_controller.go token "unable to read token from secret \'%s\' error: %w" (v0.1+, Ready=False TokenNotFound); internal/server/receiver_handlers.go "unable to read secret, error: %w" (v1.9+)',
    reasons: ['TokenNotFound'],
    kinds: ['Receiver'],
    samples: [
      'unable to read token from secret \'flux-system/webhook-token\' error: secrets "webhook-token" not found',
      'unable to read secret, error: secrets "webhook-token" not found',
    ],
  },
  {
    id: 'notification-controller/receiver-token-key',
    emitter: NC,
    code: 'notification.receiver-secret-missing',
    cause: 'token-key-missing',
    re: /\binvalid (?:'(?<secret>[^']{1,300})'|"(?<quoted>[^"]{1,300})") secret data: required fields? 'token'/,
    versions: '>=0.1.0',
    cite: "notification-controller@v1.9.3 internal/controller/receiver_controller.go token \"invalid '%s' secret data: required fields 'token'\"; internal/server/receiver_handlers.go \"invalid %q secret data: required field 'token'\" (older releases \"invalid '%s' secret data: required field 'token'\")",
    reasons: ['TokenNotFound'],
    kinds: ['Receiver'],
    samples: [
      "invalid 'flux-system/webhook-token' secret data: required fields 'token'",
      'invalid "flux-system/webhook-token" secret data: required field \'token\'',
    ],
  },
];

export const REASONS: ReasonSignal[] = [
  {
    id: 'notification-controller/reason-TokenNotFound',
    emitter: NC,
    reason: 'TokenNotFound',
    code: 'notification.receiver-secret-missing',
    cause: 'secret-missing',
    versions: '>=0.1.0',
    cite: 'notification-controller@v1.9.3 api/v1/condition_types.go TokenNotFoundReason',
    kinds: ['Receiver'],
  },
  {
    id: 'notification-controller/reason-InvalidURL',
    emitter: NC,
    reason: 'InvalidURL',
    code: 'notification.provider-failed',
    cause: 'address',
    versions: '>=0.5.0 <1.2.0',
    cite: 'notification-controller@v0.33.0 controllers/provider_controller.go meta.InvalidURLReason (Provider v1beta1/v1beta2 Ready=False)',
    kinds: ['Provider'],
  },
];
