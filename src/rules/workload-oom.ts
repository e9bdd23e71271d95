// workload.oom: a container was OOMKilled (its memory limit, or the node's memory, was exhausted).
// Reported at the Deployment/StatefulSet/DaemonSet/Job owning the pods, or a bare Pod. Structural: the
// container's termination reason decides (kubelet/runtime write `OOMKilled`).

import { isApplied } from '../render/advice.js';
import { shq } from '../render/shell.js';
import {
  type ContainerInfo,
  containerEvidence,
  containersOf,
  isOomKilled,
  podEventEvidence,
  podsPhrase,
  subjectOf,
  WORKLOAD_RULE_KINDS,
} from '../signals/workloads.js';
import type { MessageTemplate, Rule } from './types.js';
import { show, workloadData } from './util.js';

const SEE = [
  'See the kill (Last State: Terminated, Reason: OOMKilled):',
  'kubectl -n {sh:namespace} describe pod {sh:pod}',
];
const TAIL = [
  '{unmanaged} is not applied by Flux: to change the limit in place:',
  '{setResources}',
  'After committing the fix, reconcile {owner}:',
  '{reconcile}',
  '{confirm}',
];
const MESSAGES: Record<string, MessageTemplate> = {
  'memory-limit': {
    summary: '{object}: container {containerDesc} was OOMKilled{detail}',
    remediation: [
      ...SEE,
      "Raise resources.limits.memory of container {container} above {limit} (and the request with it) in {where}, or lower the application's memory use",
      ...TAIL,
    ],
  },
  'no-limit': {
    summary: '{object}: container {containerDesc} was OOMKilled{detail}',
    remediation: [
      ...SEE,
      'Set resources.requests.memory and resources.limits.memory for container {container} in {where} so it is scheduled on a node with enough memory',
      ...TAIL,
    ],
  },
};

export const rule: Rule = {
  meta: {
    code: 'workload.oom',
    severity: 'error',
    title: 'A container was OOMKilled',
    kinds: WORKLOAD_RULE_KINDS,
    overrides: ['workload.not-ready'],
    messages: MESSAGES,
  },
  check(obj, { graph }) {
    const subject = subjectOf(obj, graph);
    if (!subject) return undefined;
    const bad: ContainerInfo[] = [];
    for (const p of subject.pods) for (const c of containersOf(p)) if (isOomKilled(c, graph.now)) bad.push(c);
    if (bad.length === 0) return undefined;

    const first = bad[0]!;
    const base = workloadData(obj, graph);
    const badPods = [...new Set(bad.map((c) => c.pod))];
    const limit: string | undefined = first.spec?.resources?.limits?.memory;
    const request: string | undefined = first.spec?.resources?.requests?.memory;
    // A kubectl set resources of an object Flux applies is reverted: only for what Flux does not apply.
    const unmanaged = obj.kind !== 'Pod' && !isApplied(graph, obj);
    return {
      cause: limit ? 'memory-limit' : 'no-limit',
      data: {
        ...base,
        container: first.name,
        containerDesc: `${first.name}${first.image ? ` (${first.image})` : ''}`,
        // `in pod x (memory limit 256Mi, request 128Mi)`; a Pod is its own subject.
        detail: `${obj.kind === 'Pod' ? '' : ` in ${podsPhrase(badPods, subject.pods)}`} (${limit ? `memory limit ${limit}` : 'no memory limit set (the node ran out of memory)'}${request ? `, request ${request}` : ''})`,
        pod: first.pod.metadata.name,
        limit,
        request,
        unmanaged: unmanaged ? show(obj) : undefined,
        setResources: unmanaged
          ? `kubectl -n ${shq(base.namespace!)} set resources ${obj.kind.toLowerCase()}/${shq(obj.metadata.name)} -c ${shq(first.name)} --limits=memory=<new limit>`
          : undefined,
      },
      evidence: [
        ...bad.slice(0, 3).map(containerEvidence),
        ...podEventEvidence(badPods, graph, { reasons: ['BackOff', 'OOMKilling'] }, 2),
      ],
      fixTarget: { kind: obj.kind, namespace: base.namespace, name: obj.metadata.name },
    };
  },
};
