// Every MCP tool, in the order tools/list shows them. One file per tool, like cli/commands/<name>.ts.

import { checkTool } from './check.js';
import type { Tool } from './common.js';
import { diagnoseTool } from './diagnose.js';
import { eventsTool } from './events.js';
import { explainCodeTool } from './explain-code.js';
import { explainFieldTool } from './explain-field.js';
import { getObjectTool } from './get-object.js';
import { getResourcesTool } from './get-resources.js';
import { imageWhyTool } from './image-why.js';
import { listContextsTool } from './list-contexts.js';
import { logsTool } from './logs.js';
import { reconcileTool } from './reconcile.js';
import { resumeTool } from './resume.js';
import { searchDocsTool } from './search-docs.js';
import { statsTool } from './stats.js';
import { suspendTool } from './suspend.js';
import { traceTool } from './trace.js';
import { treeTool } from './tree.js';

export const TOOLS: Tool[] = [
  diagnoseTool,
  getResourcesTool,
  getObjectTool,
  treeTool,
  traceTool,
  eventsTool,
  logsTool,
  checkTool,
  imageWhyTool,
  statsTool,
  explainCodeTool,
  explainFieldTool,
  searchDocsTool,
  listContextsTool,
  reconcileTool,
  suspendTool,
  resumeTool,
];
