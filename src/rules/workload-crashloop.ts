// workload.crashloop: A container keeps crashing.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'workload.crashloop',
    severity: 'error',
    title: 'A container keeps crashing',
    kinds: ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet'],
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
