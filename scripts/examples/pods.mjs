import { clean, cond } from './lib.mjs';

const pc = (w, type, status, reason, message, min) => clean(cond(w, type, status, reason, message, undefined, min));

/** A pod whose container cannot start for `waiting` (reason/message), optionally with a last terminated state. */
export function waitingPod(w, started, container, waiting, o = {}) {
  return {
    pulled: o.pulled,
    status: {
      conditions: [
        pc(w, 'PodReadyToStartContainers', 'True', undefined, undefined, started - 0.1),
        pc(w, 'Initialized', 'True', undefined, undefined, started),
        pc(w, 'Ready', 'False', 'ContainersNotReady', `containers with unready status: [${container}]`, started),
        pc(
          w,
          'ContainersReady',
          'False',
          'ContainersNotReady',
          `containers with unready status: [${container}]`,
          started,
        ),
        pc(w, 'PodScheduled', 'True', undefined, undefined, started),
      ],
      containerStatuses: [
        {
          lastState: o.lastState ?? {},
          name: container,
          ready: false,
          restartCount: o.restarts ?? 0,
          started: false,
          state: { waiting },
        },
      ],
      phase: o.phase ?? 'Pending',
      qosClass: 'Burstable',
      startTime: w.t(started),
    },
  };
}

export function imagePullPod(w, started, container, image) {
  return waitingPod(
    w,
    started,
    container,
    { message: `Back-off pulling image "${image}"`, reason: 'ImagePullBackOff' },
    { pulled: false },
  );
}

export function pullEvents(w, pod, container, image, node, started) {
  const k = { component: 'kubelet', host: node, fieldPath: `spec.containers{${container}}` };
  w.event(
    pod,
    'Normal',
    'Scheduled',
    `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`,
    { component: 'default-scheduler', first: started, last: started },
  );
  w.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`, { ...k, count: 6, first: started, last: 3 });
  w.event(
    pod,
    'Warning',
    'Failed',
    `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`,
    { ...k, count: 6, first: started, last: 3 },
  );
  w.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull', { ...k, count: 6, first: started, last: 3 });
  w.event(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`, {
    ...k,
    count: 97,
    first: started - 0.2,
    last: 0.5,
  });
  w.event(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', { ...k, count: 97, first: started - 0.2, last: 0.5 });
}
