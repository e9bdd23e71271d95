// Workload failures under a Kustomization. There is no kubelet or kube-controller-manager here,
// so once kustomize-controller has applied the Deployment, this plays their part: it creates the
// ReplicaSet and Pods and writes their status through the status subresource, with the real
// waiting reasons, messages and events a kubelet and scheduler write. The Kustomization's health
// check then fails on its own, for real.

import type { Kube, Obj } from '../kube.js';
import { readyFalse } from '../kube.js';
import { unavailableDeploymentStatus } from '../up.js';
import { apiOf, deploymentYaml, gitRepository, kustomization, type Scenario, type ScenarioContext } from './lib.js';

interface PodPlay {
  /** Container status as the kubelet reports it. */
  container?: Obj;
  /** Pod conditions (PodScheduled=False for unschedulable). */
  conditions?: Obj[];
  phase: string;
  events: { reason: string; message: string; type?: string; component: string }[];
}

async function event(kube: Kube, ns: string, about: Obj, e: PodPlay['events'][number]): Promise<void> {
  const now = new Date().toISOString();
  await kube.request('POST', `/api/v1/namespaces/${ns}/events`, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${about.metadata.name}.${Date.now().toString(16)}${Math.floor(Math.random() * 1e6)}`,
      namespace: ns,
    },
    involvedObject: {
      apiVersion: about.apiVersion,
      kind: about.kind,
      name: about.metadata.name,
      namespace: ns,
      uid: about.metadata.uid,
    },
    reason: e.reason,
    message: e.message,
    type: e.type ?? 'Warning',
    count: 3,
    firstTimestamp: now,
    lastTimestamp: now,
    source: { component: e.component },
    reportingComponent: e.component,
  });
}

/** Plays kube-controller-manager and kubelet for one Deployment. */
async function playWorkload(ctx: ScenarioContext, name: string, image: string, play: PodPlay): Promise<void> {
  const { kube, ns } = ctx;
  const dep = await kube.waitFor('apps/v1', 'Deployment', ns, name, () => true, 60_000, 'to be applied');
  const hash = '7d9f8b6c5d';
  const rs = await kube.apply({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${name}-${hash}`,
      namespace: ns,
      labels: { app: name, 'pod-template-hash': hash },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name,
          uid: dep.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name, 'pod-template-hash': hash } },
      template: { metadata: { labels: { app: name, 'pod-template-hash': hash } }, spec: dep.spec.template.spec },
    },
  });
  const pod = await kube.apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-${hash}-x2x7q`,
      namespace: ns,
      labels: { app: name, 'pod-template-hash': hash },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rs.metadata.name,
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { containers: [{ name: 'app', image }] },
  });
  const now = new Date().toISOString();
  await kube.patchStatus(pod, {
    phase: play.phase,
    conditions: play.conditions ?? [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      { type: 'Initialized', status: 'True', lastTransitionTime: now },
      {
        type: 'ContainersReady',
        status: 'False',
        reason: 'ContainersNotReady',
        message: 'containers with unready status: [app]',
        lastTransitionTime: now,
      },
      {
        type: 'Ready',
        status: 'False',
        reason: 'ContainersNotReady',
        message: 'containers with unready status: [app]',
        lastTransitionTime: now,
      },
    ],
    ...(play.container
      ? {
          containerStatuses: [
            { name: 'app', image, imageID: '', ready: false, started: false, restartCount: 0, ...play.container },
          ],
        }
      : {}),
    ...(play.phase === 'Pending' && !play.container
      ? {}
      : { hostIP: '10.0.0.11', podIP: '10.244.1.23', startTime: now }),
  });
  await kube.patchStatus(rs, {
    replicas: 1,
    fullyLabeledReplicas: 1,
    readyReplicas: 0,
    availableReplicas: 0,
    observedGeneration: rs.metadata.generation,
  });
  await kube.patchStatus(
    dep,
    unavailableDeploymentStatus(dep.metadata.generation, {
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${rs.metadata.name}" is progressing.`,
    }),
  );
  for (const e of play.events)
    await event(kube, ns, e.component === 'kubelet' || e.component === 'default-scheduler' ? pod : dep, e);
}

function workloadScenario(
  name: string,
  code: string,
  description: string,
  image: string,
  play: (image: string) => PodPlay,
): Scenario {
  return {
    name,
    description,
    expect: (ns) => ({ code, rootCause: `Deployment/${ns}/web`, affected: [`Kustomization/${ns}/app`] }),
    async run(ctx) {
      const repoName = `${name}-${ctx.ns}`;
      ctx.git.commit(repoName, { 'app/deploy.yaml': deploymentYaml('web', ctx.ns, { image }) });
      await ctx.kube.applyAll([
        gitRepository(ctx.ns, 'repo', { url: ctx.git.url(repoName), ref: { branch: 'main' } }),
        kustomization(ctx.ns, 'app', {
          sourceRef: { kind: 'GitRepository', name: 'repo' },
          path: './app',
          targetNamespace: ctx.ns,
          wait: true,
          timeout: '30s',
        }),
      ]);
      await playWorkload(ctx, 'web', image, play(image));
      await ctx.kube.waitFor(apiOf('Kustomization'), 'Kustomization', ctx.ns, 'app', readyFalse(), 120_000);
    },
  };
}

export const workloadScenarios: Scenario[] = [
  workloadScenario(
    'workload-image-pull',
    'workload.image-pull',
    'A Deployment whose image tag does not exist (ImagePullBackOff)',
    'ghcr.io/stefanprodan/podinfo:9.9.9',
    (image) => ({
      phase: 'Pending',
      container: { state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } } },
      events: [
        {
          reason: 'Failed',
          component: 'kubelet',
          message: `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`,
        },
        { reason: 'Failed', component: 'kubelet', message: 'Error: ErrImagePull' },
        { reason: 'BackOff', component: 'kubelet', message: `Back-off pulling image "${image}"`, type: 'Normal' },
      ],
    }),
  ),
  workloadScenario(
    'workload-crashloop',
    'workload.crashloop',
    'A Deployment whose container exits with an error on start (CrashLoopBackOff)',
    'ghcr.io/stefanprodan/podinfo:6.7.1',
    () => ({
      phase: 'Running',
      container: {
        restartCount: 5,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: 'back-off 2m40s restarting failed container=app pod=web-7d9f8b6c5d-x2x7q_default(0f4c2a1e)',
          },
        },
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            startedAt: new Date().toISOString(),
            finishedAt: new Date().toISOString(),
          },
        },
      },
      events: [
        {
          reason: 'BackOff',
          component: 'kubelet',
          message: 'Back-off restarting failed container app in pod web-7d9f8b6c5d-x2x7q_default(0f4c2a1e)',
        },
      ],
    }),
  ),
  workloadScenario(
    'workload-oom',
    'workload.oom',
    'A Deployment whose container is OOMKilled',
    'ghcr.io/stefanprodan/podinfo:6.7.1',
    () => ({
      phase: 'Running',
      container: {
        restartCount: 3,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: 'back-off 40s restarting failed container=app pod=web-7d9f8b6c5d-x2x7q_default(0f4c2a1e)',
          },
        },
        lastState: {
          terminated: {
            exitCode: 137,
            reason: 'OOMKilled',
            startedAt: new Date().toISOString(),
            finishedAt: new Date().toISOString(),
          },
        },
      },
      events: [
        {
          reason: 'BackOff',
          component: 'kubelet',
          message: 'Back-off restarting failed container app in pod web-7d9f8b6c5d-x2x7q_default(0f4c2a1e)',
        },
      ],
    }),
  ),
  workloadScenario(
    'workload-unschedulable',
    'workload.unschedulable',
    'A Deployment whose pods no node can fit',
    'ghcr.io/stefanprodan/podinfo:6.7.1',
    () => ({
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message:
            '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
          lastTransitionTime: new Date().toISOString(),
        },
      ],
      events: [
        {
          reason: 'FailedScheduling',
          component: 'default-scheduler',
          message:
            '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
        },
      ],
    }),
  ),
  workloadScenario(
    'workload-readiness',
    'workload.not-ready',
    'A Deployment whose pods run but fail their readiness probe',
    'ghcr.io/stefanprodan/podinfo:6.7.1',
    () => ({
      phase: 'Running',
      container: { started: true, state: { running: { startedAt: new Date(Date.now() - 15 * 60_000).toISOString() } } },
      events: [
        {
          reason: 'Unhealthy',
          component: 'kubelet',
          message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
        },
      ],
    }),
  ),
];
