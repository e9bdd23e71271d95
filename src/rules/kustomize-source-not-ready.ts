// kustomize.source-not-ready: The source artifact is not available.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'kustomize.source-not-ready',
    severity: 'error',
    title: 'The source artifact is not available',
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
