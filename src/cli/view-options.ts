// What the read-only view commands (get, stats, events, logs, trace, tree) share: the -o flag,
// the namespace they filter by, and turning a view's input error into a CLI error.

import { type Command, Option } from 'commander';
import { cleanLine } from '../render/sanitize.js';
import { type TableOptions, toJson, toYaml } from '../render/views.js';
import { ViewError } from '../views/common.js';
import { type LabelSelector, parseLabelSelector } from '../views/selector.js';
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

/**
 * The -o option of a view: the text form, json, yaml, plus (with `table`) wide/name and --no-headers,
 * plus `more` formats of the command's own (get's `summary`).
 */
export function outputOption(
  cmd: Command,
  text = 'table',
  table?: TableOutput | readonly string[],
  more: readonly string[] = [],
): Command {
  const t = Array.isArray(table) ? undefined : (table as TableOutput | undefined);
  const own = Array.isArray(table) ? (table as readonly string[]) : more;
  const extra = [...(t?.wide ? ['wide'] : []), ...(t?.name ? ['name'] : [])];
  cmd
    .addOption(formatOption([text, ...extra, 'json', 'yaml', ...own]))
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

/** The names of the human-readable form: synonyms on every command (kubectl says table, flux text). */
export const TEXT_FORMATS: readonly string[] = ['text', 'table'];

/**
 * The one `-o, --output <format>` option: `formats[0]` is the default; when the list has a text form
 * (`text` or `table`), the other spelling is accepted too and parsed to the one the command names.
 */
export function formatOption(formats: readonly string[], description = 'output format'): Option {
  const canonical = formats.find((f) => TEXT_FORMATS.includes(f));
  const synonyms = canonical ? TEXT_FORMATS.filter((f) => !formats.includes(f)) : [];
  const choices = formats.flatMap((f) => (f === canonical ? [f, ...synonyms] : [f]));
  const option = new Option('-o, --output <format>', description).choices(choices).default(formats[0]);
  const check = option.parseArg as (v: string, prev: unknown) => string;
  return option.argParser((v: string, prev: unknown) => {
    const f = check(v, prev);
    return canonical && synonyms.includes(f) ? canonical : f;
  });
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

/** The `-l, --selector` option of get, diagnose, events, logs and tree (kubectl label-selector syntax). */
export const SELECTOR_FLAGS = '-l, --selector <selector>';
export const SELECTOR_SYNTAX = 'kubectl syntax: a=b,c!=d,e in (x,y),!f';

/** `-l` read before the cluster is: a selector that cannot be read is an exit-2 usage error. */
export function selectorOf(flags: { selector?: string }): LabelSelector | undefined {
  return flags.selector === undefined ? undefined : runView(() => parseLabelSelector(flags.selector!));
}

/**
 * The stderr line of a `-l` selection that shows nothing, as get's "No … found matching …": whether
 * the selector matched no object at all, or matched objects that have none of `what` (events, log lines).
 */
export function emptySelection(
  sel: LabelSelector,
  opts: { what: string; selected: number; namespace?: string; for?: string },
): string {
  const sl = cleanLine(sel.text, 200);
  const where = opts.namespace !== undefined ? ` in namespace ${cleanLine(opts.namespace, 100)}` : '';
  const among = opts.for ? ` among ${opts.for}` : '';
  if (opts.selected === 0) return `No objects found matching ${sl}${where}${among}.\n`;
  const n = `${opts.selected} object${opts.selected === 1 ? '' : 's'}`;
  return `No ${opts.what} found about the ${n} matching ${sl}${where}${among}.\n`;
}
