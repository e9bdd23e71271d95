// `fluxdoctor explain HelmRelease.spec.install.remediation`: one field of a Flux kind, like
// `kubectl explain`, from the generated API knowledge base (src/kb/flux-api.json).

import { resolveKind } from '../kinds/table.js';
import { type FieldNode, type FluxApi, fluxApi, type KindApi, preferredVersion } from './flux-api.js';

export interface FieldChild {
  name: string;
  type: string;
  required: boolean;
  description?: string;
}

/** A field and every field under it (`explain --recursive`). */
export interface FieldTree {
  name: string;
  type: string;
  required: boolean;
  fields?: FieldTree[];
  /** The knowledge base cut the schema here (its depth limit): there are child fields it does not hold. */
  truncated?: boolean;
}

export interface FieldExplanation {
  kind: string;
  group: string;
  version: string;
  /** The canonical path, e.g. `HelmRelease.spec.install.remediation`. */
  path: string;
  type: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  required: boolean;
  children: FieldChild[];
  truncated: boolean;
  /** With `recursive`: every field under this one, as `kubectl explain --recursive` prints them. */
  tree?: FieldTree[];
  /** Where the schema came from: the pinned Flux release's CRDs, or the live cluster's. */
  source: string;
}

export class FieldNotFoundError extends Error {
  constructor(
    message: string,
    readonly nearestPath: string,
    readonly children: string[],
  ) {
    super(message);
    this.name = 'FieldNotFoundError';
  }
}

/** True when the word names a Flux kind of the knowledge base (kind, plural or short name). */
export function findKindApi(word: string, api: FluxApi = fluxApi()): KindApi | undefined {
  const w = word.toLowerCase();
  const direct = api.kinds.find(
    (k) => k.kind.toLowerCase() === w || k.plural === w || k.shortNames.includes(w) || `${k.kind.toLowerCase()}s` === w,
  );
  if (direct) return direct;
  const info = resolveKind(word);
  return info ? api.kinds.find((k) => k.kind === info.kind) : undefined;
}

/** Whether an argument looks like `Kind` or `Kind.path` of a Flux kind. */
export function looksLikeField(arg: string): boolean {
  return /^[A-Za-z][\w-]*(\.[\w-]+)*$/.test(arg) && findKindApi(arg.split('.')[0]!) !== undefined;
}

function treeOf(n: FieldNode): FieldTree[] {
  return Object.entries(n.fields ?? {}).map(([name, c]) => {
    const fields = c.fields && Object.keys(c.fields).length ? treeOf(c) : undefined;
    return {
      name,
      type: c.type,
      required: c.required === true,
      ...(fields ? { fields } : {}),
      ...(c.truncated ? { truncated: true } : {}),
    };
  });
}

function childrenOf(n: FieldNode): FieldChild[] {
  return Object.entries(n.fields ?? {}).map(([name, c]) => ({
    name,
    type: c.type,
    required: c.required === true,
    description: c.description,
  }));
}

/**
 * Explain a field path `Kind[.field…]`. The kind is case-insensitive (short names and plurals too);
 * `Kind@v1beta2.spec` picks a served version. Field names match case-insensitively.
 * Throws FieldNotFoundError naming the nearest valid prefix and its children.
 */
export function explainField(
  path: string,
  api: FluxApi = fluxApi(),
  opts: { recursive?: boolean } = {},
): FieldExplanation {
  const parts = path.trim().split('.').filter(Boolean);
  const [kindWord, wantVersion] = (parts.shift() ?? '').split('@');
  const k = findKindApi(kindWord ?? '', api);
  if (!k) {
    const kinds = api.kinds.map((x) => x.kind);
    throw new FieldNotFoundError(`unknown Flux kind '${kindWord}'. Flux kinds: ${kinds.join(', ')}`, '', kinds);
  }
  const version = wantVersion ?? preferredVersion(k);
  const v = k.versions[version];
  if (!v) {
    throw new FieldNotFoundError(
      `${k.kind} has no served version '${version}'; served: ${Object.keys(k.versions).join(', ')}`,
      k.kind,
      Object.keys(k.versions),
    );
  }
  // The object itself: apiVersion, kind, metadata, spec, status.
  const root: FieldNode = {
    type: 'object',
    description: v.description,
    fields: {
      apiVersion: { type: 'string', description: `${k.group}/${version}` },
      kind: { type: 'string', description: k.kind },
      metadata: { type: 'object', description: 'Standard object metadata (name, namespace, labels, annotations).' },
      ...(v.spec ? { spec: v.spec } : {}),
      ...(v.status ? { status: v.status } : {}),
    },
  };
  let node = root;
  const walked: string[] = [k.kind];
  for (const p of parts) {
    const fields = node.fields ?? {};
    const key = p in fields ? p : Object.keys(fields).find((f) => f.toLowerCase() === p.toLowerCase());
    if (!key) {
      const names = Object.keys(fields);
      const at = walked.join('.');
      throw new FieldNotFoundError(
        names.length
          ? `field '${p}' does not exist in ${at}. Fields of ${at}: ${names.join(', ')}`
          : `field '${p}' does not exist: ${at} (${node.type}) has no child fields${node.truncated ? ' in the knowledge base (cut at its depth limit)' : ''}`,
        at,
        names,
      );
    }
    node = fields[key]!;
    walked.push(key);
  }
  return {
    kind: k.kind,
    group: k.group,
    version,
    path: walked.join('.'),
    type: node.type,
    description: node.description,
    default: node.default,
    enum: node.enum,
    required: node.required === true,
    children: childrenOf(node),
    truncated: node.truncated === true,
    ...(opts.recursive ? { tree: treeOf(node) } : {}),
    source: api.source ?? `the CRDs of Flux v${api.fluxVersion} (pinned in fluxdoctor)`,
  };
}

/** The `kubectl explain`-style text of an explanation. */
export function renderFieldExplanation(e: FieldExplanation): string {
  const out: string[] = [];
  out.push(`KIND:     ${e.kind}`);
  out.push(`VERSION:  ${e.group}/${e.version}`);
  out.push(`SOURCE:   ${e.source}`);
  out.push('');
  out.push(`FIELD:    ${e.path} <${e.type}>${e.required ? ' -required-' : ''}`);
  if (e.default !== undefined) out.push(`DEFAULT:  ${JSON.stringify(e.default)}`);
  if (e.enum?.length) out.push(`ENUM:     ${e.enum.map((x) => JSON.stringify(x)).join(', ')}`);
  out.push('');
  out.push('DESCRIPTION:');
  out.push(`    ${e.description ?? '<empty>'}`);
  if (e.tree?.length) {
    out.push('');
    out.push('FIELDS:');
    const walk = (fields: FieldTree[], depth: number) => {
      for (const f of fields) {
        const cut = f.truncated && !f.fields ? ' (child fields not in the knowledge base)' : '';
        out.push(`${'  '.repeat(depth + 1)}${f.name}\t<${f.type}>${f.required ? ' -required-' : ''}${cut}`);
        if (f.fields) walk(f.fields, depth + 1);
      }
    };
    walk(e.tree, 0);
  } else if (e.children.length) {
    out.push('');
    out.push('FIELDS:');
    for (const c of e.children) {
      out.push(`  ${c.name}\t<${c.type}>${c.required ? ' -required-' : ''}`);
      if (c.description) out.push(`    ${c.description}`);
      out.push('');
    }
    if (out[out.length - 1] === '') out.pop();
  } else if (e.truncated) {
    out.push('');
    out.push('(child fields not included in the knowledge base: nesting depth limit)');
  }
  return `${out.join('\n')}\n`;
}
