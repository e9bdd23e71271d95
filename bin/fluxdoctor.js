#!/usr/bin/env node
import { main, safeOutput } from '../dist/cli/main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(safeOutput(`fluxdoctor: ${err instanceof Error ? err.message : String(err)}\n`));
    process.exitCode = 2;
  },
);
