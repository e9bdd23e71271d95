// helm.release-pending: The release is stuck in a pending state.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'helm.release-pending',
    severity: 'error',
    title: 'The release is stuck in a pending state',
    kinds: ['HelmRelease'],
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
