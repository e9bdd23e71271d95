// workload.not-ready: Pods never become ready, or a rollout does not progress.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'workload.not-ready',
    severity: 'error',
    title: 'Pods never become ready, or a rollout does not progress',
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
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
