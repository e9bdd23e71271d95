// Run the CLI in this process with captured output: the one runner the CLI tests share.

import { type Io, main } from '../src/cli/main.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** `fluxdoctor ARGS…` with stdout and stderr captured (not a terminal) and the given environment. */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env,
  };
  const code = await main(['node', 'fluxdoctor', ...args], io);
  return { code, out, err };
}
