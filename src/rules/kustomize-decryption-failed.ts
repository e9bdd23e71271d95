// kustomize.decryption-failed: SOPS decryption failed.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'kustomize.decryption-failed',
    severity: 'error',
    title: 'SOPS decryption failed',
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
