// The fluxdoctor command line: thin commands that parse flags, call the core and render.
// Each command lives in src/cli/commands/<name>.ts and registers itself. Only the module of the
// command that runs is loaded (a dynamic import): `--version`, `--help` and `diagnose --snapshot`
// do not pay for the MCP SDK, the Kubernetes client or the knowledge base. `--help` lists every
// command from the static table below, which test/lazy-load.test.ts keeps equal to what the modules
// register.

import { readFileSync } from 'node:fs';
import { Command, type Help } from 'commander';
import { safeStream } from '../render/sanitize.js';
import { type CliContext, EXIT_INPUT, EXIT_OK, type Io } from './io.js';

export { safeOutput } from '../render/sanitize.js';
export { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, type Io } from './io.js';

const defaultIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, env: process.env });

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

type Register = (program: Command, ctx: CliContext) => void;

/** One command as `--help` lists it: its name, its usage term and its description. */
export interface CommandEntry {
  name: string;
  term: string;
  description: string;
}

/** A command module: the commands it registers (in order) and how to load it. */
export interface CommandModule {
  commands: CommandEntry[];
  load: () => Promise<{ register: Register }>;
}

const c = (name: string, args: string, description: string): CommandEntry => ({
  name,
  term: `${name}${args ? ` ${args}` : ''}`,
  description,
});

/** Every command module, in the order `--help` lists them. */
export const COMMAND_MODULES: CommandModule[] = [
  {
    commands: [
      c(
        'diagnose',
        '[options]',
        'Find failing Flux objects and report each root cause once, with evidence and the fix',
      ),
    ],
    load: () => import('./commands/diagnose.js'),
  },
  {
    commands: [
      c(
        'check',
        '[options]',
        'Check the Flux installation: API server and version, controllers, CRDs and API versions, artifact storage',
      ),
    ],
    load: () => import('./commands/check.js'),
  },
  {
    commands: [
      c(
        'get',
        '[options] [kind] [name]',
        'Show the status of Flux objects: ready state, reason, revision, last reconcile, suspended',
      ),
    ],
    load: () => import('./commands/get.js'),
  },
  {
    commands: [
      c('stats', '[options]', 'Count Flux objects per kind: total, ready, failing, suspended, waiting, progressing'),
    ],
    load: () => import('./commands/stats.js'),
  },
  {
    commands: [
      c(
        'tree',
        '[options] [target...]',
        'Show what a Kustomization or HelmRelease applied, down through nested Flux objects to workloads and pods',
      ),
    ],
    load: () => import('./commands/tree.js'),
  },
  {
    commands: [
      c(
        'trace',
        '[options] <target...>',
        'Trace any object up its chain: what applied it, that one’s source and revision, its dependencies — all the way up',
      ),
    ],
    load: () => import('./commands/trace.js'),
  },
  {
    commands: [
      c(
        'image',
        '',
        'Image automation: `image why POLICY` evaluates an ImagePolicy as image-reflector-controller does (the tag funnel, the winner, why a tag is dropped)',
      ),
    ],
    load: () => import('./commands/image.js'),
  },
  {
    commands: [
      c(
        'alert',
        '',
        'Notifications: `alert test ALERT` shows which recent events an Alert forwards or drops and why, checks its Provider; --send delivers a test event',
      ),
    ],
    load: () => import('./commands/alert.js'),
  },
  {
    commands: [
      c('events', '[options]', 'Show the events of Flux objects and what they manage, warnings first, newest first'),
    ],
    load: () => import('./commands/events.js'),
  },
  {
    commands: [
      c(
        'logs',
        '[options]',
        "Show the Flux controllers' log lines about an object (or all objects), across every controller",
      ),
    ],
    load: () => import('./commands/logs.js'),
  },
  {
    commands: [
      c(
        'snapshot',
        '[options]',
        'Capture the cluster state fluxdoctor reads into one file (a support bundle, mode 0600; Secret, Helm, env and substitution values removed)',
      ),
    ],
    load: () => import('./commands/snapshot.js'),
  },
  {
    commands: [
      c(
        'reconcile',
        '[options] <target...>',
        'Ask the controller to reconcile an object now (as flux reconcile), wait, and report its health',
      ),
      c(
        'suspend',
        '[options] <target...>',
        'Suspend the reconciliation of an object (as flux suspend: spec.suspend: true)',
      ),
      c(
        'resume',
        '[options] <target...>',
        'Resume a suspended object (as flux resume), wait for its reconcile, and report its health',
      ),
    ],
    load: () => import('./commands/reconcile.js'),
  },
  {
    commands: [
      c('watch', '[options]', 'Watch the Flux objects and print every change of health as it happens (until Ctrl-C)'),
    ],
    load: () => import('./commands/watch.js'),
  },
  {
    commands: [
      c(
        'explain',
        '[options] <code-or-field>',
        'Print the page of a diagnosis code (what it means, how it is detected, how to fix it), or explain a field of a Flux kind like kubectl explain',
      ),
      c('codes', '[options]', 'List every diagnosis code'),
    ],
    load: () => import('./commands/codes.js'),
  },
  {
    commands: [c('docs', '', 'The Flux knowledge base: API reference, workflows, practices, commands')],
    load: () => import('./commands/docs.js'),
  },
  {
    commands: [
      c(
        'mcp',
        '[options]',
        'Run the MCP server: fluxdoctor’s tools for AI agents, over stdio (or Streamable HTTP with --http)',
      ),
    ],
    load: () => import('./commands/mcp.js'),
  },
  {
    commands: [c('skill', '', 'An agent skill folder that teaches an agent to use fluxdoctor')],
    load: () => import('./commands/skill.js'),
  },
];

/** The program without its commands: name, description, version, output and error handling. */
export function newProgram(io: Io): Command {
  return new Command()
    .name('fluxdoctor')
    .description('Finds what is broken in a FluxCD cluster and why: the root cause, the evidence and the fix.')
    .version(version(), '--version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();
}

/** The command word of argv (`help X` names X), if it is one of ours. */
function invoked(argv: string[]): CommandModule | undefined {
  const words = argv.slice(2);
  let word = words[0];
  if (word === 'help') word = words[1];
  if (word === undefined || word.startsWith('-')) return undefined;
  return COMMAND_MODULES.find((m) => m.commands.some((e) => e.name === word));
}

export async function main(argv: string[], given: Io = defaultIo()): Promise<number> {
  // Every byte the CLI writes passes the output sanitiser: cluster and file text can never bring
  // an escape sequence, a control, bidi or zero-width character to the terminal, on stdout or stderr.
  const io: Io = { ...given, stdout: safeStream(given.stdout), stderr: safeStream(given.stderr) };
  const ctx: CliContext = { io, exit: EXIT_OK };
  const program = newProgram(io);
  // The command that runs is registered in full; the others are stubs that `--help` lists (and
  // commander's "unknown command … Did you mean" suggests) with their usage from the table.
  const run = invoked(argv);
  const terms = new Map<string, string>();
  for (const m of COMMAND_MODULES) {
    if (m === run) {
      (await m.load()).register(program, ctx);
      continue;
    }
    for (const e of m.commands) {
      program.command(e.name).description(e.description);
      terms.set(e.name, e.term);
    }
  }
  const help = program.createHelp();
  program.configureHelp({
    subcommandTerm: (cmd) => terms.get(cmd.name()) ?? help.subcommandTerm.call(help as Help, cmd),
  });

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
