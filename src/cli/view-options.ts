// What the read-only view commands (get, stats, events, logs, trace, tree) share: the -o flag,
// the namespace they filter by, and turning a view's input error into a CLI error.

import { type Command, Option } from 'commander';
import { cleanLine } from '../render/sanitize.js';
import { type TableOptions, toJson, toYaml } from '../render/views.js';
import { ViewError } from '../views/common.js';
import { CliError, type InputFlags, type Io } from './common.js';

export interface ViewFlags extends InputFlags {
  output: 'table' | 'json' | 'yaml' | 'wide' | 'name';
  /** False with --no-headers. */
  headers?: boolean;
}

/** What a command's table output offers besides the table: -o wide, -o name, --no-headers. */
export interface TableOutput {
  /** -o wide: more columns, nothing truncated. */
  wide?: boolean;
  /** -o name: one `kind.group/name` per line, as kubectl prints it. */
  name?: boolean;
}

export function outputOption(cmd: Command, text = 'table', table?: TableOutput): Command {
  const extra = [...(table?.wide ? ['wide'] : []), ...(table?.name ? ['name'] : [])];
  cmd
    .addOption(
      new Option('-o, --output <format>', 'output format').choices([text, ...extra, 'json', 'yaml']).default(text),
    )
    .option('--no-color', 'disable colour (also NO_COLOR=1)');
  return table ? cmd.option('--no-headers', 'omit the header row of the table (as kubectl does)') : cmd;
}

/**
 * The terminal width a table must fit: the columns of stdout when it is a terminal, else $COLUMNS
 * when set, else none (a pipe or a file gets whole rows, as from kubectl).
 */
export function terminalWidth(io: Io): number | undefined {
  const cols = io.stdout.columns;
  if (io.stdout.isTTY === true && typeof cols === 'number' && Number.isInteger(cols) && cols > 0) return cols;
  const env = io.env.COLUMNS?.trim();
  if (env && /^\d{1,5}$/.test(env) && Number(env) > 0) return Number(env);
  return undefined;
}

/** How a table is laid out for these flags: -o wide (every column, nothing cut), --no-headers, the width. */
export function tableLayout(
  io: Io,
  flags: { output?: string; headers?: boolean },
): TableOptions & { wide: boolean; headers: boolean } {
  const wide = flags.output === 'wide';
  return { width: wide ? undefined : terminalWidth(io), wide, headers: flags.headers !== false };
}

/** The namespace to filter by: -n, unless -A. */
export function viewNamespace(flags: InputFlags): string | undefined {
  return flags.allNamespaces ? undefined : flags.namespace;
}

/** Run a view; its input errors (unknown kind, object not found) become exit-2 CLI errors. */
export function runView<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ViewError) throw new CliError(cleanLine(e.message, 1000));
    throw e;
  }
}

/** Print structured output for -o json|yaml; returns false for the text format. */
export function printData(io: Io, format: string, data: unknown): boolean {
  if (format === 'json') io.stdout.write(toJson(data));
  else if (format === 'yaml') io.stdout.write(toYaml(data));
  else return false;
  return true;
}
