import { rule } from '../../src/rules/notification-receiver-secret-missing.js';
import { obj, READY, ruleTester, secret, status } from '../helpers.js';

// notification-controller internal/controller/receiver_controller.go:
//   token(): fmt.Errorf("unable to read token from secret '%s' error: %w", secretName, err)   (secretName = types.NamespacedName → "ns/name")
//            fmt.Errorf("invalid '%s' secret data: required fields 'token'", secretName)
//   reconcile: conditions.MarkFalse(obj, meta.ReadyCondition, apiv1.TokenNotFoundReason, "%s", err)
// The wrapped err is the API server's NotFound: `secrets "webhook-token" not found`.

const receiver = (st: unknown, spec: Record<string, unknown> = {}) =>
  obj('Receiver', 'github', {
    spec: {
      type: 'github',
      events: ['ping', 'push'],
      secretRef: { name: 'webhook-token' },
      resources: [{ kind: 'GitRepository', name: 'flux-system' }],
      ...spec,
    },
    status: st,
  });

ruleTester(rule, {
  valid: [
    {
      name: 'ready Receiver with its token Secret',
      objects: [
        receiver(
          READY(
            'Receiver initialized for path: /hook/bed6d00b5555b1603e1f59b94d7fdbca58089cb5663633fb83f2815dc626d92b',
          ),
        ),
        secret('webhook-token', ['token']),
      ],
    },
    {
      name: 'generic-oidc Receiver has no secretRef',
      objects: [receiver(READY(), { type: 'generic-oidc', secretRef: undefined }), secret('other', ['token'])],
    },
    {
      name: 'look-alike: ValidationFailed (secretRef required) is a spec error, not a missing Secret',
      source: 'receiver_controller.go validate: "secretRef is required when type is not generic-oidc"',
      objects: [
        obj('Receiver', 'github', {
          spec: { type: 'github', resources: [] },
          status: status(['False', 'ValidationFailed', 'secretRef is required when type is not generic-oidc']),
        }),
      ],
    },
    {
      name: 'Secrets not read and Receiver ready: nothing can be said',
      objects: [receiver(READY())],
    },
  ],
  invalid: [
    {
      name: 'token Secret does not exist',
      source: 'fluxcd/notification-controller internal/controller/receiver_controller.go token()',
      objects: [
        receiver(
          status([
            'False',
            'TokenNotFound',
            'unable to read token from secret \'flux-system/webhook-token\' error: secrets "webhook-token" not found',
          ]),
        ),
        secret('unrelated', ['token']),
      ],
      expect: [
        {
          object: 'Receiver/flux-system/github',
          cause: 'secret-missing',
          data: { secret: 'webhook-token', namespace: 'flux-system', name: 'github' },
          summary:
            'Receiver flux-system/github cannot verify webhooks: its token Secret flux-system/webhook-token does not exist',
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'webhook-token' },
          evidence: [/unable to read token from secret 'flux-system\/webhook-token'/, /does not exist/],
          remediation: [
            /TOKEN=\$\(head -c 12 \/dev\/urandom/,
            /kubectl create secret generic webhook-token -n flux-system --from-literal=token=\$TOKEN/,
            /flux reconcile receiver github -n flux-system/,
          ],
        },
      ],
    },
    {
      name: "Secret exists without the 'token' key",
      source: 'fluxcd/notification-controller internal/controller/receiver_controller.go token()',
      objects: [
        receiver(
          status([
            'False',
            'TokenNotFound',
            "invalid 'flux-system/webhook-token' secret data: required fields 'token'",
          ]),
        ),
        secret('webhook-token', ['secret']),
      ],
      expect: [
        {
          cause: 'token-key-missing',
          data: { secret: 'webhook-token' },
          summary:
            'Receiver flux-system/github cannot verify webhooks: Secret flux-system/webhook-token has no "token" key',
          evidence: [/required fields 'token'/, /has keys \[secret\] but no "token"/],
          remediation: [/--from-literal=token=\$TOKEN --dry-run=client -o yaml \| kubectl apply -f -/],
        },
      ],
    },
    {
      name: 'Receiver still Ready but its Secret was deleted (seen through the graph)',
      objects: [receiver(READY()), secret('other', ['token'])],
      expect: [
        {
          cause: 'secret-missing',
          summary: /does not exist/,
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'webhook-token' },
        },
      ],
    },
    {
      name: 'notification v1beta1 Receiver (notification-controller v0.x), Secrets not read: the message alone tells',
      source:
        'notification-controller@v0.10.0 controllers/receiver_controller.go token "unable to read token from secret \'%s\' error: %w"',
      objects: [
        {
          ...receiver(
            status([
              'False',
              'TokenNotFound',
              'unable to read token from secret \'apps/gitlab-token\' error: secrets "gitlab-token" not found',
            ]),
            { type: 'gitlab', secretRef: { name: 'gitlab-token' } },
          ),
          apiVersion: 'notification.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [
        {
          cause: 'secret-missing',
          data: { secret: 'gitlab-token', sender: 'gitlab' },
          summary:
            'Receiver flux-system/github cannot verify webhooks: its token Secret flux-system/gitlab-token does not exist',
        },
      ],
    },
    {
      name: 'the webhook handler wording of v1.9 (invalid %q secret data: required field)',
      source:
        'notification-controller@v1.9.3 internal/server/receiver_handlers.go "invalid %q secret data: required field \'token\'"',
      objects: [
        receiver(
          status([
            'False',
            'TokenNotFound',
            'invalid "flux-system/webhook-token" secret data: required field \'token\'',
          ]),
        ),
      ],
      expect: [{ cause: 'token-key-missing' }],
    },
    {
      name: 'reason alone (message redacted): TokenNotFound',
      source: 'notification-controller@v1.9.3 api/v1/condition_types.go TokenNotFoundReason',
      objects: [receiver(status(['False', 'TokenNotFound', 'unable to read token from secret ***']))],
      expect: [{ cause: 'secret-missing' }],
    },
  ],
});
