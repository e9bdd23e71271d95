// Writes a Snapshot back as one fluxdoctor snapshot file (multi-document YAML) that `--snapshot`
// reads to the same findings: the support bundle a user attaches to an issue. Secret values were
// removed at read time; Secrets keep their key names (as empty values).

import { dump } from 'js-yaml';
import type { K8sObject } from '../types.js';
import { SNAPSHOT_API_VERSION } from './normalize.js';
import type { Snapshot } from './snapshot.js';

function restoreKeys(o: K8sObject): K8sObject {
  if (!Array.isArray(o.dataKeys)) return o;
  const { dataKeys, ...rest } = o;
  return { ...rest, data: Object.fromEntries((dataKeys as string[]).map((k) => [k, ''])) };
}

function eventObject(e: Snapshot['events'][number]): object {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: e.name, namespace: e.namespace },
    involvedObject: e.involved,
    type: e.type,
    reason: e.reason,
    message: e.message,
    count: e.count,
    firstTimestamp: e.firstTimestamp,
    lastTimestamp: e.lastTimestamp,
    source: e.source ? { component: e.source } : undefined,
  };
}

export function snapshotToYaml(snap: Snapshot): string {
  const opts = { lineWidth: -1, noRefs: true, skipInvalid: true };
  const docs = [
    dump({ apiVersion: SNAPSHOT_API_VERSION, kind: 'SnapshotInfo', info: snap.info }, opts),
    dump(
      { apiVersion: 'v1', kind: 'List', items: [...snap.objects.map(restoreKeys), ...snap.events.map(eventObject)] },
      opts,
    ),
    dump(
      { apiVersion: SNAPSHOT_API_VERSION, kind: 'ControllerLogs', lines: snap.logs.map(({ source: _s, ...l }) => l) },
      opts,
    ),
  ];
  return `# fluxdoctor snapshot: read it back with fluxdoctor diagnose --snapshot <this file>\n---\n${docs.join('---\n')}`;
}
