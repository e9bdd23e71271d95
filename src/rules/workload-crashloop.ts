// workload.crashloop: a container keeps crashing (CrashLoopBackOff, or terminated with an error
// between two back-offs), or a Job (a Helm hook Job too) failed because its pods kept failing
// (BackoffLimitExceeded). Reported at the Deployment/StatefulSet/DaemonSet/Job owning the pods, or a
// bare Pod. Messages: src/signals/patterns/kubernetes.ts.

import { classifyText, evidenceOf, signalFor } from '../signals/index.js';
import { ALL_PATTERNS } from '../signals/patterns/index.js';
import {
  type ContainerInfo,
  containerEvidence,
  containersOf,
  eventsNewestFirst,
  isCrashLoop,
  lastTermination,
  podEventEvidence,
  podsPhrase,
  subjectOf,
  WORKLOAD_RULE_KINDS,
} from '../signals/workloads.js';
import type { Evidence, K8sObject } from '../types.js';
import type { MessageTemplate, Rule } from './types.js';
import { workloadData } from './util.js';

const CODE = 'workload.crashloop';
const LIVENESS = ALL_PATTERNS.filter((p) => p.id === 'kubernetes/liveness-probe-failed');

const LOGS = [
  'Read why it exits (the logs of the previous run):',
  'kubectl -n {sh:namespace} logs {sh:pod} -c {sh:container} --previous',
  'See the restarts and events:',
  'kubectl -n {sh:namespace} describe pod {sh:pod}',
];
const TAIL = [
  "Fix the container's command, configuration or dependencies in {where}",
  'After committing the fix, reconcile {owner}:',
  '{reconcile}',
  '{confirm}',
];
const SUMMARY = '{object}: {containerDesc} keeps crashing{scope}';
const MESSAGES: Record<string, MessageTemplate> = {
  'crash-loop': { summary: SUMMARY, remediation: [...LOGS, ...TAIL] },
  'command-not-found': {
    summary: SUMMARY,
    remediation: [
      ...LOGS,
      'Exit code 127/126 means the command or entrypoint is not found or not executable in the image: check command/args',
      ...TAIL,
    ],
  },
  killed: {
    summary: SUMMARY,
    remediation: [
      ...LOGS,
      'Exit code 137 without OOMKilled means the container was killed (often by a failing liveness probe): check livenessProbe',
      ...TAIL,
    ],
  },
  'liveness-probe-failed': {
    summary: `${SUMMARY}: its liveness probe fails ({probe})`,
    remediation: [
      ...LOGS,
      'The kubelet restarts the container because its liveness probe fails: check the probe path, port and timing (initialDelaySeconds, failureThreshold), or why the application stops answering',
      ...TAIL,
    ],
  },
  'job-backoff-limit': {
    summary: '{object} failed: {jobDetail}',
    remediation: [
      'Read why the last pod failed:',
      'kubectl -n {sh:namespace} logs {sh:pod} -c {sh:container}',
      'See the Job and its pods:',
      'kubectl -n {sh:namespace} describe job {sh:name}',
      "Fix the Job's command, configuration or dependencies in {where}",
      'A failed Job is not retried: {rerun}',
      'After committing the fix, reconcile {owner}:',
      '{reconcile}',
      '{confirm}',
    ],
  },
};

/** A failed Job's pods: the failed containers, newest termination first. */
function failedContainers(pods: K8sObject[]): ContainerInfo[] {
  const out: ContainerInfo[] = [];
  for (const p of pods)
    for (const c of containersOf(p)) {
      const t = lastTermination(c);
      if (t && typeof t.exitCode === 'number' && t.exitCode !== 0) out.push(c);
    }
  return out.sort((a, b) => (lastTermination(b)?.finishedAt ?? '').localeCompare(lastTermination(a)?.finishedAt ?? ''));
}

/** The Job's Failed=True condition told by the catalogue (BackoffLimitExceeded), as a finding. */
function jobFailed(obj: K8sObject, graph: Parameters<Rule['check']>[1]['graph']) {
  const c = signalFor(obj, graph, CODE);
  if (!c) return undefined;
  const pods = subjectOf(obj, graph)?.pods ?? [];
  const failed = failedContainers(pods);
  const last = failed[0];
  const t = last ? lastTermination(last) : undefined;
  const hook = obj.metadata.annotations?.['helm.sh/hook'];
  const base = workloadData(obj, graph);
  const evidence: Evidence[] = [...evidenceOf(c.signals), ...failed.slice(0, 2).map(containerEvidence)];
  return {
    cause: 'job-backoff-limit',
    data: {
      ...base,
      failed: typeof obj.status?.failed === 'number' ? obj.status.failed : failed.length,
      backoffLimit: typeof obj.spec?.backoffLimit === 'number' ? obj.spec.backoffLimit : 6,
      jobDetail: `its pods failed ${typeof obj.status?.failed === 'number' ? obj.status.failed : failed.length} time(s) and reached backoffLimit ${typeof obj.spec?.backoffLimit === 'number' ? obj.spec.backoffLimit : 6}${hook ? ` (Helm ${hook} hook)` : ''}${t ? `; the last pod exited with code ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}` : ''}`,
      hook,
      pod: last?.pod.metadata.name,
      container: last?.name,
      rerun: hook
        ? 'helm-controller runs the hook again on the next install or upgrade attempt'
        : 'Flux recreates it only when its spec changes in Git (or set spec.force on the Kustomization, or delete the Job)',
    },
    evidence,
    fixTarget: { kind: obj.kind, namespace: base.namespace, name: obj.metadata.name },
  };
}

export const rule: Rule = {
  meta: {
    code: 'workload.crashloop',
    severity: 'error',
    title: 'A container keeps crashing',
    kinds: WORKLOAD_RULE_KINDS,
    overrides: ['workload.not-ready'],
    messages: MESSAGES,
  },
  check(obj, { graph }) {
    if (obj.kind === 'Job') {
      const job = jobFailed(obj, graph);
      if (job) return job;
    }
    const subject = subjectOf(obj, graph);
    if (!subject) return undefined;
    const bad: ContainerInfo[] = [];
    for (const p of subject.pods) for (const c of containersOf(p)) if (isCrashLoop(c)) bad.push(c);
    if (bad.length === 0) return undefined;

    const first = bad[0]!;
    const badPods = [...new Set(bad.map((c) => c.pod))];
    const t = lastTermination(first);
    // A failing liveness probe (kubelet event Unhealthy) explains the restarts.
    const probe = eventsNewestFirst(first.pod, graph)
      .map((e) => ({ e, m: classifyText(e.message, LIVENESS) }))
      .find((x) => x.m);
    const cause = probe
      ? 'liveness-probe-failed'
      : t?.exitCode === 127 || t?.exitCode === 126
        ? 'command-not-found'
        : t?.exitCode === 137
          ? 'killed'
          : 'crash-loop';
    return {
      cause,
      data: {
        ...workloadData(obj, graph),
        containerDesc: `${first.init ? 'init container' : 'container'} ${first.name}${first.image ? ` (${first.image})` : ''}`,
        container: first.name,
        image: first.image,
        scope: `${obj.kind === 'Pod' ? '' : ` in ${podsPhrase(badPods, subject.pods)}`} (CrashLoopBackOff${typeof first.status.restartCount === 'number' ? `, ${first.status.restartCount} restarts` : ''}${t ? `, last exit code ${t.exitCode ?? '?'}${t.reason ? ` (${t.reason})` : ''}` : ''})`,
        exitCode: t?.exitCode,
        pod: first.pod.metadata.name,
        probe: probe?.m?.data.detail,
      },
      evidence: [
        ...bad.slice(0, 3).map(containerEvidence),
        ...podEventEvidence(
          badPods,
          graph,
          { reasons: ['BackOff', 'Unhealthy'], pattern: /restarting failed container|Liveness probe failed/ },
          2,
        ),
      ],
      fixTarget: { kind: obj.kind, namespace: obj.metadata.namespace ?? 'default', name: obj.metadata.name },
    };
  },
};
