// Writes a Snapshot back as one fluxdoctor snapshot file (multi-document YAML) that `--snapshot`
// reads to the same findings: the support bundle a user attaches to an issue, so it keeps what the
// rules read and drops values nothing needs. Secret and ConfigMap values and the last-applied
// annotation were removed at read time (Secrets keep their key names, as empty values), and every
// string was masked (redact.ts). Here the writer also drops, keeping the keys:
//   - HelmRelease (any kind's) `spec.values` leaves,
//   - `spec.postBuild.substitute` values,
//   - container `env[].value` (every pod template and pod, init and ephemeral containers too),
// and says so in the file's header and in SnapshotInfo.removed. The copy is iterative and bounded
// (depth and node count per object), so a value bomb cannot make the file grow without limit.

import { type DumpOptions, dump } from 'js-yaml';
import type { K8sObject } from '../types.js';
import { SNAPSHOT_API_VERSION } from './normalize.js';
import { MAX_DEPTH } from './redact.js';
import type { Snapshot } from './snapshot.js';

export const REMOVED_VALUE = '<removed>';
/** Nodes (objects, arrays, scalars) copied per object at most; the rest is replaced by a marker. */
export const MAX_NODES_PER_OBJECT = 200_000;
const TOO_DEEP = '<removed: nested too deep>';
const TOO_BIG = '<removed: object too large>';

/** What the bundle leaves out, in the header and in SnapshotInfo.removed. */
export const BUNDLE_REMOVED = [
  'Secret data and stringData values (key names kept)',
  'ConfigMap data and binaryData values (key names kept)',
  'the kubectl.kubernetes.io/last-applied-configuration annotation (every kind)',
  'managedFields',
  `spec.values leaf values (HelmRelease; keys kept, values are ${REMOVED_VALUE})`,
  `spec.postBuild.substitute values (Kustomization; keys kept, values are ${REMOVED_VALUE})`,
  `container env[].value (every container, init and ephemeral containers; names kept, values are ${REMOVED_VALUE})`,
  'secret-looking text in every string (URL credentials, tokens, keys, passwords: masked as ***)',
];

const isContainer = (v: unknown): v is Record<string, unknown> | unknown[] => v !== null && typeof v === 'object';

/**
 * A bounded deep copy of one document: leaves under `dropUnder` become REMOVED_VALUE, `value` of
 * the items of any `env` list too; deeper than MAX_DEPTH or past `maxNodes` nodes, the rest is a marker.
 * Returns the copy and whether anything was cut.
 */
export function boundedCopy(
  root: unknown,
  dropUnder: Set<unknown> = new Set(),
  maxNodes = MAX_NODES_PER_OBJECT,
): { value: unknown; cut: boolean } {
  if (!isContainer(root)) return { value: root, cut: false };
  let nodes = 0;
  let cut = false;
  const top: Record<string, unknown> | unknown[] = Array.isArray(root) ? [] : {};
  // [source, destination, depth, drop leaves, is an env list, is an env item]
  const stack: [unknown, Record<string, unknown> | unknown[], number, boolean, boolean, boolean][] = [
    [root, top, 0, dropUnder.has(root), false, false],
  ];
  while (stack.length > 0) {
    const [src, dst, depth, drop, envList, envItem] = stack.pop()!;
    const entries: [string | number, unknown][] = Array.isArray(src)
      ? src.map((v, i) => [i, v])
      : Object.entries(src as Record<string, unknown>);
    for (const [k, v] of entries) {
      nodes++;
      let out: unknown;
      if (nodes > maxNodes) {
        out = TOO_BIG;
        cut = true;
      } else if (isContainer(v)) {
        if (depth + 1 >= MAX_DEPTH) {
          out = TOO_DEEP;
          cut = true;
        } else {
          const child: Record<string, unknown> | unknown[] = Array.isArray(v) ? [] : {};
          stack.push([v, child, depth + 1, drop || dropUnder.has(v), k === 'env' && Array.isArray(v), envList]);
          out = child;
        }
      } else if (v !== undefined && v !== null && (drop || (envItem && k === 'value'))) out = REMOVED_VALUE;
      else out = v;
      if (Array.isArray(dst)) dst.push(out);
      else dst[k as string] = out;
      if (nodes > maxNodes) break;
    }
  }
  return { value: top, cut };
}

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

/**
 * One object with the values the bundle drops removed (keys kept): `spec.values` leaves,
 * `spec.postBuild.substitute` values, container `env[].value`. Values in those fields are free-form
 * and often hold credentials no pattern recognises, so every view that shows a whole object uses this
 * unless the caller asks for the values.
 */
export function withoutValues(o: K8sObject): unknown {
  const drop = new Set<unknown>();
  if (isContainer(o.spec?.values)) drop.add(o.spec.values);
  if (isContainer(o.spec?.postBuild?.substitute)) drop.add(o.spec.postBuild.substitute);
  return boundedCopy(o, drop).value;
}

/** One object as the bundle holds it. */
function bundleObject(o: K8sObject, cutNames: string[]): unknown {
  const drop = new Set<unknown>();
  if (isContainer(o.spec?.values)) drop.add(o.spec.values);
  if (isContainer(o.spec?.postBuild?.substitute)) drop.add(o.spec.postBuild.substitute);
  const { value, cut } = boundedCopy(restoreKeys(o), drop);
  if (cut) cutNames.push(`${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`);
  return value;
}

// Characters a terminal or editor would act on or hide (C0 but tab/newline, DEL, C1, format
// characters such as bidi overrides and zero-width spaces, line and paragraph separators).
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;
const escapeChar = (c: string) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`;

/**
 * One YAML document of the bundle. A document holding an invisible or control character (in a key
 * or a value) is written as JSON, which is YAML too, with each such character escaped (`\u200b`):
 * the file shows nothing hidden and still reads back to exactly the same strings.
 */
function dumpDoc(doc: unknown, opts: DumpOptions): string {
  const y = dump(doc, opts);
  INVISIBLE.lastIndex = 0;
  if (!INVISIBLE.test(y)) return y;
  INVISIBLE.lastIndex = 0;
  return `${JSON.stringify(doc, null, 2).replace(INVISIBLE, escapeChar)}\n`;
}

/** What the bundle holds, in either format: the info (with what was removed), the objects and events, the log lines. */
function bundleParts(snap: Snapshot): { info: object; items: unknown[]; lines: unknown[]; removed: string[] } {
  const cutNames: string[] = [];
  const items = [...snap.objects.map((o) => bundleObject(o, cutNames)), ...snap.events.map(eventObject)];
  const lines = snap.logs.map(({ source: _s, ...l }) => boundedCopy(l).value);
  const removed = [
    ...BUNDLE_REMOVED,
    ...(cutNames.length
      ? [
          `parts nested deeper than ${MAX_DEPTH} levels or past ${MAX_NODES_PER_OBJECT} nodes of: ${cutNames.join(', ')}`,
        ]
      : []),
  ];
  return { info: { ...snap.info, removed }, items, lines, removed };
}

export function snapshotToYaml(snap: Snapshot): string {
  const opts: DumpOptions = { lineWidth: -1, noRefs: true, skipInvalid: true };
  const { info, items, lines, removed } = bundleParts(snap);
  const docs = [
    dumpDoc({ apiVersion: SNAPSHOT_API_VERSION, kind: 'SnapshotInfo', info }, opts),
    dumpDoc({ apiVersion: 'v1', kind: 'List', items }, opts),
    dumpDoc({ apiVersion: SNAPSHOT_API_VERSION, kind: 'ControllerLogs', lines }, opts),
  ];
  const header = [
    '# fluxdoctor snapshot: read it back with fluxdoctor diagnose --snapshot <this file>',
    '# Removed from this file:',
    ...removed.map((r) => `#   - ${r.replace(/[\r\n]+/g, ' ')}`),
  ].join('\n');
  return `${header}\n---\n${docs.join('---\n')}`;
}

/**
 * The same bundle as one JSON document (`kind: Snapshot`: info, items, logs), which `--snapshot`
 * reads back to the same findings. JSON has no comments: what was removed is in `info.removed`.
 * Invisible and control characters are escaped (`\u200b`) as in the YAML form.
 */
export function snapshotToJson(snap: Snapshot): string {
  const { info, items, lines } = bundleParts(snap);
  const doc = { apiVersion: SNAPSHOT_API_VERSION, kind: 'Snapshot', info, items, logs: lines };
  INVISIBLE.lastIndex = 0;
  return `${JSON.stringify(doc, null, 2).replace(INVISIBLE, escapeChar)}\n`;
}
