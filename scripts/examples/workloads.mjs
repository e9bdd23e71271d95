import { app, baseCluster, fluxSystemKs, OUT } from './base.mjs';
import { clean, cond, deployment, gitRevision, hex, ksLabels, kustomization, writeExpected } from './lib.mjs';
import { waitingPod } from './pods.mjs';

export function workloads() {
  const base = baseCluster('workloads');
  const { w, revision } = base;
  const prev = gitRevision('workloads/fleet-prev');
  const S = ksLabels('shop');
  const ROLL = 6.5;
  const kubelet = (pod, extra = {}) => ({
    component: 'kubelet',
    host: pod.spec.nodeName,
    fieldPath: `spec.containers{${pod.spec.containers[0].name}}`,
    ...extra,
  });
  const probe = (port) => ({
    failureThreshold: 3,
    httpGet: { path: '/healthz', port, scheme: 'HTTP' },
    periodSeconds: 10,
    successThreshold: 1,
    timeoutSeconds: 1,
  });

  // api: the container exits with an error at start (workload.crashloop).
  const api = deployment(w, 'shop', 'api', {
    image: 'ghcr.io/acme/shop-api:4.2.0',
    port: 8080,
    replicas: 2,
    available: 0,
    rolledOut: ROLL,
    revision: 7,
    labels: S,
    readinessProbe: probe(8080),
    pod: (i, name) =>
      waitingPod(
        w,
        ROLL,
        'api',
        {
          message: `back-off 2m40s restarting failed container=api pod=${name}_shop(${'$UID'})`,
          reason: 'CrashLoopBackOff',
        },
        {
          phase: 'Running',
          restarts: 5,
          lastState: {
            terminated: {
              containerID: `containerd://${hex(`api${i}`, 64)}`,
              exitCode: 1,
              finishedAt: w.t(2.1 + i * 0.1),
              reason: 'Error',
              startedAt: w.t(2.2 + i * 0.1),
            },
          },
        },
      ),
  });
  // cart: killed for exceeding its memory limit (workload.oom).
  const cart = deployment(w, 'shop', 'cart', {
    image: 'ghcr.io/acme/shop-cart:1.9.1',
    port: 8080,
    replicas: 1,
    available: 0,
    rolledOut: ROLL,
    revision: 4,
    labels: S,
    readinessProbe: probe(8080),
    resources: { limits: { memory: '128Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
    pod: (i, name) =>
      waitingPod(
        w,
        ROLL,
        'cart',
        {
          message: `back-off 1m20s restarting failed container=cart pod=${name}_shop(${'$UID'})`,
          reason: 'CrashLoopBackOff',
        },
        {
          phase: 'Running',
          restarts: 4,
          lastState: {
            terminated: {
              containerID: `containerd://${hex(`cart${i}`, 64)}`,
              exitCode: 137,
              finishedAt: w.t(1.3),
              reason: 'OOMKilled',
              startedAt: w.t(1.8),
            },
          },
        },
      ),
  });
  // worker: asks for more memory than any node has (workload.unschedulable).
  const schedMsg =
    '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
  const worker = deployment(w, 'shop', 'worker', {
    image: 'ghcr.io/acme/shop-worker:2.0.0',
    replicas: 1,
    available: 0,
    rolledOut: ROLL,
    revision: 3,
    labels: S,
    unscheduled: true,
    resources: { limits: { memory: '48Gi' }, requests: { cpu: '2', memory: '48Gi' } },
    pod: () => ({
      status: {
        conditions: [clean(cond(w, 'PodScheduled', 'False', 'Unschedulable', schedMsg, undefined, ROLL))],
        phase: 'Pending',
        qosClass: 'Burstable',
      },
    }),
  });
  // checkout: runs, but its readiness probe keeps failing (workload.not-ready).
  const checkout = deployment(w, 'shop', 'checkout', {
    image: 'ghcr.io/acme/shop-checkout:3.5.0',
    port: 8080,
    replicas: 2,
    available: 0,
    rolledOut: ROLL,
    revision: 12,
    labels: S,
    readinessProbe: probe(8080),
    pod: () => {
      const p = waitingPod(w, ROLL, 'checkout', undefined, { phase: 'Running' });
      const cs = p.status.containerStatuses[0];
      cs.started = true;
      cs.state = { running: { startedAt: w.t(ROLL - 0.1) } };
      return p;
    },
  });
  const web = app(w, 'shop', 'web', 'ghcr.io/acme/shop-web:5.1.2', 'shop', {
    port: 8080,
    replicas: 2,
    rolledOut: 60 * 24,
  });

  for (const d of [api, cart])
    for (const p of d.pods) {
      const cs = p.status.containerStatuses[0];
      cs.state.waiting.message = cs.state.waiting.message.replace('$UID', p.metadata.uid);
    }

  const failing = [api, cart, checkout, worker].map((d) => d.dep);
  const healthMsg = `timeout waiting for: [${failing.map((d) => `Deployment/shop/${d.metadata.name} status: 'InProgress'`).join(', ')}]`;
  const shop = kustomization(w, 'flux-system', 'shop', {
    path: './apps/shop',
    labels: ksLabels('flux-system'),
    wait: true,
    state: 'failed',
    reason: 'HealthCheckFailed',
    message: `health check failed after 5m0.047721309s: ${healthMsg}`,
    healthyMessage: healthMsg,
    reconcilingMessage: `Running health checks for revision ${revision} with a timeout of 5m0s`,
    since: 1.4,
    applies: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, ...failing, web.dep],
    lastApplied: prev,
    attemptedRevision: revision,
    observedGeneration: 1,
    created: 60 * 24 * 30,
  });
  fluxSystemKs(w, base, [shop]);

  // Events: kubelet, scheduler, kustomize-controller.
  for (const p of api.pods) {
    w.event(p, 'Normal', 'Pulled', 'Container image "ghcr.io/acme/shop-api:4.2.0" already present on machine', {
      ...kubelet(p),
      count: 6,
      first: ROLL - 0.2,
      last: 2.2,
    });
    w.event(
      p,
      'Warning',
      'BackOff',
      `Back-off restarting failed container api in pod ${p.metadata.name}_shop(${p.metadata.uid})`,
      { ...kubelet(p), count: 27, first: ROLL - 0.5, last: 0.3 },
    );
  }
  for (const p of cart.pods)
    w.event(
      p,
      'Warning',
      'BackOff',
      `Back-off restarting failed container cart in pod ${p.metadata.name}_shop(${p.metadata.uid})`,
      { ...kubelet(p), count: 19, first: ROLL - 0.7, last: 0.6 },
    );
  for (const p of worker.pods)
    w.event(p, 'Warning', 'FailedScheduling', schedMsg, {
      component: 'default-scheduler',
      count: 7,
      first: ROLL,
      last: 1.1,
    });
  for (const p of checkout.pods)
    w.event(p, 'Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', {
      ...kubelet(p),
      count: 38,
      first: ROLL - 0.1,
      last: 0.1,
    });
  w.event(shop, 'Warning', 'HealthCheckFailed', `health check failed after 5m0.047721309s: ${healthMsg}`, {
    component: 'kustomize-controller',
    first: 1.4,
    last: 1.4,
    annotations: { 'kustomize.toolkit.fluxcd.io/revision': revision },
  });
  w.log('kustomize-controller', shop, 'error', 'Reconciliation failed after 5m1.224187s, next try in 10m0s', {
    min: 1.4,
    error: `health check failed after 5m0.047721309s: ${healthMsg}`,
    extra: { revision },
  });

  const dir = `${OUT}/workloads`;
  w.write(dir);
  const one = (code, name) => ({
    code,
    severity: 'error',
    rootCause: `Deployment/shop/${name}`,
    affected: ['Kustomization/flux-system/shop'],
  });
  writeExpected(dir, [
    one('workload.crashloop', 'api'),
    one('workload.oom', 'cart'),
    one('workload.not-ready', 'checkout'),
    one('workload.unschedulable', 'worker'),
  ]);
}
