// source.verification-failed: Signature verification failed.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'source.verification-failed',
    severity: 'error',
    title: 'Signature verification failed',
    kinds: ['GitRepository', 'OCIRepository', 'HelmChart'],
    docs: {
      description: 'TODO',
      detection: 'TODO',
      fix: 'TODO',
      commands: [],
    },
  },
  check() {
    return undefined;
  },
};
