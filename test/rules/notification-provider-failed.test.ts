import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose } from '../../src/diagnose/engine.js';
import { redactUrls, rule } from '../../src/rules/notification-provider-failed.js';
import { event, graphOf, idOf, obj, ruleTester, secret, status } from '../helpers.js';

// notification-controller internal/server/event_handlers.go:
//   s.Eventf(alert, Warning, "NotificationDispatchFailed", "failed to dispatch notification for %s: %s", involvedObjectString(...), err)
//   s.Eventf(alert, Warning, "NotificationDispatchFailed", "failed to send notification for %s: %s", ...)     (notifier Post error)
//   getNotificationParams: "failed to initialize notifier for provider '%s': %w"; getSecret: "failed to get secret '%s': %w"
// internal/notifier/slack.go "postMessage failed: %w"; internal/notifier/client.go "failed to execute request: %w".
// Real reports: https://github.com/fluxcd/notification-controller/issues/965 (event), /issues/740 (event-server log line).

const provider = (name: string, spec: Record<string, unknown>, st?: unknown) =>
  obj('Provider', name, { spec, ...(st ? { status: st } : {}) });
const alert = (name: string, providerName: string, st?: unknown) =>
  obj('Alert', name, {
    spec: {
      providerRef: { name: providerName },
      eventSeverity: 'error',
      eventSources: [{ kind: 'Kustomization', name: '*' }],
    },
    ...(st ? { status: st } : {}),
  });
const alertRef = (name: string, ns = 'flux-system') => ({ kind: 'Alert', namespace: ns, name });

const SEND_TIMEOUT =
  'failed to send notification for Kustomization/tenant/apps: postMessage failed: failed to execute request: context deadline exceeded';
const SECRET_MISSING =
  "failed to dispatch notification for Kustomization/flux-system/apps: failed to initialize notifier for provider 'slack': failed to get secret 'flux-system/slack-url': secrets \"slack-url\" not found";

ruleTester(rule, {
  valid: [
    {
      name: 'Provider and Alert without failures (v1beta3, no status)',
      objects: [
        provider('slack', { type: 'slack', channel: 'ops', secretRef: { name: 'slack-url' } }),
        secret('slack-url', ['address']),
        alert('on-call', 'slack'),
      ],
    },
    {
      name: 'look-alike: Alert InvalidConfig event (bad inclusion regex) is the Alert’s own problem',
      source:
        'event_handlers.go: s.Eventf(alert, Warning, "InvalidConfig", ...) for \'failed to compile inclusion regex\'',
      objects: [
        provider('slack', { type: 'slack', address: 'https://hooks.slack.com/services/T0/B0/XXXX' }),
        alert('on-call', 'slack'),
        event(
          alertRef('on-call'),
          'InvalidConfig',
          'failed to compile inclusion regex: error parsing regexp: missing closing ]: `[a-z`',
        ),
      ],
    },
    {
      name: 'look-alike: Alert whose Provider does not exist (flux.reference-missing)',
      objects: [
        provider('other', { type: 'generic', address: 'https://example.com/hook' }),
        alert('on-call', 'slack'),
        event(
          alertRef('on-call'),
          'NotificationDispatchFailed',
          'failed to dispatch notification for Kustomization/flux-system/apps: failed to read provider: Provider.notification.toolkit.fluxcd.io "slack" not found',
        ),
      ],
    },
    {
      name: 'suspended Provider',
      objects: [
        provider('slack', { type: 'slack', suspend: true, secretRef: { name: 'gone' } }),
        secret('x', ['address']),
      ],
    },
  ],
  invalid: [
    {
      name: 'Provider Secret missing: Provider finding (fixTarget the Secret) and an Alert finding explained by it',
      source: 'fluxcd/notification-controller internal/server/event_handlers.go (getNotificationParams, getSecret)',
      objects: [
        provider('slack', { type: 'slack', channel: 'ops', secretRef: { name: 'slack-url' } }),
        secret('unrelated', ['token']),
        alert('on-call', 'slack'),
        event(alertRef('on-call'), 'NotificationDispatchFailed', SECRET_MISSING),
      ],
      expect: [
        {
          object: 'Provider/flux-system/slack',
          cause: 'secret-missing',
          data: { secret: 'flux-system/slack-url', type: 'slack' },
          summary:
            'Provider flux-system/slack (type slack) cannot deliver alerts: Secret flux-system/slack-url (spec.secretRef) does not exist; used by Alert flux-system/on-call',
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'slack-url' },
          evidence: [
            /Secret flux-system\/slack-url .* does not exist/,
            /failed to get secret 'flux-system\/slack-url'/,
          ],
          remediation: [
            /kubectl create secret generic slack-url -n flux-system --from-literal=address=<slack webhook URL>/,
            /flux events --for Alert\/on-call -n flux-system/,
          ],
        },
        {
          object: 'Alert/flux-system/on-call',
          cause: 'alert',
          data: { failure: 'secret' },
          summary:
            'Alert flux-system/on-call cannot deliver notifications through Provider flux-system/slack: a Secret it references does not exist',
          fixTarget: { kind: 'Provider', namespace: 'flux-system', name: 'slack' },
          remediation: [
            /^Fix Provider flux-system\/slack \(its address, Secret, TLS or network\):$/,
            /^kubectl get providers.notification.toolkit.fluxcd.io slack -n flux-system -o yaml$/,
            /^Confirm on the next event:$/,
            /^flux events --for Alert\/on-call -n flux-system$/,
          ],
        },
      ],
    },
    {
      name: 'timeouts posting to Slack, seen in the Alert event and an event-server log line',
      source: 'https://github.com/fluxcd/notification-controller/issues/965 and /issues/740',
      objects: [
        provider('slack', { type: 'slack', address: 'https://hooks.slack.com/services/T000/B000/SECRETPATH' }),
        obj('Alert', 'tenant/apps', { spec: { providerRef: { name: 'slack' } } }),
        obj('Provider', 'tenant/slack', {
          spec: { type: 'slack', address: 'https://hooks.slack.com/services/T000/B000/SECRETPATH' },
        }),
        event({ kind: 'Alert', namespace: 'tenant', name: 'apps' }, 'NotificationDispatchFailed', SEND_TIMEOUT),
      ],
      logs: [
        {
          level: 'error',
          ts: '2026-11-24T10:00:01.000Z',
          logger: 'event-server',
          msg: 'failed to send notification',
          eventInvolvedObject: { kind: 'Kustomization', namespace: 'tenant', name: 'apps' },
          alert: { name: 'apps', namespace: 'tenant' },
          error: 'postMessage failed: failed to execute request: context deadline exceeded',
        },
      ],
      expect: [
        {
          object: 'Alert/tenant/apps',
          summary:
            /cannot deliver notifications through Provider tenant\/slack: the receiving service cannot be reached in time/,
          evidence: [/context deadline exceeded/, /error failed to send notification: postMessage failed/],
        },
        {
          object: 'Provider/tenant/slack',
          cause: 'unreachable',
          data: { host: 'hooks.slack.com' },
          summary:
            'Provider tenant/slack (type slack, hooks.slack.com) cannot deliver alerts: the receiving service cannot be reached in time; used by Alert tenant/apps',
          fixTarget: { kind: 'Provider', namespace: 'tenant', name: 'slack' },
          remediation: [/Let notification-controller reach hooks\.slack\.com/],
        },
      ],
    },
    {
      name: 'v1beta2 Provider with Ready=False InvalidURL',
      source: 'fluxcd/notification-controller v0.33.0 controllers/provider_controller.go validateURLs',
      objects: [
        obj('Provider', 'generic', {
          spec: { type: 'generic', address: 'hooks.example.com/flux' },
          status: status([
            'False',
            'InvalidURL',
            'invalid address hooks.example.com/flux: parse "hooks.example.com/flux": invalid URI for request',
          ]),
        }),
      ],
      expect: [
        {
          cause: 'address',
          summary:
            'Provider flux-system/generic (type generic) cannot deliver alerts: its address (spec.address or the Secret key `address`) is missing or invalid; no Alert uses it',
          remediation: [/Fix spec\.address of Provider flux-system\/generic/],
        },
      ],
    },
    {
      name: 'notification v1beta1 Provider of v0.x: Ready=False with the old secret wording, Secrets not read',
      source:
        'notification-controller@v0.18.0 controllers/provider_controller.go "failed to read secret, error: %w" (Ready=False ValidationFailed)',
      objects: [
        {
          ...provider(
            'teams',
            { type: 'msteams', secretRef: { name: 'teams-url' } },
            status(['False', 'ValidationFailed', 'failed to read secret, error: secrets "teams-url" not found']),
          ),
          apiVersion: 'notification.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [
        {
          cause: 'secret',
          data: { type: 'msteams' },
          summary:
            'Provider flux-system/teams (type msteams) cannot deliver alerts: a Secret it references does not exist; no Alert uses it',
        },
      ],
    },
    {
      name: 'v1beta3 dispatch: the service answers 401 (token rotated)',
      source: 'notification-controller@v1.6.0 internal/notifier/client.go "request failed with status code %d, %s"',
      objects: [
        provider('github', {
          type: 'github',
          address: 'https://github.com/org/fleet',
          secretRef: { name: 'gh-token' },
        }),
        secret('gh-token', ['token']),
        alert('commits', 'github'),
        event(
          alertRef('commits'),
          'NotificationDispatchFailed',
          'failed to send notification for Kustomization/flux-system/apps: postMessage failed: request failed with status code 401, {"message":"Bad credentials"}',
        ),
      ],
      expect: [
        {
          object: 'Provider/flux-system/github',
          cause: 'auth',
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'gh-token' },
          summary:
            'Provider flux-system/github (type github, github.com) cannot deliver alerts: the receiving service rejects its credentials; used by Alert flux-system/commits',
          remediation: [/Rotate the token in Secret flux-system\/gh-token: the github service answers 401\/403/],
        },
        { object: 'Alert/flux-system/commits', cause: 'alert', data: { failure: 'auth' } },
      ],
    },
    {
      name: 'v1beta2 Alert of v0.x: "provider <ns/name> is not ready" is explained by the Provider',
      source: 'notification-controller@v0.33.0 controllers/alert_controller.go "provider %s is not ready"',
      objects: [
        provider(
          'slack',
          { type: 'slack', address: 'https://hooks.slack.com/services/x' },
          status(['True', 'Succeeded', 'Initialized']),
        ),
        alert('on-call', 'slack', status(['False', 'ProviderNotReady', 'provider flux-system/slack is not ready'])),
      ],
      expect: [
        {
          object: 'Alert/flux-system/on-call',
          cause: 'alert',
          summary:
            'Alert flux-system/on-call cannot deliver notifications through Provider flux-system/slack: its Provider is not ready',
        },
      ],
    },
  ],
});

describe('notification.provider-failed in the engine', () => {
  it('reports the Provider as the root cause with its Alerts affected', () => {
    const graph = graphOf([
      provider('slack', { type: 'slack', secretRef: { name: 'slack-url' } }),
      secret('other', ['address']),
      alert('on-call', 'slack'),
      alert('team', 'slack'),
      event(alertRef('on-call'), 'NotificationDispatchFailed', SECRET_MISSING),
      event(alertRef('team'), 'NotificationDispatchFailed', SECRET_MISSING),
    ]);
    const report = diagnose(graph, { rules: [rule] });
    assert.deepEqual(
      report.findings.map((f) => [f.code, idOf(f.rootCause), f.affected.map(idOf)]),
      [
        [
          'notification.provider-failed',
          'Provider/flux-system/slack',
          ['Alert/flux-system/on-call', 'Alert/flux-system/team'],
        ],
      ],
    );
  });

  it('never shows a webhook URL path', () => {
    assert.equal(
      redactUrls('Post "https://hooks.slack.com/services/T0/B0/XXXX": dial tcp: i/o timeout'),
      'Post "https://hooks.slack.com/***": dial tcp: i/o timeout',
    );
  });
});
