// notification.receiver-secret-missing: the Receiver's token Secret does not exist or has no
// `token` key, so incoming webhooks cannot be verified and nothing is reconciled on push.

import { titled } from '../render/advice.js';
import { shq } from '../render/shell.js';
import type { ObjRef } from '../types.js';
import type { Rule } from './types.js';
import { evidenceOf, matchSignals, reconcileCmd, show } from './util.js';

// notification-controller internal/controller/receiver_controller.go (token):
//   fmt.Errorf("unable to read token from secret '%s' error: %w", secretName, err)
//   fmt.Errorf("invalid '%s' secret data: required fields 'token'", secretName)
// set as Ready=False with reason TokenNotFound (api/v1 TokenNotFoundReason). The webhook handler
// (internal/server/receiver_handlers.go) reads the Secret on every call: "unable to read secret, error: %w",
// "invalid %q secret data: required field 'token'".
const PATTERNS = [
  /unable to read token from secret/,
  /secret data: required fields? 'token'/,
  /unable to read secret, error: .*not found/,
];

export const rule: Rule = {
  meta: {
    code: 'notification.receiver-secret-missing',
    severity: 'error',
    title: "The Receiver's token Secret is missing",
    kinds: ['Receiver'],
    docs: {
      description:
        'A Receiver exposes a webhook path derived from a secret token and verifies incoming calls (GitHub/GitLab signatures, generic tokens) with it. The token lives in the Secret named by `spec.secretRef`, under the key `token`. When that Secret does not exist or has no `token` key, the Receiver is not ready and webhooks from the Git provider or registry are rejected: pushes no longer trigger an immediate reconciliation.',
      detection:
        "`Ready=False` with reason `TokenNotFound` and notification-controller's message `unable to read token from secret '<namespace>/<name>' error: secrets \"<name>\" not found` or `invalid '<namespace>/<name>' secret data: required fields 'token'`. When Secrets were read, the Secret named in `spec.secretRef` is also looked up directly: absent, or present without a `token` key (only key names are read, never values).",
      fix: [
        '- Generate a random token: `TOKEN=$(head -c 12 /dev/urandom | shasum | cut -d " " -f1)`.',
        '- Create the Secret: `kubectl create secret generic <secret> -n <namespace> --from-literal=token=$TOKEN` (or add the `token` key to the existing Secret). Keep it in Git encrypted with SOPS if Flux manages it.',
        '- Configure the same token as the webhook secret in the Git provider / registry, with the URL from `kubectl get receiver <name> -o jsonpath={.status.webhookPath}`.',
        '- `flux reconcile receiver <name>`.',
      ].join('\n'),
      commands: [
        'flux get receivers -n <namespace>',
        'kubectl get secret <secret> -n <namespace>',
        "kubectl get receivers.notification.toolkit.fluxcd.io <name> -n <namespace> -o jsonpath='{.status.webhookPath}'",
        'flux reconcile receiver <name> -n <namespace>',
      ],
      examples: [
        {
          message:
            'unable to read token from secret \'flux-system/webhook-token\' error: secrets "webhook-token" not found',
          source: 'fluxcd/notification-controller internal/controller/receiver_controller.go (token)',
        },
        {
          message: "invalid 'flux-system/webhook-token' secret data: required fields 'token'",
          source: 'fluxcd/notification-controller internal/controller/receiver_controller.go (token)',
        },
      ],
    },
  },
  check(obj, { graph }) {
    const name: string | undefined = obj.spec?.secretRef?.name;
    if (!name) return undefined; // generic-oidc receivers have no token Secret
    const ns = obj.metadata.namespace ?? 'default';
    const ref: ObjRef = { kind: 'Secret', namespace: ns, name };
    const signals = matchSignals(obj, graph, { reasons: ['TokenNotFound'], patterns: PATTERNS });
    const secret = graph.get(ref);
    const read = graph.kindRead('Secret', ns);
    const missing = read && !secret;
    const keys: string[] | undefined = Array.isArray(secret?.dataKeys) ? secret.dataKeys : undefined;
    const noKey = !!secret && !!keys && !keys.includes('token');
    if (signals.length === 0 && !missing && !noKey) return undefined;

    const fromText = signals.some((s) => /required fields? 'token'/.test(s.text));
    const lacksKey = noKey || (!missing && fromText);
    const evidence = evidenceOf(signals);
    if (missing)
      evidence.push({ kind: 'missing', object: `Secret/${ns}/${name}`, text: `Secret ${ns}/${name} does not exist` });
    else if (noKey)
      evidence.push({
        kind: 'field',
        object: `Secret/${ns}/${name}`,
        text: `Secret ${ns}/${name} has keys [${keys!.join(', ')}] but no "token"`,
      });

    const create = `kubectl create secret generic ${shq(name)} -n ${shq(ns)} --from-literal=token=$TOKEN`;
    return {
      summary: lacksKey
        ? `${show(obj)} cannot verify webhooks: Secret ${ns}/${name} has no "token" key`
        : `${show(obj)} cannot verify webhooks: its token Secret ${ns}/${name} does not exist`,
      evidence,
      remediation: [
        ...titled('Generate a token', 'TOKEN=$(head -c 12 /dev/urandom | shasum | cut -d " " -f1)'),
        ...(lacksKey
          ? titled(
              'Add the key (this replaces the Secret\'s other keys; or add "token" to it in Git, SOPS-encrypted)',
              `${create} --dry-run=client -o yaml | kubectl apply -f -`,
            )
          : titled('Create it (or commit it to Git encrypted with SOPS if Flux manages it)', create)),
        ...titled(
          `Set the same token as the webhook secret in the ${obj.spec?.type ?? 'webhook'} sender; the URL path is in`,
          `kubectl get receivers.notification.toolkit.fluxcd.io ${shq(obj.metadata.name)} -n ${shq(ns)} -o jsonpath='{.status.webhookPath}'`,
        ),
        reconcileCmd(obj),
        `flux get receivers -n ${shq(ns)}`,
      ],
      fixTarget: ref,
    };
  },
};
