// fluxdoctor snapshot -o FILE: capture everything fluxdoctor reads (Secret values, Helm values, env
// values, substitutions removed; see read/write.ts) into one file, mode 0600, that --snapshot reads
// back to the same findings.

import { closeSync, fchmodSync, openSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { snapshotToYaml } from '../../read/write.js';
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

export function register(program: Command, ctx: CliContext): void {
  inputOptions(
    program
      .command('snapshot')
      .description(
        'Capture the cluster state fluxdoctor reads into one file (a support bundle, mode 0600; Secret, Helm, env and substitution values removed)',
      ),
  )
    .requiredOption('-o, --output <file>', 'file to write (`-` for stdout)')
    .action(
      action(ctx, async (flags: InputFlags & { output: string }) => {
        const snap = await loadSnapshot(flags, ctx.io);
        const text = snapshotToYaml(snap);
        if (flags.output === '-') ctx.io.stdout.write(text);
        else {
          try {
            writePrivate(flags.output, text);
          } catch (e) {
            throw new CliError(`cannot write ${cleanLine(flags.output, 300)}: ${cleanLine((e as Error).message, 300)}`);
          }
          const partial = snap.problems.filter((p) => p.partial);
          ctx.io.stderr.write(
            `wrote ${cleanLine(flags.output, 300)}: ${snap.objects.length} objects, ${snap.events.length} events, ${snap.logs.length} log lines (mode 0600; values removed: see the file's header)${partial.length ? `; partial: ${partial.map((p) => `${cleanLine(p.source, 300)} (${cleanLine(p.message, 300)})`).join(', ')}` : ''}\n`,
          );
        }
        return EXIT_OK;
      }),
    );
}
