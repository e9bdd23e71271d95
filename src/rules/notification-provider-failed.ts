// notification.provider-failed: Alerts cannot be delivered.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'notification.provider-failed',
    severity: 'error',
    title: 'Alerts cannot be delivered',
    kinds: ['Provider', 'Alert'],
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
