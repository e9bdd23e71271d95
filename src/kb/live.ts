// The knowledge base from a live cluster: its own Flux CRDs (what it really serves), with the
// pinned data's conditions. `fluxdoctor explain Kind.field --context X` and the MCP explain_field
// tool use it when a cluster is named.

import type { ApiClient } from '../read/live.js';
import { apiFromCrds } from './crd-schema.js';
import { type FluxApi, fluxApi } from './flux-api.js';

export async function liveFluxApi(api: ApiClient): Promise<FluxApi> {
  const doc = await api.json<{ items: unknown[] }>('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
  const live = apiFromCrds(doc.items, fluxApi(), `the CRDs installed in the cluster (context ${api.context})`);
  if (live.kinds.length === 0) throw new Error(`no Flux CRDs are installed in the cluster of context ${api.context}`);
  return live;
}
