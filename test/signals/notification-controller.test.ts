// notification-controller patterns: the v1beta1/v1beta2 Provider and Alert status texts (v0.x–v1.1) and the
// v1beta3 dispatch events (v1.2+) map to the same code and cause, the Secret and status code a fix needs
// are captured, the wrapper never wins over the cause it wraps, and no pattern backtracks on hostile input.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PATTERNS as NC, REASONS } from '../../src/signals/patterns/notification-controller.js';
import { dataOf, hostileInputs, innermost, timeIt } from './innermost.js';

const classify = (text: string) => {
  const hit = innermost(text, NC);
  return { id: hit?.pattern.id, code: hit?.pattern.code, cause: hit?.pattern.cause, data: dataOf(hit) };
};

describe('notification-controller patterns', () => {
  it('a missing Provider Secret reads the same in v0.x (status), v1.2–v1.6 and v1.7+ (events), with its name', () => {
    const texts = [
      'failed to read secret, error: secrets "slack-url" not found',
      'failed to dispatch notification for Kustomization/flux-system/apps: failed to initialize notifier for provider \'slack\': failed to read secret: secrets "slack-url" not found',
      "failed to dispatch notification for Kustomization/flux-system/apps: failed to initialize notifier for provider 'slack': failed to get secret 'flux-system/slack-url': secrets \"slack-url\" not found",
    ];
    for (const t of texts) {
      const c = classify(t);
      assert.deepEqual([c.code, c.cause, c.data.name], ['notification.provider-failed', 'secret', 'slack-url'], t);
    }
    assert.equal(classify(texts[2]!).data.secret, 'flux-system/slack-url');
  });

  it('the HTTP answer decides the cause: 401/403 auth, 404 not-found, other codes http; Slack errors too', () => {
    const c401 = classify(
      'failed to send notification for GitRepository/flux-system/flux-system: postMessage failed: request failed with status code 401, {"message":"Bad credentials"}',
    );
    assert.deepEqual([c401.cause, c401.data.status], ['auth', '401']);
    assert.equal(classify('postMessage failed: request failed with status code 404').cause, 'not-found');
    assert.equal(classify('postMessage failed: request failed with status code 500').cause, 'http');
    assert.equal(classify('postMessage failed: Slack responded with error: invalid_auth').cause, 'auth');
    assert.equal(classify('postMessage failed: Slack responded with error: channel_not_found').cause, 'not-found');
  });

  it('a network failure inside the wrapper is unreachable, with the host when DNS fails', () => {
    const c = classify(
      'failed to send notification for Kustomization/tenant/apps: postMessage failed: failed to execute request: Post "https://hooks.slack.com/services/***": dial tcp: lookup hooks.slack.com on 10.96.0.10:53: no such host',
    );
    assert.deepEqual(
      [c.code, c.cause, c.data.host],
      ['notification.provider-failed', 'unreachable', 'hooks.slack.com'],
    );
    // https://github.com/fluxcd/notification-controller/issues/965
    assert.equal(
      classify(
        'failed to send notification for Kustomization/tenant/apps: postMessage failed: failed to execute request: context deadline exceeded',
      ).cause,
      'unreachable',
    );
  });

  it('TLS: the v0.13–v1.1 caFile texts, the v1.7+ TLS config and an x509 error in the request', () => {
    for (const t of [
      'no caFile found in secret gitlab-ca',
      'could not append to cert pool: invalid CA found in gitlab-ca',
      "failed to initialize notifier for provider 'gitlab': failed to get TLS config: secret 'flux-system/gitlab-ca': failed to parse CA certificate",
      'postMessage failed: failed to execute request: Post "https://chat.example.com/hooks/***": tls: failed to verify certificate: x509: certificate signed by unknown authority',
    ])
      assert.equal(classify(t).cause, 'tls', t);
  });

  it('the address: v0.x status texts and a bad URL inside the notifier wrapper', () => {
    for (const t of [
      'invalid address slack.example.com/hooks: parse "slack.example.com/hooks": invalid URI for request',
      "no address found in 'spec.address' nor in `spec.secretRef`",
      "failed to initialize notifier for provider 'slack': invalid Slack hook URL htps://hooks.slack.com: 'parse error'",
    ])
      assert.deepEqual([classify(t).code, classify(t).cause], ['notification.provider-failed', 'address'], t);
  });

  it('a providerRef to a missing Provider is flux.reference-missing, not a Provider failure', () => {
    const c = classify(
      'failed to dispatch notification for Kustomization/flux-system/apps: failed to read provider: providers.notification.toolkit.fluxcd.io "slack" not found',
    );
    assert.deepEqual([c.code, c.cause, c.data.name], ['flux.reference-missing', 'provider-missing', 'slack']);
  });

  it('the dispatch wrapper alone is a symptom (code none), never a cause', () => {
    const c = classify('failed to dispatch notification for HelmRelease/apps/podinfo: something new');
    assert.equal(c.code, 'none');
  });

  it('the Receiver token: missing Secret and missing key, in the controller and the webhook handler wording', () => {
    const missing = classify(
      'unable to read token from secret \'flux-system/webhook-token\' error: secrets "webhook-token" not found',
    );
    assert.deepEqual(
      [missing.code, missing.cause, missing.data.secret],
      ['notification.receiver-secret-missing', 'secret-missing', 'flux-system/webhook-token'],
    );
    assert.equal(
      classify("invalid 'flux-system/webhook-token' secret data: required fields 'token'").cause,
      'token-key-missing',
    );
    assert.equal(
      classify('invalid "flux-system/webhook-token" secret data: required field \'token\'').cause,
      'token-key-missing',
    );
    assert.ok(REASONS.some((r) => r.reason === 'TokenNotFound' && r.code === 'notification.receiver-secret-missing'));
  });

  it('every pattern stays fast on 100 KB of hostile input', () => {
    for (const p of NC) {
      for (const input of hostileInputs(p)) {
        const ms = timeIt(p.re, input);
        assert.ok(ms < 250, `${p.id} took ${ms.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 30))}…`);
      }
    }
  });
});
