// flux.crd-missing: A Flux CRD or API version the objects use is not installed.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'flux.crd-missing',
    severity: 'error',
    title: 'A Flux CRD or API version the objects use is not installed',
    kinds: ['CustomResourceDefinition'],
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
