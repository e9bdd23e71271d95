// advice.no-timeout: a Kustomization waits for health checks (spec.wait or spec.healthChecks) but
// sets no spec.timeout, so the timeout follows the interval: far too long with a long interval
// (failures surface late and dependents wait), too short with a very short one.

import { formatDuration, parseDuration } from '../signals/index.js';
import { objRef } from '../types.js';
import type { Rule } from './types.js';
import { objId, reconcileCmd, show } from './util.js';

/** At or above this interval the default timeout (interval − 30s) keeps failures hidden too long. */
export const LONG_INTERVAL_MS = 15 * 60_000;
/** Below this interval the default timeout is at most 1m30s, short for many rollouts. */
export const SHORT_INTERVAL_MS = 2 * 60_000;

/** kustomize-controller api/v1 Kustomization.GetTimeout: interval − 30s unless spec.timeout, at least 30s. */
export function defaultTimeout(intervalMs: number): number {
  return Math.max(intervalMs - 30_000, 30_000);
}

export const rule: Rule = {
  meta: {
    code: 'advice.no-timeout',
    type: 'advice',
    severity: 'info',
    title: 'Health checks without an explicit timeout',
    kinds: ['Kustomization'],
    messages: {
      'long-default-timeout': {
        summary:
          '{object} waits for health checks ({how}) without spec.timeout, so the timeout defaults to {timeout} (interval {interval} − 30s): a failing rollout is reported only after {timeout}, and its dependents wait as long',
        remediation: ['Set an explicit timeout in Git, e.g. spec.timeout: 5m', '{reconcile}'],
      },
      'short-default-timeout': {
        summary:
          '{object} waits for health checks ({how}) without spec.timeout, so the timeout defaults to only {timeout} (interval {interval}): slower rollouts are reported as failed health checks',
        remediation: ['Set an explicit timeout in Git, e.g. spec.timeout: 3m', '{reconcile}'],
      },
    },
  },
  check(obj) {
    const spec = obj.spec ?? {};
    if (spec.suspend === true || spec.timeout) return undefined;
    const waits = spec.wait === true || (Array.isArray(spec.healthChecks) && spec.healthChecks.length > 0);
    if (!waits) return undefined;
    const interval = parseDuration(spec.interval);
    if (interval === undefined) return undefined;
    const long = interval >= LONG_INTERVAL_MS;
    const short = interval < SHORT_INTERVAL_MS;
    if (!long && !short) return undefined;
    const t = formatDuration(defaultTimeout(interval));
    const how = spec.wait === true ? 'spec.wait: true' : `${spec.healthChecks.length} spec.healthChecks`;
    return {
      cause: long ? 'long-default-timeout' : 'short-default-timeout',
      data: { object: show(obj), how, timeout: t, interval: String(spec.interval), reconcile: reconcileCmd(obj) },
      evidence: [
        {
          kind: 'field',
          object: objId(obj),
          text: `spec.interval: ${spec.interval}; spec.timeout: (unset); ${how}`,
        },
      ],
      fixTarget: objRef(obj),
    };
  },
};
