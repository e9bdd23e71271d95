// The test request `receiver test --send` posts, per Receiver type, formed and signed exactly as
// notification-controller v1.9.2 verifies it (internal/server/receiver_handlers.go, validate()):
//
// - github: go-github v64 ValidatePayload — `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(body)>`
//   (falls back to X-Hub-Signature), Content-Type application/json; the event is `X-GitHub-Event`
//   and must be one of spec.events (case-insensitive) when events are listed.
// - gitlab: `X-Gitlab-Token` equal to the token; the event is `X-Gitlab-Event`, filtered by spec.events.
// - bitbucket: go-github ValidatePayload too (Bitbucket Server sends `X-Hub-Signature: sha256=<hex>`);
//   the event is `X-Event-Key`, filtered by spec.events.
// - harbor: `Authorization` equal to the token, no event filter.
// - generic: no check. generic-hmac: go-github ValidateSignature over the body with the
//   `X-Signature: sha256=<hex>` header.
// - nexus: `X-Nexus-Webhook-Signature: <hex HMAC-SHA1(body)>` (verifyHmacSignature), body JSON.
// - quay, dockerhub, acr: no authentication, a JSON body of the shape the controller decodes.
// - gcr (Google-signed OIDC token), generic-oidc and cdevents (a schema-valid CDEvent) cannot be
//   forged here: `unsupported` says why.
//
// The token is only an input to this function; nothing here returns or logs it.

import { createHmac } from 'node:crypto';

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
  /** The event the request carries, when the type has one. */
  event?: string;
}

export const SEND_TYPES = [
  'generic',
  'generic-hmac',
  'github',
  'gitlab',
  'bitbucket',
  'harbor',
  'quay',
  'dockerhub',
  'nexus',
  'acr',
] as const;

/** Why a Receiver type cannot be sent a test request, or undefined when it can. */
export function unsupported(type: string): string | undefined {
  if ((SEND_TYPES as readonly string[]).includes(type)) return undefined;
  if (type === 'gcr') return 'gcr requests carry a Google-signed OIDC token; fluxdoctor cannot make one';
  if (type === 'generic-oidc')
    return 'generic-oidc requests carry an OIDC token from your issuer; fluxdoctor cannot make one';
  if (type === 'cdevents') return 'cdevents requests must be a schema-valid CDEvent; not sent by fluxdoctor';
  return `notification-controller does not handle Receiver type '${type}'`;
}

const hmacHex = (algo: 'sha1' | 'sha256', key: string, body: string) =>
  createHmac(algo, key).update(body, 'utf8').digest('hex');

/** The event a test request sends: the first of spec.events when events are listed, else the type's usual push event. */
export function testEvent(type: string, events: string[] = []): string | undefined {
  const first = events.find((e) => e !== '');
  switch (type) {
    case 'github':
      return first ?? 'ping';
    case 'gitlab':
      return first ?? 'Push Hook';
    case 'bitbucket':
      return first ?? 'repo:refs_changed';
    default:
      return undefined;
  }
}

/** A test request for a Receiver of `type` signed with `token`; throws for a type `unsupported` names. */
export function signedRequest(type: string, token: string, events: string[] = []): SignedRequest {
  const why = unsupported(type);
  if (why) throw new Error(why);
  const event = testEvent(type, events);
  const json = { 'Content-Type': 'application/json', 'User-Agent': 'fluxdoctor-receiver-test' };
  const body = JSON.stringify(bodyFor(type));
  switch (type) {
    case 'github':
      return {
        body,
        event,
        headers: {
          ...json,
          'X-Hub-Signature-256': `sha256=${hmacHex('sha256', token, body)}`,
          'X-GitHub-Event': event!,
        },
      };
    case 'gitlab':
      return { body, event, headers: { ...json, 'X-Gitlab-Token': token, 'X-Gitlab-Event': event! } };
    case 'bitbucket':
      return {
        body,
        event,
        headers: { ...json, 'X-Hub-Signature': `sha256=${hmacHex('sha256', token, body)}`, 'X-Event-Key': event! },
      };
    case 'harbor':
      return { body, headers: { ...json, Authorization: token } };
    case 'generic-hmac':
      return { body, headers: { ...json, 'X-Signature': `sha256=${hmacHex('sha256', token, body)}` } };
    case 'nexus':
      return { body, headers: { ...json, 'X-Nexus-Webhook-Signature': hmacHex('sha1', token, body) } };
    default:
      return { body, headers: json };
  }
}

function bodyFor(type: string): unknown {
  switch (type) {
    case 'quay':
      return { docker_url: 'fluxdoctor.test/receiver-test', updated_tags: ['fluxdoctor-test'] };
    case 'dockerhub':
      return { push_data: { tag: 'fluxdoctor-test' }, repository: { repo_url: 'fluxdoctor.test/receiver-test' } };
    case 'acr':
      return { action: 'push', target: { repository: 'fluxdoctor/receiver-test', tag: 'fluxdoctor-test' } };
    case 'nexus':
      return { action: 'CREATED', repositoryName: 'fluxdoctor-receiver-test' };
    default:
      return { fluxdoctor: 'receiver test' };
  }
}
