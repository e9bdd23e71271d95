// workload.not-ready: pods run but never become ready (readiness probe failing), or a Deployment's
// rollout exceeded its progress deadline — when no more specific workload code explains it.

import { condition } from '../kinds/status.js';
import { titled } from '../render/advice.js';
import { shq } from '../render/shell.js';
import type { Evidence, K8sObject } from '../types.js';
import type { Rule } from './types.js';
import { bound, conditionEvidence, objId } from './util.js';
import {
  type ContainerInfo,
  confirmStep,
  containerEvidence,
  containersOf,
  hasSpecificProblem,
  kubectlName,
  podEventEvidence,
  podsPhrase,
  reconcileOwnerStep,
  subjectOf,
  WORKLOAD_KINDS,
  whereDefined,
} from './workload-common.js';

/** How long a container may run unready before it counts as stuck, when no probe failure event says so. */
const STUCK_AFTER_MS = 10 * 60 * 1000;

// kubelet pkg/kubelet/prober/prober.go: event Unhealthy "%s probe failed: %s" (e.g. "Readiness probe failed: HTTP probe failed with statuscode: 503").
const READINESS_FAILED = /^(Readiness|Startup) probe failed: /;

export const rule: Rule = {
  meta: {
    code: 'workload.not-ready',
    severity: 'error',
    title: 'Pods run but never become ready, or the rollout does not progress',
    kinds: WORKLOAD_KINDS,
    docs: {
      description:
        'The workload does not become available: its pods are running but their readiness (or startup) probe keeps failing, or the Deployment rollout exceeded `progressDeadlineSeconds`. Whatever waits for it — a Kustomization health check, a HelmRelease install or upgrade — times out, and fluxdoctor reports this workload as the root cause. When a more specific reason is visible on the pods (image pull, crash loop, OOM kill, scheduling) that code is reported instead.',
      detection:
        'A Deployment with condition `Progressing=False` reason `ProgressDeadlineExceeded` (`ReplicaSet "<name>" has timed out progressing.`), or a Deployment/StatefulSet/DaemonSet that is not available and has pods in phase `Running` with `Ready=False` whose containers run but are not ready — with kubelet `Unhealthy` events `Readiness probe failed: ...`, or unready for more than 10 minutes. Pods are found through ownerReferences. It does not fire when any pod shows ErrImagePull/ImagePullBackOff, CrashLoopBackOff, OOMKilled or PodScheduled=False (`workload.image-pull`, `workload.crashloop`, `workload.oom`, `workload.unschedulable` override it).',
      fix: [
        '- Read the probe failure: `kubectl -n <namespace> describe pod <pod>` (events `Readiness probe failed: ...`).',
        '- Check that the probe path, port and scheme match what the application serves, and that `initialDelaySeconds`/`failureThreshold` give it time to start.',
        '- Check the application logs for why it does not answer (a dependency it waits for, a misconfiguration).',
        '- Fix it in Git or in the HelmRelease values; for a rollout that exceeded its deadline, Flux rolls out the fixed spec on the next reconciliation.',
      ].join('\n'),
      commands: [
        'kubectl -n <namespace> rollout status deployment/<name>',
        'kubectl -n <namespace> get pods -o wide',
        'kubectl -n <namespace> describe pod <pod>',
        "kubectl -n <namespace> get deployment <name> -o jsonpath='{.spec.template.spec.containers[*].readinessProbe}'",
      ],
      examples: [
        {
          message: 'ReplicaSet "podinfo-5d8f7c9b4" has timed out progressing.',
          source:
            'kube-controller-manager pkg/controller/deployment/util/deployment_util.go (Progressing=False, reason ProgressDeadlineExceeded)',
        },
        {
          message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
          source: 'kubelet pkg/kubelet/prober/prober.go (event Unhealthy) and pkg/probe/http/http.go',
        },
      ],
    },
  },
  check(obj, { graph }) {
    const subject = subjectOf(obj, graph);
    if (!subject) return undefined;
    const h = graph.health(obj);
    if (h.state === 'Ready' || h.state === 'Suspended') return undefined;
    // A more specific workload code explains it (they also override this one in the engine).
    if (hasSpecificProblem(subject.pods, graph.now)) return undefined;

    const ns = obj.metadata.namespace ?? 'default';
    const progressing = condition(obj, 'Progressing');
    const deadline =
      obj.kind === 'Deployment' && progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded';

    // Pods that run but are not ready.
    const unready: { pod: K8sObject; containers: ContainerInfo[]; probeFailed: boolean }[] = [];
    for (const p of subject.pods) {
      if (p.status?.phase !== 'Running') continue;
      if (condition(p, 'Ready')?.status === 'True') continue;
      const cs = containersOf(p).filter((c) => !c.init && c.status.state?.running && c.status.ready === false);
      if (cs.length === 0) continue;
      const probeFailed = graph.events(p).some((e) => READINESS_FAILED.test(e.message));
      const since = Math.min(
        ...cs.map((c) => Date.parse(c.status.state.running.startedAt ?? '')).filter((t) => !Number.isNaN(t)),
      );
      const stuck = Number.isFinite(since) && graph.now.getTime() - since > STUCK_AFTER_MS;
      if (probeFailed || stuck || deadline) unready.push({ pod: p, containers: cs, probeFailed });
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
    evidence.push(...podEventEvidence(unreadyPods, graph, { reasons: ['Unhealthy'], pattern: READINESS_FAILED }, 2));
    if (evidence.length === 0) return undefined;

    const probeMsg = evidence.find((e) => e.kind === 'event' && /probe failed/.test(e.text))?.text;
    const firstPod = unready[0]?.pod;
    const firstContainer = unready[0]?.containers[0];
    const what =
      unready.length > 0
        ? `${podsPhrase(unreadyPods, subject.pods)}${unreadyPods.length === 1 && subject.pods.length <= 1 ? ' runs but never becomes' : ' run but never become'} ready${unready.some((u) => u.probeFailed) ? ' (readiness probe failing)' : ''}`
        : `the rollout exceeded its progress deadline${progressing?.message ? ` (${progressing.message})` : ''}`;
    const rec = reconcileOwnerStep(subject, graph);
    return {
      summary: `${obj.kind} ${ns}/${obj.metadata.name} is not ready: ${what}${deadline && unready.length > 0 ? '; the rollout exceeded its progress deadline' : ''}`,
      evidence,
      remediation: [
        ...(firstPod
          ? titled(
              `See why the pod is not ready${probeMsg ? '' : ' (look for "Readiness probe failed")'}`,
              `kubectl -n ${shq(ns)} describe pod ${shq(firstPod.metadata.name)}`,
            )
          : [
              'See the rollout:',
              `kubectl -n ${shq(ns)} describe ${kubectlName(obj)}`,
              `kubectl -n ${shq(ns)} get pods`,
            ]),
        ...(firstPod && firstContainer
          ? [
              ...titled(
                'Read the application logs',
                `kubectl -n ${shq(ns)} logs ${shq(firstPod.metadata.name)} -c ${shq(firstContainer.name)}`,
              ),
            ]
          : []),
        ...titled(
          'Check the readiness probe (path, port, initialDelaySeconds, failureThreshold)',
          `kubectl -n ${shq(ns)} get ${kubectlName(obj).replace('/', ' ')} -o jsonpath='{.spec.template.spec.containers[*].readinessProbe}'`,
        ),
        `Fix the probe or the application configuration in ${whereDefined(subject, graph)}`,
        ...(rec ? titled('After committing the fix', rec) : []),
        confirmStep(subject),
      ],
      fixTarget: { kind: obj.kind, namespace: ns, name: obj.metadata.name },
    };
  },
};
