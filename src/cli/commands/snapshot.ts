// fluxdoctor snapshot [-f FILE] [-o yaml|json]: capture everything fluxdoctor reads (Secret values,
// Helm values, env values, substitutions removed; see read/write.ts) into one bundle, mode 0600 when
// written to a file, that --snapshot reads back to the same findings. As kubectl, `-o` is the format
// and the bundle goes to stdout unless `-f FILE` names a file; a terminal is refused (a bundle is
// long and not for reading there).

import { closeSync, fchmodSync, openSync, writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { snapshotToJson, snapshotToYaml } from '../../read/write.js';
import { cleanLine } from '../../render/sanitize.js';
import { action, type CliContext, CliError, EXIT_OK, type InputFlags, inputOptions, loadSnapshot } from '../common.js';

/** Write the bundle readable by its owner only (0600), also when the file already exists. */
export function writePrivate(path: string, text: string): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeFileSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

export const BUNDLE_FORMATS = ['yaml', 'json'] as const;
export type BundleFormat = (typeof BUNDLE_FORMATS)[number];

interface Flags extends InputFlags {
  output?: string;
  file?: string;
}

/**
 * The bundle's format: `-o yaml|json`; without -o, json for a FILE ending in .json, else yaml. A
 * value of -o that is not a format is the old `-o FILE` spelling: an error that names -f.
 */
export function bundleFormat(flags: { output?: string; file?: string }): BundleFormat {
  const o = flags.output;
  if (o === undefined) return flags.file && /\.json$/i.test(flags.file) ? 'json' : 'yaml';
  const f = o.toLowerCase();
  if ((BUNDLE_FORMATS as readonly string[]).includes(f)) return f as BundleFormat;
  const shown = cleanLine(o, 300);
  throw new CliError(
    `-o is the format of the bundle (yaml or json), not '${shown}'; to write a file, use -f/--file PATH (e.g. fluxdoctor snapshot -f ${/^[\w./-]+$/.test(o) ? shown : 'bundle.yaml'})`,
  );
}

export function register(program: Command, ctx: CliContext): void {
  inputOptions(
    program
      .command('snapshot')
      .description(
        'Capture the cluster state fluxdoctor reads into one file (a support bundle, mode 0600; Secret, Helm, env and substitution values removed)',
      ),
  )
    .option('-f, --file <path>', 'file to write, mode 0600 (`-` for stdout; default: stdout when it is not a terminal)')
    .addOption(
      new Option(
        '-o, --output <format>',
        'format of the bundle: yaml or json (default: yaml; json for a -f FILE.json)',
      ),
    )
    .addHelpText(
      'after',
      `
The bundle is one file that --snapshot reads back to the same findings (diagnose, get, events, …),
in either format. Without -f it is written to stdout, unless stdout is a terminal (then use -f FILE).

Exit status: 0 written; 2 the input cannot be read, the file cannot be written, -o is not yaml or json,
or stdout is a terminal and no -f was given.

Examples:
  fluxdoctor snapshot -f bundle.yaml
  fluxdoctor snapshot -o json -f bundle.json
  fluxdoctor snapshot -n apps > apps.yaml
  fluxdoctor snapshot -o json | fluxdoctor diagnose --snapshot -`,
    )
    .action(
      action(ctx, async (flags: Flags) => {
        const format = bundleFormat(flags); // a bad -o fails before the cluster is read
        const toStdout = flags.file === undefined || flags.file === '-';
        if (flags.file === undefined && ctx.io.stdout.isTTY === true)
          throw new CliError(
            'not writing the bundle to a terminal: name a file with -f FILE (e.g. fluxdoctor snapshot -f bundle.yaml), or redirect stdout (-f - to force)',
          );
        const snap = await loadSnapshot(flags, ctx.io);
        const text = format === 'json' ? snapshotToJson(snap) : snapshotToYaml(snap);
        const partial = snap.problems.filter((p) => p.partial);
        const partialText = partial.map((p) => `${cleanLine(p.source, 300)} (${cleanLine(p.message, 300)})`).join(', ');
        if (toStdout) {
          ctx.io.stdout.write(text);
          if (partial.length) ctx.io.stderr.write(`fluxdoctor: partial bundle: ${partialText}\n`);
          return EXIT_OK;
        }
        const file = flags.file as string;
        try {
          writePrivate(file, text);
        } catch (e) {
          throw new CliError(`cannot write ${cleanLine(file, 300)}: ${cleanLine((e as Error).message, 300)}`);
        }
        ctx.io.stderr.write(
          `wrote ${cleanLine(file, 300)} (${format}): ${snap.objects.length} objects, ${snap.events.length} events, ${snap.logs.length} log lines (mode 0600; values removed: see ${format === 'json' ? 'info.removed in the file' : "the file's header"})${partial.length ? `; partial: ${partialText}` : ''}\n`,
        );
        return EXIT_OK;
      }),
    );
}
