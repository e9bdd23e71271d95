// The MCP server: the same core as the CLI, as tools an agent can call. One file per tool in
// src/mcp/tools/ over a small shared helper (tools/common.ts); this file is the list. The write tools
// (reconcile, suspend, resume) are registered only when the server is created with allowWrite, and
// the instructions name only the tools that are registered.

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { defaultInputNote } from './default-input.js';
import { registerKnowledge } from './knowledge.js';
import { guardPathArgs } from './paths.js';
import { type McpOptions, PAGING_HELP, SHARED_ARGS_HELP, type Tool } from './tools/common.js';
import { TOOLS } from './tools/index.js';

export type { McpOptions } from './tools/common.js';
export { BUDGET_BYTES, DEFAULT_LIMIT, MAX_INNER, MAX_LIMIT, MAX_NODES } from './tools/common.js';
export { TOOLS } from './tools/index.js';

/** The tools a server with these options registers. */
export function toolsFor(opts: McpOptions): Tool[] {
  return TOOLS.filter((t) => !t.write || opts.allowWrite === true);
}

/** The server instructions: how to start, the shared arguments (described once), and the registered tools. */
export function instructionsFor(tools: Tool[], opts: McpOptions = {}): string {
  const names = tools.map((t) => t.name);
  const has = (n: string) => names.includes(n);
  const writes = ['reconcile', 'suspend', 'resume'].filter(has);
  return [
    'fluxdoctor finds what is broken in a FluxCD cluster and why. Start with `diagnose` (root causes with evidence and the fix), then `tree`, `trace`, `events` and `logs` on the objects it names, and `explain_code` for a finding code.',
    `Tools: ${names.join(', ')}.`,
    writes.length
      ? `${writes.join(', ')} write to the cluster: call them only when the user asks.`
      : 'This server is read-only.',
    defaultInputNote(opts),
    SHARED_ARGS_HELP,
    PAGING_HELP,
  ].join('\n');
}

export function createServer(opts: McpOptions = {}): McpServer {
  const tools = toolsFor(opts);
  const server = new McpServer(
    { name: 'fluxdoctor', version: opts.version ?? '0.0.0' },
    { instructions: instructionsFor(tools, opts) },
  );
  guardPathArgs(server, opts.paths ?? { mode: 'any' });
  for (const t of tools) t.register(server, opts);
  registerKnowledge(server);
  return server;
}
