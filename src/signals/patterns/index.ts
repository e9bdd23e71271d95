// Every controller message pattern, one module per emitting component (see types.ts).
// Add a module's PATTERNS here when you add the file.

import * as goGit from './go-git.js';
import * as kubernetes from './kubernetes.js';
import * as kustomizeController from './kustomize-controller.js';
import * as sourceController from './source-controller.js';
import * as ssa from './ssa.js';
import type { MessagePattern, ReasonSignal } from './types.js';

export type { Emitter, MessagePattern, ReasonSignal } from './types.js';

export const ALL_PATTERNS: MessagePattern[] = [
  ...goGit.PATTERNS,
  ...sourceController.PATTERNS,
  ...kustomizeController.PATTERNS,
  ...ssa.PATTERNS,
  ...kubernetes.PATTERNS,
];

/** Reasons that tell a cause on their own (modules that export `REASONS`). */
export const ALL_REASONS: ReasonSignal[] = [...kubernetes.REASONS];
