// kustomize.substitution-failed: Post-build variable substitution failed.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'kustomize.substitution-failed',
    severity: 'error',
    title: 'Post-build variable substitution failed',
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
