// workload.oom: A container was OOMKilled.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'workload.oom',
    severity: 'error',
    title: 'A container was OOMKilled',
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
