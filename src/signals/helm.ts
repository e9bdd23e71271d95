// HelmRelease facts shared by the helm rules: which Helm release a HelmRelease manages, which Helm action
// failed (read from the conditions of every API version: v2beta1 Ready/Released reasons and
// status.installFailures/upgradeFailures; v2beta2/v2 Released/Remediated/Stalled, status.history and
// status.lastAttemptedReleaseAction), and the Helm error of that action, classified with the catalogue.

import type { Graph } from '../graph/graph.js';
import { condition } from '../kinds/status.js';
import type { K8sObject, ObjRef } from '../types.js';
import { current, type Signal } from './current.js';
import { type Classified, catalogueFor, classifyText, type TextMatch } from './match.js';
import { ALL_PATTERNS } from './patterns/index.js';
import { show } from './refs.js';

export interface ReleaseInfo {
  /** Helm release name. */
  name: string;
  /** Namespace the release installs into (targetNamespace or the HelmRelease's namespace). */
  namespace: string;
  /** Namespace of the Helm storage Secrets. */
  storageNamespace: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The Helm release helm-controller manages for a HelmRelease (api/v2 GetReleaseName, GetStorageNamespace). */
export function releaseOf(hr: K8sObject): ReleaseInfo {
  const spec = hr.spec ?? {};
  const own = hr.metadata.namespace ?? 'default';
  const target = str(spec.targetNamespace);
  const name = str(spec.releaseName) ?? (target ? `${target}-${hr.metadata.name}` : hr.metadata.name);
  const storage = str(hr.status?.storageNamespace) ?? str(spec.storageNamespace) ?? own;
  return { name, namespace: target ?? own, storageNamespace: storage };
}

/** The latest release snapshot (v2beta2/v2 status.history[0]). */
export function latestSnapshot(
  hr: K8sObject,
): { status?: string; version?: number; chart?: string; testHooks?: Record<string, { phase?: string }> } | undefined {
  const h = Array.isArray(hr.status?.history) ? hr.status.history[0] : undefined;
  if (!h || typeof h !== 'object') return undefined;
  return {
    status: str(h.status),
    version: typeof h.version === 'number' ? h.version : undefined,
    chart: str(h.chartName) ? `${h.chartName}@${h.chartVersion ?? '?'}` : undefined,
    testHooks: h.testHooks && typeof h.testHooks === 'object' ? h.testHooks : undefined,
  };
}

/**
 * Ready reasons helm-controller writes before any Helm action runs (the release was not attempted):
 * v2 api/v2 and internal/controller, v2beta1 InitFailed / GetLastReleaseFailed.
 */
const PRE_RELEASE_REASONS = new Set([
  'DependencyNotReady',
  'SourceNotReady',
  'ArtifactFailed',
  'ValuesError',
  'InitFailed',
  'GetLastReleaseFailed',
  'RESTClientError',
  'AccessDenied',
  'ChartMutateError',
  'FactoryError',
  'ResourceManagerError',
  'ConfigFactoryErr',
  'InvalidCELExpression',
]);

const ACTION_REASON: Record<string, 'install' | 'upgrade'> = { InstallFailed: 'install', UpgradeFailed: 'upgrade' };
/** Remediation outcomes (Ready/Remediated reasons) after a failed install or upgrade. */
const REMEDIATION_REASONS = new Set([
  'RollbackSucceeded',
  'RollbackFailed',
  'UninstallSucceeded',
  'UninstallFailed',
  'RetriesExceeded',
  'MissingRollbackTarget',
  'ReconciliationFailed',
]);

export interface FailedAction {
  action: 'install' | 'upgrade';
  /** Stalled RetriesExceeded (v2) or "<action> retries exhausted" (v2beta1). */
  retriesExhausted: boolean;
  attempts?: number;
  /** Remediation outcome: rolled back, uninstalled, or the remediation failed. */
  remediation?: 'rolled-back' | 'rollback-failed' | 'uninstalled' | 'uninstall-failed' | 'missing-rollback-target';
}

const RETRIES_V2 = /Failed to (install|upgrade) after (\d+) attempt\(s\)/;
const RETRIES_V0 = /\b(install|upgrade) retries exhausted/;
const WRAPPER = /Helm (install|upgrade) failed(?: for release|: )/;

/**
 * The Helm install or upgrade whose failure the HelmRelease shows now, or undefined when the current
 * failure is not a Helm action (values, source, dependencies…), when the release was deployed (Released
 * True: a test failure is not an install failure) or when the HelmRelease is not failing.
 */
export function failedAction(hr: K8sObject, graph: Graph): FailedAction | undefined {
  if (graph.health(hr).state !== 'Failed') return undefined;
  const ready = condition(hr, 'Ready');
  const released = condition(hr, 'Released');
  const stalled = condition(hr, 'Stalled');
  const remediated = condition(hr, 'Remediated');
  if (released?.status === 'True') return undefined;
  if (ready?.status === 'False' && ready.reason && PRE_RELEASE_REASONS.has(ready.reason)) return undefined;
  const st = hr.status ?? {};
  const v2 = stalled?.status === 'True' ? RETRIES_V2.exec(stalled.message ?? '') : null;
  const v0 = RETRIES_V0.exec(ready?.message ?? '');
  let action: 'install' | 'upgrade' | undefined =
    (v2?.[1] as 'install' | 'upgrade' | undefined) ??
    (v0?.[1] as 'install' | 'upgrade' | undefined) ??
    (released?.status === 'False' ? ACTION_REASON[released.reason ?? ''] : undefined) ??
    (ready?.status === 'False' ? ACTION_REASON[ready.reason ?? ''] : undefined);
  if (!action) {
    const wrapped = WRAPPER.exec(`${ready?.message ?? ''}\n${released?.message ?? ''}`)?.[1];
    if (wrapped) action = wrapped as 'install' | 'upgrade';
  }
  if (!action && ready?.reason && REMEDIATION_REASONS.has(ready.reason)) {
    const last = str(st.lastAttemptedReleaseAction);
    if (last === 'install' || last === 'upgrade') action = last;
    else if (Number(st.upgradeFailures) > 0) action = 'upgrade';
    else if (Number(st.installFailures) > 0) action = 'install';
    else if (ready.reason.startsWith('Rollback') || ready.reason === 'MissingRollbackTarget') action = 'upgrade';
  }
  if (!action) return undefined;
  const reasons = [remediated?.status === 'False' ? remediated.reason : undefined, ready?.reason, remediated?.reason];
  const remediation = reasons.includes('RollbackFailed')
    ? 'rollback-failed'
    : reasons.includes('UninstallFailed')
      ? 'uninstall-failed'
      : stalled?.status === 'True' && stalled.reason === 'MissingRollbackTarget'
        ? 'missing-rollback-target'
        : reasons.includes('RollbackSucceeded')
          ? 'rolled-back'
          : reasons.includes('UninstallSucceeded')
            ? 'uninstalled'
            : undefined;
  return {
    action,
    retriesExhausted: Boolean(
      (v2 && v2[1] === action) ||
        (v0 && v0[1] === action) ||
        (stalled?.status === 'True' && stalled.reason === 'RetriesExceeded'),
    ),
    attempts: v2 ? Number(v2[2]) : undefined,
    remediation,
  };
}

export interface HelmError {
  /** The signal that carries the Helm error. */
  signal: Signal;
  /** The innermost catalogue match in it. */
  match: TextMatch;
  /** helm-controller's wrapper (release, chart, version, action) when the text has one. */
  wrapper?: { action: string; namespace?: string; release?: string; chart?: string; version?: string };
  /** The Helm error without helm-controller's prefix and the appended Helm logs. */
  error: string;
}

const WRAPPER_DATA =
  /Helm (?<action>install|upgrade|test) failed(?: for release (?<namespace>[^\s/]+)\/(?<release>\S+?) with chart (?<chart>[^\s@]+)@(?<version>\S+?))?: (?<error>[\s\S]*)$/;
/** Causes that say the release gave up or was remediated, not why the action failed. */
const OUTCOME_CAUSES = new Set(['retries-exhausted', 'uninstall-remediation-failed']);

/**
 * The Helm error of the failed action: the Released condition first (it keeps the action's error when
 * Ready shows the remediation), then every other failure signal; the first whose text the catalogue
 * classifies as something other than a retry/remediation outcome.
 */
export function helmError(hr: K8sObject, graph: Graph): HelmError | undefined {
  const { all } = current(hr, graph);
  const cat = catalogueFor(hr.kind);
  const ordered = [...all.filter((s) => s.from === 'Released'), ...all.filter((s) => s.from !== 'Released')];
  for (const s of ordered) {
    const m = classifyText(s.text, cat.patterns);
    if (!m || OUTCOME_CAUSES.has(m.pattern.cause) || m.pattern.code === 'none') continue;
    const w = WRAPPER_DATA.exec(s.text)?.groups;
    const error = (w?.error ?? s.text.slice(m.index)).split('\n\nLast Helm logs:')[0]!.trim();
    return {
      signal: s,
      match: m,
      wrapper: w
        ? { action: w.action!, namespace: w.namespace, release: w.release, chart: w.chart, version: w.version }
        : undefined,
      error,
    };
  }
  return undefined;
}

/** The HelmRelease that generated a HelmChart from its spec.chart, if any (it carries the chart's findings). */
export function releaseForChart(graph: Graph, chart: K8sObject | ObjRef): K8sObject | undefined {
  for (const e of graph.in(chart, 'chart')) {
    if (e.from.kind !== 'HelmRelease') continue;
    const hr = graph.get(e.from);
    if (hr?.spec?.chart) return hr;
  }
  return undefined;
}

/** `HelmChart ns/name (generated for HelmRelease ns/name)`, or the HelmChart alone. */
export function chartLabel(graph: Graph, chart: K8sObject): string {
  const hr = releaseForChart(graph, chart);
  return hr ? `${show(chart)} (generated for ${show(hr)})` : show(chart);
}

const DEPENDENCY_BUILD = ALL_PATTERNS.find((p) => p.id === 'source-controller/chart-dependency');

/**
 * Whether a chart message is a dependency build failure: the DependencyBuildError reason, or
 * source-controller's dependency wrapper around an index message ("failed to add remote dependency 'x':
 * … no 'x' chart with version matching …", whose innermost match is the version pattern).
 */
export function isDependencyBuild(c: Classified): boolean {
  if (c.signal.reason === 'DependencyBuildError' || c.code === 'helm.chart-dependency') return true;
  return !!DEPENDENCY_BUILD && DEPENDENCY_BUILD.re.test(c.signal.text);
}
