// advice.short-interval: a source polls its remote more often than once a minute, which burns the
// Git host's or registry's API rate limits without making delivery meaningfully faster.

import { shq } from '../render/shell.js';
import { formatDuration, parseDuration } from '../signals/index.js';
import { objRef } from '../types.js';
import type { Rule } from './types.js';
import { hostOf, objId, show } from './util.js';

export const MIN_INTERVAL_MS = 60_000;

/** `flux create receiver` type and events for the remote's host (flux2 cmd/flux/create_receiver.go). */
function receiverOf(host: string | undefined): { type: string; events: string[] } {
  if (host?.includes('github')) return { type: 'github', events: ['ping', 'push'] };
  if (host?.includes('gitlab')) return { type: 'gitlab', events: ['Push Hook', 'Tag Push Hook'] };
  if (host === 'docker.io' || host?.endsWith('.docker.io')) return { type: 'dockerhub', events: [] };
  return { type: 'generic', events: [] };
}

export const rule: Rule = {
  meta: {
    code: 'advice.short-interval',
    type: 'advice',
    severity: 'warning',
    title: 'A source polls its remote more often than once a minute',
    kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'ImageRepository'],
    messages: {
      'polls-too-often': {
        // {rate}: ", N requests an hour" (absent for an interval of 0)
        summary:
          '{object} polls {remote} every {every} (spec.interval: {interval}){?rate}: this risks the {provider} API rate limits for every source sharing its credentials',
        remediation: [
          'Set spec.interval to 5m (at least 1m) in Git',
          'It already has a webhook Receiver ({receiver}), so a longer interval does not delay deliveries',
          'For fast delivery, trigger it from a {receiverType} webhook instead:',
          // the events vary with the type: the command is built in check, every value quoted
          '{createReceiver}',
        ],
      },
    },
  },
  check(obj, { graph }) {
    const spec = obj.spec ?? {};
    if (spec.suspend === true) return undefined;
    if (obj.kind === 'HelmRepository' && spec.type === 'oci') return undefined;
    const interval = parseDuration(spec.interval);
    if (interval === undefined || interval >= MIN_INTERVAL_MS) return undefined;
    const remote = obj.kind === 'ImageRepository' ? spec.image : spec.url;
    const host = hostOf(remote) ?? (typeof remote === 'string' ? remote.split('/')[0] : undefined);
    const perHour = interval > 0 ? Math.round(3_600_000 / interval) : undefined;
    const receivers = graph.in(obj, 'receiverResource').map((e) => e.from);
    const receiver = receivers[0];
    const hook = receiver ? undefined : receiverOf(host);
    return {
      cause: 'polls-too-often',
      data: {
        object: show(obj),
        host,
        interval: String(spec.interval),
        perHour,
        remote: host ?? 'its remote',
        provider: host ?? 'provider',
        every: formatDuration(interval),
        rate: perHour ? `, ${perHour} requests an hour` : undefined,
        receiver: receiver ? show(receiver) : undefined,
        receiverType: hook?.type,
        createReceiver: hook
          ? [
              `flux create receiver ${shq(obj.metadata.name)} --type ${shq(hook.type)}`,
              ...hook.events.map((e) => `--event ${shq(e)}`),
              `--secret-ref webhook-token --resource ${shq(`${obj.kind}/${obj.metadata.name}`)} -n ${shq(obj.metadata.namespace ?? 'default')}`,
            ].join(' ')
          : undefined,
      },
      evidence: [
        {
          kind: 'field',
          object: objId(obj),
          text: `spec.interval: ${spec.interval}${remote ? `; remote: ${remote}` : ''}`,
        },
      ],
      fixTarget: objRef(obj),
    };
  },
};
