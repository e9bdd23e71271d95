// notification.receiver-secret-missing: The Receiver's token Secret is missing.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'notification.receiver-secret-missing',
    severity: 'error',
    title: "The Receiver's token Secret is missing",
    kinds: ['Receiver'],
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
