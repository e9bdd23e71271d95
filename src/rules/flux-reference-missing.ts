// flux.reference-missing: A referenced Flux object does not exist.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'flux.reference-missing',
    severity: 'error',
    title: 'A referenced Flux object does not exist',
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
