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
