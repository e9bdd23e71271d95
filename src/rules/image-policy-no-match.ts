// image.policy-no-match: No tag matches the image policy.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'image.policy-no-match',
    severity: 'error',
    title: 'No tag matches the image policy',
    kinds: ['ImagePolicy'],
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
