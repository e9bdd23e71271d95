// Shared facts about helm-controller and source-controller's HelmChart: message patterns (each one
// quoted with its origin in the helm-*.test.ts files), release naming, and remediation commands.

import type { Graph } from '../graph/graph.js';
import { condition } from '../kinds/status.js';
import { changeInGit, titled } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import type { Condition, K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';
import type { Explainer, RawFinding } from './types.js';
import type { Signal } from './util.js';
import { evidenceOf, failureSignals, ns, show } from './util.js';

// ---------- helm-controller condition reasons (api/v2/condition_types.go, internal/controller) ----------

/** Ready reasons helm-controller writes before any Helm action runs (the release itself was not attempted). */
export const PRE_RELEASE_REASONS = new Set([
  'DependencyNotReady',
  'SourceNotReady',
  'ArtifactFailed',
  'ValuesError',
  'RESTClientError',
  'AccessDenied',
  'ChartMutateError',
  'FactoryError',
  'ResourceManagerError',
]);

// ---------- message patterns ----------

/**
 * helm-controller internal/reconcile/install.go and upgrade.go:
 *   "Helm install failed for release %s/%s with chart %s@%s: %s"
 *   "Helm upgrade failed for release %s/%s with chart %s@%s: %s"
 * and the v2beta1 controller (≤ v0.37): "Helm install failed: %w" / "Helm upgrade failed: %w".
 */
export const RELEASE_FAILURE =
  /Helm (install|upgrade) failed(?: for release ([^\s/]+)\/(\S+) with chart ([^\s@]+)@(\S+?))?: ([\s\S]*)$/;

/** internal/reconcile/atomic_release.go: MarkStalled(obj, "RetriesExceeded", "Failed to %s after %d attempt(s)"). */
export const RETRIES_EXCEEDED = /Failed to (install|upgrade) after (\d+) attempt\(s\)/;
/** v2beta1 controller: "install retries exhausted" / "upgrade retries exhausted". */
export const RETRIES_EXHAUSTED_OLD = /\b(install|upgrade) retries exhausted/;

/**
 * Waiting for the release's resources failed: fluxcd/pkg ssa/manager_wait.go ("timeout waiting for: [...]",
 * "failed early due to stalled resources: [...]"), Helm's own waiter ("context deadline exceeded",
 * "timed out waiting for the condition", "resource not ready").
 */
export const WAIT_FAILURE =
  /timeout waiting for: \[|failed early due to stalled resources|context deadline exceeded|timed out waiting for the condition|resource not ready/;

/** The objects named by fluxcd/pkg ssa's wait error: "Deployment/default/podinfo status: 'InProgress'". */
export const WAIT_OBJECT = /([A-Z][A-Za-z]+)\/([^/\s]+)\/([^\s/]+) status: '([A-Za-z]+)'/g;

/** Helm's errPending (pkg/action): the release is locked by an operation in progress. */
export const PENDING_OPERATION = /another operation \(install\/upgrade\/rollback\) is in progress/;
/** internal/reconcile/unlock.go: "Unlock of Helm release %s with chart %s in %s state failed: %s". */
export const UNLOCK_FAILURE = /Unlock of Helm release (\S+) with chart (\S+) in (pending-\w+) state failed: ([\s\S]*)$/;

/** Helm's values.schema.json validation (Helm chartutil ValidateAgainstSchema). */
export const SCHEMA_INVALID = /values don't meet the specifications of the schema\(s\)/i;

/** Helm template rendering errors (text/template via Helm's engine, v3 and v4 layouts). */
export const TEMPLATE_ERRORS: RegExp[] = [
  /executing "[^"]+" at <[^>]*>/,
  /execution error at \([^)]*\)/,
  /\btemplate: [^\s:]+:\d+(?::\d+)?: (?:function|unexpected|undefined|bad character|unterminated)/,
  /parse error at \([^)]*\)/,
  /\berror calling (?:include|tpl|required|fail)\b/,
  /\brender error in "/,
  /YAML parse error on [^\s:]+/,
];

/**
 * fluxcd/pkg chartutil/values.go ErrValuesReference.Error():
 *   "could not resolve[ optional] <Kind> chart values reference '<ns>/<name>'[ with key '<key>']: <reason>"
 */
export const VALUES_REFERENCE =
  /could not resolve (optional )?(Secret|ConfigMap) chart values reference '([^'/]+)\/([^']+)'(?: with key '([^']+)')?: (.*)/;
/** The reasons of ErrValuesReference that mean "missing": ErrResourceNotFound, ErrKeyNotFound, or the API's NotFound. */
export const VALUES_REFERENCE_MISSING = /(?:resource not found|key not found|\bnot found)\s*$/;

/** internal/controller/helmrelease_controller.go buildRESTClientGetter, internal/kube/config.go. */
export const KUBECONFIG_SECRET_MISSING = /could not (?:get|find) KubeConfig secret '([^'/]+)\/([^']+)': .*not found/;
export const KUBECONFIG_KEY_MISSING = /KubeConfig secret '([^'/]+)\/([^']+)' does not contain an? '([^']+)'/;

/**
 * helm-controller isReady(): "<Kind> '<ns>/<name>' is not ready: <message of the chart source>"
 * (Ready=False reason SourceNotReady). Older controllers: "HelmChart '<ns>/<name>' is not ready".
 */
export const SOURCE_NOT_READY =
  /(HelmChart|OCIRepository|ExternalArtifact) '([^'/]+)\/([^']+)' is not ready(?:: ([\s\S]*))?$/;

// ---------- release identity ----------

export interface ReleaseInfo {
  /** Helm release name. */
  name: string;
  /** Namespace the release installs into (targetNamespace or the HelmRelease's namespace). */
  namespace: string;
  /** Namespace of the Helm storage Secrets. */
  storageNamespace: string;
}

/** The Helm release helm-controller manages for a HelmRelease (api/v2 GetReleaseName). */
export function releaseOf(hr: K8sObject): ReleaseInfo {
  const spec = hr.spec ?? {};
  const own = ns(hr);
  const target = typeof spec.targetNamespace === 'string' && spec.targetNamespace ? spec.targetNamespace : '';
  const name =
    typeof spec.releaseName === 'string' && spec.releaseName
      ? spec.releaseName
      : target
        ? `${target}-${hr.metadata.name}`
        : hr.metadata.name;
  const storage =
    (typeof hr.status?.storageNamespace === 'string' && hr.status.storageNamespace) ||
    (typeof spec.storageNamespace === 'string' && spec.storageNamespace) ||
    own;
  return { name, namespace: target || own, storageNamespace: storage };
}

/** The HelmRelease that generated a HelmChart from its spec.chart, if any. */
export function releaseForChart(graph: Graph, chart: K8sObject | ObjRef): K8sObject | undefined {
  for (const e of graph.in(chart, 'chart')) {
    if (e.from.kind !== 'HelmRelease') continue;
    const hr = graph.get(e.from);
    if (hr?.spec?.chart) return hr;
  }
  return undefined;
}

/** The HelmChart (or chartRef target) of a HelmRelease. */
export function chartOfRelease(graph: Graph, hr: K8sObject): ObjRef | undefined {
  return graph.out(hr, 'chart')[0]?.to;
}

/** The source object (HelmRepository, GitRepository, Bucket) of a HelmChart. */
export function sourceOfChart(graph: Graph, chart: K8sObject | ObjRef): ObjRef | undefined {
  return graph.out(chart, 'source')[0]?.to;
}

// ---------- signals ----------

/** True when the Ready condition reflects a Helm action (install/upgrade/test/remediation/unlock). */
export function releasePhaseFailed(hr: K8sObject): boolean {
  const ready = condition(hr, 'Ready');
  const stalled = condition(hr, 'Stalled');
  if (stalled?.status === 'True' && ['RetriesExceeded', 'MissingRollbackTarget'].includes(stalled.reason ?? ''))
    return true;
  if (ready?.status !== 'False') return false;
  if (ready.reason && PRE_RELEASE_REASONS.has(ready.reason)) return false;
  return true;
}

export function cond(o: K8sObject, type: string): Condition | undefined {
  return condition(o, type);
}

/** Go duration text (`5m0s`, `1h`, `90s`) in milliseconds. */
export function goDurationMs(text: unknown, fallbackMs: number): number {
  if (typeof text !== 'string' || !text) return fallbackMs;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s)/g;
  let total = 0;
  let matched = false;
  for (const m of text.matchAll(re)) {
    matched = true;
    const v = Number(m[1]);
    total += m[2] === 'h' ? v * 3600_000 : m[2] === 'm' ? v * 60_000 : m[2] === 's' ? v * 1000 : v;
  }
  return matched ? total : fallbackMs;
}

/** The first line of a (possibly multi-line) error, bounded. */
export function firstLine(text: string, max = 300): string {
  const line = text.split('\n').find((l) => l.trim()) ?? text;
  const t = line.trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** Objects named in an ssa wait error, e.g. `Deployment/default/podinfo` (status InProgress). */
export function waitObjects(text: string): { ref: ObjRef; status: string }[] {
  const out: { ref: ObjRef; status: string }[] = [];
  for (const m of text.matchAll(WAIT_OBJECT)) {
    out.push({ ref: { kind: m[1]!, namespace: m[2]!, name: m[3]! }, status: m[4]! });
  }
  return out;
}

// ---------- commands ----------

export function hrCmds(hr: K8sObject) {
  const name = hr.metadata.name;
  const n = ns(hr);
  const rel = releaseOf(hr);
  return {
    reconcile: `flux reconcile helmrelease ${shq(name)} -n ${shq(n)}`,
    reconcileWithSource: `flux reconcile helmrelease ${shq(name)} -n ${shq(n)} --with-source`,
    reset: `flux reconcile helmrelease ${shq(name)} -n ${shq(n)} --reset`,
    force: `flux reconcile helmrelease ${shq(name)} -n ${shq(n)} --force`,
    get: `flux get helmreleases ${shq(name)} -n ${shq(n)}`,
    events: `flux events --for ${shq(`HelmRelease/${name}`)} -n ${shq(n)}`,
    history: `helm history ${shq(rel.name)} -n ${shq(rel.storageNamespace)}`,
    managed: `kubectl get deploy,sts,ds,pods -n ${shq(rel.namespace)} -l ${shq(`helm.toolkit.fluxcd.io/name=${name},helm.toolkit.fluxcd.io/namespace=${n}`)}`,
  };
}

export function chartCmds(chart: ObjRef) {
  return {
    reconcile: `flux reconcile source chart ${shq(chart.name)}${nsArg(chart.namespace)}`,
    get: `flux get sources chart ${shq(chart.name)}${nsArg(chart.namespace)}`,
    events: `flux events --for ${shq(`HelmChart/${chart.name}`)}${nsArg(chart.namespace)}`,
  };
}

/** `Kind ns/name` for the object to show in a summary, with the HelmRelease it belongs to. */
export function chartLabel(graph: Graph, chart: K8sObject): string {
  const hr = releaseForChart(graph, chart);
  return hr ? `${show(chart)} (generated for ${show(hr)})` : show(chart);
}

// ---------- install / upgrade failures (shared by helm.install-failed and helm.upgrade-failed) ----------

export interface ActionFailure {
  action: 'install' | 'upgrade';
  signals: Signal[];
  /** Helm's error, without helm-controller's prefix. */
  cause?: string;
  /** chart@version from the message. */
  chart?: string;
  retriesExceeded?: { attempts: number };
  rollback?: { ok: boolean; message: string };
  uninstalled?: boolean;
  /** The failure was a wait on the release's resources (timeout/stalled). */
  waited: boolean;
  waitObjects: { ref: ObjRef; status: string }[];
}

/**
 * Read an install or upgrade failure from a HelmRelease's conditions: Released=False reason
 * InstallFailed/UpgradeFailed, Stalled=True RetriesExceeded "Failed to <action> after N attempt(s)",
 * Remediated (rollback/uninstall), and the Ready condition, which summarizes them.
 */
export function actionFailure(hr: K8sObject, graph: Graph, action: 'install' | 'upgrade'): ActionFailure | undefined {
  const h = graph.health(hr);
  if (h.state !== 'Failed' || !releasePhaseFailed(hr)) return undefined;
  const reason = action === 'install' ? 'InstallFailed' : 'UpgradeFailed';
  const released = condition(hr, 'Released');
  const ready = condition(hr, 'Ready');
  const stalled = condition(hr, 'Stalled');
  const remediated = condition(hr, 'Remediated');
  const retries = stalled?.status === 'True' ? RETRIES_EXCEEDED.exec(stalled.message ?? '') : null;
  const oldRetries = RETRIES_EXHAUSTED_OLD.exec(ready?.message ?? '');
  const releasedFailed = released?.status === 'False' && released.reason === reason;
  const readyFailed = ready?.status === 'False' && ready.reason === reason;
  const retriesForAction = (retries && retries[1] === action) || (oldRetries && oldRetries[1] === action);
  const rollbackFailed =
    action === 'upgrade' &&
    ((remediated?.status === 'False' && remediated.reason === 'RollbackFailed') || ready?.reason === 'RollbackFailed');
  const missingTarget =
    action === 'upgrade' && stalled?.status === 'True' && stalled.reason === 'MissingRollbackTarget';
  // A release that was installed/upgraded but whose tests failed is not an install/upgrade failure.
  if (released?.status === 'True') return undefined;
  if (!releasedFailed && !readyFailed && !retriesForAction && !rollbackFailed && !missingTarget) return undefined;
  const signals = failureSignals(hr, graph).filter(
    (s) =>
      (s.reason &&
        [
          reason,
          'RetriesExceeded',
          'MissingRollbackTarget',
          'RollbackFailed',
          'RollbackSucceeded',
          'UninstallSucceeded',
          'UninstallFailed',
        ].includes(s.reason)) ||
      RELEASE_FAILURE.test(s.text) ||
      RETRIES_EXHAUSTED_OLD.test(s.text),
  );
  const failureText = [released?.message, ready?.message, ...signals.map((s) => s.text)].find(
    (t) => t && RELEASE_FAILURE.exec(t)?.[1] === action,
  );
  const m = failureText ? RELEASE_FAILURE.exec(failureText) : null;
  const cause = m?.[6]?.split('\n\nLast Helm logs:')[0]?.trim();
  const chart = m?.[4] && m[5] ? `${m[4]}@${m[5]}` : undefined;
  let rollback: ActionFailure['rollback'];
  if (remediated?.reason === 'RollbackFailed') rollback = { ok: false, message: remediated.message ?? '' };
  else if (remediated?.status === 'True' && remediated.reason === 'RollbackSucceeded')
    rollback = { ok: true, message: remediated.message ?? '' };
  const waited = cause ? WAIT_FAILURE.test(cause) : false;
  return {
    action,
    signals: signals.length > 0 ? signals : failureSignals(hr, graph),
    cause,
    chart,
    retriesExceeded:
      retriesForAction && retries ? { attempts: Number(retries[2]) } : retriesForAction ? { attempts: 0 } : undefined,
    rollback,
    uninstalled: remediated?.status === 'True' && remediated.reason === 'UninstallSucceeded',
    waited,
    waitObjects: cause ? waitObjects(cause) : [],
  };
}

/** A RawFinding-shaped description of an install/upgrade failure. */
export function actionFailureFinding(hr: K8sObject, f: ActionFailure, graph: Graph): RawFinding {
  const rel = releaseOf(hr);
  const cmds = hrCmds(hr);
  const chart =
    f.chart ??
    (hr.status?.lastAttemptedRevision
      ? `${hr.spec?.chart?.spec?.chart ?? 'chart'}@${hr.status.lastAttemptedRevision}`
      : undefined);
  const parts: string[] = [];
  parts.push(
    `Helm ${f.action} of release ${rel.namespace}/${rel.name}${chart ? ` (chart ${chart})` : ''} for ${show(hr)} failed`,
  );
  let why = '';
  if (f.waitObjects.length > 0) {
    const list = f.waitObjects
      .slice(0, 3)
      .map((w) => `${w.ref.kind} ${w.ref.namespace}/${w.ref.name} (${w.status})`)
      .join(', ');
    why = `: timed out waiting for ${list}${f.waitObjects.length > 3 ? ` and ${f.waitObjects.length - 3} more` : ''} to become ready`;
  } else if (f.cause) {
    why = `: ${firstLine(f.cause)}`;
  }
  let tail = '';
  if (f.rollback) tail += f.rollback.ok ? '; it was rolled back to the previous release' : '; the rollback failed too';
  if (f.uninstalled) tail += '; the failed release was uninstalled';
  if (f.retriesExceeded)
    tail += `; retries are exhausted${f.retriesExceeded.attempts ? ` after ${f.retriesExceeded.attempts} attempt(s)` : ''}, so the controller stopped retrying (Stalled)`;
  const summary = `${parts[0]}${why}${tail}`;
  const timeout = typeof hr.spec?.timeout === 'string' ? hr.spec.timeout : '5m0s, the default';
  const steps: string[] = [];
  if (f.waited || !f.cause) {
    steps.push(...titled("Find out why the release's workloads do not become ready", cmds.managed));
    for (const w of f.waitObjects.slice(0, 3))
      steps.push(`kubectl describe ${shq(w.ref.kind.toLowerCase())} ${shq(w.ref.name)}${nsArg(w.ref.namespace)}`);
    steps.push(
      `Fix the workload (image, probes, resources, config) in the chart values of ${show(hr)}, in Git`,
      ...changeInGit(graph, hr, `raise spec.timeout of ${show(hr)} (now ${timeout})`, {
        when: 'if it only needs longer to start',
      }),
    );
  } else {
    steps.push(`Fix what Helm reports for the ${f.action} (in Git): ${firstLine(f.cause, 400)}`);
  }
  if (f.rollback && !f.rollback.ok) steps.push(`The rollback failed: ${firstLine(f.rollback.message, 300)}`);
  steps.push(...titled('Inspect the release history', cmds.history));
  if (f.retriesExceeded)
    steps.push('After the fix, reset the failure counters and retry (or force it with --force):', cmds.reset);
  else steps.push(cmds.reconcile);
  const fixTarget: ObjRef | undefined =
    f.waitObjects.length > 0 && f.waitObjects[0] ? f.waitObjects[0].ref : objRef(hr);
  return {
    summary,
    evidence: evidenceOf(f.signals),
    remediation: steps,
    fixTarget,
    explainedBy: (f.waited || !f.cause ? ['applied'] : []) as Explainer[],
  };
}
