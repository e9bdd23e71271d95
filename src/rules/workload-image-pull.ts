// workload.image-pull: a container image cannot be pulled (ErrImagePull, ImagePullBackOff,
// InvalidImageName, ErrImageNeverPull). Reported at the Deployment/StatefulSet/DaemonSet/Job that owns
// the pods, or at a bare Pod. The waiting reason decides; the kubelet/runtime message refines the cause
// by the catalogue (src/signals/patterns/kubernetes.ts, `kubernetes/image-pull-*`).

import { applierOf, changeInGit, isApplied } from '../render/advice.js';
import { shq } from '../render/shell.js';
import { classifyText } from '../signals/match.js';
import { ALL_PATTERNS } from '../signals/patterns/index.js';
import {
  type ContainerInfo,
  containerEvidence,
  containersOf,
  isImagePull,
  podEventEvidence,
  podsPhrase,
  subjectOf,
  WORKLOAD_RULE_KINDS,
} from '../signals/workloads.js';
import type { MessageTemplate, Rule } from './types.js';
import { show, workloadData } from './util.js';

const CODE = 'workload.image-pull';
const PULL_PATTERNS = ALL_PATTERNS.filter((p) => p.code === CODE);

function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'docker.io';
}

/** The cause: the waiting reason when it tells, else the innermost catalogue match in the pull texts. */
function causeOf(c: ContainerInfo, texts: string[]): string {
  const reason = c.status.state?.waiting?.reason;
  if (reason === 'InvalidImageName') return 'invalid-name';
  if (reason === 'ErrImageNeverPull') return 'never-pull';
  for (const t of texts) {
    const m = classifyText(t, PULL_PATTERNS);
    if (m) return m.pattern.cause;
  }
  return 'unknown';
}

const SEE = ['See why {image} cannot be pulled:', 'kubectl -n {sh:namespace} describe pod {sh:pod}'];
const PULL_SECRET = [
  'Create or fix the pull secret for {registry}:',
  'kubectl -n {sh:namespace} create secret docker-registry regcred --docker-server={sh:registry} --docker-username=<user> --docker-password=<token>',
  '{usePullSecret}',
];
const TAIL = [
  '{unmanaged} is not applied by Flux: to change the image in place:',
  '{setImage}',
  'After committing the fix, reconcile {owner}:',
  '{reconcile}',
  '{confirm}',
];
const SUMMARY = (what: string) =>
  `{kind} {namespace}/{name} cannot pull image {images} ({state}, container {container}): ${what}`;
const MESSAGES: Record<string, MessageTemplate> = {
  'not-found': {
    summary: SUMMARY('the image or tag does not exist (or is private)'),
    remediation: [
      ...SEE,
      'Check that {image} exists in {registry} (or look in the registry UI):',
      'crane ls {sh:repository}',
      'Fix the name or tag in {where}',
      ...PULL_SECRET.map((l) =>
        l.replace(
          'Create or fix the pull secret for {registry}:',
          'If the repository is private, create a pull secret:',
        ),
      ),
      ...TAIL,
    ],
  },
  auth: {
    summary: SUMMARY('the registry refused the pull credentials (or none were given)'),
    remediation: [...SEE, ...PULL_SECRET, ...TAIL],
  },
  'rate-limit': {
    summary: SUMMARY('the registry rate-limits anonymous pulls'),
    remediation: [
      ...SEE,
      ...PULL_SECRET.map((l) =>
        l.replace(
          'Create or fix the pull secret for {registry}:',
          'Authenticate pulls from {registry} with a pull secret:',
        ),
      ),
      'Or mirror {image} to a registry you control',
      ...TAIL,
    ],
  },
  'invalid-name': {
    summary: SUMMARY('the image reference is not valid'),
    remediation: [...SEE, 'Fix the image reference "{image}" (registry/repository:tag) in {where}', ...TAIL],
  },
  'never-pull': {
    summary: SUMMARY('imagePullPolicy is Never and the image is not on the node'),
    remediation: [...SEE, 'Set imagePullPolicy to IfNotPresent (or pre-load {image} on the nodes) in {where}', ...TAIL],
  },
  tls: {
    summary: SUMMARY('the registry certificate is not trusted'),
    remediation: [
      ...SEE,
      "Make the nodes' container runtime trust the CA of {registry} (or fix the registry certificate)",
      ...TAIL,
    ],
  },
  unreachable: {
    summary: SUMMARY('the registry cannot be reached from the node'),
    remediation: [...SEE, 'Check that the nodes can resolve and reach {registry} (DNS, proxy, firewall)', ...TAIL],
  },
  unknown: {
    summary: SUMMARY('the pull fails'),
    remediation: [...SEE, 'Fix the image {image} in {where}', ...TAIL],
  },
};

export const rule: Rule = {
  meta: {
    code: 'workload.image-pull',
    severity: 'error',
    title: 'A container image cannot be pulled',
    kinds: WORKLOAD_RULE_KINDS,
    overrides: ['workload.not-ready'],
    messages: MESSAGES,
  },
  check(obj, { graph }) {
    const subject = subjectOf(obj, graph);
    if (!subject) return undefined;
    const bad: ContainerInfo[] = [];
    for (const p of subject.pods) for (const c of containersOf(p)) if (isImagePull(c)) bad.push(c);
    if (bad.length === 0) return undefined;

    const first = bad[0]!;
    const image = first.image ?? '(unknown image)';
    const badPods = [...new Set(bad.map((c) => c.pod))];
    const events = podEventEvidence(badPods, graph, {
      pattern:
        /Failed to pull image|Back-off pulling image|InvalidImageName|Error: (ErrImagePull|ImagePullBackOff)|is not present with pull policy of Never|couldn't parse image/,
    });
    const texts = [...bad.map((c) => c.status.state?.waiting?.message ?? ''), ...events.map((e) => e.text)];
    const cause = causeOf(first, texts);
    const base = workloadData(obj, graph);
    const images = [...new Set(bad.map((c) => c.image).filter(Boolean))];
    const reason = first.status.state?.waiting?.reason;
    // Where the pods get the pull secret: the chart values of a HelmRelease, the pod template in Git.
    const usePullSecret =
      applierOf(graph, obj)?.kind === 'HelmRelease'
        ? changeInGit(graph, obj, `give the pods of ${show(obj)} the pull secret regcred`, {
            values: 'imagePullSecrets: [{name: regcred}]',
          })[0]
        : changeInGit(
            graph,
            obj,
            `set ${obj.kind === 'Pod' ? 'spec' : 'spec.template.spec'}.imagePullSecrets: [{name: regcred}] on ${show(obj)}`,
          )[0];
    // A kubectl set image of an object Flux applies is reverted: offered only for what Flux does not apply.
    const unmanaged = obj.kind !== 'Pod' && !isApplied(graph, obj);
    return {
      cause,
      data: {
        ...base,
        image,
        images: images.map((i) => `"${i}"`).join(', '),
        repository: image.replace(/[:@].*$/, ''),
        registry: registryOf(image),
        reason,
        state: `${reason}${obj.kind === 'Pod' ? '' : ` in ${podsPhrase(badPods, subject.pods)}`}`,
        container: first.name,
        pod: first.pod.metadata.name,
        usePullSecret,
        unmanaged: unmanaged ? show(obj) : undefined,
        setImage: unmanaged
          ? `kubectl -n ${shq(base.namespace!)} set image ${obj.kind.toLowerCase()}/${shq(obj.metadata.name)} ${shq(`${first.name}=`)}<fixed image>`
          : undefined,
      },
      evidence: [...bad.slice(0, 3).map(containerEvidence), ...events],
      fixTarget: { kind: obj.kind, namespace: base.namespace, name: obj.metadata.name },
    };
  },
};
