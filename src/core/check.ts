// `check` for every front end: load the input, probe one artifact (live), run the checklist. A live
// API server that does not answer is a failed check (a report), not an input error; a kubeconfig
// that cannot be loaded is an input error (CoreError).

import { countObjects } from '../diagnose/engine.js';
import { Graph } from '../graph/graph.js';
import { probeArtifact } from '../live/artifact.js';
import { LiveError, loadKubeConfig } from '../read/live.js';
import { emptySnapshot } from '../read/snapshot.js';
import { cleanLine } from '../render/sanitize.js';
import { artifactProbeTarget, type CheckReport, checkView } from '../views/check.js';
import { CoreError } from './errors.js';
import { DEFAULT_FLUX_NAMESPACE, DEFAULT_REQUEST_TIMEOUT, isLive, type LoadInput, load } from './load.js';

export type { CheckItem, CheckReport, CheckSection, CheckStatus } from '../views/check.js';

export interface CheckInput extends LoadInput {
  /** Live only: try to download one artifact from source-controller (default true). */
  probe?: boolean;
  /** Also probe artifact URLs on loopback, link-local or metadata addresses (refused by default). */
  allowLocalProbe?: boolean;
}

/** The report when the API server could not be read at all: one failed check. */
export function unreachableReport(input: LoadInput, message: string): CheckReport {
  const kc = loadKubeConfig(input);
  const graph = new Graph(emptySnapshot(), { fluxNamespace: input.fluxNamespace ?? DEFAULT_FLUX_NAMESPACE });
  const server = kc.getCurrentCluster()?.server;
  return {
    ok: false,
    input: 'live',
    context: cleanLine(kc.getCurrentContext(), 100),
    ...(server ? { server: cleanLine(server, 200) } : {}),
    fluxNamespace: graph.fluxNamespace,
    counts: { ok: 0, fail: 1, warn: 0, skip: 0 },
    objects: countObjects(graph),
    items: [
      {
        section: 'cluster',
        status: 'fail',
        title: `API server ${server ? cleanLine(server, 200) : ''} not reachable`,
        detail: cleanLine(message.split('\n')[0], 500),
      },
    ],
  };
}

export interface CheckResult {
  report: CheckReport;
  /** The live API server did not answer: the report holds that one failed check (the CLI exits 2). */
  unreachable: boolean;
}

/** Check the Flux installation. `report.ok` is false when a check failed (including an unreachable server). */
export async function check(input: CheckInput): Promise<CheckResult> {
  const live = isLive(input);
  if (live) {
    try {
      loadKubeConfig(input);
    } catch (e) {
      if (e instanceof LiveError) throw new CoreError(e.message);
      throw e;
    }
  }
  let graph: Graph;
  try {
    graph = (await load(input)).graph;
  } catch (e) {
    if (!live || !(e instanceof CoreError)) throw e;
    return { report: unreachableReport(input, e.message), unreachable: true };
  }
  const target = live && input.probe !== false ? artifactProbeTarget(graph) : undefined;
  const probe = target
    ? await probeArtifact(target, input.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT, {
        allowLocal: input.allowLocalProbe === true,
      })
    : undefined;
  return { report: checkView(graph, { live, probe }), unreachable: false };
}
