// source.secret-missing: A Secret referenced by a source does not exist or lacks keys.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'source.secret-missing',
    severity: 'error',
    title: 'A Secret referenced by a source does not exist or lacks keys',
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
