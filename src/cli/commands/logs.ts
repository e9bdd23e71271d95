// fluxdoctor logs [--for KIND/NAME] [--level] [--since]: the Flux controllers' log lines about one
// object (or all objects) across every controller, oldest first, as `flux logs` prints them.

import { type Command, InvalidArgumentError, Option } from 'commander';
import { LOG_LEVELS, type LogLevel, type LogRow, logsView, readNamespace } from '../../core/views.js';
import { colors } from '../../render/color.js';
import { cleanLine } from '../../render/sanitize.js';
import { showRef } from '../../render/views.js';
import { parseDuration } from '../../views/common.js';
import { levelRank } from '../../views/logs.js';
import { action, type CliContext, CliError, EXIT_OK, inputOptions, loadGraph, useColor } from '../common.js';
import {
  emptySelection,
  outputOption,
  printData,
  runView,
  SELECTOR_FLAGS,
  SELECTOR_SYNTAX,
  selectorOf,
  type ViewFlags,
  viewNamespace,
} from '../view-options.js';

interface Flags extends ViewFlags {
  for?: string;
  level?: LogLevel;
  since?: number;
  follow?: boolean;
  selector?: string;
}

function parseSince(v: string): number {
  const ms = parseDuration(v);
  if (ms === undefined) throw new InvalidArgumentError('a duration such as 30s, 10m, 2h or 1h30m');
  return ms;
}

/**
 * A line's msg and error, each said once: controllers often log the error as the message too
 * (`"msg":"X","error":"X"`), or a message that already ends with the error.
 */
export function messageOf(r: Pick<LogRow, 'msg' | 'error'>, c: ReturnType<typeof colors> = colors(false)): string {
  const msg = r.msg?.trim() ?? '';
  const error = r.error?.trim() ?? '';
  if (!error || msg.includes(error)) return msg;
  if (!msg || error.includes(msg)) return c.red(error);
  return `${msg} ${c.red(error)}`;
}

export function renderLogLines(rows: LogRow[], color: boolean): string {
  const c = colors(color);
  const out = rows.map((r) => {
    const rank = levelRank(r.level);
    const level = rank >= 3 ? c.red(r.level) : rank === 2 ? c.yellow(r.level) : rank === 0 ? c.dim(r.level) : r.level;
    const about = r.object ? `${showRef(r.object)}: ` : '';
    return `${c.dim(r.ts ?? '-')} ${level} ${r.controller} ${about}${messageOf(r, c)}`;
  });
  return out.length ? `${out.join('\n')}\n` : '';
}

export function register(program: Command, ctx: CliContext): void {
  outputOption(
    inputOptions(
      program
        .command('logs')
        .description("Show the Flux controllers' log lines about an object (or all objects), across every controller"),
    ),
    'text',
  )
    .option('--for <KIND/NAME>', 'only lines about this object (its controllerKind, name and namespace)')
    .addOption(
      new Option(
        '--level <level>',
        'minimum level: error (errors only), info (info and above), debug (everything)',
      ).choices([...LOG_LEVELS]),
    )
    .option(
      '--since <duration>',
      'only lines newer than this, relative to the snapshot time (e.g. 10m, 2h)',
      parseSince,
    )
    .option(SELECTOR_FLAGS, `only lines about objects whose labels match, as kubectl logs -l (${SELECTOR_SYNTAX})`)
    .option('--follow', 'not supported yet: streaming is not built (fails with exit 2)')
    .addHelpText(
      'after',
      `
Lines are the controllers' JSON log lines: read live through the pods/log API of the running
controller pods in --flux-namespace (the last hour), or from --logs files with --snapshot.
Output: TIME LEVEL CONTROLLER KIND/NAMESPACE/NAME: MESSAGE ERROR, oldest first.
-l keeps the lines about objects whose labels match (lines about no object are left out); a
selection with no line says on stderr whether the selector matched any object.
--follow is not supported yet.
Exit status: 0 (also when no line matches); 2 when the input cannot be read, a selector cannot be
read, or on --follow.

Examples:
  fluxdoctor logs --for kustomization/apps --level error
  fluxdoctor logs --for hr/podinfo -n apps --since 30m
  fluxdoctor logs --snapshot examples/multi-hop --logs examples/multi-hop/logs`,
    )
    .action(
      action(ctx, async (flags: Flags) => {
        const { io } = ctx;
        if (flags.follow)
          throw new CliError('--follow is not supported yet; run `fluxdoctor logs` again, or `kubectl logs -f`');
        const ns = viewNamespace(flags);
        const labels = selectorOf(flags);
        const graph = await loadGraph(
          { ...flags, namespace: readNamespace('logs', { namespace: ns, for: flags.for }) },
          io,
        );
        const view = runView(() =>
          logsView(graph, { for: flags.for, namespace: ns, level: flags.level, sinceMs: flags.since, labels }),
        );
        const { target, lines: rows } = view;
        // Input that could not be used (a --logs file with no log line) is said, never ignored silently.
        const problems = graph.snapshot.problems;
        for (const p of problems.slice(0, 5))
          io.stderr.write(`fluxdoctor: note: ${cleanLine(p.source, 200)}: ${cleanLine(p.message, 300)}\n`);
        if (problems.length > 5) io.stderr.write(`fluxdoctor: note: … and ${problems.length - 5} more\n`);
        // An empty -l selection is said in every format.
        if (labels && rows.length === 0)
          io.stderr.write(
            emptySelection(labels, {
              what: view.noLogsRead ? 'log lines (no logs were read)' : 'controller log lines',
              selected: view.selected ?? 0,
              namespace: target ? undefined : ns,
              for: target ? `the object ${showRef(target)}` : undefined,
            }),
          );
        const data = {
          ...(target ? { target } : {}),
          lines: rows,
          ...(view.selected !== undefined ? { selected: view.selected } : {}),
        };
        if (printData(io, flags.output, data)) return EXIT_OK;
        if (rows.length === 0) {
          if (labels) return EXIT_OK;
          io.stderr.write(
            `No controller log lines found${target ? ` for ${showRef(target)}` : ''}${view.noLogsRead ? ' (no logs were read; with --snapshot add --logs DIR)' : ''}.\n`,
          );
          return EXIT_OK;
        }
        io.stdout.write(renderLogLines(rows, useColor(io, flags)));
        return EXIT_OK;
      }),
    );
}
