// `get [KIND] [NAME]`: the status table of `flux get`, for every kind at once (`all`).

import type { Graph } from '../graph/graph.js';
import { condition } from '../kinds/status.js';
import { KINDS, type KindInfo, resolveKind } from '../kinds/table.js';
import { cleanLine } from '../render/sanitize.js';
import type { K8sObject } from '../types.js';
import { ageSeconds, ViewError } from './common.js';
import { type LabelSelector, matchesLabels, matchesStatusSelector, type StatusSelector } from './selector.js';

export const STATUS_FILTERS = ['failing', 'ready', 'suspended', 'waiting', 'progressing'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface GetRow {
  namespace?: string;
  kind: string;
  name: string;
  /** The health state: Ready, Failed, Waiting, Progressing, Suspended, Unknown, Static. */
  ready: string;
  /** The short reason/message (bounded, sanitised). */
  status: string;
  reason?: string;
  revision?: string;
  /** When the object was last reconciled (RFC 3339), as the controller reported it. */
  lastReconcile?: string;
  /** Seconds from lastReconcile to the snapshot time. */
  lastReconcileAge?: number;
  suspended: boolean;
}

export interface GetOptions {
  /** A kind as typed (`hr`, `kustomizations`, `all`); every Flux kind when absent or `all`. */
  kind?: string;
  name?: string;
  namespace?: string;
  status?: StatusFilter;
  /** `-l, --selector`: only objects whose labels match. */
  labels?: LabelSelector;
  /** `--status-selector ready=false`: only objects with these conditions. */
  conditions?: StatusSelector;
}

const SOURCES: Record<string, string[]> = {
  all: ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket', 'HelmChart'],
  git: ['GitRepository'],
  helm: ['HelmRepository'],
  oci: ['OCIRepository'],
  bucket: ['Bucket'],
  chart: ['HelmChart'],
};
const IMAGES: Record<string, string[]> = {
  all: ['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation'],
  repository: ['ImageRepository'],
  policy: ['ImagePolicy'],
  update: ['ImageUpdateAutomation'],
};

/** The groups `flux get` spells as two words (`flux get sources git`, `flux get images policy`). */
export const KIND_GROUPS: Record<string, Record<string, string[]>> = {
  sources: SOURCES,
  source: SOURCES,
  images: IMAGES,
  image: IMAGES,
};

/** One-word spellings of `flux get` that are not a kind's name: `oci`, `alert-providers`. */
const ALIASES: Record<string, string> = {
  oci: 'OCIRepository',
  'alert-providers': 'Provider',
  'alert-provider': 'Provider',
};

const byName = (kind: string): KindInfo => KINDS.find((k) => k.kind === kind)!;

/** What a KIND argument accepts, for the error that names them. */
export function acceptedKinds(): string {
  const flux = KINDS.filter((k) => k.flux).map((k) => k.shortNames?.[0] ?? k.kind.toLowerCase());
  const other = KINDS.filter((k) => !k.flux && k.kind !== 'Event').map(
    (k) => `${k.kind}${k.shortNames?.[0] ? ` (${k.shortNames[0]})` : ''}`,
  );
  return [
    `Flux kinds: all, ${flux.join(', ')}`,
    `as flux get spells them: sources [all|git|helm|oci|bucket|chart], images [all|repository|policy|update], oci, alert-providers`,
    `other kinds fluxdoctor reads: ${other.join(', ')}`,
    'kind names, plurals and short names are accepted in any case, comma-separated for several (ks,hr)',
  ].join('; ');
}

/** The kinds a KIND argument selects (every Flux kind for `all` or nothing). */
export function kindsFor(word: string | undefined): KindInfo[] {
  if (!word || word.toLowerCase() === 'all') return KINDS.filter((k) => k.flux);
  const words = word.split(',').filter(Boolean);
  const out: KindInfo[] = [];
  for (const w of words) {
    const lower = w.toLowerCase();
    const group = KIND_GROUPS[lower];
    const alias = ALIASES[lower];
    const infos = group ? group.all!.map(byName) : alias ? [byName(alias)] : [resolveKind(w)];
    for (const info of infos) {
      if (!info || info.kind === 'Event') throw new ViewError(`unknown kind '${w}' (${acceptedKinds()})`);
      if (!out.includes(info)) out.push(info);
    }
  }
  return out;
}

/**
 * `get`'s positional words as `flux get` spells them: `KIND [NAME]`, or a group and its sub-kind
 * (`sources git [NAME]`, `source helm`, `sources all`, `images policy [NAME]`). Returns the KIND
 * argument for kindsFor, the name, and how to say the kind in a message.
 */
export function getArgs(words: string[]): { kind: string; name?: string; shown: string } {
  const [first = 'all', ...rest] = words;
  const group = KIND_GROUPS[first.toLowerCase()];
  let kind = first;
  let shown = first;
  if (group && rest.length > 0) {
    const sub = rest.shift()!;
    const kinds = group[sub.toLowerCase()];
    if (!kinds)
      throw new ViewError(
        `unknown kind '${first} ${sub}' (as flux get spells it: ${first} ${Object.keys(group).join('|')})`,
      );
    kind = kinds.join(',');
    shown = kinds.join(', ');
  }
  if (rest.length > 1) throw new ViewError(`too many arguments: ${rest.slice(1).join(' ')} (get [KIND] [NAME])`);
  return { kind, ...(rest[0] !== undefined ? { name: rest[0] } : {}), shown };
}

const MATCH: Record<StatusFilter, (state: string) => boolean> = {
  failing: (s) => s === 'Failed',
  ready: (s) => s === 'Ready' || s === 'Static',
  suspended: (s) => s === 'Suspended',
  waiting: (s) => s === 'Waiting',
  progressing: (s) => s === 'Progressing' || s === 'Unknown',
};

export function matchesStatus(state: string, filter: StatusFilter): boolean {
  return MATCH[filter](state);
}

/** The newest time the controller reported handling the object. */
export function lastReconcileOf(o: K8sObject): string | undefined {
  let best: string | undefined;
  let bestT = Number.NEGATIVE_INFINITY;
  const see = (t: unknown) => {
    if (typeof t !== 'string') return;
    const v = Date.parse(t);
    if (!Number.isNaN(v) && v > bestT) {
      bestT = v;
      best = new Date(v).toISOString().replace('.000Z', 'Z');
    }
  };
  const ready = condition(o, 'Ready');
  see(ready?.lastTransitionTime);
  for (const c of Array.isArray(o.status?.conditions) ? o.status.conditions : []) see(c?.lastTransitionTime);
  see(o.status?.artifact?.lastUpdateTime);
  see(o.status?.lastHandledReconcileAt);
  see(o.status?.lastScanResult?.scanTime);
  see(o.status?.lastAutomationRunTime);
  return best;
}

/** The objects `get` selects, in its order: kind (the order of KIND), namespace, name. */
export function selectObjects(graph: Graph, opts: GetOptions = {}): { info: KindInfo; object: K8sObject }[] {
  const out: { info: KindInfo; object: K8sObject }[] = [];
  for (const k of kindsFor(opts.kind)) {
    const objects = [...graph.byKind(k.kind)].sort(
      (a, b) =>
        (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
    for (const o of objects) {
      if (opts.name !== undefined && o.metadata.name !== opts.name) continue;
      if (opts.namespace !== undefined && k.namespaced && o.metadata.namespace !== opts.namespace) continue;
      if (opts.status && !matchesStatus(graph.health(o).state, opts.status)) continue;
      if (opts.labels && !matchesLabels(o, opts.labels)) continue;
      if (opts.conditions && !matchesStatusSelector(o, opts.conditions)) continue;
      out.push({ info: k, object: o });
    }
  }
  return out;
}

export function getRows(graph: Graph, opts: GetOptions = {}): GetRow[] {
  return selectObjects(graph, opts).map(({ info: k, object: o }) => {
    const h = graph.health(o);
    const last = lastReconcileOf(o);
    const text = h.state === 'Static' ? '' : (h.message ?? h.reason ?? '');
    const row: GetRow = {
      ...(o.metadata.namespace ? { namespace: cleanLine(o.metadata.namespace, 100) } : {}),
      kind: k.kind,
      name: cleanLine(o.metadata.name, 300),
      ready: h.state,
      status: cleanLine(text, 300),
      ...(h.reason ? { reason: cleanLine(h.reason, 100) } : {}),
      ...(h.revision ? { revision: cleanLine(h.revision, 120) } : {}),
      ...(last ? { lastReconcile: last, lastReconcileAge: ageSeconds(graph, last) } : {}),
      suspended: h.suspended,
    };
    return row;
  });
}
