// workload.crashloop: a container keeps crashing (CrashLoopBackOff, or terminated with an error
// between two back-offs). Reported at the Deployment/StatefulSet/DaemonSet owning the pods, or a bare Pod.

import { titled } from '../render/advice.js';
import { shq } from '../render/shell.js';
import type { Rule } from './types.js';
import {
  type ContainerInfo,
  confirmStep,
  containerEvidence,
  containersOf,
  inPods,
  isCrashLoop,
  lastTermination,
  podEventEvidence,
  reconcileOwnerStep,
  subjectOf,
  WORKLOAD_RULE_KINDS,
  whereDefined,
} from './workload-common.js';

export const rule: Rule = {
  meta: {
    code: 'workload.crashloop',
    severity: 'error',
    title: 'A container keeps crashing',
    kinds: WORKLOAD_RULE_KINDS,
    overrides: ['workload.not-ready'],
    docs: {
      description:
        'A container of the workload starts and exits again and again, so the kubelet restarts it with a growing back-off (`CrashLoopBackOff`). The pods never become ready, the rollout does not complete, and a Kustomization health check or a HelmRelease install/upgrade waiting for the workload times out: fluxdoctor reports this workload as the root cause. The cause is inside the container: a bad command or arguments, missing configuration or environment, a failing dependency, a wrong image for the platform. A container killed for using too much memory is reported as `workload.oom` instead.',
      detection:
        "A Deployment, StatefulSet or DaemonSet's pods are found through ownerReferences (a Pod owned by one of them gets no finding of its own; a bare Pod does). A container whose `state.waiting.reason` is `CrashLoopBackOff` (kubelet message `back-off 5m0s restarting failed container=<name> pod=<pod>`), or that is `terminated` with a non-zero exit code after at least one restart, triggers it. The last termination (`lastState.terminated`: reason, exit code) and the pod events `BackOff` (`Back-off restarting failed container <name> in pod <pod>`) are the evidence.",
      fix: [
        '- Read why it exits: `kubectl -n <namespace> logs <pod> -c <container> --previous`.',
        '- Exit code 1/2: the application failed — check its configuration (ConfigMaps, Secrets, env) and its dependencies.',
        '- Exit code 127/126: the command or entrypoint does not exist in the image.',
        '- Exit code 137 without OOMKilled: killed by a failing liveness probe or by a signal — check the probe.',
        '- Fix it in Git (or in the HelmRelease values) and let Flux roll it out.',
      ].join('\n'),
      commands: [
        'kubectl -n <namespace> get pods',
        'kubectl -n <namespace> logs <pod> -c <container> --previous',
        'kubectl -n <namespace> describe pod <pod>',
        'kubectl -n <namespace> rollout status deployment/<name>',
      ],
      examples: [
        {
          message: 'back-off 5m0s restarting failed container=app pod=app-7d4b9c8f6-x2k4p_apps(8f1c...)',
          source:
            'kubelet pkg/kubelet/kuberuntime/kuberuntime_manager.go (doBackOff: waiting message of CrashLoopBackOff)',
        },
        {
          message: 'Back-off restarting failed container app in pod app-7d4b9c8f6-x2k4p_apps(8f1c...)',
          source: 'kubelet pkg/kubelet/kuberuntime/kuberuntime_manager.go (doBackOff: event BackOff)',
        },
      ],
    },
  },
  check(obj, { graph }) {
    const subject = subjectOf(obj, graph);
    if (!subject) return undefined;
    const bad: ContainerInfo[] = [];
    for (const p of subject.pods) for (const c of containersOf(p)) if (isCrashLoop(c)) bad.push(c);
    if (bad.length === 0) return undefined;

    const first = bad[0]!;
    const ns = obj.metadata.namespace ?? 'default';
    const badPods = [...new Set(bad.map((c) => c.pod))];
    const t = lastTermination(first);
    const exit = t ? `, last exit code ${t.exitCode ?? '?'}${t.reason ? ` (${t.reason})` : ''}` : '';
    const restarts = typeof first.status.restartCount === 'number' ? `, ${first.status.restartCount} restarts` : '';
    const hint =
      t?.exitCode === 127 || t?.exitCode === 126
        ? 'Exit code 127/126 means the command or entrypoint is not found or not executable in the image: check command/args'
        : t?.exitCode === 137
          ? 'Exit code 137 without OOMKilled means the container was killed (often by a failing liveness probe): check livenessProbe'
          : undefined;
    const rec = reconcileOwnerStep(subject, graph);
    return {
      summary: `${obj.kind} ${ns}/${obj.metadata.name}: ${first.init ? 'init container' : 'container'} ${first.name}${first.image ? ` (${first.image})` : ''} keeps crashing${inPods(subject, badPods)} (CrashLoopBackOff${restarts}${exit})`,
      evidence: [
        ...bad.slice(0, 3).map(containerEvidence),
        ...podEventEvidence(badPods, graph, { reasons: ['BackOff'], pattern: /restarting failed container/ }, 2),
      ],
      remediation: [
        ...titled(
          'Read why it exits',
          `kubectl -n ${shq(ns)} logs ${shq(first.pod.metadata.name)} -c ${shq(first.name)} --previous`,
        ),
        ...titled('See the restarts and events', `kubectl -n ${shq(ns)} describe pod ${shq(first.pod.metadata.name)}`),
        ...(hint ? [hint] : []),
        `Fix the container's command, configuration or dependencies in ${whereDefined(subject, graph)}`,
        ...(rec ? titled('After committing the fix', rec) : []),
        confirmStep(subject),
      ],
      fixTarget: { kind: obj.kind, namespace: ns, name: obj.metadata.name },
    };
  },
};
