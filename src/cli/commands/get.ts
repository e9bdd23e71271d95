// fluxdoctor get [KIND] [NAME]: the status table of `flux get`, for one kind or every Flux kind.

import { type Command, InvalidArgumentError } from 'commander';
import { type GetRow, getView, kindsFor, readNamespace, STATUS_FILTERS, type StatusFilter } from '../../core/views.js';
import { colors } from '../../render/color.js';
import { cleanLine } from '../../render/sanitize.js';
import { type Column, kubectlName, paintState, type TableOptions, table } from '../../render/views.js';
import { formatAge } from '../../views/common.js';
import { action, type CliContext, EXIT_OK, inputOptions, loadGraph, useColor } from '../common.js';
import { outputOption, printData, runView, tableLayout, type ViewFlags, viewNamespace } from '../view-options.js';

function parseStatus(v: string): StatusFilter {
  if (!(STATUS_FILTERS as readonly string[]).includes(v))
    throw new InvalidArgumentError(`must be one of ${STATUS_FILTERS.join(', ')}`);
  return v as StatusFilter;
}

interface Flags extends ViewFlags {
  status?: StatusFilter;
}

/**
 * The `get` table. The default columns are those of `flux get` that fit a terminal (NAMESPACE, KIND,
 * NAME, READY, STATUS; STATUS is cut to the width); -o wide adds SUSPENDED, REVISION and LAST
 * RECONCILE and cuts nothing.
 */
export function renderGetTable(rows: GetRow[], color: boolean, layout: TableOptions = {}): string {
  const c = colors(color);
  const wide = layout.wide === true;
  const status = (r: GetRow) => r.status || (r.ready === 'Static' ? '-' : '');
  const columns: Column[] = [
    { header: 'NAMESPACE' },
    { header: 'KIND' },
    { header: 'NAME' },
    { header: 'READY', paint: (v) => paintState(c, v) },
  ];
  if (!wide)
    return table(
      [...columns, { header: 'STATUS', shrink: 1, min: 12 }],
      rows.map((r) => [r.namespace ?? '', r.kind, r.name, r.ready, status(r)]),
      c,
      layout,
    );
  return table(
    [...columns, { header: 'SUSPENDED' }, { header: 'REVISION' }, { header: 'LAST RECONCILE' }, { header: 'STATUS' }],
    rows.map((r) => [
      r.namespace ?? '',
      r.kind,
      r.name,
      r.ready,
      r.suspended ? 'True' : 'False',
      r.revision ?? '',
      formatAge(r.lastReconcileAge),
      status(r),
    ]),
    c,
    layout,
  );
}

/** `get -o name`: one `kind.group/name` per object, as kubectl prints it. */
export function renderGetNames(rows: GetRow[]): string {
  return rows.map((r) => `${kubectlName(r.kind, r.name)}\n`).join('');
}

export function register(program: Command, ctx: CliContext): void {
  outputOption(
    inputOptions(
      program
        .command('get')
        .argument('[kind]', 'a kind as kubectl or flux spell it (ks, hr, gitrepo, kustomizations, …) or all', 'all')
        .argument('[name]', 'only the object(s) with this name')
        .description('Show the status of Flux objects: ready state, reason, revision, last reconcile, suspended'),
    ),
    'table',
    { wide: true, name: true },
  )
    .option('--status <state>', `only objects in this state: ${STATUS_FILTERS.join(', ')}`, parseStatus)
    .addHelpText(
      'after',
      `
KIND may be a comma-separated list (ks,hr). Without KIND, or with "all", every Flux kind is listed.
READY is the health fluxdoctor derives (Ready, Failed, Waiting, Progressing, Suspended, Unknown,
Static for kinds without status); LAST RECONCILE is the age of the newest status time the controller
wrote, relative to the snapshot time.
The table shows NAMESPACE, KIND, NAME, READY and STATUS, cut to the terminal width (on a terminal,
else $COLUMNS; a pipe gets whole lines); -o wide adds SUSPENDED, REVISION and LAST RECONCILE and
cuts nothing. -o name prints kind.group/name per object (as kubectl does), e.g. for
\`| xargs -n1 fluxdoctor trace\`; --no-headers omits the header row.

Exit status: 0 (also when nothing matches --status); 2 when the input cannot be read, KIND is
unknown, or NAME matches no object.

Examples:
  fluxdoctor get
  fluxdoctor get ks --status failing
  fluxdoctor get hr podinfo -n apps -o json
  fluxdoctor get ks -o wide
  fluxdoctor get ks --status failing -o name | xargs -n1 fluxdoctor trace
  fluxdoctor get all --snapshot examples/multi-hop`,
    )
    .action(
      action(ctx, async (kind: string, name: string | undefined, flags: Flags) => {
        const { io } = ctx;
        runView(() => kindsFor(kind)); // an unknown KIND fails before the cluster is read
        const namespace = viewNamespace(flags);
        const graph = await loadGraph({ ...flags, namespace: readNamespace('get', { namespace }) }, io);
        const rows = runView(() => getView(graph, { kind, name, namespace, status: flags.status }));
        if (printData(io, flags.output, { items: rows })) return EXIT_OK;
        if (rows.length === 0) {
          io.stderr.write(
            `No ${kind === 'all' ? 'Flux objects' : kind} found${flags.status ? ` with status ${flags.status}` : ''}${viewNamespace(flags) ? ` in namespace ${cleanLine(viewNamespace(flags), 100)}` : ''}.\n`,
          );
          return EXIT_OK;
        }
        io.stdout.write(
          flags.output === 'name'
            ? renderGetNames(rows)
            : renderGetTable(rows, useColor(io, flags), tableLayout(io, flags)),
        );
        return EXIT_OK;
      }),
    );
}
