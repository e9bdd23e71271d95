// Every controller message pattern, one module per emitting component (see types.ts).
// Add a module's PATTERNS here when you add the file.

import * as goGit from './go-git.js';
import * as helmController from './helm-controller.js';
import * as helmSdk from './helm-sdk.js';
import * as imageAutomationController from './image-automation-controller.js';
import * as imageReflectorController from './image-reflector-controller.js';
import * as kubernetes from './kubernetes.js';
import * as kustomizeController from './kustomize-controller.js';
import * as notificationController from './notification-controller.js';
import * as sourceController from './source-controller.js';
import * as ssa from './ssa.js';
import type { MessagePattern, ReasonSignal } from './types.js';

export type { Emitter, MessagePattern, ReasonSignal } from './types.js';

export const ALL_PATTERNS: MessagePattern[] = [
  ...goGit.PATTERNS,
  ...sourceController.PATTERNS,
  ...kustomizeController.PATTERNS,
  ...ssa.PATTERNS,
  ...helmController.PATTERNS,
  ...helmSdk.PATTERNS,
  ...notificationController.PATTERNS,
  ...imageAutomationController.PATTERNS,
  ...imageReflectorController.PATTERNS,
  ...kubernetes.PATTERNS,
];

/** Reasons that tell a cause on their own (modules that export `REASONS`). */
export const ALL_REASONS: ReasonSignal[] = [
  ...sourceController.REASONS,
  ...kustomizeController.REASONS,
  ...helmController.REASONS,
  ...notificationController.REASONS,
  ...imageAutomationController.REASONS,
  ...imageReflectorController.REASONS,
  ...kubernetes.REASONS,
];
