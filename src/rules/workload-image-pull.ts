// workload.image-pull: The image cannot be pulled.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'workload.image-pull',
    severity: 'error',
    title: 'The image cannot be pulled',
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
