// The Flux controllers as Deployments: their names, which are optional components, which Deployment
// stands for which controller, and which kinds each reconciles (from the kind table).

import { KINDS } from '../kinds/table.js';

/** Deployment names of the Flux controllers (and the Flux Operator), in a stable order. */
export const FLUX_CONTROLLERS = [
  'source-controller',
  'kustomize-controller',
  'helm-controller',
  'notification-controller',
  'image-reflector-controller',
  'image-automation-controller',
  'source-watcher',
  'flux-operator',
];

/** The Flux components flag that installs a controller (`flux install --components-extra=`). */
export const EXTRA_COMPONENTS: ReadonlySet<string> = new Set([
  'image-reflector-controller',
  'image-automation-controller',
  'source-watcher',
]);

/**
 * Which controller a Deployment name stands for: the exact name, or a sharded/prefixed variant
 * (`kustomize-controller-shard1`, `flux-kustomize-controller`).
 */
export function controllerOf(deploymentName: string): string | undefined {
  if (FLUX_CONTROLLERS.includes(deploymentName)) return deploymentName;
  return FLUX_CONTROLLERS.find((c) => deploymentName.startsWith(`${c}-`) || deploymentName.endsWith(`-${c}`));
}

/** Kinds the controller reconciles, from the kind table. */
export function kindsOf(controller: string): string[] {
  return KINDS.filter((k) => k.flux && k.controller === controller).map((k) => k.kind);
}
