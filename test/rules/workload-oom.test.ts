import { rule } from '../../src/rules/workload-oom.js';
import type { K8sObject } from '../../src/types.js';
import { event, obj, ruleTester } from '../helpers.js';

// The container status reason OOMKilled (exit code 137) is set by the kubelet from the CRI runtime:
// https://github.com/kubernetes/kubernetes/issues/22322 ("We set the ContainerStatus.Reason to OOMKilled"),
// https://github.com/openshift/origin/issues/7064 ("the pod container status last termination state
// shows the Reason as OOMKilled and ExitCode is 137").

// biome-ignore lint/suspicious/noExplicitAny: loose test input
type Any = any;

function statefulSet(name: string, ns = 'data') {
  return obj('StatefulSet', `${ns}/${name}`, {
    uid: `uid-${name}`,
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'db', image: 'postgres:16.4' }] } } },
    status: { observedGeneration: 1, replicas: 1, readyReplicas: 0 },
  });
}

function pod(name: string, ns: string, owner: { kind: string; name: string } | undefined, cs: Any, limit = '256Mi') {
  const o: K8sObject = obj('Pod', `${ns}/${name}`, {
    uid: `uid-${name}`,
    spec: {
      containers: [
        { name: 'db', image: 'postgres:16.4', resources: { limits: { memory: limit }, requests: { memory: '128Mi' } } },
      ],
    },
    status: { phase: 'Running', containerStatuses: [{ name: 'db', image: 'postgres:16.4', ...cs }] },
  });
  if (owner)
    o.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: `uid-${owner.name}`, controller: true },
    ];
  return o;
}

const oomLoop = {
  ready: false,
  restartCount: 6,
  state: {
    waiting: {
      reason: 'CrashLoopBackOff',
      message: 'back-off 2m40s restarting failed container=db pod=pg-0_data(5b2d7c1a-1f0e-4f63-8f7e-2c1d0b9a8e77)',
    },
  },
  lastState: {
    terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-11-24T09:57:00Z' },
  },
};

ruleTester(rule, {
  valid: [
    {
      name: 'OOMKilled a week ago, running ready since',
      objects: [
        pod('pg-0', 'data', undefined, {
          ready: true,
          restartCount: 1,
          state: { running: { startedAt: '2026-11-17T08:00:00Z' } },
          lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-11-17T07:59:50Z' } },
        }),
        event(
          { kind: 'Pod', namespace: 'data', name: 'pg-0' },
          'Pulled',
          'Container image "postgres:16.4" already present on machine',
          'Normal',
        ),
      ],
    },
    {
      name: 'look-alike: exit code 137 with reason Error (killed by a signal, not the OOM killer)',
      source: 'https://github.com/kubernetes/kubernetes/issues/122256 (Reason: Error, Exit Code: 137)',
      objects: [
        pod('pg-0', 'data', undefined, {
          ready: false,
          restartCount: 1,
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: 'back-off 10s restarting failed container=db pod=pg-0_data(x)',
            },
          },
          lastState: { terminated: { reason: 'Error', exitCode: 137 } },
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'StatefulSet pod OOMKilled and crash-looping: reported at the StatefulSet with the limit',
      source: 'https://github.com/openshift/origin/issues/7064',
      objects: [statefulSet('pg'), pod('pg-0', 'data', { kind: 'StatefulSet', name: 'pg' }, oomLoop)],
      expect: [
        {
          object: 'StatefulSet/data/pg',
          cause: 'memory-limit',
          data: { container: 'db', limit: '256Mi', request: '128Mi' },
          summary:
            'StatefulSet data/pg: container db (postgres:16.4) was OOMKilled in pod pg-0 (memory limit 256Mi, request 128Mi)',
          fixTarget: { kind: 'StatefulSet', namespace: 'data', name: 'pg' },
          evidence: [/last terminated OOMKilled \(exit code 137\)/],
          remediation: [
            /Raise resources\.limits\.memory of container db above 256Mi/,
            /kubectl -n data set resources statefulset\/pg -c db/,
          ],
        },
      ],
    },
    {
      name: 'bare Pod currently terminated OOMKilled, no limit set',
      source: 'https://github.com/kubernetes/kubernetes/issues/22322',
      objects: [
        (() => {
          const p = pod('batch', 'jobs', undefined, {
            ready: false,
            restartCount: 0,
            state: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-11-24T09:59:00Z' } },
          });
          p.spec.containers[0].resources = {};
          p.status.phase = 'Failed';
          return p;
        })(),
      ],
      expect: [
        {
          object: 'Pod/jobs/batch',
          cause: 'no-limit',
          summary:
            'Pod jobs/batch: container db (postgres:16.4) was OOMKilled (no memory limit set (the node ran out of memory))',
          remediation: [/Set resources\.requests\.memory and resources\.limits\.memory for container db/],
        },
      ],
    },
  ],
});
