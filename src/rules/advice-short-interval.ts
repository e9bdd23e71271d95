// advice.short-interval: a source polls its remote more often than once a minute, which burns the
// Git host's or registry's API rate limits without making delivery meaningfully faster.

import { shq } from '../render/shell.js';
import { formatDuration, parseDuration } from '../signals/index.js';
import { objRef } from '../types.js';
import type { Rule } from './types.js';
import { hostOf, objId, show } from './util.js';

export const MIN_INTERVAL_MS = 60_000;

/** `flux create receiver` type and events for the remote's host (flux2 cmd/flux/create_receiver.go). */
function receiverFlags(host: string | undefined): string {
  if (host?.includes('github')) return '--type github --event ping --event push';
  if (host?.includes('gitlab')) return '--type gitlab --event "Push Hook" --event "Tag Push Hook"';
  if (host === 'docker.io' || host?.endsWith('.docker.io')) return '--type dockerhub';
  return '--type generic';
}

export const rule: Rule = {
  meta: {
    code: 'advice.short-interval',
    type: 'advice',
    severity: 'warning',
    title: 'A source polls its remote more often than once a minute',
    kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'ImageRepository'],
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
    return {
      cause: 'polls-too-often',
      data: { object: show(obj), host, interval: String(spec.interval), perHour },
      summary: `${show(obj)} polls ${host ?? 'its remote'} every ${formatDuration(interval)} (spec.interval: ${spec.interval})${perHour ? `, ${perHour} requests an hour` : ''}: this risks the ${host ?? 'provider'} API rate limits for every source sharing its credentials`,
      evidence: [
        {
          kind: 'field',
          object: objId(obj),
          text: `spec.interval: ${spec.interval}${remote ? `; remote: ${remote}` : ''}`,
        },
      ],
      remediation: [
        'Set spec.interval to 5m (at least 1m) in Git',
        receivers.length > 0
          ? `It already has a webhook Receiver (${show(receivers[0]!)}), so a longer interval does not delay deliveries`
          : 'For fast delivery, trigger it from a webhook instead:',
        ...(receivers.length > 0
          ? []
          : [
              `flux create receiver ${shq(obj.metadata.name)} ${receiverFlags(host)} --secret-ref webhook-token --resource ${shq(`${obj.kind}/${obj.metadata.name}`)} -n ${shq(obj.metadata.namespace ?? 'default')}`,
            ]),
      ],
      fixTarget: objRef(obj),
    };
  },
};
