// workload.unschedulable: Pods cannot be scheduled.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'workload.unschedulable',
    severity: 'error',
    title: 'Pods cannot be scheduled',
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
