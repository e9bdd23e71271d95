// flux.stale-generation: The controller has not observed the latest spec.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'flux.stale-generation',
    severity: 'warning',
    title: 'The controller has not observed the latest spec',
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
