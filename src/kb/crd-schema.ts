// CustomResourceDefinition → the field trees of the knowledge base. Used by the generator
// (pinned CRDs → src/kb/flux-api.json) and at run time for the live cluster's own CRDs.

import type { FieldNode, FluxApi, KindApi } from './flux-api.js';

const MAX_DEPTH = 7;
const MAX_DESC = 400;

// biome-ignore lint/suspicious/noExplicitAny: walking untyped OpenAPI
type Schema = any;

export function trimDesc(s: unknown): string | undefined {
  if (typeof s !== 'string' || !s.trim()) return undefined;
  const t = s.replace(/\s+/g, ' ').trim();
  if (t.length <= MAX_DESC) return t;
  const cut = t.slice(0, MAX_DESC);
  const dot = cut.lastIndexOf('. ');
  return dot > 200 ? cut.slice(0, dot + 1) : `${cut.trimEnd()}…`;
}

function typeOf(s: Schema): string {
  if (s['x-kubernetes-int-or-string']) return 'int-or-string';
  if (s['x-kubernetes-preserve-unknown-fields'] && !s.type) return 'any';
  if (s.type === 'array') return `[]${s.items ? typeOf(s.items) : 'any'}`;
  if (s.type === 'object' && !s.properties && s.additionalProperties)
    return `map[string]${typeOf(s.additionalProperties)}`;
  if (s.type === 'string' && s.format) return `string (${s.format})`;
  return s.type ?? 'any';
}

function node(s: Schema, depth: number, required: boolean): FieldNode {
  const n: FieldNode = { type: typeOf(s) };
  const d = trimDesc(s.description);
  if (d) n.description = d;
  if (s.default !== undefined) n.default = s.default;
  if (Array.isArray(s.enum)) n.enum = s.enum;
  if (required) n.required = true;
  // Children: an object's properties, an array's items' properties, a map's value properties.
  const inner = s.type === 'array' ? s.items : s.type === 'object' && !s.properties ? s.additionalProperties : s;
  if (inner && typeof inner === 'object' && inner.properties && depth < MAX_DEPTH) {
    const req = new Set<string>(inner.required ?? []);
    n.fields = {};
    for (const [k, v] of Object.entries(inner.properties)) n.fields[k] = node(v, depth + 1, req.has(k));
  } else if (inner?.properties) {
    n.truncated = true;
  }
  return n;
}

/** One CRD → one KindApi (conditions are not in CRDs: they come from the pinned data). */
export function crdToKindApi(crd: Schema, controller = '', controllerVersion = ''): KindApi {
  const k: KindApi = {
    kind: crd.spec.names.kind,
    group: crd.spec.group,
    plural: crd.spec.names.plural,
    shortNames: crd.spec.names.shortNames ?? [],
    controller,
    controllerVersion,
    versions: {},
    conditions: [],
  };
  for (const v of crd.spec.versions ?? []) {
    if (!v.served) continue;
    const props = v.schema?.openAPIV3Schema?.properties ?? {};
    const req = new Set<string>(v.schema?.openAPIV3Schema?.required ?? []);
    k.versions[v.name] = {
      storage: v.storage === true,
      deprecated: v.deprecated === true || undefined,
      description: trimDesc(v.schema?.openAPIV3Schema?.description),
      spec: props.spec ? node(props.spec, 1, req.has('spec')) : undefined,
      status: props.status ? node(props.status, 1, false) : undefined,
    };
  }
  return k;
}

/**
 * The knowledge base as a live cluster defines it: the field trees of its own Flux CRDs, with the
 * condition lists and controller names of the pinned data where the kinds match.
 */
export function apiFromCrds(crds: Schema[], pinned: FluxApi, source: string): FluxApi {
  const kinds = crds
    .filter((c) => typeof c?.spec?.group === 'string' && c.spec.group.includes('fluxcd'))
    .map((c) => {
      const k = crdToKindApi(c);
      const p = pinned.kinds.find((x) => x.kind === k.kind && x.group === k.group);
      return p
        ? {
            ...k,
            controller: p.controller,
            controllerVersion: p.controllerVersion,
            conditions: p.conditions,
            reasons: p.reasons,
          }
        : k;
    });
  return { ...pinned, kinds, source };
}
