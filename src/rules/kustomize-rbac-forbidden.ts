// kustomize.rbac-forbidden: The service account may not apply or prune an object.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'kustomize.rbac-forbidden',
    severity: 'error',
    title: 'The service account may not apply or prune an object',
    kinds: ['Kustomization', 'HelmRelease'],
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
