// flux.dependency-cycle: dependsOn entries form a cycle.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'flux.dependency-cycle',
    severity: 'error',
    title: 'dependsOn entries form a cycle',
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
