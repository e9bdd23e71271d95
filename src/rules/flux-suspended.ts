// flux.suspended: Reconciliation is suspended.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'flux.suspended',
    severity: 'warning',
    title: 'Reconciliation is suspended',
    kinds: ['*'],
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
