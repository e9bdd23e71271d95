// fluxdoctor stats: per Flux kind, how many objects are ready, failing, suspended, waiting, progressing.

import type { Command } from 'commander';
import { readNamespace, type Stats, statsView } from '../../core/views.js';
import { colors } from '../../render/color.js';
import { type TableOptions, table } from '../../render/views.js';
import { action, type CliContext, EXIT_OK, inputOptions, loadGraph, useColor } from '../common.js';
import { outputOption, printData, tableLayout, type ViewFlags, viewNamespace } from '../view-options.js';

export function renderStatsTable(s: Stats, color: boolean, layout: TableOptions = {}): string {
  const c = colors(color);
  const n = (v: number, paint: (x: string) => string) => (v > 0 ? paint(String(v)) : String(v));
  const rows = [...s.kinds, { ...s.total, kind: 'Total' }];
  return table(
    [
      { header: 'KIND' },
      { header: 'TOTAL' },
      { header: 'READY', paint: (v) => (v !== '0' ? c.green(v) : v) },
      { header: 'FAILING', paint: (v) => n(Number(v), c.red) },
      { header: 'SUSPENDED', paint: (v) => n(Number(v), c.yellow) },
      { header: 'WAITING', paint: (v) => n(Number(v), c.yellow) },
      { header: 'PROGRESSING', paint: (v) => n(Number(v), c.cyan) },
    ],
    rows.map((r) => [
      r.kind,
      String(r.total),
      String(r.ready),
      String(r.failing),
      String(r.suspended),
      String(r.waiting),
      String(r.progressing),
    ]),
    c,
    layout,
  );
}

export function register(program: Command, ctx: CliContext): void {
  outputOption(
    inputOptions(
      program
        .command('stats')
        .description('Count Flux objects per kind: total, ready, failing, suspended, waiting, progressing'),
    ),
    'table',
    {},
  )
    .addHelpText(
      'after',
      `
READY includes objects of kinds without status (Alerts, Providers); PROGRESSING includes objects the
controller has not reported on yet. Kinds with no objects are left out unless a live read listed them.
--no-headers omits the header row.
Exit status: 0; 2 when the input cannot be read.

Examples:
  fluxdoctor stats
  fluxdoctor stats -n apps -o json`,
    )
    .action(
      action(ctx, async (flags: ViewFlags) => {
        const { io } = ctx;
        const namespace = viewNamespace(flags);
        const graph = await loadGraph({ ...flags, namespace: readNamespace('stats', { namespace }) }, io);
        const s = statsView(graph, { namespace });
        if (printData(io, flags.output, s)) return EXIT_OK;
        if (s.total.total === 0) {
          const ns = viewNamespace(flags);
          io.stderr.write(`No Flux objects found${ns !== undefined ? ` in namespace ${ns}` : ''}.\n`);
          return EXIT_OK;
        }
        io.stdout.write(renderStatsTable(s, useColor(io, flags), tableLayout(io, flags)));
        return EXIT_OK;
      }),
    );
}
