// flux.stale-generation: the controller has not observed the latest spec, has never reconciled the
// object, or a reconcile never finished. Explained by the controller: when the Flux controller
// Deployment is down, the engine reports flux.controller-unavailable with this object as affected.

import { suspendedBy } from '../kinds/status.js';
import { kindInfo } from '../kinds/table.js';
import { staleness } from '../signals/index.js';
import type { Rule } from './types.js';
import { describeCmd, reconcileCmd, show } from './util.js';

const SHARD_LABEL = 'sharding.fluxcd.io/key';

/** The steps: the controller's Deployment, its shard and logs (when the kind has one), then a reconcile. */
const STEPS = [
  'Check that {controller} is running and ready:',
  'kubectl -n {sh:fluxNamespace} get deployment {sh:controller}',
  'Check that the Flux controllers are running:',
  'flux check',
  `The object carries ${SHARD_LABEL}={shard}: make sure a {shardOf} shard runs with --watch-label-selector=${SHARD_LABEL} in ({shard})`,
  'Look for errors about it in the {controller} logs:',
  'kubectl -n {sh:fluxNamespace} logs {sh:deploy} | grep {sh:grep}',
  'Trigger a reconcile and wait for it to finish:',
  '{reconcile}',
  '{describe}',
];

export const rule: Rule = {
  meta: {
    code: 'flux.stale-generation',
    severity: 'warning',
    title: 'The controller has not reconciled the latest spec',
    kinds: ['*'],
    explainedBy: ['controller'],
    messages: Object.fromEntries(
      (['generation', 'no-status', 'stuck', 'request'] as const).map((cause) => [
        cause,
        // {why}: the one sentence of the shared staleness signal, per cause (src/signals/staleness.ts)
        { summary: '{object} is not being reconciled: {why}{?sharded}', remediation: STEPS },
      ]),
    ),
  },
  check(obj, { graph }) {
    if (suspendedBy(obj)) return undefined;
    const s = staleness(obj, graph);
    if (!s) return undefined;
    const ctrl = kindInfo(obj.kind)?.controller;
    const shard = obj.metadata.labels?.[SHARD_LABEL];
    return {
      cause: s.kind,
      data: {
        object: show(obj),
        why: s.why,
        controller: ctrl,
        fluxNamespace: graph.fluxNamespace,
        shard,
        sharded: shard ? ` (sharding key ${shard})` : undefined,
        shardOf: shard ? (ctrl ?? 'controller') : undefined,
        deploy: ctrl ? `deploy/${ctrl}` : undefined,
        grep: `"name":"${obj.metadata.name}"`,
        reconcile: reconcileCmd(obj),
        describe: describeCmd(obj),
      },
      evidence: s.evidence,
    };
  },
};
