// Where the test environment keeps its builds and its running state: outside the repository.

import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { VERSIONS } from './versions.js';

export function cacheDir(): string {
  return process.env.FLUXDOCTOR_TESTENV_CACHE ?? join(homedir(), '.cache', 'fluxdoctor-testenv');
}

/** Binaries live in a directory keyed by every pinned version. */
export function binDir(): string {
  const hash = createHash('sha256').update(JSON.stringify(VERSIONS)).digest('hex').slice(0, 12);
  return join(cacheDir(), `bin-${hash}`);
}

/** The running environment: data, certificates, kubeconfig, logs, state file. */
export function runDir(): string {
  return process.env.FLUXDOCTOR_TESTENV_RUN ?? join(cacheDir(), 'run');
}

export const statePath = () => join(runDir(), 'state.json');
export const kubeconfigPath = () => join(runDir(), 'kubeconfig');
