#!/usr/bin/env node
import { main, safeOutput } from '../dist/cli/main.js';

// Output closed early (`| head`, `| grep -q`): stop quietly, as kubectl does. A Go program dies of
// SIGPIPE, which a shell reports as 128+13 = 141 (seen only under `set -o pipefail`); Node ignores
// SIGPIPE and would print an EPIPE stack trace instead.
const EXIT_SIGPIPE = 141;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(EXIT_SIGPIPE);
    throw err;
  });
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(safeOutput(`fluxdoctor: ${err instanceof Error ? err.message : String(err)}\n`));
    process.exitCode = 2;
  },
);
