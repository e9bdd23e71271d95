// `alert test ALERT`: which of the recent events an Alert forwards through its Provider and which it
// drops, and why, step by step as notification-controller's event server decides
// (notification-controller v1.9.2 internal/server/event_handlers.go: filterAlertsForEvent →
// eventMatchesAlertSources → eventMatchesAlertSource, messageIsIncluded, messageIsExcluded, then
// getNotificationParams: cross-namespace block, Provider lookup, Provider suspend, commit-status and
// change-request providers), plus a check of the Provider (type, address, Secrets, TLS, proxy) and
// notification-controller's log lines about this Alert. Pure over the Graph.
//
// The events here are Kubernetes Events. The controllers post the same reason, message, severity
// (type Warning = error) and involvedObject to notification-controller, and their metadata
// (revision, …) as the Kubernetes Event's annotations; trace events are written as Normal
// Kubernetes Events only and never posted (fluxcd/pkg runtime v0.110.1 events/recorder.go).

import type { Graph } from '../graph/graph.js';
import { isFluxKind } from '../kinds/table.js';
import { cleanLine } from '../render/sanitize.js';
import { redactUrls } from '../rules/notification-provider-failed.js';
import { type K8sObject, type LogEntry, type ObjRef, objRef, refKey } from '../types.js';
import { cleanRef } from './common.js';
import { goRegExp } from './image-policy.js';
import { controllerOf, type LogRow } from './logs.js';

/** notification-controller v1.9.2 internal/notifier/factory.go `notifiers`. */
export const PROVIDER_TYPES = [
  'generic',
  'generic-hmac',
  'slack',
  'discord',
  'rocket',
  'msteams',
  'googlechat',
  'googlepubsub',
  'webex',
  'sentry',
  'azureeventhub',
  'telegram',
  'lark',
  'matrix',
  'opsgenie',
  'alertmanager',
  'grafana',
  'pagerduty',
  'datadog',
  'nats',
  'github',
  'githubdispatch',
  'githubpullrequestcomment',
  'gitlab',
  'gitlabmergerequestcomment',
  'gitea',
  'giteapullrequestcomment',
  'bitbucketserver',
  'bitbucket',
  'azuredevops',
  'zulip',
  'otel',
] as const;

/** provider_commit_status.go isCommitStatusProvider. */
const COMMIT_STATUS = new Set(['github', 'gitlab', 'gitea', 'bitbucketserver', 'bitbucket', 'azuredevops']);
/** provider_change_request.go isChangeRequestProvider. */
const CHANGE_REQUEST = new Set(['githubpullrequestcomment', 'gitlabmergerequestcomment', 'giteapullrequestcomment']);

/**
 * Reasons the controllers record only as trace events (eventv1.EventTypeTrace): a Normal Kubernetes
 * Event, never posted to notification-controller. source-controller v1.9.3 internal/controller/*
 * (ArtifactUpToDate, GarbageCollectionSucceeded, SymlinkUpdateFailed, CacheOperationFailed,
 * NoSourceArtifact, ResolvedDependencies); helm-controller v1.6.2 internal/reconcile/helmchart_template.go
 * (HelmChartDeleted).
 */
export const TRACE_REASONS = new Set([
  'ArtifactUpToDate',
  'GarbageCollectionSucceeded',
  'SymlinkUpdateFailed',
  'CacheOperationFailed',
  'NoSourceArtifact',
  'ResolvedDependencies',
  'HelmChartDeleted',
]);

export type AlertStep =
  | 'forwarded'
  | 'alert-suspended'
  | 'alert-not-ready'
  | 'no-source'
  | 'severity'
  | 'name'
  | 'labels'
  | 'not-included'
  | 'excluded'
  | 'trace'
  | 'cross-namespace'
  | 'provider-missing'
  | 'provider-suspended'
  | 'commit-status'
  | 'change-request';

export interface AlertEventVerdict {
  object: ObjRef;
  type: string;
  reason: string;
  message: string;
  count: number;
  lastSeen?: string;
  severity: 'info' | 'error';
  forwarded: boolean;
  step: AlertStep;
  detail: string;
}

export interface AlertSource {
  kind: string;
  name: string;
  namespace: string;
  /** True when the namespace was defaulted to the Alert's. */
  defaulted: boolean;
  matchLabels?: Record<string, string>;
}

export interface ProviderCheck {
  ref: ObjRef;
  found: boolean;
  type?: string;
  typeKnown?: boolean;
  suspended?: boolean;
  /** Where the address comes from; `host` only when it is in the spec (a Secret's address may be secret). */
  address: { from: 'spec' | 'secret' | 'none' | 'unknown'; host?: string; scheme?: string };
  secretRef?: SecretCheck;
  certSecretRef?: SecretCheck;
  proxySecretRef?: SecretCheck;
  /** spec.proxy (deprecated): only its host. */
  proxy?: string;
  problems: string[];
}

export interface SecretCheck {
  name: string;
  found: boolean;
  /** Key names the Secret has (never values); undefined when it was not read. */
  keys?: string[];
  /** The key this use needs (address, ca.crt) and whether it is there. */
  key?: string;
  hasKey?: boolean;
}

export interface AlertTest {
  alert: ObjRef;
  suspended: boolean;
  eventSeverity: string;
  severityDefaulted: boolean;
  sources: AlertSource[];
  inclusionList: string[];
  exclusionList: string[];
  eventMetadata: Record<string, string>;
  summary?: string;
  provider: ProviderCheck;
  events: AlertEventVerdict[];
  forwarded: number;
  dropped: number;
  /** notification-controller log lines about this Alert, its Provider or the events it matched. */
  logs: LogRow[];
  notes: string[];
}

const clean = (s: string, n = 300) => cleanLine(s, n);

/** The host of a URL (no path, no credentials), or undefined. */
export function hostOnly(url: string): { host?: string; scheme?: string } {
  try {
    const u = new URL(url.trim());
    return { host: clean(u.host, 200), scheme: clean(u.protocol.replace(/:$/, ''), 20) };
  } catch {
    return {};
  }
}

function secretCheck(graph: Graph, ns: string, name: string, key?: string): SecretCheck {
  const s = graph.get({ kind: 'Secret', namespace: ns, name });
  if (!s) return { name: clean(name), found: false, ...(key ? { key } : {}) };
  const keys = ((s.dataKeys as string[] | undefined) ?? []).map((k) => clean(k, 100)).sort();
  return { name: clean(name), found: true, keys, ...(key ? { key, hasKey: keys.includes(key) } : {}) };
}

export function checkProvider(graph: Graph, alert: K8sObject): ProviderCheck {
  const ns = alert.metadata.namespace ?? '';
  const name = String(alert.spec?.providerRef?.name ?? '');
  const ref: ObjRef = { kind: 'Provider', namespace: ns, name };
  const p = graph.get(ref);
  const problems: string[] = [];
  if (!p) {
    problems.push(
      name
        ? `Provider ${clean(ns)}/${clean(name)} does not exist: every event fails with "failed to read provider"`
        : 'the Alert has no spec.providerRef.name',
    );
    return { ref: cleanRef(ref), found: false, address: { from: 'unknown' }, problems };
  }
  const spec = p.spec ?? {};
  const type = typeof spec.type === 'string' ? spec.type : undefined;
  const typeKnown = type !== undefined && (PROVIDER_TYPES as readonly string[]).includes(type);
  if (!typeKnown) problems.push(`type ${clean(String(type ?? '(none)'), 60)} is not one notification-controller knows`);
  const out: ProviderCheck = {
    ref: cleanRef(ref),
    found: true,
    ...(type ? { type: clean(type, 60) } : {}),
    typeKnown,
    suspended: spec.suspend === true,
    address: { from: 'none' },
    problems,
  };
  if (spec.suspend === true) problems.push('the Provider is suspended: the event server skips it silently');
  if (spec.secretRef?.name) {
    out.secretRef = secretCheck(graph, ns, String(spec.secretRef.name), 'address');
    if (!out.secretRef.found)
      problems.push(`Secret ${out.secretRef.name} (spec.secretRef) does not exist: "failed to get secret"`);
  }
  // createNotifier: spec.address, then the Secret's `address` key overrides it.
  if (out.secretRef?.hasKey) out.address = { from: 'secret' };
  else if (typeof spec.address === 'string' && spec.address.trim() !== '')
    out.address = { from: 'spec', ...hostOnly(spec.address) };
  const needsAddress = type !== undefined && !COMMIT_STATUS.has(type) && !CHANGE_REQUEST.has(type);
  if (out.address.from === 'none' && needsAddress && type !== 'githubdispatch')
    problems.push('no address: neither spec.address nor an `address` key in spec.secretRef');
  if (spec.certSecretRef?.name) {
    out.certSecretRef = secretCheck(graph, ns, String(spec.certSecretRef.name), 'ca.crt');
    if (!out.certSecretRef.found) problems.push(`Secret ${out.certSecretRef.name} (spec.certSecretRef) does not exist`);
    else if (out.certSecretRef.keys && out.certSecretRef.hasKey === false)
      problems.push(`Secret ${out.certSecretRef.name} (spec.certSecretRef) has no ca.crt key`);
  }
  if (spec.proxySecretRef?.name) {
    out.proxySecretRef = secretCheck(graph, ns, String(spec.proxySecretRef.name), 'address');
    if (!out.proxySecretRef.found)
      problems.push(`Secret ${out.proxySecretRef.name} (spec.proxySecretRef) does not exist`);
    else if (out.proxySecretRef.keys && out.proxySecretRef.hasKey === false)
      problems.push(`Secret ${out.proxySecretRef.name} (spec.proxySecretRef) has no address key`);
  }
  if (typeof spec.proxy === 'string' && spec.proxy) out.proxy = hostOnly(spec.proxy).host ?? '(unparsable)';
  return out;
}

/** Go's regexp.MatchString over a pattern, or an error text when fluxdoctor cannot compile it. */
function goMatch(pattern: string, text: string): boolean | string {
  try {
    return goRegExp(pattern).test(text);
  } catch (e) {
    return (e as Error).message;
  }
}

/** Is the notification-controller run with --no-cross-namespace-refs (from its Deployment's args)? */
function noCrossNamespaceRefs(graph: Graph): boolean {
  const d = graph.get({ kind: 'Deployment', namespace: graph.fluxNamespace, name: 'notification-controller' });
  const containers = (d?.spec?.template?.spec?.containers ?? []) as { args?: unknown }[];
  return containers.some(
    (c) =>
      Array.isArray(c.args) &&
      c.args.some((a) => typeof a === 'string' && /^--no-cross-namespace-refs(=true)?$/.test(a)),
  );
}

export interface AlertTestOptions {
  /** Only this many events (newest first); default 200. */
  limit?: number;
}

export function alertTest(graph: Graph, ref: ObjRef, opts: AlertTestOptions = {}): AlertTest {
  const alert = graph.get(ref);
  if (alert?.kind !== 'Alert') throw new Error(`Alert ${ref.namespace ?? ''}/${ref.name} not found`);
  const ns = alert.metadata.namespace ?? '';
  const spec = alert.spec ?? {};
  const notes: string[] = [];
  const sev = typeof spec.eventSeverity === 'string' && spec.eventSeverity ? spec.eventSeverity : 'info';
  const sources: AlertSource[] = (Array.isArray(spec.eventSources) ? spec.eventSources : [])
    .filter((s: unknown) => s && typeof s === 'object')
    .map((s: Record<string, unknown>) => ({
      kind: clean(String(s.kind ?? ''), 100),
      name: clean(String(s.name ?? ''), 300),
      namespace: clean(String(s.namespace || ns), 100),
      defaulted: !s.namespace,
      ...(s.matchLabels && typeof s.matchLabels === 'object'
        ? { matchLabels: s.matchLabels as Record<string, string> }
        : {}),
    }));
  const strs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const inclusionList = strs(spec.inclusionList);
  const exclusionList = strs(spec.exclusionList);
  const provider = checkProvider(graph, alert);
  const oldReady = (alert.status?.conditions ?? []).find((c: { type?: string }) => c?.type === 'Ready');
  const blockCross = noCrossNamespaceRefs(graph);

  const verdict = (e: {
    about: ObjRef;
    type: string;
    reason: string;
    message: string;
  }): { step: AlertStep; detail: string } => {
    const severity = e.type === 'Warning' ? 'error' : 'info';
    if (spec.suspend === true) return { step: 'alert-suspended', detail: 'the Alert is suspended (spec.suspend)' };
    if (oldReady && oldReady.status !== 'True')
      return {
        step: 'alert-not-ready',
        detail: 'the Alert is not Ready: notification-controller v0.x (Alert v1beta1/v1beta2) skips it',
      };
    // eventMatchesAlertSources: the first source that matches wins; say why the closest one did not.
    let why: { step: AlertStep; detail: string } | undefined;
    let matched = false;
    for (const s of sources) {
      if (e.about.namespace !== s.namespace || e.about.kind !== s.kind) {
        why ??= {
          step: 'no-source',
          detail: `no eventSource is for ${e.about.kind} in namespace ${e.about.namespace ?? ''}`,
        };
        continue;
      }
      if (severity !== sev && sev !== 'info') {
        why = { step: 'severity', detail: `eventSeverity is ${clean(sev, 20)}; this event is ${severity}` };
        continue;
      }
      if (s.name !== '*' && s.name !== e.about.name) {
        if (!why || why.step === 'no-source')
          why = { step: 'name', detail: `the eventSource names ${s.name}, not ${e.about.name}` };
        continue;
      }
      if (s.matchLabels) {
        const o = graph.get(e.about);
        if (!o) {
          why = {
            step: 'labels',
            detail: `matchLabels: ${e.about.kind} ${e.about.name} is not in the snapshot (the controller logs "error getting the involved object")`,
          };
          continue;
        }
        const labels = o.metadata.labels ?? {};
        const miss = Object.entries(s.matchLabels).filter(([k, v]) => labels[k] !== v);
        if (miss.length > 0) {
          why = {
            step: 'labels',
            detail: `matchLabels ${miss.map(([k, v]) => `${clean(k, 100)}=${clean(String(v), 100)}`).join(',')} not on the object`,
          };
          continue;
        }
      }
      matched = true;
      break;
    }
    if (!matched) return why ?? { step: 'no-source', detail: 'the Alert has no eventSources' };
    if (inclusionList.length > 0) {
      const errs: string[] = [];
      const hit = inclusionList.some((p) => {
        const m = goMatch(p, e.message);
        if (typeof m === 'string') errs.push(`${clean(p, 100)}: ${clean(m, 100)}`);
        return m === true;
      });
      if (!hit)
        return {
          step: 'not-included',
          detail: `the message matches no inclusionList pattern${errs.length ? ` (${errs.join('; ')})` : ''}`,
        };
    }
    for (const p of exclusionList) {
      if (goMatch(p, e.message) === true) return { step: 'excluded', detail: `exclusionList ${clean(p, 200)} matches` };
    }
    if (e.type !== 'Warning' && TRACE_REASONS.has(e.reason))
      return {
        step: 'trace',
        detail: `${clean(e.reason, 60)} is a trace event: recorded in Kubernetes only, never posted to notification-controller`,
      };
    if (blockCross && e.about.namespace !== ns)
      return {
        step: 'cross-namespace',
        detail: 'notification-controller runs with --no-cross-namespace-refs and the event is from another namespace',
      };
    if (!provider.found) return { step: 'provider-missing', detail: provider.problems[0] ?? 'no Provider' };
    if (provider.suspended) return { step: 'provider-suspended', detail: 'the Provider is suspended' };
    const t = provider.type ?? '';
    if (COMMIT_STATUS.has(t) && severity !== 'error')
      return {
        step: 'commit-status',
        detail: `${t} sets commit statuses: an info event without the commit metadata key is dropped (Kubernetes Events do not show that key; events from kustomize-controller and helm-controller about a Git revision carry it)`,
      };
    if (CHANGE_REQUEST.has(t))
      return { step: 'change-request', detail: `${t} needs the change_request metadata key on the event` };
    return {
      step: 'forwarded',
      detail: `forwarded to ${provider.type ?? 'the Provider'}${provider.problems.length ? ' (but see the Provider check)' : ''}`,
    };
  };

  const rows: AlertEventVerdict[] = [];
  for (const e of graph.snapshot.events) {
    const about: ObjRef = { ...e.involved, namespace: e.involved.namespace || e.namespace };
    // notification-controller only ever receives events about the kinds an Alert can name.
    if (!about.kind || about.kind === 'Alert' || about.kind === 'Provider' || about.kind === 'Receiver') continue;
    if (!isFluxKind(about.kind)) continue;
    const v = verdict({ about, type: e.type, reason: e.reason, message: e.message });
    rows.push({
      object: cleanRef(about),
      type: clean(e.type || 'Normal', 40),
      reason: clean(e.reason ?? '', 100),
      message: clean(e.message ?? '', 1000),
      count: typeof e.count === 'number' && e.count > 0 ? e.count : 1,
      ...(e.lastTimestamp || e.firstTimestamp ? { lastSeen: e.lastTimestamp ?? e.firstTimestamp } : {}),
      severity: e.type === 'Warning' ? 'error' : 'info',
      forwarded: v.step === 'forwarded',
      step: v.step,
      detail: v.detail,
    });
  }
  const t = (r: AlertEventVerdict) => (r.lastSeen ? Date.parse(r.lastSeen) || 0 : 0);
  // Events of the Alert's own sources first, then newest first.
  const near = (r: AlertEventVerdict) => (r.step === 'no-source' ? 1 : 0);
  rows.sort((a, b) => near(a) - near(b) || t(b) - t(a) || refKey(a.object).localeCompare(refKey(b.object)));
  const events = rows.slice(0, opts.limit ?? 200);
  if (rows.length > events.length) notes.push(`${rows.length - events.length} older events left out`);
  if (rows.length === 0) notes.push('no events about Flux objects in the snapshot (Kubernetes keeps Events for 1h)');
  notes.push(
    'decided over Kubernetes Events: the controllers post the same reason, message and severity (Warning = error) to notification-controller, plus metadata (revision, commit) that Kubernetes Events only carry as annotations; duplicate posts within --rate-limit-interval (default 5m) are dropped with 429',
  );
  if (!spec.eventSeverity) notes.push('eventSeverity is not set: the CRD default is info (every severity)');
  if (sources.some((s) => s.matchLabels && s.name !== '*'))
    notes.push(
      'matchLabels with a name other than `*`: notification-controller v1.x checks both; v0.x ignored matchLabels',
    );
  if (typeof spec.summary === 'string' && spec.summary)
    notes.push(
      'spec.summary is deprecated: the controller adds it as the `summary` metadata key (use spec.eventMetadata.summary)',
    );
  if (blockCross) notes.push('notification-controller runs with --no-cross-namespace-refs');

  const logs = alertLogs(graph, objRef(alert), provider.ref);
  return {
    alert: cleanRef(objRef(alert)),
    suspended: spec.suspend === true,
    eventSeverity: clean(sev, 20),
    severityDefaulted: !spec.eventSeverity,
    sources,
    inclusionList: inclusionList.map((p) => clean(p, 300)),
    exclusionList: exclusionList.map((p) => clean(p, 300)),
    eventMetadata: Object.fromEntries(
      Object.entries(spec.eventMetadata && typeof spec.eventMetadata === 'object' ? spec.eventMetadata : {}).map(
        ([k, v]) => [clean(k, 100), clean(String(v), 300)],
      ),
    ),
    ...(typeof spec.summary === 'string' && spec.summary ? { summary: clean(spec.summary, 300) } : {}),
    provider,
    events,
    forwarded: events.filter((e) => e.forwarded).length,
    dropped: events.filter((e) => !e.forwarded).length,
    logs,
    notes,
  };
}

/** notification-controller's lines about this Alert (`alert` field), its Provider, or naming the Alert. */
export function alertLogs(graph: Graph, alert: ObjRef, provider: ObjRef, max = 50): LogRow[] {
  const mine = (l: LogEntry) => {
    const a = l.alert;
    if (a && typeof a === 'object') {
      if (a.name === alert.name && (a.namespace ?? '') === (alert.namespace ?? '')) return true;
      if (a.providerName === provider.name && (a.namespace ?? '') === (provider.namespace ?? '')) return true;
    }
    if (l.controllerKind === 'Provider' && l.name === provider.name && l.namespace === provider.namespace) return true;
    if (l.controllerKind === 'Alert' && l.name === alert.name && l.namespace === alert.namespace) return true;
    const o = l.object;
    if (o && typeof o === 'object' && o.kind === 'Alert' && o.name === alert.name && o.namespace === alert.namespace)
      return true;
    const names = l.alerts;
    return Array.isArray(names) && names.includes(`${alert.namespace}/${alert.name}`);
  };
  const rows: LogRow[] = [];
  for (const l of graph.snapshot.logs) {
    if (!mine(l)) continue;
    rows.push({
      ...(l.ts ? { ts: clean(l.ts, 40) } : {}),
      level: clean(l.level || 'info', 20),
      controller: clean(controllerOf(l), 100),
      msg: clean(l.msg ?? '', 2000),
      ...(l.error ? { error: redactUrls(clean(l.error, 2000)) } : {}),
    });
  }
  rows.sort((a, b) => (a.ts ?? '').localeCompare(b.ts ?? ''));
  return rows.slice(-max);
}
