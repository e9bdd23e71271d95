// A Flux controller that is stopped: its objects go stale. The process really stops; its stand-in
// Deployment is given the status a crashing controller's Deployment has. Runs last, alone, and
// starts the controller again afterwards.

import { join } from 'node:path';
import { alive, startProcess, stopProcess, waitHttp, writeState } from '../proc.js';
import { controllerArgs, FLUX_NS, healthyDeploymentStatus, unavailableDeploymentStatus } from '../up.js';
import { helmRelease, helmRepository, type Scenario } from './lib.js';

const CTRL = 'helm-controller';

export const controllerScenarios: Scenario[] = [
  {
    name: 'controller-stopped',
    description: 'helm-controller is not running: HelmReleases are never reconciled',
    disruptive: true,
    expect: () => ({ code: 'flux.controller-unavailable', rootCause: `Deployment/${FLUX_NS}/${CTRL}` }),
    async run(ctx) {
      await stopProcess(ctx.state.pids[CTRL]!);
      const d = await ctx.kube.get('apps/v1', 'Deployment', FLUX_NS, CTRL);
      await ctx.kube.patchStatus(
        d!,
        unavailableDeploymentStatus(d!.metadata.generation, {
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${CTRL}-6c7d9f7b8" has successfully progressed.`,
        }),
      );
      await ctx.kube.applyAll([
        helmRepository(ctx.ns, 'charts', { url: ctx.helmUrl() }),
        helmRelease(ctx.ns, 'web', {
          chart: {
            spec: { chart: 'podinfo-lite', version: '1.0.0', sourceRef: { kind: 'HelmRepository', name: 'charts' } },
          },
        }),
      ]);
      // Nothing reconciles it: give the snapshot a moment, as a user would see it minutes later.
      await new Promise((r) => setTimeout(r, 3000));
    },
    async cleanup(ctx) {
      const { state } = ctx;
      if (alive(state.pids[CTRL])) return;
      const dir = join(state.runDir, CTRL);
      state.pids[CTRL] = startProcess(
        join(state.binDir, CTRL),
        controllerArgs(CTRL, state.ports, dir),
        state.logs[CTRL]!,
        {
          KUBECONFIG: state.kubeconfig,
          RUNTIME_NAMESPACE: FLUX_NS,
          TMPDIR: join(dir, 'tmp'),
          SOURCE_CONTROLLER_LOCALHOST: `127.0.0.1:${state.ports['source-storage']}`,
        },
      );
      writeState(state);
      await waitHttp(`http://127.0.0.1:${state.ports[`${CTRL}-health`]}/readyz`, {
        pid: state.pids[CTRL],
        timeoutMs: 60_000,
      });
      const d = await ctx.kube.get('apps/v1', 'Deployment', FLUX_NS, CTRL);
      await ctx.kube.patchStatus(d!, healthyDeploymentStatus(d!.metadata.generation));
    },
  },
];
