// Where the Flux controllers run. Most clusters use flux-system, but Flux is also installed into
// other namespaces (`flux install --namespace`, the Flux Operator's FluxInstance, Helm charts of the
// community), and then every controller check, log read and command must use that one.

import { KINDS } from '../kinds/table.js';
import type { K8sObject } from '../types.js';

export const DEFAULT_FLUX_NAMESPACE = 'flux-system';

/** The Deployment names of the controllers that reconcile the Flux kinds. */
export const CONTROLLER_NAMES: ReadonlySet<string> = new Set(
  KINDS.flatMap((k) => (k.flux && k.controller ? [k.controller] : [])),
);

const PART_OF = 'app.kubernetes.io/part-of';

/** Is this Deployment one of the Flux controllers? (by name, or `part-of: flux` with a controller-like name) */
export function isControllerDeployment(d: K8sObject): boolean {
  if (d.kind !== 'Deployment') return false;
  const name = d.metadata?.name ?? '';
  if (CONTROLLER_NAMES.has(name)) return true;
  const labels = d.metadata?.labels ?? {};
  return labels[PART_OF] === 'flux' && /-controller$/.test(name);
}

/**
 * The namespace that holds the most Flux controller Deployments (flux-system wins a tie), or
 * undefined when the objects hold none. One Deployment that is merely named like a controller (an
 * application's own `source-controller`) is not enough: a namespace needs two controllers, or one
 * labelled `app.kubernetes.io/part-of: flux` as the Flux install manifests label them.
 */
export function detectFluxNamespace(objects: Iterable<K8sObject>): string | undefined {
  const count = new Map<string, number>();
  const labelled = new Set<string>();
  for (const o of objects) {
    if (!isControllerDeployment(o)) continue;
    const ns = o.metadata?.namespace;
    if (!ns) continue;
    count.set(ns, (count.get(ns) ?? 0) + 1);
    if (o.metadata?.labels?.[PART_OF] === 'flux') labelled.add(ns);
  }
  let best: string | undefined;
  let n = 0;
  for (const [ns, c] of count) {
    if (c < 2 && !labelled.has(ns)) continue;
    if (c > n || (c === n && ns === DEFAULT_FLUX_NAMESPACE)) {
      best = ns;
      n = c;
    }
  }
  return best;
}

/**
 * The Flux namespace for a set of objects: the one asked for; else the recorded one when controllers
 * run there (or nothing says otherwise); else the detected one; else flux-system.
 */
export function fluxNamespaceOf(objects: K8sObject[], asked?: string, recorded?: string): string {
  if (asked) return asked;
  const detected = detectFluxNamespace(objects);
  if (recorded && (!detected || objects.some((o) => isControllerDeployment(o) && o.metadata?.namespace === recorded)))
    return recorded;
  return detected ?? recorded ?? DEFAULT_FLUX_NAMESPACE;
}
