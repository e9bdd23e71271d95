// What the read-only view commands (get, stats, events, logs, trace, tree) share: the -o flag,
// the namespace they filter by, and turning a view's input error into a CLI error.

import { type Command, Option } from 'commander';
import { cleanLine } from '../render/sanitize.js';
import { toJson, toYaml } from '../render/views.js';
import { ViewError } from '../views/common.js';
import { CliError, type InputFlags, type Io } from './common.js';

export interface ViewFlags extends InputFlags {
  output: 'table' | 'json' | 'yaml';
}

export function outputOption(cmd: Command, text = 'table', more: readonly string[] = []): Command {
  return cmd
    .addOption(formatOption([text, 'json', 'yaml', ...more]))
    .option('--no-color', 'disable colour (also NO_COLOR=1)');
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
