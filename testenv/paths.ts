// Where the test environment keeps its builds and its running state: outside the repository.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type Tier, tier } from './versions.js';

export function cacheDir(): string {
  return process.env.FLUXDOCTOR_TESTENV_CACHE ?? join(homedir(), '.cache', 'fluxdoctor-testenv');
}

/** Binaries live in a directory keyed by every pinned version of the tier (see versions.ts). */
export function binDir(t: Tier = tier()): string {
  const hash = createHash('sha256').update(JSON.stringify(t.versions)).digest('hex').slice(0, 12);
  return join(cacheDir(), `bin-${hash}`);
}

/** The running environment: data, certificates, kubeconfig, logs, state file (one per tier). */
export function runDir(): string {
  const t = tier();
  return process.env.FLUXDOCTOR_TESTENV_RUN ?? join(cacheDir(), t.name === 'current' ? 'run' : `run-flux${t.name}`);
}

export const statePath = () => join(runDir(), 'state.json');
export const kubeconfigPath = () => join(runDir(), 'kubeconfig');

/** Whether every program a tier starts is built (etcd, kube-apiserver and its core controllers). */
export function tierBuilt(t: Tier = tier()): boolean {
  return ['etcd', 'kube-apiserver', ...t.core].every((b) => existsSync(join(binDir(t), b)));
}
