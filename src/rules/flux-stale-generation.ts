// flux.stale-generation: the controller has not observed the latest spec, has never reconciled the
// object, or a reconcile never finished. Explained by the controller: when the Flux controller
// Deployment is down, the engine reports flux.controller-unavailable with this object as affected.

import { suspendedBy } from '../kinds/status.js';
import { kindInfo } from '../kinds/table.js';
import { titled } from '../render/advice.js';
import { shq } from '../render/shell.js';
import { staleness } from '../signals/index.js';
import type { Rule } from './types.js';
import { describeCmd, reconcileCmd, show } from './util.js';

const SHARD_LABEL = 'sharding.fluxcd.io/key';

export const rule: Rule = {
  meta: {
    code: 'flux.stale-generation',
    severity: 'warning',
    title: 'The controller has not reconciled the latest spec',
    kinds: ['*'],
    explainedBy: ['controller'],
    docs: {
      description:
        "The Flux controller responsible for the object has not acted on it: it has not observed the latest `metadata.generation`, has never written a status, or started a reconcile long ago that never finished. The status you see is old, so it says nothing about whether the current spec works. The usual cause is that the controller is not running (then fluxdoctor reports `flux.controller-unavailable` as the root cause and lists this object as affected); other causes are a sharded installation where no shard watches the object's `sharding.fluxcd.io/key` label, a controller stuck on a very long operation, or a controller overloaded by too many objects.",
      detection: [
        'Judged against the snapshot time (never the clock of the machine running fluxdoctor):',
        '- **generation**: `metadata.generation` is greater than the newest `observedGeneration` on any status condition (Flux stamps every condition it writes with the generation it saw). Objects without per-condition generations fall back to `status.observedGeneration`, except when Ready=False — kustomize-controller advances `status.observedGeneration` only on success. The snapshot does not keep `managedFields`, so an edit made seconds before the snapshot can show up here: re-run to confirm.',
        '- **never reconciled**: no conditions and no observedGeneration, more than 5 minutes after `creationTimestamp` (kinds without status, such as Provider and Alert v1beta3, are skipped).',
        '- **stuck**: Ready=Unknown (a reconcile in progress) since longer than max(3 × `spec.interval` + 5m, 2 × `spec.timeout` + 5m, 1h).',
        '- **request not handled**: the `reconcile.fluxcd.io/requestedAt` annotation (as `flux reconcile` sets it) is older than 5 minutes and differs from `status.lastHandledReconcileAt`.',
        "The Ready condition's `lastTransitionTime` of a Ready object is not used: Flux only moves it when status, reason or message change, so a healthy object reconciled every interval can show a week-old transition. Suspended objects are skipped (see `flux.suspended`).",
      ].join('\n'),
      fix: [
        '- Check that the controller runs: `flux check` and `kubectl -n flux-system get deploy`. If it does not, see `flux.controller-unavailable`.',
        '- Check the controller logs for the object: `flux logs --kind=<Kind> --name=<name> -n <namespace>`.',
        '- With sharding, make sure a controller shard watches the value of the `sharding.fluxcd.io/key` label (`--watch-label-selector`).',
        '- Trigger a reconcile and watch it finish: `flux reconcile <kind> <name> -n <namespace>`.',
      ].join('\n'),
      commands: [
        'flux check',
        'kubectl -n flux-system get deployments',
        "kubectl get <kind> <name> -n <namespace> -o jsonpath='{.metadata.generation} {.status.observedGeneration}'",
        'flux reconcile <kind> <name> -n <namespace>',
      ],
      examples: [
        {
          message: "Ready=Unknown (Progressing): Running 'install' action with timeout of 5m0s",
          source:
            'fluxcd/helm-controller internal/reconcile/atomic_release.go (left in place when the controller stops mid-install)',
        },
        {
          message: 'Ready=Unknown (Progressing): Reconciliation in progress',
          source: 'fluxcd/kustomize-controller internal/controller/kustomization_controller.go (reconcile)',
        },
      ],
    },
  },
  check(obj, { graph }) {
    if (suspendedBy(obj)) return undefined;
    const s = staleness(obj, graph);
    if (!s) return undefined;
    const ctrl = kindInfo(obj.kind)?.controller;
    const shard = obj.metadata.labels?.[SHARD_LABEL];
    const remediation = [
      ...(ctrl
        ? titled(
            `Check that ${ctrl} is running and ready`,
            `kubectl -n ${shq(graph.fluxNamespace)} get deployment ${shq(ctrl)}`,
          )
        : []),
      ...titled('Check that the Flux controllers are running', 'flux check'),
      ...(shard
        ? [
            `The object carries ${SHARD_LABEL}=${shard}: make sure a ${ctrl ?? 'controller'} shard runs with --watch-label-selector=${SHARD_LABEL} in (${shard})`,
          ]
        : []),
      ...(ctrl
        ? [
            'Look for errors about it in the controller logs:',
            `kubectl -n ${shq(graph.fluxNamespace)} logs ${shq(`deploy/${ctrl}`)} | grep ${shq(`"name":"${obj.metadata.name}"`)}`,
          ]
        : []),
      ...titled('Trigger a reconcile and wait for it to finish', reconcileCmd(obj)),
      describeCmd(obj),
    ];
    return {
      cause: s.kind,
      data: { object: show(obj), controller: ctrl, shard },
      summary: `${show(obj)} is not being reconciled: ${s.why}${shard ? ` (sharding key ${shard})` : ''}`,
      evidence: s.evidence,
      remediation,
    };
  },
};
