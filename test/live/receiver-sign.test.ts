// Signing per Receiver type, against the verification notification-controller v1.9.2 does
// (internal/server/receiver_handlers.go validate(); go-github v64 github/messages.go
// ValidatePayload/ValidateSignature/messageMAC: `<algo>=<hex HMAC(body)>`, sha1|sha256|sha512).
// The HMAC itself is checked against the published vectors (RFC 4231 case 2, RFC 2202 case 2:
// key "Jefe", data "what do ya want for nothing?").

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { SEND_TYPES, signedRequest, testEvent, unsupported } from '../../src/live/receiver-sign.js';

const verify = (algo: string, key: string, body: string, sig: string) =>
  createHmac(algo, key).update(body).digest('hex') === sig;

test('the HMAC primitive matches RFC 4231 / RFC 2202 vectors', () => {
  assert.equal(
    createHmac('sha256', 'Jefe').update('what do ya want for nothing?').digest('hex'),
    '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  );
  assert.equal(
    createHmac('sha1', 'Jefe').update('what do ya want for nothing?').digest('hex'),
    'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79',
  );
});

test('github: X-Hub-Signature-256 is sha256=<hex HMAC-SHA256 of the exact body>, event in X-GitHub-Event', () => {
  const r = signedRequest('github', 'Jefe');
  const [algo, hex] = r.headers['X-Hub-Signature-256']!.split('=');
  assert.equal(algo, 'sha256');
  assert.ok(verify('sha256', 'Jefe', r.body, hex!));
  assert.ok(!verify('sha256', 'wrong', r.body, hex!));
  assert.equal(r.headers['X-GitHub-Event'], 'ping');
  assert.equal(r.headers['Content-Type'], 'application/json');
  // spec.events filter: the controller refuses an event not listed (strings.EqualFold).
  assert.equal(signedRequest('github', 't', ['push']).headers['X-GitHub-Event'], 'push');
});

test('gitlab and harbor carry the token as the header value; bitbucket signs with X-Hub-Signature', () => {
  const g = signedRequest('gitlab', 'tok', ['Tag Push Hook']);
  assert.equal(g.headers['X-Gitlab-Token'], 'tok');
  assert.equal(g.headers['X-Gitlab-Event'], 'Tag Push Hook');
  assert.equal(signedRequest('harbor', 'tok').headers.Authorization, 'tok');
  const b = signedRequest('bitbucket', 'Jefe');
  const [algo, hex] = b.headers['X-Hub-Signature']!.split('=');
  assert.equal(algo, 'sha256');
  assert.ok(verify('sha256', 'Jefe', b.body, hex!));
  assert.equal(b.headers['X-Event-Key'], 'repo:refs_changed');
});

test('generic-hmac: X-Signature sha256=<hex>; nexus: bare hex HMAC-SHA1; generic: no auth header', () => {
  const h = signedRequest('generic-hmac', 'Jefe');
  assert.ok(h.headers['X-Signature']!.startsWith('sha256='));
  assert.ok(verify('sha256', 'Jefe', h.body, h.headers['X-Signature']!.slice(7)));
  const n = signedRequest('nexus', 'Jefe');
  assert.ok(verify('sha1', 'Jefe', n.body, n.headers['X-Nexus-Webhook-Signature']!));
  assert.deepEqual(JSON.parse(n.body).repositoryName, 'fluxdoctor-receiver-test');
  const g = signedRequest('generic', 'Jefe');
  assert.equal(JSON.stringify(g.headers).includes('Jefe'), false);
});

test('bodies decode into the shapes the controller reads (quay, dockerhub, acr)', () => {
  assert.ok(Array.isArray(JSON.parse(signedRequest('quay', '').body).updated_tags));
  assert.equal(typeof JSON.parse(signedRequest('dockerhub', '').body).push_data.tag, 'string');
  assert.equal(typeof JSON.parse(signedRequest('acr', '').body).target.repository, 'string');
});

test('types that cannot be forged say why and are refused', () => {
  for (const t of ['gcr', 'generic-oidc', 'cdevents', 'nope']) {
    assert.ok(unsupported(t));
    assert.throws(() => signedRequest(t, 'x'));
  }
  for (const t of SEND_TYPES) assert.equal(unsupported(t), undefined);
  assert.equal(testEvent('harbor', ['x']), undefined);
});
