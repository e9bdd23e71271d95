// fluxdoctor reconcile | suspend | resume KIND/NAME: the only commands that write to the cluster.
// The core (src/core/verbs.ts) changes only what the flux CLI changes, waits for the controller and
// reads the cluster again; this file renders its progress on stderr (a spinner on a TTY) and the
// object's new health and any finding about it.

import { type Command, InvalidArgumentError, Option } from 'commander';
import { type Verb, type VerbOptions, type VerbProgress, type VerbResult, verbs } from '../../core/verbs.js';
import { colors } from '../../render/color.js';
import { renderText } from '../../render/report.js';
import { cleanLine } from '../../render/sanitize.js';
import { verbDoc } from '../../render/verb.js';
import type { ObjRef } from '../../types.js';
import {
  action,
  type CliContext,
  CliError,
  EXIT_FINDINGS,
  EXIT_OK,
  type Io,
  requestTimeoutOption,
  useColor,
} from '../common.js';
import { formatOption, printData } from '../view-options.js';

interface VerbFlags {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  fluxNamespace?: string;
  requestTimeout: number;
  timeout: number;
  color?: boolean;
  snapshot?: string[];
  withSource?: boolean;
  force?: boolean;
  reset?: boolean;
  wait?: boolean;
  output: 'text' | 'json' | 'yaml';
}

function duration(v: string): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(v);
  if (!m) throw new InvalidArgumentError('a duration such as 30s, 2m or 1h');
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : m[2] === 'h' ? n * 3_600_000 : n * 1000;
}

function verbOptions(cmd: Command): Command {
  return cmd
    .argument(
      '<target...>',
      'KIND/NAME, KIND/NAMESPACE/NAME or KIND NAME (kind as kubectl or flux spell it: ks, hr, gitrepo, …)',
    )
    .option(
      '-n, --namespace <namespace>',
      'namespace of the object (default: the namespace in the target, else the one namespace where the name exists)',
    )
    .option('--context <name>', 'kubeconfig context to use')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config, or in-cluster)')
    .option(
      '--flux-namespace <namespace>',
      'namespace of the Flux controllers (default: where the controller Deployments run, else flux-system)',
    )
    .addOption(requestTimeoutOption())
    .addOption(
      formatOption(
        ['text', 'json', 'yaml'],
        'output format (json/yaml: the structured result, as the MCP tools return it)',
      ),
    )
    .option('--no-color', 'disable colour (also NO_COLOR=1)')
    .addOption(new Option('--snapshot <path>', 'not accepted: this command writes to a live cluster').hideHelp());
}

const show = (r: ObjRef) =>
  `${r.kind} ${r.namespace ? `${cleanLine(r.namespace, 100)}/` : ''}${cleanLine(r.name, 300)}`;

const SPIN = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A progress line on stderr while waiting, only on a TTY. */
function progressLine(io: Io, env: NodeJS.ProcessEnv) {
  const on = io.stderr.isTTY === true && env.CI === undefined;
  let text = '';
  let i = 0;
  const t0 = Date.now();
  const draw = () => {
    if (!on) return;
    const secs = Math.round((Date.now() - t0) / 1000);
    io.stderr.write(`\r\u001b[2K${SPIN[i++ % SPIN.length]} ${text} (${secs}s)`);
  };
  const timer = on ? setInterval(draw, 120) : undefined;
  return {
    set(t: string) {
      text = t;
      draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      if (on) io.stderr.write('\r\u001b[2K');
    },
  };
}

/** The core's progress as the lines on stderr the flux CLI prints, and a spinner while waiting. */
function progress(io: Io) {
  let line: ReturnType<typeof progressLine> | undefined;
  const stop = () => {
    line?.stop();
    line = undefined;
  };
  const onProgress = (e: VerbProgress) => {
    switch (e.type) {
      case 'requested':
        io.stderr.write(`► reconcile requested: ${show(e.ref)} (reconcile.fluxcd.io/requestedAt=${e.requestedAt})\n`);
        break;
      case 'static':
        io.stderr.write(`► ${show(e.ref)}: reconciliation not supported by the object (it has no reconciler)\n`);
        break;
      case 'resumed':
        io.stderr.write(`► resumed ${show(e.ref)}\n`);
        break;
      case 'waiting':
        line ??= progressLine(io, io.env);
        line.set(`${show(e.ref)}: ${e.phase}`);
        break;
      case 'source-not-ready':
        io.stderr.write(`✗ the source ${show(e.source)} did not become ready; ${show(e.target)} was not reconciled\n`);
        break;
      case 'reading':
        line ??= progressLine(io, io.env);
        line.set('reading the cluster for findings');
        break;
      default:
        stop();
    }
  };
  return { onProgress, stop };
}

/** Print the object's fresh health and every finding about it. */
function printReport(io: Io, flags: VerbFlags, r: VerbResult): number {
  const c = colors(useColor(io, flags));
  const h = r.health!;
  const ready = h.state === 'Ready';
  const mark = ready ? c.green('✓') : h.state === 'Failed' ? c.red('✗') : c.yellow('!');
  io.stdout.write(
    `${mark} ${show(r.reported)} is ${ready ? c.green(h.state) : h.state === 'Failed' ? c.red(h.state) : c.yellow(h.state)}${
      h.reason ? ` (${cleanLine(h.reason, 100)})` : ''
    }${h.message ? `: ${cleanLine(h.message, 500)}` : ''}\n`,
  );
  if (h.revision) io.stdout.write(`  revision: ${cleanLine(h.revision, 200)}\n`);
  if (r.report && r.report.findings.length > 0) {
    io.stdout.write('\n');
    io.stdout.write(renderText(r.report, { color: c.enabled }));
  }
  return r.ok ? EXIT_OK : EXIT_FINDINGS;
}

/** -o json|yaml: the verb's structured result (src/render/verb.ts, what the MCP tools return, unbounded). */
function printStructured(io: Io, flags: VerbFlags, r: VerbResult): number | undefined {
  if (!printData(io, flags.output, verbDoc(r))) return undefined;
  return r.ok ? EXIT_OK : EXIT_FINDINGS;
}

/** Run a verb of the core with the flags, rendering its progress and result. */
async function runVerb(
  io: Io,
  verb: Verb,
  words: string[],
  flags: VerbFlags,
  extra: Partial<VerbOptions> = {},
): Promise<VerbResult> {
  if (flags.snapshot)
    throw new CliError(`${verb} writes to a live cluster: --snapshot is not accepted (use --context or --kubeconfig)`);
  const p = progress(io);
  try {
    return await verbs[verb](words, {
      namespace: flags.namespace,
      context: flags.context,
      kubeconfig: flags.kubeconfig,
      fluxNamespace: flags.fluxNamespace,
      requestTimeout: flags.requestTimeout,
      timeout: flags.timeout,
      onProgress: p.onProgress,
      ...extra,
    });
  } finally {
    p.stop();
  }
}

export function register(program: Command, ctx: CliContext): void {
  verbOptions(
    program
      .command('reconcile')
      .description('Ask the controller to reconcile an object now (as flux reconcile), wait, and report its health'),
  )
    .option('--with-source', 'reconcile the source first (Kustomization, HelmRelease, HelmChart)')
    .option('--force', 'HelmRelease: force a one-off install or upgrade (reconcile.fluxcd.io/forceAt)')
    .option('--reset', 'HelmRelease: reset the failure count (reconcile.fluxcd.io/resetAt)')
    .addOption(
      new Option('--timeout <duration>', 'how long to wait for the reconcile')
        .argParser(duration)
        .default(120_000, '2m'),
    )
    .addHelpText(
      'after',
      '\nWrites only the annotation reconcile.fluxcd.io/requestedAt (as flux reconcile does).\nExit status: 0 the object is Ready, 1 it is not ready or has a finding, 2 input error or timeout.\n\nExamples:\n  fluxdoctor reconcile ks/apps -n flux-system --with-source\n  fluxdoctor reconcile hr podinfo -n apps --timeout 5m',
    )
    .action(
      action(ctx, async (words: string[], flags: VerbFlags) => {
        const r = await runVerb(ctx.io, 'reconcile', words, flags, {
          withSource: flags.withSource,
          force: flags.force,
          reset: flags.reset,
        });
        const structured = printStructured(ctx.io, flags, r);
        if (structured !== undefined) return structured;
        if (r.outcome === 'nothing-to-do') {
          ctx.io.stdout.write(`✓ ${show(r.target)}: nothing to reconcile\n`);
          return EXIT_OK;
        }
        return printReport(ctx.io, flags, r);
      }),
    );

  verbOptions(
    program
      .command('suspend')
      .description('Suspend the reconciliation of an object (as flux suspend: spec.suspend: true)'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  fluxdoctor suspend ks/apps -n flux-system\n  fluxdoctor suspend hr podinfo -n apps',
    )
    .action(
      action(ctx, async (words: string[], flags: VerbFlags) => {
        const r = await runVerb(ctx.io, 'suspend', words, flags);
        const structured = printStructured(ctx.io, flags, r);
        if (structured !== undefined) return structured;
        const c = colors(useColor(ctx.io, flags));
        const ok = r.outcome === 'suspended';
        ctx.io.stdout.write(
          `${ok ? c.green('✓') : c.red('✗')} ${show(r.target)} ${ok ? 'suspended' : 'is not suspended after the patch'}\n`,
        );
        return ok ? EXIT_OK : EXIT_FINDINGS;
      }),
    );

  verbOptions(
    program
      .command('resume')
      .description('Resume a suspended object (as flux resume), wait for its reconcile, and report its health'),
  )
    .addOption(
      new Option('--timeout <duration>', 'how long to wait for the reconcile')
        .argParser(duration)
        .default(120_000, '2m'),
    )
    .option('--no-wait', 'do not wait for the reconcile')
    .addHelpText(
      'after',
      '\nRemoves spec.suspend and requests a reconcile (reconcile.fluxcd.io/requestedAt).\nExit status: 0 the object is Ready, 1 it is not ready or has a finding, 2 input error or timeout.',
    )
    .action(
      action(ctx, async (words: string[], flags: VerbFlags) => {
        const r = await runVerb(ctx.io, 'resume', words, flags, { wait: flags.wait });
        const structured = printStructured(ctx.io, flags, r);
        if (structured !== undefined) return structured;
        if (r.outcome === 'resumed') {
          ctx.io.stdout.write(`✓ ${show(r.target)} resumed\n`);
          return EXIT_OK;
        }
        return printReport(ctx.io, flags, r);
      }),
    );
}
