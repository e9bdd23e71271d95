// Processes of the test environment: started detached (so `up` can return), logs to files, pids in
// the state file; every listener binds 127.0.0.1.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { statePath } from './paths.js';

export interface State {
  runDir: string;
  binDir: string;
  server: string;
  token: string;
  caFile: string;
  kubeconfig: string;
  ports: Record<string, number>;
  pids: Record<string, number>;
  logs: Record<string, string>;
  /** Basic-auth credentials of the private Git and Helm servers (test data, not a secret). */
  auth: { username: string; password: string };
  startedAt: string;
}

export function readState(): State | undefined {
  if (!existsSync(statePath())) return undefined;
  return JSON.parse(readFileSync(statePath(), 'utf8'));
}

export function writeState(s: State): void {
  writeFileSync(statePath(), `${JSON.stringify(s, null, 2)}\n`);
}

export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Free TCP ports on 127.0.0.1. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<import('node:net').Server>((resolve, reject) => {
          const s = createServer();
          s.on('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export function startProcess(
  cmd: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv = {},
  cwd?: string,
): number {
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...env },
    cwd,
  });
  closeSync(fd);
  child.unref();
  if (!child.pid) throw new Error(`could not start ${cmd}`);
  return child.pid;
}

export async function stopProcess(pid: number, graceMs = 5000): Promise<void> {
  if (!alive(pid)) return;
  try {
    process.kill(-pid, 'SIGTERM'); // the process group: detached children lead their own
  } catch {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {}
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && alive(pid)) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
  }
}

/** GET a URL until it answers 200 (https with a CA, optional bearer token). */
export async function waitHttp(
  url: string,
  opts: { ca?: Buffer; token?: string; timeoutMs?: number; pid?: number; log?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let last = '';
  while (Date.now() < deadline) {
    if (opts.pid && !alive(opts.pid)) {
      const tail = opts.log && existsSync(opts.log) ? readFileSync(opts.log, 'utf8').slice(-3000) : '';
      throw new Error(`process for ${url} exited\n${tail}`);
    }
    try {
      const code = await new Promise<number>((resolve, reject) => {
        const u = new URL(url);
        const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
          u,
          { ca: opts.ca, headers: opts.token ? { Authorization: `Bearer ${opts.token}` } : {}, timeout: 2000 },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.end();
      });
      if (code === 200) return;
      last = `HTTP ${code}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready: ${last}`);
}
