// source.tls: Certificate verification failed.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'source.tls',
    severity: 'error',
    title: 'Certificate verification failed',
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
