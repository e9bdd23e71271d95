// helm.secret-missing: A Secret or ConfigMap named in valuesFrom does not exist or lacks the key.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'helm.secret-missing',
    severity: 'error',
    title: 'A Secret or ConfigMap named in valuesFrom does not exist or lacks the key',
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
