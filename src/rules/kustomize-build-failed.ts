// kustomize.build-failed: kustomize build of the path failed.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'kustomize.build-failed',
    severity: 'error',
    title: 'kustomize build of the path failed',
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
