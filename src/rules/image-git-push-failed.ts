// image.git-push-failed: The image update commit could not be pushed.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'image.git-push-failed',
    severity: 'error',
    title: 'The image update commit could not be pushed',
    kinds: ['ImageUpdateAutomation'],
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
