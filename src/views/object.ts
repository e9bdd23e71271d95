// `get_object`: one object as YAML (spec and status; metadata without managedFields), found by the
// one target parser, so an agent can read what the summaries leave out: spec.values, path, url,
// intervals, refs. Secret and ConfigMap values never reach here (normalize removes them at read
// time, keeping key names in `dataKeys`); this view removes them again so no path can leak them.

import yaml from 'js-yaml';
import type { Graph } from '../graph/graph.js';
import { redactSecret } from '../read/normalize.js';
import { withoutValues } from '../read/write.js';
import type { K8sObject, ObjRef } from '../types.js';
import { cleanRef, nodeHealth, resolveTarget, ViewError } from './common.js';

/** A YAML rendering longer than this is cut (and says so). */
export const MAX_OBJECT_YAML = 64 * 1024;

export interface ObjectView {
  object: ObjRef;
  apiVersion: string;
  health: ReturnType<typeof nodeHealth>;
  /** The object as YAML: apiVersion, kind, metadata (no managedFields), spec, status, dataKeys. */
  yaml: string;
  /** True when `yaml` was cut at MAX_OBJECT_YAML characters. */
  truncated: boolean;
  /** Size of the full YAML, in characters. */
  size: number;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The object as shown: no managedFields, no last-applied copy, no Secret/ConfigMap values. */
export function shownObject(o: K8sObject): K8sObject {
  let out: K8sObject = { ...o, metadata: { ...o.metadata } };
  delete (out.metadata as Record<string, unknown>).managedFields;
  if (out.metadata.annotations?.[LAST_APPLIED] !== undefined) {
    const annotations = { ...out.metadata.annotations };
    delete annotations[LAST_APPLIED];
    out.metadata.annotations = annotations;
  }
  if (o.kind === 'Secret') {
    const known = (o.dataKeys as string[] | undefined) ?? [];
    const r = redactSecret(out);
    out = { ...r, dataKeys: [...new Set([...known, ...((r.dataKeys as string[]) ?? [])])].sort() };
  }
  if (o.kind === 'ConfigMap') {
    const { data: _d, binaryData: _b, ...rest } = out as K8sObject & { binaryData?: unknown };
    out = {
      ...rest,
      dataKeys: (out.dataKeys as string[] | undefined) ?? [
        ...Object.keys(o.data ?? {}),
        ...Object.keys((o as { binaryData?: object }).binaryData ?? {}),
      ],
    } as K8sObject;
  }
  return out;
}

/**
 * An object as every view of whole objects shows it (`get -o yaml|json`, MCP get_object): shownObject,
 * and unless `values` is asked for, the bundle's value removal (spec.values leaves, postBuild.substitute
 * and env values: free-form, often credentials that no masking pattern recognises).
 */
export function visibleObject(o: K8sObject, opts: { values?: boolean } = {}): K8sObject {
  return (opts.values ? shownObject(o) : withoutValues(shownObject(o))) as K8sObject;
}

/** One object, by target (`KIND/NAME`, `KIND/NAMESPACE/NAME`, `KIND NAME`), as YAML. */
export function objectView(
  graph: Graph,
  target: string | string[],
  namespace?: string,
  opts: { values?: boolean } = {},
): ObjectView {
  const ref = resolveTarget(graph, target, namespace);
  const o = graph.get(ref);
  if (!o) {
    const where = ref.namespace ? ` in namespace ${ref.namespace}` : '';
    throw new ViewError(`no ${ref.kind} named ${ref.name}${where} in what was read`);
  }
  // spec.values, postBuild.substitute and env values are removed (keys kept) unless asked for.
  const shown = visibleObject(o, opts);
  const text = yaml.dump(shown, { noRefs: true, lineWidth: -1, sortKeys: false });
  const truncated = text.length > MAX_OBJECT_YAML;
  return {
    object: cleanRef(ref),
    apiVersion: o.apiVersion,
    health: nodeHealth(graph, ref),
    yaml: truncated
      ? `${text.slice(0, MAX_OBJECT_YAML)}\n# … cut at ${MAX_OBJECT_YAML} of ${text.length} characters\n`
      : text,
    truncated,
    size: text.length,
  };
}
