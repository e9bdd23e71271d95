// Every controller message pattern, one module per emitting component (see types.ts).
// Add a module's PATTERNS here when you add the file.

import type { MessagePattern } from './types.js';

export type { Emitter, MessagePattern } from './types.js';

export const ALL_PATTERNS: MessagePattern[] = [];
