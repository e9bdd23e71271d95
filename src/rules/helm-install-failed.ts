// helm.install-failed: the Helm install of a HelmRelease failed (Released=False reason InstallFailed),
// possibly remediated by an uninstall and retried until the retries ran out (Stalled RetriesExceeded).
// When the install timed out waiting for the release's workloads, the engine follows the objects the
// release manages and reports the failing workload instead (explainedBy: applied).
//
// The reading (which action failed, what Helm said) is src/signals/helm.ts; the messages are in
// src/signals/patterns/helm-controller.ts, helm-sdk.ts and ssa.ts. helm.upgrade-failed uses the same check.

import { condition } from '../kinds/status.js';
import { whereToChange } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import { type FailedAction, failedAction, type HelmError, helmError, releaseOf } from '../signals/helm.js';
import { clip, current, evidenceOf, firstLine, pendingWaitObjects, show } from '../signals/index.js';
import { ALL_PATTERNS } from '../signals/patterns/index.js';
import type { K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';
import type { Explainer, FindingData, MessageTemplate, RawFinding, Rule, RuleContext } from './types.js';
import { describeCmd, eventsCmd, reconcileCmd } from './util.js';

/** Catalogue causes (helm-sdk.ts, helm-controller.ts) that the findings name on their own. */
const OWN_CAUSES = new Set([
  'resource-conflict',
  'kube-version-incompatible',
  'hook-failed',
  'hook-job-failed',
  'rollback-failed',
  'missing-rollback-target',
  'no-deployed-release',
]);
const HOOK_FAILED = ALL_PATTERNS.find((p) => p.id === 'helm-sdk/hook-failed');
const JOB_FAILED = ALL_PATTERNS.find((p) => p.id === 'helm-sdk/job-failed');
const WAIT_CAUSES = new Set(['wait-timeout', 'stalled', 'wait-failed', 'timeout']);

/**
 * The hook Job of a failed hook: a Job carrying Helm's `helm.sh/hook` annotation (for this phase), named
 * by Helm v3.18+/v4 ("job <name> failed"). `linkedFailing` when the HelmRelease's owner labels link it
 * (helm-controller's post-renderer labels hooks from Helm v4 on; Helm v3 does not post-render hooks) and
 * it failed: then the engine follows the `managed` edge to it.
 */
function hookJob(
  hr: K8sObject,
  graph: RuleContext['graph'],
  namespace: string,
  release: string,
  named: string | undefined,
  phase: string | undefined,
): { job?: ObjRef; linkedFailing: boolean } {
  const isHook = (o: K8sObject | undefined): o is K8sObject => {
    const a = o?.metadata.annotations?.['helm.sh/hook'];
    if (o?.kind !== 'Job' || typeof a !== 'string') return false;
    if (named && o.metadata.name !== named) return false;
    return !phase || a.split(',').some((x) => x.trim() === phase);
  };
  const failing = (o: K8sObject) => graph.health(o).state === 'Failed';
  const linked = graph
    .out(hr, 'managed')
    .map((e) => graph.get(e.to))
    .filter(isHook);
  const linkedJob = linked.find(failing);
  if (linkedJob) return { job: objRef(linkedJob), linkedFailing: true };
  // Not linked (Helm v3) or not read: a failed hook Job of the release's namespace that was read — the one
  // the chart labels with the release (app.kubernetes.io/instance) or named after it, or the only one.
  const others = graph.byKind('Job').filter((o) => o.metadata.namespace === namespace && isHook(o) && failing(o));
  const ofRelease = others.filter(
    (o) => o.metadata.labels?.['app.kubernetes.io/instance'] === release || o.metadata.name.startsWith(`${release}-`),
  );
  const other = ofRelease.length === 1 ? ofRelease[0] : others.length === 1 ? others[0] : undefined;
  if (other) return { job: objRef(other), linkedFailing: false };
  if (named) return { job: { kind: 'Job', namespace, name: named }, linkedFailing: false };
  return { linkedFailing: false };
}

function outcome(f: FailedAction): string {
  const parts: string[] = [];
  if (f.remediation === 'rolled-back') parts.push('it was rolled back to the previous release');
  if (f.remediation === 'rollback-failed') parts.push('the rollback failed too');
  if (f.remediation === 'uninstalled') parts.push('the failed release was uninstalled');
  if (f.remediation === 'uninstall-failed') parts.push('the uninstall remediation failed too');
  if (f.remediation === 'missing-rollback-target') parts.push('there is no previous release to roll back to');
  if (f.retriesExhausted)
    parts.push(
      `retries are exhausted${f.attempts ? ` after ${f.attempts} attempt(s)` : ''}, so the controller stopped retrying (Stalled)`,
    );
  return parts.length > 0 ? parts.join('; ') : 'helm-controller retries it on its next reconciliation';
}

function causeOf(e: HelmError | undefined, f: FailedAction): string {
  if (!e) return 'retries-exhausted';
  const p = e.match.pattern;
  if (WAIT_CAUSES.has(p.cause) && (p.emitter === 'ssa' || p.emitter === 'helm-sdk')) return 'wait-timeout';
  if (p.cause === 'hook-job-failed') return 'hook-failed';
  if (OWN_CAUSES.has(p.cause)) return p.cause;
  if (f.remediation === 'missing-rollback-target') return 'missing-rollback-target';
  return 'helm-error';
}

/** The check of helm.install-failed and helm.upgrade-failed (one reading, two codes). */
export function releaseActionCheck(action: 'install' | 'upgrade') {
  return (hr: K8sObject, { graph }: RuleContext): RawFinding | undefined => {
    const f = failedAction(hr, graph);
    if (!f || f.action !== action) return undefined;
    const e = helmError(hr, graph);
    const cause = causeOf(e, f);
    const rel = releaseOf(hr);
    const chartSpec = hr.spec?.chart?.spec;
    const version = e?.wrapper?.version ?? hr.status?.lastAttemptedRevision ?? chartSpec?.version;
    const chartName = e?.wrapper?.chart ?? chartSpec?.chart;
    const data: FindingData = {
      action,
      object: show(hr),
      name: hr.metadata.name,
      namespace: hr.metadata.namespace,
      release: `${rel.namespace}/${rel.name}`,
      releaseName: rel.name,
      targetNamespace: rel.namespace,
      storageNamespace: rel.storageNamespace,
      chart: chartName ? (version ? `${chartName}@${version}` : chartName) : 'from spec.chartRef',
      error: e ? firstLine(clip(e.error, 2000), 400) : undefined,
      outcome: outcome(f),
      where: whereToChange(graph, hr),
      timeout: typeof hr.spec?.timeout === 'string' ? hr.spec.timeout : '5m0s, the default',
      selector: `helm.toolkit.fluxcd.io/name=${hr.metadata.name},helm.toolkit.fluxcd.io/namespace=${hr.metadata.namespace}`,
      events: eventsCmd(hr),
      reconcile: f.retriesExhausted ? `${reconcileCmd(hr)} --reset` : reconcileCmd(hr),
      attempts: f.attempts,
    };
    const remediated = condition(hr, 'Remediated');
    if (f.remediation === 'rollback-failed' && remediated?.message)
      data.rollbackError = firstLine(remediated.message, 300);
    let fixTarget: ObjRef = objRef(hr);
    if (cause === 'wait-timeout') {
      const waits = e ? pendingWaitObjects(e.error) : [];
      const shown = waits.slice(0, 3).map((w) => `${show(w.ref)} (${w.status})`);
      data.waiting =
        shown.length > 0
          ? `${shown.join(', ')}${waits.length > 3 ? ` and ${waits.length - 3} more` : ''}`
          : `the release's resources (${data.error})`;
      if (waits[0]) {
        fixTarget = waits[0].ref;
        data.describeWait = describeCmd(waits[0].ref);
      }
    }
    const d = e?.match.data ?? {};
    if (cause === 'resource-conflict' && d.kind && d.name) {
      const conflict: ObjRef = d.namespace
        ? { kind: d.kind, namespace: d.namespace, name: d.name }
        : { kind: d.kind, name: d.name };
      data.conflict = show(conflict);
      data.conflictKind = d.kind.toLowerCase();
      data.conflictRef = `${shq(d.name)}${nsArg(d.namespace || undefined)}`;
      fixTarget = conflict;
    }
    if (cause === 'kube-version-incompatible') {
      data.constraint = d.constraint;
      data.kubeVersion = d.kubeVersion;
    }
    let explainedBy: Explainer[] = cause === 'wait-timeout' || cause === 'retries-exhausted' ? ['applied'] : [];
    if (cause === 'hook-failed' && e) {
      // the hook's own words (which hook, then its error), whichever of hook/job patterns was innermost
      const h = HOOK_FAILED?.re.exec(e.error);
      const phase = h?.groups?.hook ?? h?.groups?.phase ?? h?.groups?.installPhase;
      data.hook = h?.groups?.path ? `${h.groups.hook} hook ${h.groups.path}` : phase ? `the ${phase} hook` : 'a hook';
      const rest = h ? e.error.slice(h.index + h[0].length).replace(/^[:\s]+/, '') : '';
      if (rest) data.error = firstLine(rest.replace(/^\d+ errors? occurred:\s*\*\s*/, ''), 400);
      const named = JOB_FAILED?.re.exec(e.error)?.groups?.job;
      const hook = hookJob(hr, graph, rel.namespace, rel.name, named, phase);
      if (hook.job) {
        data.job = show(hook.job);
        data.hook = `${data.hook} (${data.job})`;
        data.jobNamespace = hook.job.namespace ?? rel.namespace;
        data.jobSelector = `job-name=${hook.job.name}`;
        fixTarget = hook.job;
      }
      // The failing hook Job the release's labels link to is the root: its own finding says why it failed.
      if (hook.linkedFailing) explainedBy = ['applied'];
    }
    return {
      cause,
      data,
      evidence: evidenceOf([...(e ? [e.signal] : []), ...current(hr, graph).all]),
      fixTarget,
      explainedBy,
    };
  };
}

const HEAD = 'Helm {action} of release {release} (chart {chart}) for {object} failed';
const HISTORY = ['Inspect the release history:', 'helm history {sh:releaseName} -n {sh:storageNamespace}'];
const RETRY = ['The rollback failed: {rollbackError}', 'After the fix, retry:', '{reconcile}'];

/** Templates shared by helm.install-failed and helm.upgrade-failed. */
export const RELEASE_ACTION_MESSAGES: Record<string, MessageTemplate> = {
  'wait-timeout': {
    summary: `${HEAD}: timed out waiting for {waiting} to become ready; {outcome}`,
    remediation: [
      "Find out why the release's workloads do not become ready:",
      'kubectl get deploy,sts,ds,pods -n {sh:targetNamespace} -l {sh:selector}',
      '{describeWait}',
      'Fix the workload (image, probes, resources, config) in {where}',
      'If it only needs longer to start, raise spec.timeout of {object} (now {timeout}) in {where}',
      ...HISTORY,
      ...RETRY,
    ],
  },
  'resource-conflict': {
    summary: `${HEAD}: {conflict} already exists and does not belong to the release (Helm will not adopt it); {outcome}`,
    remediation: [
      'Delete {conflict} if nothing else needs it, or let the release adopt it with Helm ownership metadata:',
      'kubectl label {sh:conflictKind} {conflictRef} app.kubernetes.io/managed-by=Helm',
      'kubectl annotate {sh:conflictKind} {conflictRef} meta.helm.sh/release-name={sh:releaseName} meta.helm.sh/release-namespace={sh:targetNamespace}',
      'Or stop the chart from rendering it (its values) in {where}',
      ...RETRY,
    ],
  },
  'kube-version-incompatible': {
    summary: `${HEAD}: the chart requires Kubernetes {constraint} and the cluster runs {kubeVersion}; {outcome}`,
    remediation: [
      'Pin a chart version that supports Kubernetes {kubeVersion} (spec.chart.spec.version of {object}) in {where}, or upgrade the cluster',
      ...RETRY,
    ],
  },
  'hook-failed': {
    summary: `${HEAD}: {hook} failed: {error}; {outcome}`,
    remediation: [
      'Read the logs of the hook Job {job} (they say why it failed):',
      'kubectl logs -n {sh:jobNamespace} -l {sh:jobSelector} --all-containers --prefix',
      'Read the hook Job and Pod (their logs say why):',
      'kubectl get jobs,pods -n {sh:targetNamespace}',
      'Fix the hook or the values it uses in {where}',
      ...HISTORY,
      ...RETRY,
    ],
  },
  'rollback-failed': {
    summary: `${HEAD} and the rollback failed: {error}; {outcome}`,
    remediation: [
      'Read the Helm errors of the upgrade and the rollback:',
      '{events}',
      ...HISTORY,
      'Fix the chart values or the objects Helm names in {where}',
      ...RETRY,
    ],
  },
  'missing-rollback-target': {
    summary: `${HEAD}: {error}; {outcome}`,
    remediation: [
      'Fix what Helm reports for the {action} in {where}',
      ...HISTORY,
      'The release has no earlier revision to roll back to: reset the counters after the fix',
      '{reconcile}',
    ],
  },
  'no-deployed-release': {
    summary: `${HEAD}: the release has no deployed revision to upgrade from ({error}); {outcome}`,
    remediation: [
      ...HISTORY,
      'Roll the release back to its last good revision, or uninstall it so that helm-controller installs it anew:',
      'helm rollback {sh:releaseName} -n {sh:storageNamespace}',
      ...RETRY,
    ],
  },
  'helm-error': {
    summary: `${HEAD}: {error}; {outcome}`,
    remediation: ['Fix what Helm reports for the {action} in {where}: {error}', ...HISTORY, ...RETRY],
  },
  'retries-exhausted': {
    summary:
      'Helm {action} of release {release} (chart {chart}) for {object} failed and helm-controller stopped retrying: {outcome}',
    remediation: [
      'Read the Helm error of the last attempt in the events:',
      '{events}',
      "Find out whether the release's workloads became ready:",
      'kubectl get deploy,sts,ds,pods -n {sh:targetNamespace} -l {sh:selector}',
      ...HISTORY,
      ...RETRY,
    ],
  },
};

export const rule: Rule = {
  meta: {
    code: 'helm.install-failed',
    severity: 'error',
    title: 'The Helm install failed',
    kinds: ['HelmRelease'],
    explainedBy: ['applied'],
    messages: RELEASE_ACTION_MESSAGES,
  },
  check: releaseActionCheck('install'),
};
