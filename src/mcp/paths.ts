// Path arguments of MCP tools (`snapshot`, `logs`, `kubeconfig`): the server reads them with its own
// rights. Over stdio the client is the user who started the server, so any path works as on the
// command line. Over HTTP any client that reaches the port could read any file the server can, so
// paths are refused unless the server was started with --snapshot-root DIR, and then only paths
// that resolve under DIR (after following every symlink, also those inside a directory) are read.
// Errors name the argument and the reason, never the content of a file.

import type { Dirent } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { cleanLine } from '../render/sanitize.js';

/**
 * any: every path (stdio without --snapshot-root); none: no path at all (HTTP without
 * --snapshot-root); root: only under `root` (a real path, no symlink in it).
 */
export type PathPolicy = { mode: 'any' } | { mode: 'none' } | { mode: 'root'; root: string };

/** The tool arguments that name files on the server. */
export const PATH_ARGS = ['snapshot', 'logs', 'kubeconfig'] as const;

/** At most this many directory entries are looked at under one path argument. */
export const MAX_WALK_ENTRIES = 100_000;

export class PathRefused extends Error {}

/** The policy for a --snapshot-root (or none): the root must be an existing directory. */
export async function pathPolicy(root: string | undefined, http: boolean): Promise<PathPolicy> {
  if (root === undefined) return http ? { mode: 'none' } : { mode: 'any' };
  let real: string;
  try {
    real = await realpath(resolve(root));
  } catch {
    throw new PathRefused(`--snapshot-root ${root}: no such directory`);
  }
  if (!(await stat(real)).isDirectory()) throw new PathRefused(`--snapshot-root ${root}: not a directory`);
  return { mode: 'root', root: real };
}

const under = (root: string, p: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

const show = (p: string) => `'${cleanLine(p, 300)}'`;

function kindOf(d: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }) {
  if (d.isFIFO()) return 'a FIFO';
  if (d.isSocket()) return 'a socket';
  if (d.isCharacterDevice() || d.isBlockDevice()) return 'a device';
  return undefined;
}

/**
 * Checks one path argument under the policy and returns the path to read (its real path under a
 * root). Throws PathRefused with a message naming the argument.
 */
export async function checkPath(arg: string, value: string, policy: PathPolicy): Promise<string> {
  if (policy.mode === 'any') return value;
  if (policy.mode === 'none')
    throw new PathRefused(
      `${arg}: file paths are not accepted over HTTP: start the server with --snapshot-root DIR to allow paths under DIR`,
    );
  const root = policy.root;
  if (value.includes('\0')) throw new PathRefused(`${arg}: the path contains a NUL character`);
  // Relative paths are relative to the root; the lexical check comes first, so a path outside the
  // root is refused without looking at the file system (no existence oracle).
  const abs = isAbsolute(value) ? resolve(value) : resolve(root, value);
  if (!under(root, abs)) throw new PathRefused(`${arg}: ${show(value)} is outside --snapshot-root`);
  let real: string;
  try {
    real = await realpath(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PathRefused(
      `${arg}: ${show(value)} ${code === 'ENOENT' ? 'does not exist' : code === 'ELOOP' ? 'is a symlink loop' : `cannot be resolved (${code ?? 'error'})`}`,
    );
  }
  if (!under(root, real)) throw new PathRefused(`${arg}: ${show(value)} leads outside --snapshot-root (a symlink)`);
  const st = await stat(real);
  const special = kindOf(st);
  if (special) throw new PathRefused(`${arg}: ${show(value)} is ${special}, not a regular file or directory`);
  if (st.isDirectory()) await checkTree(arg, value, real, root);
  return real;
}

/**
 * Every entry the directory reader could follow must stay under the root: symlinks (to files or to
 * directories, which are walked too) are resolved; special files are refused. Iterative, with a
 * visited set (symlink loops) and an entry bound.
 */
async function checkTree(arg: string, value: string, dir: string, root: string): Promise<void> {
  const visited = new Set<string>([dir]);
  const queue = [dir];
  let entries = 0;
  while (queue.length > 0) {
    const d = queue.pop()!;
    let list: Dirent[];
    try {
      list = await readdir(d, { withFileTypes: true });
    } catch {
      continue; // an unreadable directory is the reader's problem to report, not an escape
    }
    for (const e of list) {
      if (++entries > MAX_WALK_ENTRIES)
        throw new PathRefused(`${arg}: ${show(value)} has more than ${MAX_WALK_ENTRIES} entries`);
      const p = join(d, e.name);
      let target = p;
      if (e.isSymbolicLink()) {
        try {
          target = await realpath(p);
        } catch {
          continue; // dangling or looping: nothing is read through it
        }
        if (!under(root, target))
          throw new PathRefused(
            `${arg}: ${show(value)} contains a symlink that leads outside --snapshot-root (${cleanLine(p.slice(root.length + 1), 300)})`,
          );
      }
      const st = e.isSymbolicLink() ? await stat(target).catch(() => undefined) : await lstat(p).catch(() => undefined);
      if (!st) continue;
      const special = kindOf(st);
      if (special)
        throw new PathRefused(
          `${arg}: ${show(value)} contains ${special} (${cleanLine(p.slice(root.length + 1), 300)}), not a regular file`,
        );
      if (st.isDirectory() && !visited.has(target)) {
        visited.add(target);
        queue.push(target);
      }
    }
  }
}

/** The path arguments of one call, checked; the values are replaced by the paths to read. */
export async function checkPathArgs<A>(args: A, policy: PathPolicy): Promise<A> {
  if (policy.mode === 'any' || typeof args !== 'object' || args === null) return args;
  const out: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  for (const arg of PATH_ARGS) {
    const v = out[arg];
    if (v === undefined) continue;
    if (typeof v === 'string') {
      // '-' (stdin) is refused by the tools themselves with their own message.
      if (v !== '-') out[arg] = await checkPath(arg, v, policy);
    } else if (Array.isArray(v)) {
      const checked: unknown[] = [];
      for (const x of v) checked.push(typeof x === 'string' && x !== '-' ? await checkPath(arg, x, policy) : x);
      out[arg] = checked;
    }
  }
  return out as A;
}

/**
 * Makes every tool registered on `server` from now on check its path arguments first: a refused
 * path is a tool error naming the argument. Call right after creating the server.
 */
export function guardPathArgs(server: McpServer, policy: PathPolicy): void {
  if (policy.mode === 'any') return;
  type Handler = (args: unknown, extra: unknown) => unknown;
  type Register = (name: string, config: { inputSchema?: unknown }, cb: Handler) => unknown;
  const register = server.registerTool.bind(server) as unknown as Register;
  const guarded: Register = (name, config, cb) =>
    config?.inputSchema === undefined
      ? register(name, config, cb)
      : register(name, config, async (args, extra) => {
          let checked: unknown;
          try {
            checked = await checkPathArgs(args, policy);
          } catch (e) {
            if (e instanceof PathRefused)
              return { isError: true, content: [{ type: 'text', text: cleanLine(e.message, 2000) }] } as CallToolResult;
            throw e;
          }
          return cb(checked, extra);
        });
  (server as unknown as { registerTool: Register }).registerTool = guarded;
}
