// fluxdoctor mcp: the MCP server (src/mcp/server.ts) over stdio, or Streamable HTTP with --http.

import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Command } from 'commander';
import { createServer, type McpOptions } from '../../mcp/server.js';
import { action, type CliContext, CliError, EXIT_OK } from '../common.js';

interface Flags {
  allowWrite?: boolean;
  http?: boolean;
  listen: string;
  token?: string;
  fluxNamespace: string;
}

function version(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function parseListen(v: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(v);
  if (!m) throw new CliError(`--listen '${v}' is not HOST:PORT (for example 127.0.0.1:8765)`);
  const port = Number(m[3]);
  if (port > 65535) throw new CliError(`--listen '${v}': port out of range`);
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port };
}

function bearerOk(req: IncomingMessage, token: string): boolean {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer (.+)$/.exec(h);
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function reply(res: ServerResponse, status: number, message: string): void {
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 4 * 1024 * 1024) throw new Error('request body too large');
    chunks.push(c as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** Streamable HTTP, stateless: one server and transport per POST. Resolves when the listener closes. */
export async function serveHttp(
  opts: McpOptions,
  listen: { host: string; port: number },
  token: string | undefined,
  onListening?: (addr: string) => void,
): Promise<void> {
  const loopback = LOOPBACK.has(listen.host);
  const http = createHttpServer(async (req, res) => {
    try {
      if (token !== undefined && !bearerOk(req, token)) {
        res.setHeader('www-authenticate', 'Bearer');
        return reply(res, 401, 'unauthorized: send Authorization: Bearer <token>');
      }
      // Loopback without a token: refuse other Host names (DNS rebinding from a browser).
      if (loopback && token === undefined) {
        const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
        if (!LOOPBACK.has(host)) return reply(res, 403, 'forbidden host');
      }
      if (req.method !== 'POST') return reply(res, 405, 'method not allowed: this stateless server takes POST only');
      let body: unknown;
      try {
        body = await readBody(req);
      } catch (e) {
        return reply(res, 400, `bad request: ${(e as Error).message}`);
      }
      const server = createServer(opts);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    } catch (e) {
      if (!res.headersSent) reply(res, 500, `internal error: ${(e as Error).message}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(listen.port, listen.host, () => resolve());
  });
  const a = http.address();
  const addr = typeof a === 'object' && a ? `${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}` : '';
  onListening?.(addr);
  await new Promise<void>((resolve) => {
    http.on('close', resolve);
    const stop = () => http.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('mcp')
    .description('Run the MCP server: fluxdoctor’s tools for AI agents, over stdio (or Streamable HTTP with --http)')
    .option('--allow-write', 'also register the write tools: reconcile, suspend, resume')
    .option('--http', 'serve Streamable HTTP (stateless) instead of stdio')
    .option('--listen <host:port>', 'with --http: the address to listen on', '127.0.0.1:8765')
    .option('--token <token>', 'with --http: require Authorization: Bearer <token> (also FLUXDOCTOR_MCP_TOKEN)')
    .option('--flux-namespace <namespace>', 'default namespace of the Flux controllers', 'flux-system')
    .addHelpText(
      'after',
      `
Tools: diagnose, get_resources, tree, trace, events, logs, check, stats, explain_code, list_contexts;
with --allow-write also reconcile, suspend and resume. Each reads the live cluster (context,
kubeconfig arguments) or a snapshot path.
With --http the server listens on 127.0.0.1 by default; any other address requires --token.

Examples:
  fluxdoctor mcp
  fluxdoctor mcp --allow-write
  fluxdoctor mcp --http --listen 127.0.0.1:8765
  FLUXDOCTOR_MCP_TOKEN=s3cret fluxdoctor mcp --http --listen 0.0.0.0:8765`,
    )
    .action(
      action(ctx, async (flags: Flags) => {
        const opts: McpOptions = {
          allowWrite: flags.allowWrite === true,
          fluxNamespace: flags.fluxNamespace,
          version: version(),
        };
        if (flags.http) {
          const listen = parseListen(flags.listen);
          const token = flags.token ?? ctx.io.env.FLUXDOCTOR_MCP_TOKEN ?? undefined;
          if (!LOOPBACK.has(listen.host) && !token)
            throw new CliError(
              `--listen ${flags.listen} is not a loopback address: give --token (or FLUXDOCTOR_MCP_TOKEN) so every request must carry Authorization: Bearer`,
            );
          await serveHttp(opts, listen, token || undefined, (addr) =>
            ctx.io.stderr.write(`fluxdoctor mcp: listening on http://${addr}/mcp\n`),
          );
          return EXIT_OK;
        }
        const server = createServer(opts);
        const transport = new StdioServerTransport();
        const closed = new Promise<void>((resolve) => {
          transport.onclose = () => resolve();
          process.stdin.once('end', () => resolve());
          process.stdin.once('close', () => resolve());
        });
        await server.connect(transport);
        await closed;
        await server.close();
        return EXIT_OK;
      }),
    );
}
