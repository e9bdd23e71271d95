// source.unreachable: The remote cannot be reached.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'source.unreachable',
    severity: 'error',
    title: 'The remote cannot be reached',
    kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket', 'HelmChart', 'ImageRepository'],
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
