// fluxdoctor docs search QUERY: ranked offline search of the knowledge base (docs/reference and
// the diagnosis code pages).

import { type Command, Option } from 'commander';
import { dump } from 'js-yaml';
import { type SearchHit, searchDocs } from '../../kb/search.js';
import { colors } from '../../render/color.js';
import { type Column, type TableOptions, table } from '../../render/views.js';
import { action, type CliContext, CliError, EXIT_OK, useColor } from '../common.js';
import { outputOption, tableLayout } from '../view-options.js';

export function register(program: Command, ctx: CliContext): void {
  const docs = program
    .command('docs')
    .description('The Flux knowledge base: API reference, workflows, practices, commands');
  outputOption(
    docs
      .command('search')
      .description('Search the knowledge base and the diagnosis code pages offline, best matches first')
      .argument('<query...>', 'words to search for, e.g. "chart not found"'),
    'table',
    { wide: true },
  )
    .addOption(new Option('--limit <n>', 'how many results').default('10'))
    .addHelpText(
      'after',
      `
The table shows SCORE, TITLE and SOURCE (a docs/reference page and anchor, or code:CODE for
'fluxdoctor explain CODE'), cut to the terminal width (on a terminal, else $COLUMNS; a pipe gets
whole lines); -o wide adds EXCERPT and cuts nothing; --no-headers omits the header row.`,
    )
    .action(
      action(ctx, (words: string[], flags: { output: string; limit: string; headers?: boolean; color?: boolean }) => {
        const limit = Number.parseInt(flags.limit, 10);
        if (!Number.isFinite(limit) || limit < 1)
          throw new CliError(`--limit must be a positive number, not '${flags.limit}'`);
        const hits = searchDocs(words.join(' '), limit);
        if (flags.output === 'json') ctx.io.stdout.write(`${JSON.stringify(hits, null, 2)}\n`);
        else if (flags.output === 'yaml') ctx.io.stdout.write(dump(hits, { lineWidth: -1, noRefs: true }));
        else if (!hits.length) ctx.io.stdout.write('no matches\n');
        else ctx.io.stdout.write(renderSearchTable(hits, useColor(ctx.io, flags), tableLayout(ctx.io, flags)));
        return EXIT_OK;
      }),
    );
}

/** The `docs search` table: SCORE, TITLE, SOURCE (the title cut first); -o wide adds EXCERPT. */
export function renderSearchTable(hits: SearchHit[], color: boolean, layout: TableOptions = {}): string {
  const c = colors(color);
  const columns: Column[] = [
    { header: 'SCORE' },
    { header: 'TITLE', shrink: 1, min: 24 },
    { header: 'SOURCE', shrink: 2, min: 24 },
  ];
  if (layout.wide) columns.push({ header: 'EXCERPT' });
  return table(
    columns,
    hits.map((h) => [h.score.toFixed(2), h.title, h.source, ...(layout.wide ? [h.excerpt] : [])]),
    c,
    layout,
  );
}
