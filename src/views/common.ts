// What the read-only views share: resolving what the user typed to an object, health of a hop,
// ages relative to the snapshot time.

import type { Graph } from '../graph/graph.js';
import { resolveKind } from '../kinds/table.js';
import { cleanLine } from '../render/sanitize.js';
import type { ObjRef } from '../types.js';

export class ViewError extends Error {}

/** The health of one object, as every view reports it (cluster text already sanitised). */
export interface NodeHealth {
  state: string;
  reason?: string;
  message?: string;
  revision?: string;
  suspended: boolean;
  /** False when the object is referenced (inventory, ownerReference, spec) but not in the snapshot. */
  found: boolean;
}

export function nodeHealth(graph: Graph, ref: ObjRef, maxMessage = 300): NodeHealth {
  const found = graph.has(ref);
  const h = graph.health(ref);
  const out: NodeHealth = { state: found ? h.state : 'NotRead', suspended: h.suspended, found };
  if (found && h.reason) out.reason = cleanLine(h.reason, 100);
  if (found && h.message) out.message = cleanLine(h.message, maxMessage);
  if (found && h.revision) out.revision = cleanLine(h.revision, 120);
  return out;
}

/** A reference with every field sanitised (names come from the cluster). */
export function cleanRef(r: ObjRef): ObjRef {
  return r.namespace
    ? { kind: cleanLine(r.kind, 100), namespace: cleanLine(r.namespace, 100), name: cleanLine(r.name, 300) }
    : { kind: cleanLine(r.kind, 100), name: cleanLine(r.name, 300) };
}

export const refId = (r: ObjRef): string =>
  r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`;

/**
 * Resolve `KIND/NAME`, `KIND/NAMESPACE/NAME` or `KIND NAME` (kind as kubectl/flux users type it:
 * `ks`, `hr`, `deploy`, `HelmRelease`) to an object reference. Without a namespace, the object is
 * looked up by kind and name in every namespace: one match is taken, several are an error, none
 * falls back to the Flux namespace (so `(not read)` can still be shown).
 */
export function resolveTarget(graph: Graph, words: string[], namespace?: string): ObjRef {
  let kindWord: string | undefined;
  let ns: string | undefined = namespace;
  let name: string | undefined;
  const [a, b, c] = words;
  if (a && !b && a.includes('/')) {
    const parts = a.split('/');
    if (parts.length === 2) [kindWord, name] = parts;
    else if (parts.length === 3) [kindWord, ns, name] = parts;
  } else if (a && b && !c) {
    kindWord = a;
    if (b.includes('/')) [ns, name] = b.split('/');
    else name = b;
  }
  if (!kindWord || !name)
    throw new ViewError(
      `expected KIND/NAME (for example kustomization/apps, hr/podinfo or deployment/apps/web), got '${cleanLine(words.join(' '), 300)}'`,
    );
  const info = resolveKind(kindWord);
  // Kinds outside the table (a CronJob, a custom resource) are still looked up by their exact name.
  const kind = info?.kind ?? kindWord;
  if (ns) return info?.namespaced === false ? { kind, name } : { kind, namespace: ns, name };
  const matches = graph.byKind(kind).filter((o) => o.metadata.name === name);
  if (matches.length === 1) {
    const o = matches[0]!;
    return o.metadata.namespace ? { kind, namespace: o.metadata.namespace, name } : { kind, name };
  }
  if (matches.length > 1)
    throw new ViewError(
      cleanLine(
        `${kind} '${name}' exists in several namespaces (${matches
          .map((o) => cleanLine(o.metadata.namespace, 100))
          .join(', ')}): pick one with -n NAMESPACE or ${kindWord}/NAMESPACE/${name}`,
        1000,
      ),
    );
  if (info?.namespaced === false) return { kind, name };
  return { kind, namespace: graph.fluxNamespace, name };
}

/** Seconds from `time` to the graph's now (undefined when the time is missing or unparsable). */
export function ageSeconds(graph: Graph, time: string | undefined): number | undefined {
  if (!time) return undefined;
  const t = Date.parse(time);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, Math.round((graph.now.getTime() - t) / 1000));
}

/** `42s`, `5m`, `3h12m`, `4d2h` as kubectl prints ages. */
export function formatAge(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${seconds % 60 && m < 10 ? `${seconds % 60}s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  const d = Math.floor(h / 24);
  return `${d}d${h % 24 && d < 10 ? `${h % 24}h` : ''}`;
}

/** `--since` durations: 30s, 5m, 2h, 1d, or combinations like 1h30m. */
export function parseDuration(v: string): number | undefined {
  const re = /(\d+)(ms|s|m|h|d)/g;
  if (!/^(\d+(ms|s|m|h|d))+$/.test(v)) return undefined;
  let ms = 0;
  for (const m of v.matchAll(re)) {
    const n = Number(m[1]);
    ms +=
      m[2] === 'ms'
        ? n
        : m[2] === 's'
          ? n * 1000
          : m[2] === 'm'
            ? n * 60_000
            : m[2] === 'h'
              ? n * 3_600_000
              : n * 86_400_000;
  }
  return ms;
}
