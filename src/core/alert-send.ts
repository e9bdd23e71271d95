// `alert test ALERT --send`: post one test event to notification-controller's event server, the way
// the Flux controllers do (fluxcd/pkg runtime v0.110.1 events/recorder.go: a JSON eventv1.Event POSTed
// to --events-addr), with its involvedObject set to the Alert's first event source, so the controller
// runs its own filters and dispatches it through the Provider. The only write of `alert test`.
// notification-controller v1.9.2 internal/server/event_server.go answers 202 Accepted (dispatched or
// discarded alike: the log says which), 400 for a body it cannot decode, 429 for a duplicate within
// --rate-limit-interval.

import type { Graph } from '../graph/graph.js';
import { kindInfo } from '../kinds/table.js';
import { cleanLine } from '../render/sanitize.js';
import type { ObjRef } from '../types.js';
import { CoreError } from './errors.js';

export interface AlertSendResult {
  /** Where the event went: the --url given, or the API server's service proxy path. */
  via: string;
  event: { involvedObject: ObjRef & { apiVersion?: string }; severity: string; reason: string; message: string };
  status: number;
  answer: string;
  /** What the status means. */
  meaning: string;
}

/** The test event: about the Alert's first event source (a `*` name becomes the first object of that kind seen). */
export function testEvent(
  graph: Graph,
  alert: ObjRef,
  opts: { severity?: 'info' | 'error'; now?: Date } = {},
): AlertSendResult['event'] {
  const a = graph.get(alert);
  const s = (a?.spec?.eventSources ?? [])[0] as
    | { kind?: string; name?: string; namespace?: string; apiVersion?: string }
    | undefined;
  if (!s?.kind || !s.name)
    throw new CoreError('the Alert has no eventSources: there is nothing to send an event about');
  const ns = s.namespace || alert.namespace || '';
  let name = s.name;
  if (name === '*') {
    const o = graph.byKind(s.kind).find((x) => (x.metadata.namespace ?? '') === ns);
    name = o?.metadata.name ?? 'fluxdoctor-test';
  }
  const o = graph.get({ kind: s.kind, namespace: ns, name });
  const k = kindInfo(s.kind);
  const apiVersion = s.apiVersion || o?.apiVersion || (k ? `${k.group}/${k.versions[0]}` : undefined);
  const now = opts.now ?? new Date();
  return {
    involvedObject: { kind: s.kind, namespace: ns, name, ...(apiVersion ? { apiVersion } : {}) },
    severity: opts.severity ?? 'info',
    reason: 'FluxdoctorTest',
    // A unique message: the event server drops a duplicate (same object and message) for 5 minutes.
    message: `fluxdoctor alert test: a test event for Alert ${alert.namespace}/${alert.name} at ${now.toISOString()}`,
  };
}

export function eventBody(e: AlertSendResult['event'], now = new Date()): string {
  return JSON.stringify({
    involvedObject: e.involvedObject,
    severity: e.severity,
    timestamp: now.toISOString().replace(/\.\d+Z$/, 'Z'),
    message: e.message,
    reason: e.reason,
    reportingController: 'fluxdoctor',
    reportingInstance: 'fluxdoctor',
  });
}

export function meaningOf(status: number): string {
  if (status === 202)
    return 'accepted: the event server ran its filters; whether it dispatched is in its log ("dispatching event" or "discarding event, no alerts found")';
  if (status === 429) return 'rate limited: the same event was posted within --rate-limit-interval (default 5m)';
  if (status === 400) return 'the event server could not decode the event';
  if (status === 404 || status === 503)
    return 'nothing answered at that address: is notification-controller running, and is this its events address?';
  return `unexpected answer ${status}`;
}

/** POST the event to a URL (the event server, e.g. http://notification-controller.flux-system.svc/). */
export async function postEvent(
  url: string,
  body: string,
  timeoutMs = 15_000,
): Promise<{ status: number; answer: string }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new CoreError(
      `cannot post the event to ${cleanLine(url, 200)}: ${cleanLine((e as Error).message, 300)}`,
      true,
    );
  }
  return { status: res.status, answer: cleanLine((await res.text()).slice(0, 500), 500) };
}

/** POST the event through the API server's service proxy to the notification-controller Service (port 80). */
export async function postViaApiServer(
  opts: { kubeconfig?: string; context?: string; fluxNamespace: string; timeoutMs?: number },
  body: string,
): Promise<{ status: number; answer: string; via: string }> {
  const { ApiClient, loadKubeConfig } = await import('../read/live.js');
  const api = new ApiClient(loadKubeConfig(opts), opts.timeoutMs ?? 15_000);
  const via = `/api/v1/namespaces/${encodeURIComponent(opts.fluxNamespace)}/services/notification-controller:80/proxy/`;
  try {
    const answer = await api.rawOnce('POST', via, body);
    return { status: 202, answer: cleanLine(answer.slice(0, 500), 500), via: `${api.serverUrl}${via}` };
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === undefined) throw new CoreError(cleanLine((e as Error).message, 500), true);
    return { status, answer: cleanLine((e as Error).message, 500), via: `${api.serverUrl}${via}` };
  }
}
