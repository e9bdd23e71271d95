// The Flux API knowledge base: the field trees of every Flux kind, generated from the pinned
// controllers' CRDs by scripts/gen-api-reference.ts into src/kb/flux-api.json.
// Read at runtime relative to the package root, so it works from src/ (tsx) and from dist/.

import { readFileSync } from 'node:fs';

export interface FieldNode {
  type: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  required?: boolean;
  fields?: Record<string, FieldNode>;
  /** Children exist in the CRD but were cut at the generator's depth limit. */
  truncated?: boolean;
}

export interface KindVersion {
  storage: boolean;
  deprecated?: boolean;
  description?: string;
  spec?: FieldNode;
  status?: FieldNode;
}

export interface KindApi {
  kind: string;
  group: string;
  plural: string;
  shortNames: string[];
  controller: string;
  controllerVersion: string;
  versions: Record<string, KindVersion>;
  conditions: { type: string; description?: string }[];
  reasons?: { reason: string; description?: string }[];
}

export interface FluxApi {
  /** Where the field trees come from: the pinned release's CRDs, or a live cluster's. */
  source?: string;
  fluxVersion: string;
  controllers: Record<string, string>;
  kinds: KindApi[];
}

/** The package root (one level above src/ or dist/). */
export const PACKAGE_ROOT = new URL('../../', import.meta.url);

let cached: FluxApi | undefined;

export function fluxApi(): FluxApi {
  if (!cached) cached = JSON.parse(readFileSync(new URL('src/kb/flux-api.json', PACKAGE_ROOT), 'utf8')) as FluxApi;
  return cached;
}

/** The version a kind's objects are stored as (the current one), else the first served. */
export function preferredVersion(k: KindApi): string {
  return Object.entries(k.versions).find(([, v]) => v.storage)?.[0] ?? Object.keys(k.versions)[0]!;
}
