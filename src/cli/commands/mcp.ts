// fluxdoctor mcp: the MCP server (src/mcp/server.ts, one tool per file in src/mcp/tools/) over stdio, or Streamable HTTP with --http.

import { timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Command } from 'commander';
import { corsHeaders, type HttpPolicy, PREFLIGHT_HEADERS, parseAllowOrigin, refuseRequest } from '../../mcp/http.js';
import { type PathPolicy, pathPolicy } from '../../mcp/paths.js';
import { createServer, type McpOptions } from '../../mcp/server.js';
import { action, type CliContext, CliError, EXIT_OK } from '../common.js';

interface Flags {
  allowWrite?: boolean;
  allowOrigin: string[];
  snapshotRoot?: string;
  http?: boolean;
  listen: string;
  token?: string;
  fluxNamespace?: string;
  snapshot: string[];
}

function version(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}

/**
 * The `--snapshot` paths, checked at start (the operator chose them, so the path policy does not
 * apply): each must be a file or directory, or the server does not start (exit 2). '-' (stdin) is
 * the MCP channel under stdio and cannot be a snapshot.
 */
export function checkDefaultSnapshot(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (p === '-') throw new CliError("--snapshot '-': stdin is the MCP channel; give a file or directory");
    let st: import('node:fs').Stats;
    try {
      st = statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new CliError(
        `--snapshot ${p}: ${code === 'ENOENT' ? 'no such file or directory' : (code ?? 'cannot read')}`,
      );
    }
    if (!st.isFile() && !st.isDirectory()) throw new CliError(`--snapshot ${p}: not a file or directory`);
    out.push(resolve(p));
  }
  return out;
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
  allowOrigins: string[] = [],
): Promise<void> {
  const policy: HttpPolicy = { allowOrigins, loopback: LOOPBACK.has(listen.host), listenHost: listen.host };
  const http = createHttpServer(async (req, res) => {
    try {
      // Host and Origin first (DNS rebinding, cross-site requests): before the token, and for preflights.
      const refused = refuseRequest(req.headers, policy);
      if (refused) return reply(res, refused.status, refused.message);
      const cors = corsHeaders(req.headers);
      for (const [k, v] of Object.entries(cors)) res.setHeader(k, v);
      if (req.method === 'OPTIONS' && req.headers.origin !== undefined)
        return void res.writeHead(204, PREFLIGHT_HEADERS).end();
      if (token !== undefined && !bearerOk(req, token)) {
        res.setHeader('www-authenticate', 'Bearer');
        return reply(res, 401, 'unauthorized: send Authorization: Bearer <token>');
      }
      if (req.method !== 'POST') return reply(res, 405, 'method not allowed: this stateless server takes POST only');
      let body: unknown;
      try {
        body = await readBody(req);
      } catch (e) {
        return reply(res, 400, `bad request: ${(e as Error).message}`);
      }
      const server = createServer({ ...opts, statelessHttp: true });
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
    .option(
      '--allow-origin <origin>',
      'with --http: serve browser requests from this origin (repeatable; default none: requests with an Origin header are refused)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option(
      '--snapshot-root <dir>',
      'tools read snapshot, logs and kubeconfig paths only under this directory (over --http, paths are refused without it)',
    )
    .option(
      '--flux-namespace <namespace>',
      'default namespace of the Flux controllers (default: where the controller Deployments run, else flux-system)',
    )
    .option(
      '--snapshot <path>',
      'serve this snapshot file or directory (a support bundle) by default: tools without a snapshot, context or kubeconfig argument read it (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .addHelpText(
      'after',
      `
Tools: diagnose, get_resources, tree, trace, events, logs, check, stats, explain_code, explain_field,
search_docs, list_contexts; with --allow-write also reconcile, suspend and resume. Each reads the live
cluster (context, kubeconfig arguments) or a snapshot path; results are JSON within about 20 KB,
paged with offset/limit (docs/mcp.md).
With --http the server listens on 127.0.0.1 by default; any other address requires --token.
Over --http, path arguments (snapshot, logs, kubeconfig) are refused unless --snapshot-root DIR is
given, and then only paths under DIR are read; requests with an Origin header are refused unless the
origin is given with --allow-origin; on a loopback address the Host header must be a loopback name.
A kubeconfig with an exec user runs that program with the server's rights: use kubeconfigs you trust.

Examples:
  fluxdoctor mcp
  fluxdoctor mcp --allow-write
  fluxdoctor mcp --snapshot ./support-bundle.yaml
  fluxdoctor mcp --http --listen 127.0.0.1:8765 --snapshot-root ./snapshots
  fluxdoctor mcp --http --allow-origin http://localhost:6274
  FLUXDOCTOR_MCP_TOKEN=s3cret fluxdoctor mcp --http --listen 0.0.0.0:8765`,
    )
    .action(
      action(ctx, async (flags: Flags) => {
        let paths: PathPolicy;
        let allowOrigins: string[];
        try {
          paths = await pathPolicy(flags.snapshotRoot, flags.http === true);
          allowOrigins = flags.allowOrigin.map(parseAllowOrigin);
        } catch (e) {
          throw new CliError((e as Error).message);
        }
        if (allowOrigins.length > 0 && !flags.http) throw new CliError('--allow-origin is for --http');
        const defaultSnapshot = checkDefaultSnapshot(flags.snapshot);
        const opts: McpOptions = {
          ...(defaultSnapshot.length ? { defaultSnapshot } : {}),
          allowWrite: flags.allowWrite === true,
          fluxNamespace: flags.fluxNamespace,
          version: version(),
          paths,
        };
        if (flags.http) {
          const listen = parseListen(flags.listen);
          const token = flags.token ?? ctx.io.env.FLUXDOCTOR_MCP_TOKEN ?? undefined;
          if (!LOOPBACK.has(listen.host) && !token)
            throw new CliError(
              `--listen ${flags.listen} is not a loopback address: give --token (or FLUXDOCTOR_MCP_TOKEN) so every request must carry Authorization: Bearer`,
            );
          await serveHttp(
            opts,
            listen,
            token || undefined,
            (addr) => ctx.io.stderr.write(`fluxdoctor mcp: listening on http://${addr}/mcp\n`),
            allowOrigins,
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
