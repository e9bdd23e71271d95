// Watching the Flux objects' health for every front end: one live read to seed the state and get
// the resourceVersions, then one WATCH per Flux kind (src/live/watch.ts), every event normalised.

import { isFluxKind } from '../kinds/table.js';
import { type Transition, WatchState, watchFlux } from '../live/watch.js';
import { ApiClient, LiveError, loadKubeConfig, readLive } from '../read/live.js';
import { CoreError } from './errors.js';
import { DEFAULT_REQUEST_TIMEOUT } from './load.js';

export type { Transition } from '../live/watch.js';

export interface WatchInput {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  fluxNamespace?: string;
  requestTimeout?: number;
  signal: AbortSignal;
  /** After the first read: how many Flux objects of how many kinds are watched, on which context. */
  onStart?: (s: { objects: number; kinds: number; context: string }) => void;
  onTransition: (t: Transition) => void;
  /** Connection news (lost, reconnected, re-listed). */
  onNotice: (message: string) => void;
}

/** Watch until the signal aborts. A cluster that cannot be read at the start is a CoreError. */
export async function watch(input: WatchInput): Promise<void> {
  let api: ApiClient;
  let snap: Awaited<ReturnType<typeof readLive>>;
  const requestTimeout = input.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT;
  try {
    api = new ApiClient(loadKubeConfig(input), requestTimeout);
    snap = await readLive(
      {
        namespace: input.namespace,
        fluxNamespace: input.fluxNamespace,
        timeoutMs: requestTimeout,
        logs: false,
        secrets: false,
      },
      api,
    );
  } catch (e) {
    if (e instanceof LiveError) throw new CoreError(e.message);
    throw e;
  }
  const state = new WatchState();
  state.seed(snap.objects.filter((o) => isFluxKind(o.kind)));
  input.onStart?.({
    objects: state.count(),
    kinds: Object.keys(snap.lists).filter(isFluxKind).length,
    context: api.context,
  });
  await watchFlux(api, state, snap.lists, {
    namespace: input.namespace,
    signal: input.signal,
    onTransition: input.onTransition,
    onNotice: input.onNotice,
  });
}
