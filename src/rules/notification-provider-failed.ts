// notification.provider-failed: alerts cannot be delivered through a Provider (address, Secret,
// TLS or network misconfigured). Provider and Alert v1beta3 have no status conditions: the failure
// is read from the Alerts' NotificationDispatchFailed events, notification-controller's event-server
// log lines and missing referenced Secrets; older v1beta2 objects also carry Ready=False. The Provider
// is the root cause; Alerts that use it are explained by it.

import type { Graph } from '../graph/graph.js';
import { changeInGit, titled } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import type { Evidence, K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';
import type { Rule } from './types.js';
import { bound, failureSignals, hostOf, objId, type Signal, show } from './util.js';

// notification-controller internal/server/event_handlers.go:
//   event NotificationDispatchFailed on the Alert: "failed to dispatch notification for %s: %s"
//     (getNotificationParams errors: "failed to initialize notifier for provider '%s': %w",
//      "failed to get secret '%s': %w", "failed to get TLS config: %w", "failed to create commit status: %w")
//   event NotificationDispatchFailed on the Alert: "failed to send notification for %s: %s" (notifier Post errors)
//   logs (logger "event-server", with "alert": {name, namespace[, providerName]}): "failed to dispatch notification",
//     "failed to send notification"
// internal/notifier/client.go postMessage: "failed to execute request: %w", "request failed: %w",
//   "request failed with status code %d"; slack.go: "postMessage failed: %w", "Slack responded with error: %s".
// v1beta2 (notification-controller ≤ v0.33 controllers/provider_controller.go): Ready=False InvalidURL
//   "invalid address %s: %w", ValidationFailed "failed to read secret, error: %w",
//   "no address found in 'spec.address' nor in `spec.secretRef`"; alert_controller.go: "provider %s is not ready".
const DISPATCH = /failed to (dispatch|send) notification/;
/** Alert-side problems that are not the Provider's (owned by other codes or the Alert's own spec). */
const NOT_PROVIDER =
  /access denied to cross-namespace|failed to read provider|failed to get provider|cross-namespace references have been blocked/;

interface Cause {
  id: string;
  re: RegExp;
  text: string;
}

const CAUSES: Cause[] = [
  {
    id: 'secret',
    re: /failed to get secret '[^']+'|failed to read secret, error: .*not found|secrets? "[^"]+" not found/,
    text: 'a Secret it references does not exist',
  },
  {
    id: 'tls',
    re: /x509:|tls: |failed to get TLS config|no caFile found|invalid CA found|certificate/i,
    text: 'the TLS connection to the receiving service fails',
  },
  {
    id: 'address',
    re: /invalid address|no address found|invalid .*URL|unsupported protocol scheme|failed to initialize (provider|notifier)|missing protocol scheme|unable to parse proxy URL/i,
    text: 'its address (spec.address or the Secret key `address`) is missing or invalid',
  },
  {
    id: 'auth',
    re: /status code (401|403)|invalid_auth|not_authed|token_revoked|account_inactive|Unauthorized|Forbidden|Bad credentials/i,
    text: 'the receiving service rejects its credentials',
  },
  {
    id: 'not-found',
    re: /status code 404|channel_not_found|no_service|Not Found/i,
    text: 'the receiving service does not know the address or channel (404)',
  },
  {
    id: 'unreachable',
    re: /no such host|connection refused|i\/o timeout|context deadline exceeded|giving up after|dial tcp|network is unreachable|Client.Timeout/i,
    text: 'the receiving service cannot be reached in time',
  },
  { id: 'http', re: /status code \d{3}|responded with error/i, text: 'the receiving service answers with an error' },
];

/** Webhook URLs carry secrets in their path (Slack, Teams, Discord): keep only scheme and host. */
export function redactUrls(text: string): string {
  return text.replace(/\b(https?:\/\/[^/\s"'\\]+)\/[^\s"'\\]*/g, '$1/***');
}

/** Providers whose Secret carries a token rather than an address. */
const TOKEN_TYPES = new Set([
  'github',
  'gitlab',
  'gitea',
  'bitbucket',
  'bitbucketserver',
  'azuredevops',
  'githubdispatch',
  'githubpullrequestcomment',
  'gitlabmergerequestcomment',
  'giteapullrequestcomment',
  'datadog',
  'pagerduty',
  'opsgenie',
  'telegram',
]);

function sig(evidence: Evidence, text: string, reason?: string): Signal {
  return { text, reason, from: evidence.kind, evidence: { ...evidence, text: bound(redactUrls(evidence.text)) } };
}

/** Dispatch failures of an Alert: its NotificationDispatchFailed events, v1beta2 Ready=False, event-server logs. */
function alertSignals(alert: K8sObject, graph: Graph): Signal[] {
  const out: Signal[] = [];
  for (const s of failureSignals(alert, graph)) {
    if (NOT_PROVIDER.test(s.text)) continue;
    if (s.from === 'event' && s.reason !== 'NotificationDispatchFailed') continue;
    if (s.from === 'log' && !DISPATCH.test(s.text)) continue;
    out.push(sig(s.evidence, s.text, s.reason));
  }
  const ns = alert.metadata.namespace;
  for (const l of graph.snapshot.logs) {
    const a = l.alert;
    if (!a || typeof a !== 'object' || a.name !== alert.metadata.name || (a.namespace ?? ns) !== ns) continue;
    if (l.level !== 'error' || !DISPATCH.test(l.msg)) continue;
    const text = l.error ? `${l.msg}: ${l.error}` : l.msg;
    if (NOT_PROVIDER.test(text)) continue;
    out.push(sig({ kind: 'log', object: objId(alert), text: `${l.ts ?? ''} ${l.level} ${text}`.trim() }, text));
  }
  return out;
}

function missingSecrets(provider: K8sObject, graph: Graph): { ref: ObjRef; field: string }[] {
  return graph
    .out(provider, 'secret')
    .filter((e) => graph.kindRead('Secret', e.to.namespace) && !graph.has(e.to))
    .map((e) => ({ ref: e.to, field: e.field ?? 'spec.secretRef' }));
}

function createSecretCmd(provider: K8sObject, ref: ObjRef, field: string): string {
  const base = `kubectl create secret generic ${shq(ref.name)}${nsArg(ref.namespace)}`;
  if (field === 'spec.certSecretRef') return `${base} --from-file=ca.crt=./ca.crt`;
  if (field === 'spec.proxySecretRef') return `${base} --from-literal=address=http://<proxy-host>:<port>`;
  const type = provider.spec?.type ?? 'generic';
  if (TOKEN_TYPES.has(type)) return `${base} --from-literal=token=<api token>`;
  return `${base} --from-literal=address=<${/^[\w.-]+$/.test(type) ? type : 'provider'} webhook URL>`;
}

export const rule: Rule = {
  meta: {
    code: 'notification.provider-failed',
    severity: 'error',
    title: 'Alerts cannot be delivered through the Provider',
    kinds: ['Provider', 'Alert'],
    docs: {
      description:
        "notification-controller cannot deliver the events an Alert selects through its Provider: the Secret with the address or token is missing, the address is invalid, the receiving service rejects the credentials or answers 404, the TLS certificate is not trusted, or the service cannot be reached. Nobody gets told about failures. Provider and Alert (v1beta3) have no status, so the failure only shows in the Alerts' events and the controller's logs; fluxdoctor reports it at the Provider and lists the Alerts using it as affected.",
      detection: [
        "For a Provider: a Secret named in `spec.secretRef`, `spec.certSecretRef` or `spec.proxySecretRef` that does not exist (when Secrets were read), and the dispatch failures of the Alerts whose `spec.providerRef` names it: Warning events with reason `NotificationDispatchFailed` (`failed to dispatch notification for <Kind/ns/name>: failed to initialize notifier for provider '<name>': failed to get secret '<ns/secret>': ...`, `failed to send notification for <Kind/ns/name>: postMessage failed: failed to execute request: context deadline exceeded`) and notification-controller `event-server` error log lines carrying the alert's name. Older v1beta2 Providers/Alerts with `Ready=False` (`InvalidURL`, `ValidationFailed`, `provider <ns/name> is not ready`) count too.",
        'For an Alert: the same dispatch failures, reported with `explainedBy: provider` so the engine hands them to the Provider. Alert-side problems (a missing Provider, cross-namespace access denied) are left to other codes.',
        'URL paths in the evidence are replaced by `***` because webhook URLs carry secrets.',
      ].join(' '),
      fix: [
        '- **Missing Secret**: create it with the key the provider type needs (`address` for webhooks such as slack, msteams, discord, generic; `token` for git providers and APIs; `ca.crt` for `certSecretRef`).',
        '- **Invalid address**: fix `spec.address` or the `address` key of the Secret (full `https://` URL).',
        '- **401/403**: rotate the token or webhook URL in the Secret.',
        '- **TLS**: reference a Secret with `ca.crt` in `spec.certSecretRef`.',
        '- **Unreachable / timeout**: allow egress from notification-controller (NetworkPolicy, proxy via `spec.proxySecretRef`), or raise `spec.timeout`.',
        '- The next event is delivered with the new settings; check with `flux events --for Alert/<name>`.',
      ].join('\n'),
      commands: [
        'flux events --for Alert/<alert> -n <namespace>',
        'kubectl get providers.notification.toolkit.fluxcd.io <name> -n <namespace> -o yaml',
        'kubectl get secret <secret> -n <namespace>',
        'kubectl logs -n flux-system deploy/notification-controller | grep "failed to send notification"',
      ],
      examples: [
        {
          message:
            'failed to send notification for Kustomization/tenant/apps: postMessage failed: failed to execute request: context deadline exceeded',
          source:
            'https://github.com/fluxcd/notification-controller/issues/965 (event NotificationDispatchFailed on the Alert)',
        },
        {
          message:
            '{"level":"error","logger":"event-server","msg":"failed to send notification","alert":{"name":"fluxalert","namespace":"default"},"error":"postMessage failed: failed to execute request: context deadline exceeded"}',
          source: 'https://github.com/fluxcd/notification-controller/issues/740',
        },
        {
          message:
            "failed to dispatch notification for Kustomization/flux-system/apps: failed to initialize notifier for provider 'slack': failed to get secret 'flux-system/slack-url': secrets \"slack-url\" not found",
          source: 'fluxcd/notification-controller internal/server/event_handlers.go (getNotificationParams, getSecret)',
        },
      ],
    },
  },
  check(obj, { graph }) {
    if (graph.health(obj).state === 'Suspended') return undefined;
    return obj.kind === 'Provider' ? checkProvider(obj, graph) : checkAlert(obj, graph);
  },
};

function checkProvider(provider: K8sObject, graph: Graph) {
  const ns = provider.metadata.namespace ?? 'default';
  const own = failureSignals(provider, graph).map((s) => sig(s.evidence, s.text, s.reason));
  const alerts = graph
    .in(provider, 'provider')
    .map((e) => graph.get(e.from))
    .filter((a): a is K8sObject => !!a && a.kind === 'Alert' && graph.health(a).state !== 'Suspended');
  const fromAlerts = alerts.flatMap((a) => alertSignals(a, graph).map((s) => ({ alert: a, s })));
  const missing = missingSecrets(provider, graph);
  if (own.length === 0 && fromAlerts.length === 0 && missing.length === 0) return undefined;

  const signals = [...own, ...fromAlerts.map((x) => x.s)];
  const texts = signals.map((s) => s.text);
  const cause: Cause | undefined = missing.length > 0 ? CAUSES[0] : CAUSES.find((c) => texts.some((t) => c.re.test(t)));
  const failingAlerts = [...new Set(fromAlerts.map((x) => x.alert))];
  const type: string = provider.spec?.type ?? 'unknown';
  // The address usually lives in the Secret (not read): take the host from the controller's error text.
  const host =
    hostOf(provider.spec?.address) ??
    texts.map((t) => /https?:\/\/([^/\s"'\\:]+)/.exec(t)?.[1] ?? /lookup ([\w.-]+)/.exec(t)?.[1]).find(Boolean);
  const secretName: string | undefined = provider.spec?.secretRef?.name;

  const evidence: Evidence[] = [];
  for (const m of missing)
    evidence.push({
      kind: 'missing',
      object: `Secret/${m.ref.namespace}/${m.ref.name}`,
      text: `Secret ${m.ref.namespace}/${m.ref.name} (${m.field} of ${show(provider)}) does not exist`,
    });
  const seen = new Set<string>();
  for (const s of signals) {
    const k = `${s.evidence.object}|${s.evidence.text}`;
    if (seen.has(k)) continue;
    seen.add(k);
    evidence.push(s.evidence);
    if (evidence.length >= 5) break;
  }

  const steps: string[] = [];
  let fixTarget: ObjRef = objRef(provider);
  // A Secret named in the error text that the graph did not list (e.g. read without Secrets).
  const named = /failed to get secret '([^'/]+)\/([^']+)'/.exec(texts.join('\n'));
  if (missing.length > 0) {
    fixTarget = missing[0]!.ref;
    for (const m of missing)
      steps.push(
        ...titled(`Create Secret ${m.ref.namespace}/${m.ref.name}`, createSecretCmd(provider, m.ref, m.field)),
      );
  } else if (cause?.id === 'secret' && named) {
    const ref = { kind: 'Secret', namespace: named[1]!, name: named[2]! };
    fixTarget = ref;
    const field = graph.out(provider, 'secret').find((e) => e.to.name === ref.name)?.field ?? 'spec.secretRef';
    steps.push(...titled(`Create Secret ${ref.namespace}/${ref.name}`, createSecretCmd(provider, ref, field)));
  } else {
    switch (cause?.id) {
      case 'address':
        if (secretName)
          steps.push(
            `Fix the "address" key of Secret ${ns}/${secretName} (a full https:// URL for the ${type} provider)`,
            ...changeInGit(graph, provider, `fix spec.address of ${show(provider)}`, { when: 'or' }),
          );
        else
          steps.push(
            ...changeInGit(
              graph,
              provider,
              `fix spec.address of ${show(provider)} (a full https:// URL for the ${type} provider)`,
            ),
          );
        if (secretName) fixTarget = { kind: 'Secret', namespace: ns, name: secretName };
        break;
      case 'auth':
      case 'not-found':
        steps.push(
          secretName
            ? `Rotate the ${TOKEN_TYPES.has(type) ? 'token' : 'webhook URL (address)'} in Secret ${ns}/${secretName}: the ${type} service answers ${cause.id === 'auth' ? '401/403' : '404'}`
            : `Check spec.address${provider.spec?.channel ? ` and spec.channel (${provider.spec.channel})` : ''} of ${show(provider)}: the ${type} service answers ${cause.id === 'auth' ? '401/403' : '404'}`,
        );
        if (secretName) fixTarget = { kind: 'Secret', namespace: ns, name: secretName };
        break;
      case 'tls':
        steps.push(
          ...titled(
            "Trust the receiving service's CA",
            `kubectl create secret generic ${shq(`${provider.metadata.name}-ca`)} -n ${shq(ns)} --from-file=ca.crt=./ca.crt`,
          ),
          ...changeInGit(graph, provider, `set spec.certSecretRef.name on ${show(provider)} to that Secret`),
        );
        break;
      case 'unreachable':
        steps.push(
          `Let notification-controller reach ${host ?? `the ${type} endpoint`}: check egress NetworkPolicies and DNS in ${graph.fluxNamespace}, use spec.proxySecretRef behind a proxy, or raise spec.timeout of ${show(provider)}`,
        );
        break;
      default:
        steps.push(
          `Check spec.type (${type}), spec.address and the Secret of ${show(provider)} against the error above`,
        );
    }
  }
  const firstAlert = failingAlerts[0] ?? alerts[0];
  if (firstAlert)
    steps.push(
      ...titled(
        'Confirm on the next event',
        `flux events --for ${shq(`Alert/${firstAlert.metadata.name}`)}${nsArg(firstAlert.metadata.namespace)}`,
      ),
    );
  steps.push(
    `kubectl logs -n ${shq(graph.fluxNamespace)} deploy/notification-controller | grep -E "failed to (send|dispatch) notification"`,
  );

  const users = failingAlerts.length > 0 ? failingAlerts : alerts;
  return {
    summary: `${show(provider)} (type ${type}${host ? `, ${host}` : ''}) cannot deliver alerts: ${
      missing.length > 0
        ? `Secret ${missing.map((m) => `${m.ref.namespace}/${m.ref.name}`).join(', ')} (${missing.map((m) => m.field).join(', ')}) does not exist`
        : (cause?.text ?? 'notifications fail')
    }${users.length > 0 ? `; used by ${users.map((a) => show(a)).join(', ')}` : ''}`,
    evidence,
    remediation: steps,
    fixTarget,
  };
}

function checkAlert(alert: K8sObject, graph: Graph) {
  const signals = alertSignals(alert, graph);
  if (signals.length === 0) return undefined;
  const ref = graph.out(alert, 'provider')[0]?.to;
  // A providerRef to a Provider that does not exist is flux.reference-missing.
  if (ref && !graph.has(ref) && graph.kindRead('Provider', ref.namespace)) return undefined;
  const texts = signals.map((s) => s.text);
  const cause = CAUSES.find((c) => texts.some((t) => c.re.test(t)));
  const seen = new Set<string>();
  const evidence = signals
    .filter((s) => {
      const k = s.evidence.text;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .slice(0, 4)
    .map((s) => s.evidence);
  return {
    summary: `${show(alert)} cannot deliver notifications through ${ref ? show(ref) : 'its Provider'}${cause ? `: ${cause.text}` : ''}`,
    evidence,
    remediation: [
      ...(ref
        ? titled(
            `Fix ${show(ref)} (its address, Secret, TLS or network)`,
            `kubectl get providers.notification.toolkit.fluxcd.io ${shq(ref.name)}${nsArg(ref.namespace)} -o yaml`,
          )
        : [`Check spec.providerRef of ${show(alert)}`]),
      ...titled(
        'Confirm on the next event',
        `flux events --for ${shq(`Alert/${alert.metadata.name}`)}${nsArg(alert.metadata.namespace)}`,
      ),
    ],
    fixTarget: ref,
    explainedBy: ['provider' as const],
  };
}
