// workload.not-ready: the workload does not become available and no more specific workload code explains
// it — its controller cannot create the pods (a ReplicaSet/StatefulSet/DaemonSet/Job FailedCreate:
// ServiceAccount missing, quota, LimitRange, PodSecurity, an admission webhook), its pods run but never
// become ready (readiness probe failing), the Deployment exceeded its progress deadline, a Job ran past its
// activeDeadlineSeconds, or a LoadBalancer Service never gets its address. Messages are read with
// src/signals/patterns/kubernetes.ts.

import { condition } from '../kinds/status.js';
import { conditionEvidence, evidenceOf } from '../signals/current.js';
import { type Classified, signalFor } from '../signals/match.js';
import { ALL_PATTERNS } from '../signals/patterns/index.js';
import { objId, show } from '../signals/refs.js';
import { age, bound, firstLine, parseTime } from '../signals/text.js';
import {
  type ContainerInfo,
  containerEvidence,
  containersOf,
  hasSpecificProblem,
  podCreators,
  podEventEvidence,
  podsPhrase,
  subjectOf,
  WORKLOAD_KINDS,
} from '../signals/workloads.js';
import type { Evidence, K8sObject } from '../types.js';
import { objRef } from '../types.js';
import type { MessageTemplate, Rule, RuleContext } from './types.js';
import { workloadData } from './util.js';

const CODE = 'workload.not-ready';
/** How long a container may run unready before it counts as stuck, when no probe failure event says so. */
const STUCK_AFTER_MS = 10 * 60 * 1000;
/** How long a LoadBalancer Service may wait for its address before it counts as never getting one. */
const LB_GRACE_MS = 10 * 60 * 1000;
const PROBE = ALL_PATTERNS.filter((p) => p.id === 'kubernetes/probe-failed');
/** Causes of the catalogue that mean the controller cannot create the pods. */
const CREATE_CAUSES = new Set([
  'service-account-missing',
  'quota-exceeded',
  'limit-range',
  'pod-security',
  'webhook-denied',
  'webhook-unreachable',
  'pods-cannot-be-created',
]);

const TAIL = ['After committing the fix, reconcile {owner}:', '{reconcile}', '{confirm}'];
/** Pods that run but are not ready: the probe, the logs, where to fix it. */
const UNREADY = [
  'See why the pod is not ready{lookFor}:',
  'kubectl -n {sh:namespace} describe pod {sh:pod}',
  'Read the application logs:',
  'kubectl -n {sh:namespace} logs {sh:pod} -c {sh:container}',
  'Check the readiness probe (path, port, initialDelaySeconds, failureThreshold):',
  "kubectl -n {sh:namespace} get {lkind} {sh:name} -o jsonpath='{.spec.template.spec.containers[*].readinessProbe}'",
  'Fix the probe or the application configuration in {where}',
  ...TAIL,
];
const MESSAGES: Record<string, MessageTemplate> = {
  'pods-cannot-be-created': {
    summary: '{object} is not ready: {creator} cannot create pods — {why}',
    remediation: [
      'See the events of {creator}:',
      'kubectl -n {sh:namespace} describe {creatorKind} {sh:creatorName}',
      'Create ServiceAccount {saNamespace}/{serviceAccount} (or fix serviceAccountName) in {where}',
      'See the quota {quota} (used and hard limits):',
      'kubectl -n {sh:namespace} describe resourcequota {sh:quota}',
      'Lower the requests/limits of the pod template ({requested}) in {where}, or raise the quota {quota}',
      'A LimitRange in namespace {limitRangeNamespace} bounds {resource}: set the container resources within it in {where}',
      'Make the pod template meet Pod Security level {level} (securityContext: runAsNonRoot, allowPrivilegeEscalation: false, capabilities.drop: [ALL], seccompProfile: RuntimeDefault) in {where}, or change the label pod-security.kubernetes.io/enforce of namespace {namespace}',
      'The admission webhook {webhook} rejects the pods: change the pod template to meet its policy in {where}, or change the policy',
      'The admission webhook {webhookDown} cannot be reached: check the Service and pods that serve it:',
      '{webhookCmd}',
      ...TAIL,
    ],
  },
  'readiness-probe-failed': { summary: '{object} is not ready: {what}', remediation: UNREADY },
  'pods-not-ready': { summary: '{object} is not ready: {what}', remediation: UNREADY },
  'progress-deadline-exceeded': {
    summary: '{object} is not ready: {what}',
    remediation: [
      'See the rollout:',
      'kubectl -n {sh:namespace} describe {lkind} {sh:name}',
      'kubectl -n {sh:namespace} get pods',
      'Check the readiness probe (path, port, initialDelaySeconds, failureThreshold):',
      "kubectl -n {sh:namespace} get {lkind} {sh:name} -o jsonpath='{.spec.template.spec.containers[*].readinessProbe}'",
      'Fix the probe or the application configuration in {where}',
      ...TAIL,
    ],
  },
  'job-deadline-exceeded': {
    summary: '{object} failed: it ran longer than activeDeadlineSeconds ({deadline}) and its pods were stopped',
    remediation: [
      'Read what the Job was doing when it was stopped:',
      'kubectl -n {sh:namespace} logs job/{sh:name}',
      'kubectl -n {sh:namespace} describe job {sh:name}',
      'Make the Job finish in time, or raise spec.activeDeadlineSeconds, in {where}',
      ...TAIL,
    ],
  },
  'load-balancer-pending': {
    summary: '{object} (type LoadBalancer) has no load-balancer address after {pendingFor}{why}',
    remediation: [
      'See the service controller events:',
      'kubectl -n {sh:namespace} describe service {sh:name}',
      'Fix what the cloud provider reports ({detail})',
      'Check that the cluster has a load-balancer implementation (the cloud controller manager, MetalLB, kube-vip…) for spec.loadBalancerClass {lbClass}',
      'Or change spec.type to ClusterIP/NodePort in {where}, if no external address is needed',
      ...TAIL,
    ],
  },
};

type G = RuleContext['graph'];

/** Why the controller of a creator (a ReplicaSet, the StatefulSet itself…) cannot create the pods. */
function cannotCreate(obj: K8sObject, graph: G): { creator: K8sObject; c: Classified } | undefined {
  for (const creator of podCreators(obj, graph)) {
    // A creator that has its pods is fine, whatever old FailedCreate event it still carries.
    if (creator.kind === 'ReplicaSet' && graph.health(creator).state === 'Ready') continue;
    const c = signalFor(creator, graph, CODE);
    if (c && CREATE_CAUSES.has(c.cause)) return { creator, c };
  }
  // A Deployment reports its ReplicaSet's failure in its own ReplicaFailure condition.
  const c = obj.kind === 'Deployment' ? signalFor(obj, graph, CODE) : undefined;
  if (c && CREATE_CAUSES.has(c.cause)) return { creator: obj, c };
  return undefined;
}

function createFinding(obj: K8sObject, graph: G, found: { creator: K8sObject; c: Classified }) {
  const { creator, c } = found;
  const d = c.data;
  const blocker = c.cause;
  const why: Record<string, string> = {
    'service-account-missing': `ServiceAccount ${d.saNamespace}/${d.serviceAccount} does not exist`,
    'quota-exceeded': `ResourceQuota ${d.quota} is exceeded${d.requested ? ` (requested ${d.requested})` : ''}`,
    'limit-range': `a LimitRange forbids the requested resources (${firstLine(c.signal.text, 200)})`,
    'pod-security': d.level
      ? `the pods violate PodSecurity "${d.level}"${d.detail ? `: ${firstLine(d.detail, 200)}` : ''}`
      : 'no pod security policy admits the pods',
    'webhook-denied': `admission webhook "${d.webhook}" denied the request${d.detail ? `: ${firstLine(d.detail, 200)}` : ''}`,
    'webhook-unreachable': `admission webhook "${d.webhook}" cannot be called`,
    'pods-cannot-be-created': firstLine(c.signal.text, 300) || `${c.signal.reason ?? 'FailedCreate'}`,
  };
  const base = workloadData(obj, graph);
  return {
    cause: 'pods-cannot-be-created',
    data: {
      ...base,
      blocker,
      creator: show(creator),
      creatorKind: creator.kind.toLowerCase(),
      creatorName: creator.metadata.name,
      why: why[blocker] ?? firstLine(c.signal.text, 300),
      serviceAccount: blocker === 'service-account-missing' ? d.serviceAccount : undefined,
      saNamespace: blocker === 'service-account-missing' ? d.saNamespace : undefined,
      quota: blocker === 'quota-exceeded' ? d.quota : undefined,
      requested: blocker === 'quota-exceeded' ? d.requested : undefined,
      resource: blocker === 'limit-range' ? (d.resource ?? 'the resources') : undefined,
      limitRangeNamespace: blocker === 'limit-range' ? base.namespace : undefined,
      level: blocker === 'pod-security' ? (d.level ?? 'of the namespace') : undefined,
      webhook: blocker === 'webhook-denied' ? d.webhook : undefined,
      webhookDown: blocker === 'webhook-unreachable' ? d.webhook : undefined,
      webhookCmd:
        blocker === 'webhook-unreachable'
          ? 'kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations'
          : undefined,
    },
    evidence: evidenceOf(c.signals),
    fixTarget: objRef(obj),
  };
}

function serviceFinding(obj: K8sObject, graph: G) {
  if (obj.spec?.type !== 'LoadBalancer') return undefined;
  const ingress = obj.status?.loadBalancer?.ingress;
  if (Array.isArray(ingress) && ingress.length > 0) return undefined;
  const created = parseTime(obj.metadata.creationTimestamp);
  const pendingMs = created === undefined ? undefined : graph.now.getTime() - created;
  if (pendingMs === undefined || pendingMs < LB_GRACE_MS) return undefined;
  const c = signalFor(obj, graph, CODE);
  // Without a service-controller error, only a Flux object waiting on the Service makes it a failure.
  const waiting = graph.appliedBy(obj).some((r) => graph.health(r).state !== 'Ready');
  if (!c && !waiting) return undefined;
  const evidence: Evidence[] = [
    { kind: 'status', object: objId(obj), text: 'spec.type LoadBalancer, status.loadBalancer.ingress empty' },
    ...(c ? evidenceOf(c.signals) : []),
  ];
  return {
    cause: 'load-balancer-pending',
    data: {
      ...workloadData(obj, graph),
      pendingFor: age(pendingMs),
      why: c?.data.detail ? `: ${firstLine(c.data.detail, 300)}` : ' (no service controller has assigned one)',
      detail: c?.data.detail ? firstLine(c.data.detail, 300) : undefined,
      lbClass: typeof obj.spec?.loadBalancerClass === 'string' ? obj.spec.loadBalancerClass : '(default)',
    },
    evidence,
    fixTarget: objRef(obj),
  };
}

export const rule: Rule = {
  meta: {
    code: 'workload.not-ready',
    severity: 'error',
    title: 'Pods run but never become ready, or the rollout does not progress',
    kinds: [...WORKLOAD_KINDS, 'Service'],
    messages: MESSAGES,
  },
  check(obj, { graph }) {
    if (obj.kind === 'Service') return serviceFinding(obj, graph);
    const subject = subjectOf(obj, graph);
    if (!subject) return undefined;
    const h = graph.health(obj);
    if (h.state === 'Ready' || h.state === 'Suspended') return undefined;

    // The controller cannot create the pods: there are none to look at, the admission error is the cause.
    const create = cannotCreate(obj, graph);
    if (create) return createFinding(obj, graph, create);
    // A more specific workload code explains it (they also override this one in the engine).
    if (hasSpecificProblem(subject.pods, graph.now)) return undefined;

    const base = workloadData(obj, graph);
    if (obj.kind === 'Job') {
      const c = signalFor(obj, graph, CODE);
      if (c?.cause !== 'job-deadline-exceeded') return undefined;
      const secs = obj.spec?.activeDeadlineSeconds;
      return {
        cause: c.cause,
        data: { ...base, deadline: typeof secs === 'number' ? `${secs}s` : 'unknown' },
        evidence: evidenceOf(c.signals),
        fixTarget: objRef(obj),
      };
    }

    const progressing = condition(obj, 'Progressing');
    const deadline =
      obj.kind === 'Deployment' && progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded';

    // Pods that run but are not ready.
    const unready: { pod: K8sObject; containers: ContainerInfo[]; probe?: string }[] = [];
    for (const p of subject.pods) {
      if (p.status?.phase !== 'Running') continue;
      if (condition(p, 'Ready')?.status === 'True') continue;
      const cs = containersOf(p).filter((c) => !c.init && c.status.state?.running && c.status.ready === false);
      if (cs.length === 0) continue;
      const probe = graph.events(p).find((e) => PROBE.some((x) => x.re.test(e.message)))?.message;
      const since = Math.min(
        ...cs.map((c) => Date.parse(c.status.state.running.startedAt ?? '')).filter((t) => !Number.isNaN(t)),
      );
      const stuck = Number.isFinite(since) && graph.now.getTime() - since > STUCK_AFTER_MS;
      if (probe || stuck || deadline) unready.push({ pod: p, containers: cs, probe });
    }
    if (!deadline && unready.length === 0) return undefined;

    const evidence: Evidence[] = [];
    if (deadline && progressing) evidence.push(conditionEvidence(obj, progressing));
    for (const u of unready.slice(0, 2)) {
      const ready = condition(u.pod, 'Ready');
      if (ready)
        evidence.push({
          kind: 'condition',
          object: objId(u.pod),
          text: bound(
            `Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}${ready.message ? `: ${ready.message}` : ''}`,
          ),
        });
      evidence.push(containerEvidence(u.containers[0]!));
    }
    const unreadyPods = unready.map((u) => u.pod);
    evidence.push(...podEventEvidence(unreadyPods, graph, { reasons: ['Unhealthy'], pattern: PROBE[0]!.re }, 2));
    if (evidence.length === 0) return undefined;

    const first = unready[0];
    const probeFailing = unready.some((u) => u.probe);
    const what =
      unready.length > 0
        ? `${podsPhrase(unreadyPods, subject.pods)}${unreadyPods.length === 1 && subject.pods.length <= 1 ? ' runs but never becomes' : ' run but never become'} ready${probeFailing ? ' (readiness probe failing)' : ''}${deadline ? '; the rollout exceeded its progress deadline' : ''}`
        : `the rollout exceeded its progress deadline${progressing?.message ? ` (${progressing.message})` : ''}`;
    return {
      cause: first ? (probeFailing ? 'readiness-probe-failed' : 'pods-not-ready') : 'progress-deadline-exceeded',
      data: {
        ...base,
        what,
        pod: first?.pod.metadata.name,
        container: first?.containers[0]?.name,
        lookFor: probeFailing ? ' (the events show the probe failure)' : ' (look for "Readiness probe failed")',
        replicaSet: deadline ? /"([^"]+)"/.exec(progressing?.message ?? '')?.[1] : undefined,
      },
      evidence,
      fixTarget: objRef(obj),
    };
  },
};
