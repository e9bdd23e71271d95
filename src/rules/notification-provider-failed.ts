// notification.provider-failed: alerts cannot be delivered through a Provider (address, Secret,
// TLS or network misconfigured). Provider and Alert v1beta3 have no status conditions: the failure
// is read from the Alerts' NotificationDispatchFailed events, notification-controller's event-server
// log lines and missing referenced Secrets; older v1beta2 objects also carry Ready=False. The Provider
// is the root cause; Alerts that use it are explained by it.

import type { Graph } from '../graph/graph.js';
import { changeInGit } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import { type Classified, classify, evidenceOf, missingReferences } from '../signals/index.js';
import type { Evidence, K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';
import type { Rule } from './types.js';
import { eventsCmd, getYamlCmd, hostOf, show } from './util.js';

// The messages (Provider/Alert status of v0.x, the v1beta3 dispatch events on the Alert, event-server log
// lines, which the graph attaches to the Alert they name) are classified with the notification-controller
// catalogue: src/signals/patterns/notification-controller.ts.
const CODE = 'notification.provider-failed';
/** The catalogue's dispatch wrapper: a failure whose cause the catalogue does not know (yet). */
const DISPATCH_WRAPPER = 'notification-controller/dispatch-failed';

/** What each cause means, for sentences. */
const WHAT: Record<string, string> = {
  secret: 'a Secret it references does not exist',
  tls: 'the TLS connection to the receiving service fails',
  address: 'its address (spec.address or the Secret key `address`) is missing or invalid',
  auth: 'the receiving service rejects its credentials',
  'not-found': 'the receiving service does not know the address or channel (404)',
  unreachable: 'the receiving service cannot be reached in time',
  http: 'the receiving service answers with an error',
  'provider-not-ready': 'its Provider is not ready',
  unknown: 'notifications fail',
};

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

/** The evidence of a classification, with webhook URL paths redacted. */
function redacted(c: Classified): Evidence[] {
  return evidenceOf(c.signals).map((e) => ({ ...e, text: redactUrls(e.text) }));
}

/** A dispatch failure of the Provider's own status or of an Alert: its cause by the catalogue. */
function failure(o: K8sObject, graph: Graph): { cause: string; c: Classified } | undefined {
  const c = classify(o, graph);
  if (!c) return undefined;
  if (c.code === CODE) return { cause: c.cause, c };
  if (c.code === 'none' && c.pattern?.id === DISPATCH_WRAPPER) return { cause: 'unknown', c };
  return undefined;
}

function createSecretCmd(provider: K8sObject, ref: ObjRef, field: string): string {
  const base = `kubectl create secret generic ${shq(ref.name)}${nsArg(ref.namespace)}`;
  if (field === 'spec.certSecretRef') return `${base} --from-file=ca.crt=./ca.crt`;
  if (field === 'spec.proxySecretRef') return `${base} --from-literal=address=http://<proxy-host>:<port>`;
  const type = provider.spec?.type ?? 'generic';
  if (TOKEN_TYPES.has(type)) return `${base} --from-literal=token=<api token>`;
  return `${base} --from-literal=address=<${/^[\w.-]+$/.test(type) ? type : 'provider'} webhook URL>`;
}

/** The Secret fields of a Provider (kind table) and the data keys of their create steps. */
const SECRET_FIELDS: Record<string, string> = {
  'spec.secretRef': 'secret',
  'spec.certSecretRef': 'certSecret',
  'spec.proxySecretRef': 'proxySecret',
};
/** One create step per Secret field, given for each Secret that is missing (or that the controller names). */
const CREATE_SECRETS = Object.values(SECRET_FIELDS).flatMap((k) => [`Create Secret {${k}Create}:`, `{${k}Cmd}`]);
/** The fallback step (given when no Secret is to be created). */
const CHECK = 'Check spec.type ({type}), spec.address and the Secret of {checkOf} against the error above';
const CONFIRM = [
  'Confirm on the next event:',
  '{events}',
  'kubectl logs -n {sh:fluxNamespace} deploy/notification-controller | grep -E "failed to (send|dispatch) notification"',
];
const PROVIDER_STEPS: Record<string, string[]> = {
  secret: [...CREATE_SECRETS, CHECK],
  address: [
    'Fix the "address" key of Secret {addressSecret} (a full https:// URL for the {type} provider)',
    // in Git (or where the Provider was created); "or" first when the Secret may hold the address
    '{change}',
  ],
  auth: [
    'Rotate the {credential} in Secret {rotateIn}: the {type} service answers 401/403',
    'Check spec.address{?channel} of {checkAddressOf}: the {type} service answers 401/403',
  ],
  'not-found': [
    'Rotate the {credential} in Secret {rotateIn}: the {type} service answers 404',
    'Check spec.address{?channel} of {checkAddressOf}: the {type} service answers 404',
  ],
  tls: [
    "Trust the receiving service's CA:",
    'kubectl create secret generic {sh:caSecret} -n {sh:namespace} --from-file=ca.crt=./ca.crt',
    '{change}',
  ],
  unreachable: [
    'Let notification-controller reach {reach}: check egress NetworkPolicies and DNS in {fluxNamespace}, use spec.proxySecretRef behind a proxy, or raise spec.timeout of {provider}',
  ],
};

export const rule: Rule = {
  meta: {
    code: 'notification.provider-failed',
    severity: 'error',
    title: 'Alerts cannot be delivered through the Provider',
    kinds: ['Provider', 'Alert'],
    messages: {
      ...Object.fromEntries(
        Object.entries(WHAT).map(([cause, what]) => [
          cause,
          {
            summary: `{provider} ({about}) cannot deliver alerts: ${what}; {users}`,
            remediation: [...(PROVIDER_STEPS[cause] ?? [CHECK]), ...CONFIRM],
          },
        ]),
      ),
      'secret-missing': {
        summary: '{provider} ({about}) cannot deliver alerts: {missing} does not exist; {users}',
        remediation: [...CREATE_SECRETS, ...CONFIRM],
      },
      alert: {
        summary: '{alert} cannot deliver notifications through {provider}: {what}',
        remediation: [
          'Fix {providerRef} (its address, Secret, TLS or network):',
          '{getProvider}',
          // without a providerRef
          'Check spec.providerRef of {unreferenced}',
          'Confirm on the next event:',
          '{events}',
        ],
      },
    },
  },
  check(obj, { graph }) {
    if (graph.health(obj).state === 'Suspended') return undefined;
    return obj.kind === 'Provider' ? checkProvider(obj, graph) : checkAlert(obj, graph);
  },
};

function checkProvider(provider: K8sObject, graph: Graph) {
  const ns = provider.metadata.namespace ?? 'default';
  const own = failure(provider, graph);
  const alerts = graph
    .in(provider, 'provider')
    .map((e) => graph.get(e.from))
    .filter((a): a is K8sObject => !!a && a.kind === 'Alert' && graph.health(a).state !== 'Suspended');
  const fromAlerts = alerts.flatMap((a) => {
    const f = failure(a, graph);
    return f && f.cause !== 'provider-not-ready' ? [{ alert: a, ...f }] : [];
  });
  const missing = missingReferences(provider, graph, ['secret'])
    .filter((m) => m.missing === 'object')
    .map((m) => ({ ref: m.edge.to, field: m.edge.field ?? 'spec.secretRef' }));
  if (!own && fromAlerts.length === 0 && missing.length === 0) return undefined;

  const found = [...(own ? [own] : []), ...fromAlerts];
  // The most telling cause: a known one over the bare wrapper.
  const cause = missing.length > 0 ? 'secret' : (found.find((f) => f.cause !== 'unknown') ?? found[0]!).cause;
  const failingAlerts = [...new Set(fromAlerts.map((x) => x.alert))];
  const type: string = provider.spec?.type ?? 'unknown';
  // The address usually lives in the Secret (not read): take the host the catalogue captured, or the URL's.
  const texts = found.flatMap((f) => f.c.signals.map((s) => s.text));
  const host =
    hostOf(provider.spec?.address) ??
    found.map((f) => f.c.data.host).find(Boolean) ??
    texts.map((t) => /https?:\/\/([^/\s"'\\:]+)/.exec(t)?.[1]).find(Boolean);
  const secretName: string | undefined = provider.spec?.secretRef?.name;

  const evidence: Evidence[] = [];
  for (const m of missing)
    evidence.push({
      kind: 'missing',
      object: `Secret/${m.ref.namespace}/${m.ref.name}`,
      text: `Secret ${m.ref.namespace}/${m.ref.name} (${m.field} of ${show(provider)}) does not exist`,
    });
  const seen = new Set<string>();
  for (const e of found.flatMap((f) => redacted(f.c))) {
    const k = `${e.object}|${e.text}`;
    if (seen.has(k) || evidence.length >= 5) continue;
    seen.add(k);
    evidence.push(e);
  }

  let fixTarget: ObjRef = objRef(provider);
  // The Secrets to create: the missing ones, or one the catalogue named (read without Secrets, or the
  // graph does not list it).
  const create: { ref: ObjRef; field: string }[] = [...missing];
  const named = found.map((f) => f.c.data.secret).find((x) => x?.includes('/'));
  if (missing.length === 0 && cause === 'secret' && named) {
    const [sns, sname] = named.split('/') as [string, string];
    const ref = { kind: 'Secret', namespace: sns, name: sname };
    const field = graph.out(provider, 'secret').find((e) => e.to.name === ref.name)?.field ?? 'spec.secretRef';
    create.push({ ref, field });
  }
  const createData: Record<string, string> = {};
  for (const m of create) {
    const k = SECRET_FIELDS[m.field] ?? 'secret';
    if (createData[`${k}Create`]) continue;
    createData[`${k}Create`] = `${m.ref.namespace}/${m.ref.name}`;
    createData[`${k}Cmd`] = createSecretCmd(provider, m.ref, m.field);
  }
  if (create[0]) fixTarget = create[0].ref;
  else if (secretName && (cause === 'address' || cause === 'auth' || cause === 'not-found'))
    fixTarget = { kind: 'Secret', namespace: ns, name: secretName };
  const change =
    cause === 'address'
      ? secretName
        ? changeInGit(graph, provider, `fix spec.address of ${show(provider)}`, { when: 'or' })[0]
        : changeInGit(
            graph,
            provider,
            `fix spec.address of ${show(provider)} (a full https:// URL for the ${type} provider)`,
          )[0]
      : cause === 'tls'
        ? changeInGit(graph, provider, `set spec.certSecretRef.name on ${show(provider)} to that Secret`)[0]
        : undefined;
  const firstAlert = failingAlerts[0] ?? alerts[0];

  const users = failingAlerts.length > 0 ? failingAlerts : alerts;
  return {
    cause: missing.length > 0 ? 'secret-missing' : cause,
    data: {
      provider: show(provider),
      about: `type ${type}${host ? `, ${host}` : ''}`,
      type,
      host,
      missing:
        missing.length > 0
          ? `Secret ${missing.map((m) => `${m.ref.namespace}/${m.ref.name}`).join(', ')} (${missing.map((m) => m.field).join(', ')})`
          : undefined,
      secret: missing[0] ? `${missing[0].ref.namespace}/${missing[0].ref.name}` : named,
      users: users.length > 0 ? `used by ${users.map((a) => show(a)).join(', ')}` : 'no Alert uses it',
      namespace: ns,
      fluxNamespace: graph.fluxNamespace,
      ...createData,
      checkOf: create.length === 0 ? show(provider) : undefined,
      addressSecret: secretName ? `${ns}/${secretName}` : undefined,
      change,
      credential: TOKEN_TYPES.has(type) ? 'token' : 'webhook URL (address)',
      rotateIn: secretName ? `${ns}/${secretName}` : undefined,
      checkAddressOf: secretName ? undefined : show(provider),
      channel: provider.spec?.channel ? ` and spec.channel (${provider.spec.channel})` : undefined,
      caSecret: `${provider.metadata.name}-ca`,
      reach: host ?? `the ${type} endpoint`,
      events: firstAlert ? eventsCmd(firstAlert) : undefined,
    },
    evidence,
    fixTarget,
  };
}

function checkAlert(alert: K8sObject, graph: Graph) {
  const f = failure(alert, graph);
  if (!f) return undefined;
  const ref = graph.out(alert, 'provider')[0]?.to;
  // A providerRef to a Provider that does not exist is flux.reference-missing.
  if (ref && !graph.has(ref) && graph.kindRead('Provider', ref.namespace)) return undefined;
  return {
    cause: 'alert',
    data: {
      alert: show(alert),
      provider: ref ? show(ref) : 'its Provider',
      what: WHAT[f.cause] ?? WHAT.unknown!,
      failure: f.cause,
      providerRef: ref ? show(ref) : undefined,
      getProvider: ref ? getYamlCmd(ref) : undefined,
      unreferenced: ref ? undefined : show(alert),
      events: eventsCmd(alert),
    },
    evidence: redacted(f.c),
    fixTarget: ref,
    explainedBy: ['provider' as const],
  };
}
