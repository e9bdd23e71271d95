// kustomize.validation-failed: Server-side dry-run rejected an object.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'kustomize.validation-failed',
    severity: 'error',
    title: 'Server-side dry-run rejected an object',
    kinds: ['Kustomization'],
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
