// The fluxdoctor command line: thin commands that parse flags, call the core and render.
// Each command lives in src/cli/commands/<name>.ts and registers itself here.

import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { safeStream } from '../render/sanitize.js';
import { register as check } from './commands/check.js';
import { register as codes } from './commands/codes.js';
import { register as diagnose } from './commands/diagnose.js';
import { register as docs } from './commands/docs.js';
import { register as events } from './commands/events.js';
import { register as get } from './commands/get.js';
import { register as logs } from './commands/logs.js';
import { register as mcp } from './commands/mcp.js';
import { register as reconcile } from './commands/reconcile.js';
import { register as skill } from './commands/skill.js';
import { register as snapshot } from './commands/snapshot.js';
import { register as stats } from './commands/stats.js';
import { register as trace } from './commands/trace.js';
import { register as tree } from './commands/tree.js';
import { register as watch } from './commands/watch.js';
import { type CliContext, EXIT_INPUT, EXIT_OK, type Io } from './common.js';

export { safeOutput } from '../render/sanitize.js';
export { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, type Io } from './common.js';

const defaultIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, env: process.env });

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

/** Every command, in the order `--help` lists them. */
const COMMANDS: ((program: Command, ctx: CliContext) => void)[] = [
  diagnose,
  check,
  get,
  stats,
  tree,
  trace,
  events,
  logs,
  snapshot,
  reconcile,
  watch,
  codes,
  docs,
  mcp,
  skill,
];

export async function main(argv: string[], given: Io = defaultIo()): Promise<number> {
  // Every byte the CLI writes passes the output sanitiser: cluster and file text can never bring
  // an escape sequence, a control, bidi or zero-width character to the terminal, on stdout or stderr.
  const io: Io = { ...given, stdout: safeStream(given.stdout), stderr: safeStream(given.stderr) };
  const ctx: CliContext = { io, exit: EXIT_OK };
  const program = new Command();
  program
    .name('fluxdoctor')
    .description('Finds what is broken in a FluxCD cluster and why: the root cause, the evidence and the fix.')
    .version(version(), '--version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();
  for (const register of COMMANDS) register(program, ctx);

  try {
    await program.parseAsync(argv);
  } catch (e) {
    // commander's exitOverride: help and version exit 0; usage errors exit 2.
    const err = e as { code?: string; exitCode?: number };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
      return EXIT_OK;
    if (typeof err.exitCode === 'number') return err.exitCode === 0 ? EXIT_OK : EXIT_INPUT;
    throw e;
  }
  return ctx.exit;
}
