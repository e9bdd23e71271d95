// notification.receiver-secret-missing: the Receiver's token Secret does not exist or has no
// `token` key, so incoming webhooks cannot be verified and nothing is reconciled on push.

import { dataKeys, evidenceOf, missingReferences, signalFor } from '../signals/index.js';
import type { Evidence, ObjRef } from '../types.js';
import type { Rule } from './types.js';
import { reconcileCmd } from './util.js';

const GENERATE = 'TOKEN=$(head -c 12 /dev/urandom | shasum | cut -d " " -f1)';

export const rule: Rule = {
  meta: {
    code: 'notification.receiver-secret-missing',
    severity: 'error',
    title: "The Receiver's token Secret is missing",
    kinds: ['Receiver'],
    messages: {
      'secret-missing': {
        summary: '{receiver} cannot verify webhooks: its token Secret {namespace}/{secret} does not exist',
        remediation: [
          'Generate a token:',
          '{generate}',
          'Create it (or commit it to Git encrypted with SOPS if Flux manages it):',
          'kubectl create secret generic {sh:secret} -n {sh:namespace} --from-literal=token=$TOKEN',
          'Set the same token as the webhook secret in the {sender} sender; the URL path is in:',
          "kubectl get receivers.notification.toolkit.fluxcd.io {sh:name} -n {sh:namespace} -o jsonpath='{.status.webhookPath}'",
          '{reconcile}',
          'flux get receivers -n {sh:namespace}',
        ],
      },
      'token-key-missing': {
        summary: '{receiver} cannot verify webhooks: Secret {namespace}/{secret} has no "token" key',
        remediation: [
          'Generate a token:',
          '{generate}',
          'Add the key (this replaces the Secret\'s other keys; or add "token" to it in Git, SOPS-encrypted):',
          'kubectl create secret generic {sh:secret} -n {sh:namespace} --from-literal=token=$TOKEN --dry-run=client -o yaml | kubectl apply -f -',
          'Set the same token as the webhook secret in the {sender} sender; the URL path is in:',
          "kubectl get receivers.notification.toolkit.fluxcd.io {sh:name} -n {sh:namespace} -o jsonpath='{.status.webhookPath}'",
          '{reconcile}',
          'flux get receivers -n {sh:namespace}',
        ],
      },
    },
    docs: {
      description:
        'A Receiver exposes a webhook path derived from a secret token and verifies incoming calls (GitHub/GitLab signatures, generic tokens) with it. The token lives in the Secret named by `spec.secretRef`, under the key `token`. When that Secret does not exist or has no `token` key, the Receiver is not ready and webhooks from the Git provider or registry are rejected: pushes no longer trigger an immediate reconciliation.',
      detection:
        "The messages are matched by the notification-controller catalogue (src/signals/patterns/notification-controller.ts). `Ready=False` with reason `TokenNotFound` and notification-controller's message `unable to read token from secret '<namespace>/<name>' error: secrets \"<name>\" not found` or `invalid '<namespace>/<name>' secret data: required fields 'token'`. When Secrets were read, the Secret named in `spec.secretRef` is also looked up directly: absent, or present without a `token` key (only key names are read, never values).",
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
    const c = signalFor(obj, graph, 'notification.receiver-secret-missing');
    // Structural: the token Secret (edge spec.secretRef, key `token`) is known missing or lacks the key.
    const gone = missingReferences(obj, graph, ['secret']).find((m) => m.edge.to.name === name);
    if (!c && !gone) return undefined;
    const cause =
      gone?.missing === 'keys' || (!gone && c?.cause === 'token-key-missing') ? 'token-key-missing' : 'secret-missing';
    const evidence: Evidence[] = c ? evidenceOf(c.signals) : [];
    if (gone?.missing === 'object')
      evidence.push({ kind: 'missing', object: `Secret/${ns}/${name}`, text: `Secret ${ns}/${name} does not exist` });
    else if (gone?.missing === 'keys')
      evidence.push({
        kind: 'field',
        object: `Secret/${ns}/${name}`,
        text: `Secret ${ns}/${name} has keys [${dataKeys(gone.target).join(', ')}] but no "token"`,
      });
    return {
      cause,
      data: {
        receiver: `${obj.kind} ${ns}/${obj.metadata.name}`,
        name: obj.metadata.name,
        namespace: ns,
        secret: name,
        sender: obj.spec?.type ?? 'webhook',
        generate: GENERATE,
        reconcile: reconcileCmd(obj),
      },
      evidence,
      fixTarget: ref,
    };
  },
};
