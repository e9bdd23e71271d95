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
