// fluxdoctor events [--for KIND/NAME]: events of Flux objects and of what they manage, grouped by
// object, warnings first, newest first.

import type { Command } from 'commander';
import { type EventGroup, eventsView, readNamespace } from '../../core/views.js';
import { colors } from '../../render/color.js';
import { type Column, showRef, type TableOptions, table } from '../../render/views.js';
import { formatAge } from '../../views/common.js';
import { action, type CliContext, EXIT_OK, inputOptions, loadGraph, useColor } from '../common.js';
import {
  emptySelection,
  outputOption,
  printData,
  runView,
  SELECTOR_FLAGS,
  SELECTOR_SYNTAX,
  selectorOf,
  tableLayout,
  type ViewFlags,
  viewNamespace,
} from '../view-options.js';

interface Flags extends ViewFlags {
  for?: string;
  warnings?: boolean;
  selector?: string;
}

/**
 * The `events` table, kubectl's columns: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE, the message cut to
 * the width (then the reason); -o wide adds SOURCE (the reporting component) and COUNT and cuts nothing.
 */
export function renderEventsTable(groups: EventGroup[], color: boolean, layout: TableOptions = {}): string {
  const c = colors(color);
  const wide = layout.wide === true;
  const events = groups.flatMap((g) => g.events);
  const head: Column[] = [
    { header: 'LAST SEEN' },
    { header: 'TYPE', paint: (v) => (v === 'Warning' ? c.yellow(v) : v) },
    { header: 'REASON', shrink: 2, min: 8 },
    { header: 'OBJECT' },
  ];
  if (!wide)
    return table(
      [...head, { header: 'MESSAGE', max: 300, shrink: 1, min: 12 }],
      events.map((e) => [formatAge(e.age), e.type, e.reason, showRef(e.object), e.message]),
      c,
      layout,
    );
  return table(
    [...head, { header: 'SOURCE' }, { header: 'COUNT' }, { header: 'MESSAGE' }],
    events.map((e) => [
      formatAge(e.age),
      e.type,
      e.reason,
      showRef(e.object),
      e.source ?? '',
      String(e.count),
      e.message,
    ]),
    c,
    layout,
  );
}

/** `-o name`: `event/NAME` for every Event object behind the rows, in the table's order, once each. */
export function eventNames(groups: EventGroup[]): string {
  const seen = new Set<string>();
  let out = '';
  for (const g of groups)
    for (const e of g.events)
      for (const n of e.names) {
        const line = `event/${n}`;
        if (seen.has(line)) continue;
        seen.add(line);
        out += `${line}\n`;
      }
  return out;
}

export function register(program: Command, ctx: CliContext): void {
  outputOption(
    inputOptions(
      program
        .command('events')
        .description('Show the events of Flux objects and what they manage, warnings first, newest first'),
    ),
    'table',
    { wide: true, name: true },
  )
    .option('--for <KIND/NAME>', 'only this object, what it applied, and their ReplicaSets and Pods')
    .option('--warnings', 'only Warning events')
    .option(SELECTOR_FLAGS, `only events about objects whose labels match (${SELECTOR_SYNTAX})`)
    .addHelpText(
      'after',
      `
Without --for: events about Flux objects and about objects a Kustomization or HelmRelease applied
(and the ReplicaSets and Pods of those). Grouped by object; groups with warnings first.
LAST SEEN is relative to the snapshot time. With --for, -n names the object's namespace.
The table's MESSAGE is cut to the terminal width (on a terminal, else $COLUMNS; a pipe gets whole
lines); -o wide adds SOURCE (the reporting component) and COUNT and cuts nothing; --no-headers
omits the header row; -o name prints one event/NAME per Event object (as kubectl does), in the
table's order.
-l keeps the events about objects whose labels match (with --for: among that object and what it
applied); a selection with no events says on stderr whether the selector matched any object.
Exit status: 0; 2 when the input cannot be read, a selector cannot be read, or the --for object is
ambiguous.

Examples:
  fluxdoctor events
  fluxdoctor events --for kustomization/apps -n team-a
  fluxdoctor events --for hr/podinfo --warnings -o json
  fluxdoctor events --warnings -o wide
  fluxdoctor events -l app.kubernetes.io/part-of=shop -n shop`,
    )
    .action(
      action(ctx, async (flags: Flags) => {
        const { io } = ctx;
        const ns = viewNamespace(flags);
        const labels = selectorOf(flags);
        // With --for, every namespace is read: what an object applied may live elsewhere.
        const graph = await loadGraph(
          { ...flags, namespace: readNamespace('events', { namespace: ns, for: flags.for }) },
          io,
        );
        const view = runView(() =>
          eventsView(graph, { for: flags.for, namespace: ns, warningsOnly: flags.warnings, labels }),
        );
        const { target, groups } = view;
        // An empty -l selection is said in every format (the JSON has no group to show it).
        if (labels && groups.length === 0)
          io.stderr.write(
            emptySelection(labels, {
              what: flags.warnings ? 'Warning events' : 'events',
              selected: view.selected ?? 0,
              namespace: target ? undefined : ns,
              for: target ? `${showRef(target)} and what it applied` : undefined,
            }),
          );
        if (printData(io, flags.output, view)) return EXIT_OK;
        if (groups.length === 0) {
          if (labels) return EXIT_OK;
          io.stderr.write(
            `No events found${target ? ` for ${showRef(target)}` : ns !== undefined ? ` in namespace ${ns}` : ''}.\n`,
          );
          return EXIT_OK;
        }
        if (flags.output === 'name') {
          io.stdout.write(eventNames(groups));
          return EXIT_OK;
        }
        io.stdout.write(renderEventsTable(groups, useColor(io, flags), tableLayout(io, flags)));
        return EXIT_OK;
      }),
    );
}
