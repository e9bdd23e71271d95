// fluxdoctor docs search QUERY: ranked offline search of the knowledge base (docs/reference and
// the diagnosis code pages).

import { type Command, Option } from 'commander';
import { dump } from 'js-yaml';
import { searchDocs } from '../../kb/search.js';
import { action, type CliContext, CliError, EXIT_OK } from '../common.js';
import { formatOption } from '../view-options.js';

export function register(program: Command, ctx: CliContext): void {
  const docs = program
    .command('docs')
    .description('The Flux knowledge base: API reference, workflows, practices, commands');
  docs
    .command('search')
    .description('Search the knowledge base and the diagnosis code pages offline, best matches first')
    .argument('<query...>', 'words to search for, e.g. "chart not found"')
    .addOption(formatOption(['table', 'json', 'yaml']))
    .addOption(new Option('--limit <n>', 'how many results').default('10'))
    .action(
      action(ctx, (words: string[], flags: { output: string; limit: string }) => {
        const limit = Number.parseInt(flags.limit, 10);
        if (!Number.isFinite(limit) || limit < 1)
          throw new CliError(`--limit must be a positive number, not '${flags.limit}'`);
        const hits = searchDocs(words.join(' '), limit);
        if (flags.output === 'json') ctx.io.stdout.write(`${JSON.stringify(hits, null, 2)}\n`);
        else if (flags.output === 'yaml') ctx.io.stdout.write(dump(hits, { lineWidth: -1, noRefs: true }));
        else if (!hits.length) ctx.io.stdout.write('no matches\n');
        else
          for (const h of hits)
            ctx.io.stdout.write(
              `${h.score.toFixed(2).padStart(6)}  ${h.title}\n        ${h.source}\n        ${h.excerpt}\n`,
            );
        return EXIT_OK;
      }),
    );
}
