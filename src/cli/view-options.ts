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

export function outputOption(cmd: Command, text = 'table'): Command {
  return cmd
    .addOption(new Option('-o, --output <format>', 'output format').choices([text, 'json', 'yaml']).default(text))
    .option('--no-color', 'disable colour (also NO_COLOR=1)');
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
