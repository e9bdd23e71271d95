// flux.controller-unavailable: A Flux controller is not running or not ready.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'flux.controller-unavailable',
    severity: 'error',
    title: 'A Flux controller is not running or not ready',
    kinds: ['Deployment'],
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
